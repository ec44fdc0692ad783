import cookieParser from 'cookie-parser';
import express, { type Request } from 'express';
import request from 'supertest';
import { SESSION_COOKIE } from '../auth/access.guard';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { CSRF_FIELD, csrfMiddleware, csrfRefused, requiresCsrfCheck } from './csrf';

const TOKEN = 'A'.repeat(43);
const req = (method: string, path: string, opts: { bearer?: boolean | string; cookie?: boolean } = {}) =>
  ({
    method,
    path,
    headers: opts.bearer ? { authorization: typeof opts.bearer === 'string' ? opts.bearer : `Bearer ${TOKEN}` } : {},
    cookies: opts.cookie ? { thresholds_session: 'x' } : {},
  }) as unknown as Request;

describe('which requests need a CSRF token', () => {
  it('never safe methods', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(requiresCsrfCheck(req(method, '/book/check', { cookie: true }))).toBe(false);
  });

  it('every form of the pages, signed in or not (sign-in too)', () => {
    expect(requiresCsrfCheck(req('POST', '/sign-in'))).toBe(true);
    expect(requiresCsrfCheck(req('POST', '/book/check', { cookie: true }))).toBe(true);
  });

  it('API requests only when the session cookie is what would authorise them', () => {
    expect(requiresCsrfCheck(req('POST', '/api/me/calendar-feed', { cookie: true }))).toBe(true);
    expect(requiresCsrfCheck(req('PATCH', '/api/me', { cookie: true }))).toBe(true);
    expect(requiresCsrfCheck(req('POST', '/api/me/calendar-feed', { bearer: true, cookie: true }))).toBe(false);
    expect(requiresCsrfCheck(req('POST', '/api/auth/sign-in'))).toBe(false);
    expect(requiresCsrfCheck(req('DELETE', '/api/me/calendar-feed', { bearer: true }))).toBe(false);
  });

  it('counts /api itself as the API, but not a page whose path merely starts with it', () => {
    expect(requiresCsrfCheck(req('POST', '/api'))).toBe(false);
    expect(requiresCsrfCheck(req('POST', '/api', { cookie: true }))).toBe(true);
    expect(requiresCsrfCheck(req('POST', '/apiary'))).toBe(true);
  });

  it('the production session cookie (__Host-) counts as a session cookie too', () => {
    const withSecureCookie = {
      method: 'PATCH',
      path: '/api/me',
      headers: {},
      cookies: { '__Host-thresholds_session': 'x' },
    } as unknown as Request;
    expect(requiresCsrfCheck(withSecureCookie)).toBe(true);
    expect(requiresCsrfCheck({ ...withSecureCookie, cookies: { other: 'x' } } as unknown as Request)).toBe(false);
  });
});

describe('only a request that really authenticates by bearer skips the check', () => {
  it('a well-formed bearer token in any case of the scheme skips it', () => {
    expect(requiresCsrfCheck(req('POST', '/api/me/calendar-feed', { bearer: `bearer ${TOKEN}`, cookie: true }))).toBe(
      false,
    );
    expect(requiresCsrfCheck(req('POST', '/api/me/calendar-feed', { bearer: `BEARER ${TOKEN}`, cookie: true }))).toBe(
      false,
    );
  });

  it('a header that is not a usable bearer token, with the session cookie, is checked', () => {
    for (const header of ['bearer x', 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${TOKEN} extra`, 'Bearer'])
      expect([
        header,
        requiresCsrfCheck(req('POST', '/api/me/calendar-feed', { bearer: header, cookie: true })),
      ]).toEqual([header, true]);
  });
});

describe('the CSRF middleware, on a bare express app', () => {
  // express, cookie-parser and supertest in memory: the same middleware the service mounts.
  const appWith = (config: Partial<AppConfig>) => {
    const app = express();
    app.use(cookieParser());
    app.use(express.urlencoded({ extended: false }));
    app.use(csrfMiddleware(Object.assign(new AppConfig(), { WEB_CSRF_SECRET: 's'.repeat(32) }, config)));
    app.get('/form', (req, res) => {
      res.json({ token: (req as unknown as { csrfToken(): string }).csrfToken() });
    });
    app.post(['/form', '/api/me'], (_req, res) => {
      res.json({ ok: true });
    });
    app.use((err: DomainError, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.statusCode).json({ code: err.code, message: err.message });
    });
    return app;
  };

  /** A page's form token, minted for the given session cookie. */
  async function formToken(app: express.Express, session: string) {
    const res = await request(app).get('/form').set('Cookie', `${SESSION_COOKIE}=${session}`).expect(200);
    const cookie = [res.headers['set-cookie']].flat().find((c) => c.startsWith('thresholds_csrf='))!;
    return { token: res.body.token as string, cookie: cookie.split(';')[0] };
  }

  it('lets a form through with its token, in the field or the header, and refuses it without', async () => {
    const app = appWith({});
    const { token, cookie } = await formToken(app, 'session-1');
    const jar = `${SESSION_COOKIE}=session-1; ${cookie}`;
    await request(app)
      .post('/form')
      .set('Cookie', jar)
      .type('form')
      .send({ [CSRF_FIELD]: token })
      .expect(200);
    await request(app).post('/form').set('Cookie', jar).set('x-csrf-token', token).expect(200);
    const refused = await request(app).post('/form').set('Cookie', jar).type('form').send({ other: 'x' }).expect(403);
    expect(refused.body).toEqual({ code: 'CSRF_FAILED', message: csrfRefused().message });
    expect(refused.body.message).toMatch(/reload the page/);
  });

  it('refuses a token minted for another session (bound to the session cookie)', async () => {
    const app = appWith({});
    const { token, cookie } = await formToken(app, 'session-1');
    await request(app)
      .post('/form')
      .set('Cookie', `${SESSION_COOKIE}=session-2; ${cookie}`)
      .type('form')
      .send({ [CSRF_FIELD]: token })
      .expect(403);
  });

  it('binds a form opened without a session to no session, as an empty session cookie is', async () => {
    const app = appWith({});
    const res = await request(app).get('/form').expect(200);
    const cookie = [res.headers['set-cookie']].flat().find((c) => c.startsWith('thresholds_csrf='))!;
    const token = res.body.token as string;
    await request(app)
      .post('/form')
      .set('Cookie', `${SESSION_COOKIE}=; ${cookie.split(';')[0]}`)
      .type('form')
      .send({ [CSRF_FIELD]: token })
      .expect(200);
    await request(app)
      .post('/form')
      .set('Cookie', `${SESSION_COOKIE}=session-1; ${cookie.split(';')[0]}`)
      .type('form')
      .send({ [CSRF_FIELD]: token })
      .expect(403);
  });

  it('lets an API client with a bearer token through without one', async () => {
    const app = appWith({});
    await request(app).post('/api/me').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    await request(app).post('/api/me').set('Cookie', `${SESSION_COOKIE}=s`).expect(403);
  });

  it('sets its cookie HttpOnly and SameSite=Lax, Secure with the __Host- prefix in production only', async () => {
    const dev = (await request(appWith({})).get('/form').expect(200)).headers['set-cookie'][0];
    expect(dev).toMatch(/^thresholds_csrf=.*; Path=\/; HttpOnly; SameSite=Lax$/);
    const prod = (
      await request(appWith({ NODE_ENV: 'production' }))
        .get('/form')
        .expect(200)
    ).headers['set-cookie'][0];
    expect(prod).toMatch(/^__Host-thresholds\.csrf=.*; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });
});
