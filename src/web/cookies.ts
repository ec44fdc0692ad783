import { sessionCookieName } from '../auth/access.guard';
import { AppConfig } from '../config/app-config';
import { RETURN_TO_COOKIE, ssoStateCookieName } from './session-cookie';

/** One cookie the service sets, as the cookies page explains it. */
export interface ServiceCookie {
  name: string;
  purpose: string;
  expires: string;
}

/** The CSRF cookie's name: `__Host-` (bound to this host, HTTPS only) in production. */
export function csrfCookieName(config: AppConfig): string {
  return config.isProduction ? '__Host-thresholds.csrf' : 'thresholds_csrf';
}

/**
 * Every cookie the service sets: the one list the cookies page shows and
 * test/cookies.e2e-spec.ts checks every Set-Cookie header against. All are strictly necessary
 * (no consent is asked); there are no analytics or third-party cookies.
 */
export function serviceCookies(config: AppConfig): ServiceCookie[] {
  return [
    {
      name: sessionCookieName(config),
      purpose: 'Keeps you signed in. It holds a random code, never your name or email address.',
      expires: `When you sign out, after ${config.SESSION_IDLE_MINUTES} minutes without using the service, or ${config.SESSION_ABSOLUTE_HOURS} hours after you signed in`,
    },
    {
      name: csrfCookieName(config),
      purpose: 'Checks that a form you send was sent from this service, to protect you from forged requests.',
      expires: 'When you close your browser',
    },
    {
      name: RETURN_TO_COOKIE,
      purpose: 'Remembers the page you asked for while you sign in, so you can go back to it.',
      expires: 'After 1 hour, or when you have signed in',
    },
    {
      name: ssoStateCookieName(config),
      purpose:
        'Checks that signing in with your organisation’s account comes back to the browser that started it. It holds a random code.',
      expires: 'After 10 minutes, or when you have signed in',
    },
  ];
}
