import type { CookieOptions, Response } from 'express';
import { sessionCookieName } from '../auth/access.guard';
import { AppConfig } from '../config/app-config';

/** Where to return after signing in (a page path; see safeReturnPath). */
export const RETURN_TO_COOKIE = 'thresholds_return_to';

/**
 * The session cookie of the pages: HttpOnly (no script can read it), SameSite=Lax (not sent
 * with cross-site form posts or sub-requests, still sent when a link in an e-mail is followed),
 * Secure and named with the `__Host-` prefix in production. It expires with the session's absolute lifetime; the idle timeout is
 * enforced by the server (SessionsService).
 */
function sessionCookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' };
}

export function setSessionCookie(res: Response, config: AppConfig, token: string, expiresAt: Date): void {
  res.cookie(sessionCookieName(config), token, { ...sessionCookieOptions(config), expires: expiresAt });
}

export function clearSessionCookie(res: Response, config: AppConfig): void {
  res.clearCookie(sessionCookieName(config), sessionCookieOptions(config));
}

export function setReturnTo(res: Response, config: AppConfig, path: string): void {
  res.cookie(RETURN_TO_COOKIE, path, { ...sessionCookieOptions(config), maxAge: 60 * 60_000 });
}

export function clearReturnTo(res: Response, config: AppConfig): void {
  res.clearCookie(RETURN_TO_COOKIE, sessionCookieOptions(config));
}

/**
 * The state of a sign-in begun at a provider, kept by the browser that began it: the callback
 * must come back to the same browser (login CSRF). `__Host-` prefixed in production.
 */
export function ssoStateCookieName(config: AppConfig): string {
  return config.isProduction ? '__Host-thresholds_sso_state' : 'thresholds_sso_state';
}

export function setSsoState(res: Response, config: AppConfig, state: string): void {
  res.cookie(ssoStateCookieName(config), state, { ...sessionCookieOptions(config), maxAge: 10 * 60_000 });
}

export function clearSsoState(res: Response, config: AppConfig): void {
  res.clearCookie(ssoStateCookieName(config), sessionCookieOptions(config));
}
