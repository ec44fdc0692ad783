import { AppConfig } from '../config/app-config';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { currentRequestContext } from '../common/request-context';
import type { Role } from '../directory/user.entity';
import { AuthenticatedRequest } from './current-user.decorator';
import { ALLOW_PENDING_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { SessionsService } from './sessions.service';

export const SESSION_COOKIE = 'thresholds_session';
/**
 * The session cookie's name in production: `__Host-` makes the browser accept it only from this
 * host over HTTPS, with Path=/ and no Domain, so a neighbouring subdomain cannot plant one.
 */
export const SECURE_SESSION_COOKIE = '__Host-thresholds_session';

export function sessionCookieName(config: { isProduction: boolean }): string {
  return config.isProduction ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** Whether a request carries a session cookie of either name (which requests need a CSRF check). */
export function hasSessionCookie(cookies: Record<string, string>): boolean {
  return Boolean(cookies[SESSION_COOKIE] || cookies[SECURE_SESSION_COOKIE]);
}

/**
 * The one reader of `Authorization: Bearer <token>` (the scheme in any case, as RFC 9110 says).
 * `{ absent }`: no Authorization header; `{ invalid }`: a header that is not a well-formed bearer token.
 * The CSRF check and the access guard both use it, so a request is treated as an API client's
 * exactly when it really authenticates by bearer.
 */
export type BearerHeader = { kind: 'absent' } | { kind: 'invalid' } | { kind: 'token'; token: string };

export function bearerTokenFrom(req: Pick<Request, 'headers'>): BearerHeader {
  const header = req.headers.authorization;
  if (header === undefined) return { kind: 'absent' };
  const match = /^Bearer[ \t]+([A-Za-z0-9_-]{43})[ \t]*$/i.exec(header);
  return match ? { kind: 'token', token: match[1] } : { kind: 'invalid' };
}

/**
 * The session token: the bearer token when an Authorization header is sent (never falling back to
 * the cookie, so a malformed header cannot ride on it), else the session cookie (web pages).
 */
export function sessionTokenFrom(req: AuthenticatedRequest, cookieName: string): string | null {
  const bearer = bearerTokenFrom(req);
  if (bearer.kind === 'invalid') return null;
  if (bearer.kind === 'token') return bearer.token;
  const cookies = (req as { cookies?: Record<string, string> }).cookies;
  return cookies?.[cookieName] ?? null;
}

/**
 * Every route needs a live session unless marked @Public(); @Roles() narrows it further.
 * A disabled user's sessions stop working on the next request.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = sessionTokenFrom(req, sessionCookieName(this.config));
    const session = token ? await this.sessions.authenticate(token) : null;
    if (!session) throw new DomainError(401, 'UNAUTHENTICATED', 'Sign in to continue.');
    req.user = session.user;
    req.authSession = session;
    // For the pages' timeout warning (res.locals reach every template).
    const res = context.switchToHttp().getResponse<{ locals?: Record<string, unknown> }>();
    if (res.locals) res.locals.sessionSecondsLeft = this.sessions.secondsLeft(session);
    const ctx = currentRequestContext();
    if (ctx) ctx.userId = session.user.id;

    if (!session.user.active && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_KEY, targets)) {
      throw accountPending();
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !session.user.hasRole(...roles)) throw DomainError.forbidden();
    return true;
  }
}

export function accountPending(): DomainError {
  return new DomainError(
    403,
    'ACCOUNT_PENDING',
    'Your account is waiting for approval by a coordinator or your agency’s safeguarding lead. You will get an email when it is approved.',
  );
}
