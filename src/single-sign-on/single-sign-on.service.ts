import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, IsNull, LessThan, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SignedIn } from '../auth/auth.service';
import { hashToken } from '../auth/secret-token';
import { SessionsService } from '../auth/sessions.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { emailDomain, normaliseEmail } from '../common/email-address';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { DirectoryService } from '../directory/directory.service';
import { User } from '../directory/user.entity';
import { Metrics } from '../observability/metrics';
import { isUnreachable, OidcClient, VerifiedClaims } from './oidc-client';
import { SsoAttempt } from './sso-attempt.entity';
import { SsoIdentity } from './sso-identity.entity';
import { SsoProviderSettings } from './sso-providers';

/** How long a sign-in begun at a provider may take to come back. */
const ATTEMPT_MINUTES = 10;

/**
 * Why a sign-in with a provider was refused (audited; the person reads the wording of
 * `SSO_REFUSALS`). Never the address or the token.
 */
export const SSO_REFUSALS = {
  cancelled: 'You cancelled signing in, or the provider did not allow it.',
  'not-this-browser': 'This sign-in was started in another browser or has already been used. Start again.',
  'token-invalid': 'The provider’s answer could not be trusted, so you have not been signed in. Start again.',
  'provider-unavailable': 'The provider could not be reached. Try again in a few minutes, or use your email address.',
  'email-unverified': 'Your account at this provider has no verified work email address.',
  'domain-not-served': 'This provider does not sign in people with your email address. Use your email address instead.',
  'unknown-address':
    'Your email address does not belong to an agency of the partnership. Ask the partnership’s coordinator.',
  'user-disabled': 'Your account has been closed. Ask the partnership’s coordinator if you need it again.',
  'identity-conflict':
    'Your account here is already linked to a different account at this provider. Ask the partnership’s coordinator.',
} as const;
export type SsoRefusal = keyof typeof SSO_REFUSALS;

export class SsoSignInRefused extends DomainError {
  constructor(
    readonly reason: SsoRefusal,
    readonly providerName: string,
  ) {
    super(reason === 'provider-unavailable' ? 503 : 401, 'SSO_SIGN_IN_REFUSED', SSO_REFUSALS[reason], { reason });
  }
}

export interface SsoIdentityView {
  provider: string;
  providerName: string;
  linkedAt: Date;
  lastSignedInAt: Date;
}

export interface SsoProviderView {
  id: string;
  name: string;
  /** Open in the browser to sign in (the page answers with a redirect to the provider). */
  signInUrl: string;
}

/**
 * Sign-in with the organisation's own account (OpenID Connect), beside the e-mail link and with
 * the same rules: a person is matched by the provider's subject id once bound, else by a verified
 * e-mail address of an agency's domain the provider serves; a new person is pending until
 * approved (unless the provider's configuration approves their domain); a closed account cannot
 * sign in by either route. Sessions are the same as the e-mail link's.
 */
@Injectable()
export class SingleSignOnService {
  private readonly logger = new Logger(SingleSignOnService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly oidc: OidcClient,
    private readonly directory: DirectoryService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {}

  providers(): SsoProviderView[] {
    return this.config.ssoProviders.map((p) => ({
      id: p.id,
      name: p.name,
      signInUrl: `${this.config.publicUrl}/sign-in/with/${p.id}`,
    }));
  }

  provider(id: string): SsoProviderSettings {
    const found = this.config.ssoProviders.find((p) => p.id === id);
    if (!found) throw DomainError.notFound('That sign-in provider');
    return found;
  }

  /** Starts a sign-in: returns the provider's URL and the state the browser must keep. */
  async begin(providerId: string): Promise<{ url: string; state: string }> {
    const provider = this.provider(providerId);
    this.metrics.signInAttempts.inc({ step: 'sso-begin' });
    const request = await this.oidc.authorizationRequest(provider).catch((err: unknown) => {
      this.logger.warn(`Sign-in provider ${provider.id} unavailable: ${(err as Error).message}`);
      throw new SsoSignInRefused('provider-unavailable', provider.name);
    });
    const now = this.clock.now();
    await this.tx.write(async (m) => {
      // Sign-ins never finished are swept as new ones begin (they hold nothing once expired).
      await m.delete(SsoAttempt, { expiresAt: LessThan(now) });
      await m.insert(
        SsoAttempt,
        m.create(SsoAttempt, {
          stateHash: hashToken(request.state),
          provider: provider.id,
          nonce: request.nonce,
          codeVerifier: request.codeVerifier,
          expiresAt: new Date(now.getTime() + ATTEMPT_MINUTES * 60_000),
          usedAt: null,
        }),
      );
    });
    return { url: request.url.toString(), state: request.state };
  }

  /**
   * The provider's answer (the callback's query) in the browser that began the sign-in
   * (`browserState`, from its cookie). Spends the attempt first, so a replayed answer fails.
   */
  async complete(providerId: string, query: URLSearchParams, browserState: string | undefined): Promise<SignedIn> {
    const provider = this.provider(providerId);
    this.metrics.signInAttempts.inc({ step: 'sso-callback' });
    try {
      const attempt = await this.spend(provider, query.get('state'), browserState);
      if (query.has('error')) throw new SsoSignInRefused('cancelled', provider.name);
      const expected = { state: query.get('state')!, nonce: attempt.nonce, codeVerifier: attempt.codeVerifier };
      const claims = await this.oidc.callback(provider, query, expected).catch((err: unknown) => {
        if (err instanceof DomainError) throw err;
        const unreachable = isUnreachable(err);
        this.logger.warn(
          `Sign-in with ${provider.id} ${unreachable ? 'failed' : 'refused'}: ${(err as Error).message}`,
        );
        throw new SsoSignInRefused(unreachable ? 'provider-unavailable' : 'token-invalid', provider.name);
      });
      return await this.signIn(provider, claims).catch((err: unknown) => {
        // Two first sign-ins of one person race on the unique indexes: the loser finds the winner's rows.
        if (isUniqueViolation(err)) return this.signIn(provider, claims);
        throw err;
      });
    } catch (err) {
      if (err instanceof SsoSignInRefused) {
        this.metrics.signInRefusals.inc({ reason: `sso-${err.reason}` });
        await this.tx.write((m) =>
          this.audit.record(m, {
            action: 'auth.sso-refused',
            actorUserId: null,
            details: { provider: provider.id, reason: err.reason },
          }),
        );
      }
      throw err;
    }
  }

  private async spend(
    provider: SsoProviderSettings,
    state: string | null,
    browserState: string | undefined,
  ): Promise<SsoAttempt> {
    if (!state || !browserState || state !== browserState || state.length > 200) {
      throw new SsoSignInRefused('not-this-browser', provider.name);
    }
    return this.tx.write(async (m) => {
      const now = this.clock.now();
      const attempt = await m.findOneBy(SsoAttempt, { stateHash: hashToken(state), provider: provider.id });
      if (!attempt) throw new SsoSignInRefused('not-this-browser', provider.name);
      const spent = await m.update(
        SsoAttempt,
        { id: attempt.id, usedAt: IsNull(), expiresAt: MoreThan(now) },
        { usedAt: now },
      );
      if (spent.affected !== 1) throw new SsoSignInRefused('not-this-browser', provider.name);
      return attempt;
    });
  }

  private signIn(provider: SsoProviderSettings, claims: VerifiedClaims): Promise<SignedIn> {
    return this.tx.write(async (m) => {
      const now = this.clock.now();
      if (provider.hostedDomain && claims.hostedDomain !== provider.hostedDomain) {
        throw new SsoSignInRefused('domain-not-served', provider.name);
      }
      const identity = await m.findOneBy(SsoIdentity, { provider: provider.id, subject: claims.subject });
      const user = identity
        ? await m.findOneByOrFail(User, { id: identity.userId })
        : await this.linkByEmail(m, provider, claims);
      if (!user.canSignIn) throw new SsoSignInRefused('user-disabled', provider.name);
      // The provider vouches only for its domains, now as at the first sign-in: an address moved to
      // a domain it no longer serves (or never did) is not signed in through it.
      if (!provider.domains.includes(emailDomain(user.email))) {
        throw new SsoSignInRefused('domain-not-served', provider.name);
      }
      if (identity) await m.update(SsoIdentity, { id: identity.id }, { lastSignedInAt: now });
      const { token: accessToken, session } = await this.sessions.create(m, user, provider.id);
      await this.audit.record(m, {
        action: 'auth.signed-in',
        entityType: 'user',
        entityId: user.id,
        actorUserId: user.id,
        details: { provider: provider.id },
      });
      return { accessToken, session, user };
    });
  }

  /** The first sign-in with this provider: find or register the person by their verified address, and bind. */
  private async linkByEmail(m: EntityManager, provider: SsoProviderSettings, claims: VerifiedClaims): Promise<User> {
    if (!claims.email || !claims.emailVerified) throw new SsoSignInRefused('email-unverified', provider.name);
    const email = normaliseEmail(claims.email);
    const domain = emailDomain(email);
    if (!provider.domains.includes(domain)) throw new SsoSignInRefused('domain-not-served', provider.name);
    const user =
      (await this.directory.findUserByEmail(m, email)) ??
      (await this.directory.registerProfessional(m, email, {
        name: displayName(claims.name),
        autoApprove: provider.autoApproveDomains.includes(domain),
      }));
    if (!user) throw new SsoSignInRefused('unknown-address', provider.name);
    if (!user.canSignIn) throw new SsoSignInRefused('user-disabled', provider.name);
    const bound = await m.findOneBy(SsoIdentity, { provider: provider.id, userId: user.id });
    if (bound) throw new SsoSignInRefused('identity-conflict', provider.name);
    await m.insert(
      SsoIdentity,
      m.create(SsoIdentity, {
        provider: provider.id,
        subject: claims.subject,
        userId: user.id,
        lastSignedInAt: this.clock.now(),
      }),
    );
    await this.audit.record(m, {
      action: 'auth.sso-linked',
      entityType: 'user',
      entityId: user.id,
      actorUserId: user.id,
      details: { provider: provider.id },
    });
    return user;
  }

  /** A user's accounts at the providers (for coordinators: who is linked to what, and since when). */
  async identitiesOf(userId: string): Promise<SsoIdentityView[]> {
    const rows = await this.tx.read((m) => m.find(SsoIdentity, { where: { userId }, order: { provider: 'ASC' } }));
    return rows.map((r) => ({
      provider: r.provider,
      providerName: this.config.ssoProviders.find((p) => p.id === r.provider)?.name ?? r.provider,
      linkedAt: r.createdAt,
      lastSignedInAt: r.lastSignedInAt,
    }));
  }

  /**
   * Unlinks a user from their account at a provider (a coordinator, when it was recreated there
   * and the person is refused as "linked to a different account"): their next sign-in with it
   * links again by their verified address. Their sessions are not ended.
   */
  async unlink(userId: string, provider: string, actor: User): Promise<void> {
    await this.tx.write(async (m) => {
      const removed = await m.delete(SsoIdentity, { userId, provider });
      if (!removed.affected) throw DomainError.notFound('That link to a sign-in provider');
      await this.audit.record(m, {
        action: 'auth.sso-unlinked',
        entityType: 'user',
        entityId: userId,
        actorUserId: actor.id,
        details: { provider },
      });
    });
  }

  /** The provider a session came from, where signing out here offers signing out there too. */
  singleLogoutProvider(providerId: string | null): SsoProviderView | null {
    const provider = this.config.ssoProviders.find((p) => p.id === providerId);
    return provider?.singleLogout ? (this.providers().find((p) => p.id === provider.id) ?? null) : null;
  }

  /** The provider's end-session URL (RP-initiated logout), or null where it offers none. */
  async endSessionUrl(providerId: string): Promise<string | null> {
    const provider = this.config.ssoProviders.find((p) => p.id === providerId);
    if (!provider?.singleLogout) return null;
    return this.oidc.endSessionUrl(provider, `${this.config.publicUrl}/signed-out`).catch((err: unknown) => {
      this.logger.warn(`Single logout with ${provider.id} unavailable: ${(err as Error).message}`);
      return null;
    });
  }
}

/** The provider's display name for the person, tidied; null if it gives none usable. */
export function displayName(raw: string | null): string | null {
  const name = (raw ?? '').normalize('NFC').replace(/\p{C}/gu, '').replace(/\s+/g, ' ').trim();
  return name.length > 0 ? name.slice(0, 120) : null;
}
