import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { bearerTokenFrom, hasSessionCookie, sessionCookieName } from '../auth/access.guard';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { csrfCookieName } from './cookies';

/** The hidden field every form carries. */
export const CSRF_FIELD = '_csrf';

/** The request really authenticates by bearer (see bearerTokenFrom): not merely a header saying so. */
function hasBearer(req: Request): boolean {
  return bearerTokenFrom(req).kind === 'token';
}

function isApi(req: Request): boolean {
  return req.path === '/api' || req.path.startsWith('/api/');
}

/**
 * Which requests must prove they come from one of our own forms: every state-changing request
 * (anything but GET, HEAD, OPTIONS) unless
 * - it authenticates with an `Authorization: Bearer` header (an API client: a browser never
 *   adds one by itself, so a forged cross-site request cannot carry it), or
 * - it is an API request without the session cookie (no ambient authority to abuse: the public
 *   sign-in endpoints, or a request that will be refused 401 anyway).
 * So the pages' forms, including sign-in, are always checked, and the session cookie can never
 * authorise a state change through /api without a token.
 */
export function requiresCsrfCheck(req: Request): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return false;
  if (hasBearer(req)) return false;
  const cookies = (req as { cookies?: Record<string, string> }).cookies ?? {};
  if (isApi(req) && !hasSessionCookie(cookies)) return false;
  return true;
}

export function csrfRefused(): DomainError {
  return new DomainError(
    403,
    'CSRF_FAILED',
    'This form has expired or did not come from this service. Go back, reload the page and try again.',
  );
}

/**
 * Double-submit CSRF protection (csrf-csrf): the token is an HMAC bound to the session cookie,
 * set in an HttpOnly cookie and repeated in each form's `_csrf` field (or an `x-csrf-token`
 * header). Must run after cookie-parser and the urlencoded body parser.
 */
export function csrfMiddleware(config: AppConfig): RequestHandler {
  const secret = config.WEB_CSRF_SECRET ?? randomBytes(32).toString('hex');
  const { doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    // Bound to the session: a token minted before sign-in (or for someone else) is refused after it.
    getSessionIdentifier: (req) =>
      (req as { cookies?: Record<string, string> }).cookies?.[sessionCookieName(config)] ?? '',
    // `__Host-` cookies need Secure, i.e. HTTPS: production only.
    cookieName: csrfCookieName(config),
    cookieOptions: { sameSite: 'lax', secure: config.isProduction, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      return typeof field === 'string' ? field : (req.headers['x-csrf-token'] as string | undefined);
    },
    skipCsrfProtection: (req) => !requiresCsrfCheck(req),
  });
  return (req: Request, res: Response, next: NextFunction) =>
    doubleCsrfProtection(req, res, (err?: unknown) => next(err ? csrfRefused() : undefined));
}
