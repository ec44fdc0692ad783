import fs from 'node:fs';
import { join, resolve } from 'node:path';
import express from 'express';
import { govukFrontendDist, isPageRoute, safeReturnPath, viewsDir, wantsHtml } from './web-paths';

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
    // 500 characters at most.
    const longest = '/admin/audit?action=' + 'a'.repeat(480);
    expect(safeReturnPath(longest)).toBe(longest);
    expect(safeReturnPath(longest + 'a')).toBeNull();
    expect(safeReturnPath('/sign-in/check-email')).toBeNull();
    expect(safeReturnPath('/sign-out')).toBeNull();
    expect(safeReturnPath('/health')).toBeNull();
    expect(safeReturnPath('/sign-out/done')).toBeNull();
    expect(safeReturnPath('/help/sign-out')).toBe('/help/sign-out');
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

describe('where the pages come from', () => {
  it('finds the views folder and GOV.UK Frontend’s templates', () => {
    expect(fs.existsSync(join(viewsDir(), 'layout.njk'))).toBe(true);
    expect(fs.existsSync(join(govukFrontendDist(), 'govuk', 'template.njk'))).toBe(true);
  });

  describe('wherever the code runs from', () => {
    // This spec runs from src/web; the build runs from dist/src/web, one folder deeper.
    const fromSource = resolve(__dirname, '../../views');
    const fromBuild = resolve(__dirname, '../../../views');
    const withLayoutIn = (dirs: string[]) =>
      jest.spyOn(fs, 'existsSync').mockImplementation((p) => dirs.some((dir) => p === join(dir, 'layout.njk')));
    afterEach(() => jest.restoreAllMocks());

    it('takes the folder that holds layout.njk, two or three levels up', () => {
      withLayoutIn([fromSource, fromBuild]);
      expect(viewsDir()).toBe(fromSource);
      withLayoutIn([fromBuild]);
      expect(viewsDir()).toBe(fromBuild);
    });

    it('says where it looked when neither has it', () => {
      withLayoutIn([]);
      expect(() => viewsDir()).toThrow(
        new Error(`The views folder was not found (looked in ${fromSource}, ${fromBuild})`),
      );
    });
  });

  it('answers with a page only a browser asking for HTML on a page route', () => {
    // express's own request object, so `accepts` and `path` behave as in the service.
    const req = (url: string, accept: string) =>
      Object.assign(Object.create(express.request) as express.Request, { url, headers: { accept } });
    expect(wantsHtml(req('/meetings', 'text/html,application/xhtml+xml,*/*;q=0.8'))).toBe(true);
    expect(wantsHtml(req('/meetings', 'application/json'))).toBe(false);
    expect(wantsHtml(req('/meetings', '*/*'))).toBe(false);
    expect(wantsHtml(req('/api/meetings', 'text/html'))).toBe(false);
    expect(wantsHtml(req('/calendar/abc.ics', 'text/html'))).toBe(false);
  });
});
