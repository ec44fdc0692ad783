import request from 'supertest';
import { serviceCookies } from '../src/web/cookies';
import { ssoStateCookieName } from '../src/web/session-cookie';
import { setUpPartnership } from './support/fixtures';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { submitForm, webAgent } from './support/web';
import { LINK_PATTERN } from './support/sign-in';

/** The privacy notice and the cookies page, and the rule that no cookie is set that the page does not name. */
describe('privacy notice and cookies', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, RETENTION_CASE_TEXT_MONTHS: '18' } });
    await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('links both from the footer of every page, signed in or not', async () => {
    const start = await request(t.http).get('/').expect(200);
    expect(start.text).toContain('href="/privacy"');
    expect(start.text).toContain('href="/cookies"');
  });

  it('the privacy notice says how long case text is kept, from the configuration, and how to complain', async () => {
    const page = await request(t.http).get('/privacy').expect(200);
    expect(page.text).toContain('<h1 class="govuk-heading-l">Privacy notice</h1>');
    expect(page.text).toContain('erased 18 months after the meeting');
    expect(page.text).toContain('https://ico.org.uk/make-a-complaint/');
  });

  it('the cookies page names each cookie the service sets, and a whole sign-in sets no other', async () => {
    const declared = serviceCookies(t.config).map((c) => c.name);
    const page = await request(t.http).get('/cookies').expect(200);
    for (const name of declared) expect(page.text).toContain(`<code>${name}</code>`);

    // Walk a sign-in through the pages, from a page that needs it (return-to), collecting every Set-Cookie.
    const seen = new Set<string>();
    const collect = (res: request.Response) => {
      const header = res.headers['set-cookie'] as unknown as string[] | undefined;
      for (const line of header ?? []) seen.add(line.split('=')[0]);
      return res;
    };
    const agent = webAgent(t);
    collect(await agent.get('/bookings'));
    const email = 'dsl@riverside.sch.uk';
    const before = smtp.to(email).length;
    collect(await submitForm(agent, '/sign-in', { email }));
    await smtp.waitFor(() =>
      smtp
        .to(email)
        .slice(before)
        .some((m) => LINK_PATTERN.test(String(m.text))),
    );
    const mail = smtp
      .to(email)
      .slice(before)
      .find((m) => LINK_PATTERN.test(String(m.text)))!;
    const token = String(mail.text).match(LINK_PATTERN)![1];
    collect(await agent.get(`/sign-in/verify?token=${token}`));
    collect(await submitForm(agent, `/sign-in/verify?token=${token}`, { token }, '/sign-in/verify'));
    collect(await agent.get('/bookings'));
    collect(await submitForm(agent, '/sign-out', {}));

    // Each one is really used, too: all but the single sign-on state, which that journey sets
    // (test/single-sign-on.e2e-spec.ts checks its cookies against the same list).
    const byEmailLink = declared.filter((name) => name !== ssoStateCookieName(t.config));
    expect([...seen].sort()).toEqual(byEmailLink.sort());
    expect([...seen].filter((name) => !declared.includes(name))).toEqual([]);
  });
});
