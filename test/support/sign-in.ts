import request from 'supertest';
import type { TestApp } from './test-app';
import type { SmtpTestServer } from './smtp-test-server';

export const LINK_PATTERN = /\/sign-in\/verify\?token=([A-Za-z0-9_-]+)/;

/** Asks for a sign-in link, reads it from the mail that arrives and exchanges it for a session. */
export async function signIn(t: TestApp, smtp: SmtpTestServer, email: string): Promise<string> {
  const before = smtp.to(email).length;
  await request(t.http).post('/api/auth/sign-in').send({ email }).expect(202);
  await smtp.waitFor(() => smtp.to(email).length > before);
  const mail = smtp.to(email)[before];
  const token = String(mail.text).match(LINK_PATTERN)![1];
  const res = await request(t.http).post('/api/auth/token').send({ token }).expect(201);
  return res.body.accessToken as string;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
