import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Request } from 'express';

/**
 * The top-level `views/` folder, found from this file whether it runs from `src/web` (ts-node,
 * jest) or from `dist/src/web` (the build).
 */
export function viewsDir(): string {
  const candidates = [resolve(__dirname, '../../views'), resolve(__dirname, '../../../views')];
  const found = candidates.find((dir) => existsSync(join(dir, 'layout.njk')));
  if (!found) throw new Error(`The views folder was not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** node_modules/govuk-frontend/dist: its `govuk/` folder holds the templates, the CSS, the JS and the assets. */
export function govukFrontendDist(): string {
  return join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
}

/**
 * Requests answered by the pages: everything except the JSON API, the calendar feeds and the
 * health check. Their errors are pages too, when the client asks for HTML (browsers do; curl and
 * API clients get the JSON error shape).
 */
export function isPageRoute(path: string): boolean {
  return !(path === '/api' || path.startsWith('/api/') || path.startsWith('/calendar/') || path === '/health');
}

export function wantsHtml(req: Request): boolean {
  return isPageRoute(req.path) && req.accepts(['json', 'html']) === 'html';
}

/**
 * Where to go back to after signing in: a page path on this service only (no scheme, no host,
 * no `//`), and never the sign-in pages themselves.
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  if (!/^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(value)) return null;
  const path = value.split('?')[0];
  if (!isPageRoute(path) || path.startsWith('/sign-in') || path.startsWith('/sign-out') || path.startsWith('/assets'))
    return null;
  return value;
}
