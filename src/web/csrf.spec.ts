import type { Request } from 'express';
import { requiresCsrfCheck } from './csrf';

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
