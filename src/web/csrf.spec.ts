import type { Request } from 'express';
import { requiresCsrfCheck } from './csrf';

const req = (method: string, path: string, opts: { bearer?: boolean; cookie?: boolean } = {}) =>
  ({
    method,
    path,
    headers: opts.bearer ? { authorization: 'Bearer abc' } : {},
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
