import request from 'supertest';
import { LINK_PATTERN } from './sign-in';
import type { SmtpTestServer } from './smtp-test-server';
import type { TestApp } from './test-app';

export type WebAgent = ReturnType<typeof request.agent>;

/** The CSRF token of the (first) form on a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('The page has no CSRF field');
  return match[1];
}

/** A browser-like client: keeps cookies and asks for HTML. */
export function webAgent(t: TestApp): WebAgent {
  return request.agent(t.http).set('Accept', 'text/html,application/xhtml+xml');
}

/** Fetches a page and posts its form with these fields (and the page's CSRF token). */
export async function submitForm(
  agent: WebAgent,
  pagePath: string,
  fields: Record<string, string | string[]>,
  action = pagePath,
) {
  const page = await agent.get(pagePath);
  if (page.status !== 200) throw new Error(`GET ${pagePath} answered ${page.status}`);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

/** Signs in through the pages: email form, the mailed link, its Continue button. */
export async function webSignIn(t: TestApp, smtp: SmtpTestServer, email: string): Promise<WebAgent> {
  const agent = webAgent(t);
  const before = smtp.to(email).length;
  const asked = await submitForm(agent, '/sign-in', { email });
  if (asked.status !== 303) throw new Error(`POST /sign-in answered ${asked.status}`);
  // Other mail (notices of bookings and outcomes) may arrive meanwhile: take the sign-in link.
  const linkMail = () =>
    smtp
      .to(email)
      .slice(before)
      .find((m) => LINK_PATTERN.test(String(m.text)));
  await smtp.waitFor(() => linkMail() !== undefined);
  const token = String(linkMail()!.text).match(LINK_PATTERN)![1];
  const done = await submitForm(agent, `/sign-in/verify?token=${token}`, { token }, '/sign-in/verify');
  if (done.status !== 303) throw new Error(`POST /sign-in/verify answered ${done.status}`);
  return agent;
}

/** The session cookie's value in an agent's cookie jar. */
export function sessionCookieOf(agent: WebAgent): string {
  const jar = (agent as unknown as { jar: { getCookies(info: object): Array<{ name: string; value: string }> } }).jar;
  const cookie = jar
    .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
    .find((c) => c.name === 'thresholds_session');
  if (!cookie) throw new Error('No session cookie');
  return cookie.value;
}
