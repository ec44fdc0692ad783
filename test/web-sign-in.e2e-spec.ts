import request from 'supertest';
import { TransactionRunner } from '../src/database/transaction-runner';
import { hashToken } from '../src/auth/secret-token';
import { Session } from '../src/auth/session.entity';
import { setUpPartnership } from './support/fixtures';
import { bearer, LINK_PATTERN } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, sessionCookieOf, submitForm, webAgent, webSignIn } from './support/web';

/** Every Set-Cookie header of a response, joined. */
const cookiesOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).join(';');

describe('web pages: sign-in, sessions, CSRF and errors', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const mailedToken = async (email: string, before: number) => {
    const linkMail = () =>
      smtp
        .to(email)
        .slice(before)
        .find((m) => LINK_PATTERN.test(String(m.text)));
    await smtp.waitFor(() => linkMail() !== undefined);
    return String(linkMail()!.text).match(LINK_PATTERN)![1];
  };

  it('signs in from the mailed link: GET only shows a button, POST spends the token and sets an HttpOnly, SameSite=Lax cookie', async () => {
    const agent = webAgent(t);
    const email = 'dsl@riverside.sch.uk';
    const before = smtp.to(email).length;
    const asked = await submitForm(agent, '/sign-in', { email: 'DSL@Riverside.sch.uk ' });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/sign-in/check-email');
    const token = await mailedToken(email, before);

    // A mail scanner fetching the link twice does not use it up.
    const scanned = await request(t.http).get(`/sign-in/verify?token=${token}`).expect(200);
    expect(scanned.text).toContain('Continue');
    expect(cookiesOf(scanned)).not.toContain('thresholds_session');
    const page = await agent.get(`/sign-in/verify?token=${token}`).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');

    const done = await agent
      .post('/sign-in/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), token })
      .expect(303);
    expect(done.headers.location).toBe('/home');
    const cookie = (done.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('thresholds_session='),
    )!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // NODE_ENV=test: plain HTTP
    expect(cookie).toMatch(/Expires=/);
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('Riverside Academy');

    // Used once: the same link again says so, and signs nobody in.
    const again = await submitForm(webAgent(t), `/sign-in/verify?token=${token}`, { token }, '/sign-in/verify');
    expect(again.status).toBe(400);
    expect(again.text).toContain('This sign-in link has expired or has been used');
    expect(cookiesOf(again)).not.toContain('thresholds_session=');
  });

  it('asks for an email address with GOV.UK error messages, and says nothing about who has an account', async () => {
    const agent = webAgent(t);
    const missing = await submitForm(agent, '/sign-in', { email: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('govuk-error-summary');
    expect(missing.text).toContain('<a href="#email">Enter your work email address</a>');
    expect(missing.text).toMatch(/<title>Error: Sign in/);
    const wrong = await submitForm(agent, '/sign-in', { email: 'not an address' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Enter an email address in the correct format');
    expect(wrong.text).toContain('value="not an address"');
    const tooLong = await submitForm(agent, '/sign-in', { email: `${'a'.repeat(250)}@riverside.sch.uk` });
    expect(tooLong.status).toBe(400);
    const unknown = await submitForm(agent, '/sign-in', { email: 'someone@unknown.example' });
    expect(unknown.status).toBe(303);
    expect(unknown.headers.location).toBe('/sign-in/check-email');
  });

  it('refuses forms without a valid CSRF token (403 page), including sign-in', async () => {
    const agent = webAgent(t);
    await agent.get('/sign-in').expect(200);
    const none = await agent.post('/sign-in').type('form').send({ email: 'dsl@riverside.sch.uk' }).expect(403);
    expect(none.text).toContain('This form could not be sent');
    expect(none.text).toContain('govuk-template');
    await agent
      .post('/sign-in')
      .type('form')
      .send({ email: 'dsl@riverside.sch.uk', _csrf: 'forged.token' })
      .expect(403);

    // A real token from another browser does not work here (it is bound to that browser's cookie).
    const other = webAgent(t);
    const otherToken = csrfFrom((await other.get('/sign-in')).text);
    await agent.post('/sign-in').type('form').send({ email: 'dsl@riverside.sch.uk', _csrf: otherToken }).expect(403);

    // A token minted before sign-in is refused after it: it is bound to the session.
    const signedIn = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    const page = await signedIn.get('/sign-out').expect(200);
    const stale = await signedIn.post('/sign-out').type('form').send({ _csrf: otherToken }).expect(403);
    expect(stale.text).toContain('This form could not be sent');
    await signedIn
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
  });

  it('lets API clients with a Bearer token work without CSRF, and never lets the cookie change anything through /api without it', async () => {
    const agent = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    // Reading through the API with the cookie is fine (GET is safe)...
    const me = await agent.get('/api/me').set('Accept', 'application/json').expect(200);
    expect(me.body.email).toBe('health.visitor@health.nhs.test');
    // ...changing anything with the cookie alone is not.
    const refused = await agent.post('/api/me/calendar-feed').set('Accept', 'application/json').expect(403);
    expect(refused.body).toEqual({ statusCode: 403, code: 'CSRF_FAILED', message: expect.any(String) });
    const patched = await agent
      .patch('/api/me')
      .set('Accept', 'application/json')
      .send({ name: 'Mallory' })
      .expect(403);
    expect(patched.body.code).toBe('CSRF_FAILED');
    // With the page's token in the header, a same-origin script could (nothing here does).
    const token = csrfFrom((await agent.get('/calendar')).text);
    await agent.post('/api/me/calendar-feed').set('x-csrf-token', token).expect(201);

    // Bearer clients: no CSRF token, as before.
    const { accessToken } = (
      await request(t.http)
        .post('/api/auth/token')
        .send({
          token: await (async () => {
            const before = smtp.to('health.visitor@health.nhs.test').length;
            await request(t.http)
              .post('/api/auth/sign-in')
              .send({ email: 'health.visitor@health.nhs.test' })
              .expect(202);
            return mailedToken('health.visitor@health.nhs.test', before);
          })(),
        })
        .expect(201)
    ).body;
    await request(t.http).post('/api/me/calendar-feed').set(bearer(accessToken)).expect(201);
    // A Bearer request carrying a stray session cookie still needs no token: the Bearer header is what authenticates it.
    await request(t.http)
      .post('/api/me/calendar-feed')
      .set(bearer(accessToken))
      .set('Cookie', 'thresholds_session=whatever')
      .expect(201);
  });

  it('sends signed-out visitors to sign in, and back to the page they asked for afterwards', async () => {
    const agent = webAgent(t);
    const res = await agent.get('/bookings').expect(303);
    expect(res.headers.location).toBe('/sign-in');
    const email = 'dsl@riverside.sch.uk';
    const before = smtp.to(email).length;
    await submitForm(agent, '/sign-in', { email });
    const token = await mailedToken(email, before);
    const done = await submitForm(agent, `/sign-in/verify?token=${token}`, { token }, '/sign-in/verify');
    expect(done.headers.location).toBe('/bookings');
  });

  it('signs out: the session ends, the cookie is cleared, and the old cookie no longer works', async () => {
    const agent = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    const oldCookie = sessionCookieOf(agent);
    await request(t.http)
      .get('/home')
      .set('Accept', 'text/html')
      .set('Cookie', `thresholds_session=${oldCookie}`)
      .expect(200);
    const out = await submitForm(agent, '/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/signed-out');
    expect((out.headers['set-cookie'] as unknown as string[]).join(';')).toMatch(/thresholds_session=;/);
    await agent.get('/signed-out').expect(200);
    await agent.get('/home').expect(303);
    const replayed = await request(t.http)
      .get('/home')
      .set('Accept', 'text/html')
      .set('Cookie', `thresholds_session=${oldCookie}`)
      .expect(303);
    expect(replayed.headers.location).toBe('/sign-in');
    const revoked = await t.dataSource.getRepository(Session).findOneByOrFail({ tokenHash: hashToken(oldCookie) });
    expect(revoked.revokedAt).not.toBeNull();
  });

  it('shows 404 and other errors as pages for browsers, and keeps JSON for the API and other clients', async () => {
    const page = await webAgent(t).get('/no-such-page').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Page not found');
    expect(page.text).toContain('govuk-template');
    const malformed = await webAgent(t).get('/bookings/not-a-uuid').expect(303); // signed out: sign in first
    expect(malformed.headers.location).toBe('/sign-in');
    const api = await webAgent(t).get('/api/nothing-here').expect(404);
    expect(api.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
    const curl = await request(t.http).get('/no-such-page').expect(404);
    expect(curl.body.code).toBe('NOT_FOUND');
    const feed = await webAgent(t).get('/calendar/not-a-token.ics').expect(404);
    expect(feed.body.code).toBe('NOT_FOUND');
    // Unauthenticated API calls still get 401 JSON, not a redirect.
    await webAgent(t).get('/api/me').expect(401);
  });

  it('serves its own stylesheet (system fonts, no GOV.UK font or crown) and GOV.UK Frontend’s script, with a CSP that allows only this origin’s scripts and the page’s nonce', async () => {
    const home = await webAgent(t).get('/').expect(200);
    expect(home.text).toContain('<link rel="stylesheet" href="/assets/thresholds.min.css">');
    const css = await request(t.http).get('/assets/thresholds.min.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.text.includes('.govuk-header')).toBe(true);
    expect(/font-family:arial,sans-serif/.test(css.text)).toBe(true);
    expect(/GDS Transport|@font-face|\.woff/.exec(css.text)?.[0]).toBeUndefined();
    // Cached by its ETag.
    await request(t.http).get('/assets/thresholds.min.css').set('If-None-Match', css.headers.etag).expect(304);
    const js = await request(t.http).get('/assets/govuk-frontend.min.js').expect(200);
    expect(js.text).toContain('initAll');
    // GOV.UK's fonts, crown images and compiled stylesheet are GOV.UK's own: not served.
    for (const path of [
      '/assets/fonts/bold-b542beb274-v2.woff2',
      '/assets/images/govuk-crest.svg',
      '/assets/govuk-frontend.min.css',
      '/assets/govuk-frontend.min.js.map',
    ])
      await request(t.http).get(path).expect(404);

    const page = await webAgent(t).get('/').expect(200);
    const csp = page.headers['content-security-policy'];
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)![1];
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const scripts = page.text.match(/<script[^>]*>/g)!;
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A new nonce every time.
    const again = await webAgent(t).get('/').expect(200);
    expect(again.headers['content-security-policy']).not.toContain(nonce);
    // Swagger UI still loads.
    await request(t.http).get('/api/docs').expect(200);
  });
  it('shows an unexpected failure as the 500 page, without details', async () => {
    const other = await createTestApp();
    // Both connections gone: the write connection, and the read-only one the gateway reads through.
    await other.app.get(TransactionRunner).onApplicationShutdown();
    await other.dataSource.destroy();
    const res = await request(other.http)
      .get('/')
      .set('Accept', 'text/html')
      .set('Cookie', `thresholds_session=${'A'.repeat(43)}`)
      .expect(500);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Sorry, there is a problem with the service');
    expect(res.text).not.toMatch(/at .*\.js|node_modules|TypeORM|Error:/);
    await other.dataSource.initialize(); // so that close() can shut it down cleanly
    await other.close();
  });
  it('marks the cookies Secure in production, and names the session and CSRF cookies __Host-', async () => {
    const prodSmtp = await SmtpTestServer.start();
    const prod = await createTestApp({
      env: {
        NODE_ENV: 'production',
        SMTP_URL: prodSmtp.url,
        MASH_TELEPHONE: '01632 960 000',
        PUBLIC_URL: 'https://thresholds.test',
        BOOTSTRAP_COORDINATOR_EMAIL: 'boss@partnership.test',
      },
    });
    try {
      const page = await request(prod.http).get('/sign-in').set('Accept', 'text/html').expect(200);
      const csrfCookie = ([] as string[])
        .concat(page.headers['set-cookie'] as unknown as string[])
        .find((c) => c.startsWith('__Host-thresholds.csrf='))!;
      expect(csrfCookie).toMatch(/; Secure/i);
      expect(csrfCookie).toMatch(/HttpOnly/i);
      await request(prod.http).post('/api/auth/sign-in').send({ email: 'boss@partnership.test' }).expect(202);
      await prodSmtp.waitFor(() => prodSmtp.to('boss@partnership.test').length > 0);
      const token = String(prodSmtp.to('boss@partnership.test')[0].text).match(LINK_PATTERN)![1];
      const done = await request(prod.http)
        .post('/sign-in/verify')
        .set('Accept', 'text/html')
        .set('Cookie', csrfCookie.split(';')[0])
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token })
        .expect(303);
      const session = ([] as string[])
        .concat(done.headers['set-cookie'] as unknown as string[])
        .find((c) => c.startsWith('__Host-thresholds_session='))!;
      expect(session).toMatch(/; Secure/i);
      expect(session).toMatch(/HttpOnly/i);
      expect(session).toMatch(/SameSite=Lax/i);
      // __Host-: Path=/ and no Domain, or the browser refuses it.
      expect(session).toMatch(/; Path=\/(;|$)/);
      expect(session).not.toMatch(/Domain=/i);
      // The session works under that name, and only that name: a plain-named one (as a
      // neighbouring subdomain could set) is not read.
      const value = session.split(';')[0].split('=')[1];
      await request(prod.http).get('/account').set('Cookie', `__Host-thresholds_session=${value}`).expect(200);
      await request(prod.http)
        .get('/account')
        .set('Accept', 'text/html')
        .set('Cookie', `thresholds_session=${value}`)
        .expect((r) => expect(r.status).not.toBe(200));
      // And an API write with that cookie still needs the form's CSRF token.
      await request(prod.http)
        .patch('/api/me')
        .set('Cookie', `__Host-thresholds_session=${value}`)
        .send({ name: 'Boss' })
        .expect(403);
    } finally {
      await prod.close();
      await prodSmtp.stop();
    }
  });
});
