import { isPageRoute, safeReturnPath } from './web-paths';

describe('web paths', () => {
  it('treats everything but the API, the calendar feeds and the health check as pages', () => {
    for (const path of ['/', '/sign-in', '/calendar', '/meetings/x', '/admin/audit'])
      expect(isPageRoute(path)).toBe(true);
    for (const path of ['/api', '/api/me', '/calendar/abc.ics', '/calendar/series/x.ics', '/health'])
      expect(isPageRoute(path)).toBe(false);
  });

  it('returns after sign-in only to a page of this service', () => {
    expect(safeReturnPath('/bookings/3f0c4b8e-1c9a-4a53-9a57-6a3f7c1e9d10')).toBe(
      '/bookings/3f0c4b8e-1c9a-4a53-9a57-6a3f7c1e9d10',
    );
    expect(safeReturnPath('/admin/audit?action=auth.&from-day=1')).toBe('/admin/audit?action=auth.&from-day=1');
    for (const bad of [
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      'javascript:alert(1)',
      '/api/me',
      '/calendar/token.ics',
      '/sign-in/verify?token=abc',
      '/sign-out',
      '/assets/x.css',
      '/x\r\nSet-Cookie: a=b',
      '/' + 'a'.repeat(600),
      undefined,
      42,
    ]) {
      expect(safeReturnPath(bad)).toBeNull();
    }
  });
});
