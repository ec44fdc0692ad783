import request from 'supertest';
import type { TestApp } from './test-app';
import type { SmtpTestServer } from './smtp-test-server';

export const LINK_PATTERN = /\/sign-in\/verify\?token=([A-Za-z0-9_-]+)/;

/** Asks for a sign-in link, reads it from the mail that arrives and exchanges it for a session. */
export async function signIn(t: TestApp, smtp: SmtpTestServer, email: string): Promise<string> {
  const before = smtp.to(email).length;
  await request(t.http).post('/api/auth/sign-in').send({ email }).expect(202);
  // Other mail may reach the same address meanwhile (a coordinator is told of new accounts).
  const link = () =>
    smtp
      .to(email)
      .slice(before)
      .map((m) => String(m.text).match(LINK_PATTERN)?.[1])
      .find(Boolean);
  await smtp.waitFor(() => link() !== undefined);
  const token = link()!;
  const res = await request(t.http).post('/api/auth/token').send({ token }).expect(201);
  return res.body.accessToken as string;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** The token of the newest sign-in link that reached `email` (other mail may have arrived since). */
export function latestLinkTo(smtp: SmtpTestServer, email: string): string {
  const token = smtp
    .to(email)
    .map((m) => String(m.text).match(LINK_PATTERN)?.[1])
    .filter(Boolean)
    .at(-1);
  if (!token) throw new Error(`no sign-in link reached ${email}`);
  return token;
}

/** Adds an approved professional through the coordinator's API (a first sign-in would wait for approval). */
export async function addProfessional(
  t: TestApp,
  coordinator: string,
  email: string,
  agencyId: string,
  name = 'A Professional',
) {
  const res = await request(t.http)
    .post('/api/users')
    .set(bearer(coordinator))
    .send({ email, name, agencyId, roles: ['professional'] })
    .expect(201);
  return res.body.id as string;
}
