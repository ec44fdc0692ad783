import { Injectable, Logger } from '@nestjs/common';
import { IsNull, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { normaliseEmail } from '../common/email-address';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { DirectoryService } from '../directory/directory.service';
import { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import { hashToken, looksLikeToken, newSecretToken } from './secret-token';
import { SessionsService } from './sessions.service';
import { Metrics, SignInRefusal } from '../observability/metrics';
import { Session } from './session.entity';
import { SignInToken } from './sign-in-token.entity';

export interface SignedIn {
  accessToken: string;
  session: Session;
  user: User;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly directory: DirectoryService,
    private readonly sessions: SessionsService,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Mails a single-use link to an active user, or to an address whose domain belongs to an
   * agency (a first sign-in). Says nothing either way, so no one can learn who has an account.
   */
  async requestLink(rawEmail: string): Promise<void> {
    const email = normaliseEmail(rawEmail);
    this.metrics.signInAttempts.inc({ step: 'link-request' });
    const refused = await this.tx.write(async (m): Promise<SignInRefusal | null> => {
      const user = await this.directory.findUserByEmail(m, email);
      const eligible = user ? user.canSignIn : (await this.directory.findAgencyForEmail(m, email)) !== null;
      await this.audit.record(m, {
        action: eligible ? 'auth.link-sent' : 'auth.link-refused',
        entityType: user ? 'user' : undefined,
        entityId: user?.id,
        actorUserId: user?.id ?? null,
        details: eligible ? undefined : { reason: user ? 'user disabled' : 'unknown address' },
      });
      if (!eligible) return user ? 'user-disabled' : 'unknown-address';

      const token = newSecretToken();
      const expiresAt = new Date(this.clock.now().getTime() + this.config.SIGN_IN_LINK_MINUTES * 60_000);
      await m.insert(
        SignInToken,
        m.create(SignInToken, { tokenHash: hashToken(token), email, expiresAt, usedAt: null }),
      );
      const url = `${this.config.publicUrl}/sign-in/verify?token=${token}`;
      await this.outbox.enqueue(m, {
        kind: 'sign-in-link',
        to: email,
        subject: `Sign in to ${this.config.PARTNERSHIP_NAME} Thresholds and Referrals`,
        containsSecret: true,
        content: {
          greeting: user ? `Hello ${user.name},` : 'Hello,',
          paragraphs: [
            `Use the link below to sign in. It works once and expires in ${this.config.SIGN_IN_LINK_MINUTES} minutes.`,
            'If you did not ask to sign in, you can ignore this email.',
          ],
          action: { label: 'Sign in', url },
        },
      });
      return null;
    });
    if (refused) this.metrics.signInRefusals.inc({ reason: refused });
  }

  /** Exchanges a sign-in token for a session. Used, expired and unknown tokens all fail alike. */
  async exchange(token: string): Promise<SignedIn> {
    this.metrics.signInAttempts.inc({ step: 'token-exchange' });
    const outcome = await this.tryExchange(token).catch(async (err) => {
      // Two first sign-ins for one new address race on the unique e-mail index: the loser
      // simply tries again and finds the winner's account.
      if (isUniqueViolation(err)) return this.tryExchange(token);
      throw err;
    });
    if (!outcome) {
      this.metrics.signInRefusals.inc({ reason: 'invalid-token' });
      await this.tx.write((m) => this.audit.record(m, { action: 'auth.sign-in-failed', actorUserId: null }));
      throw new DomainError(
        401,
        'INVALID_TOKEN',
        'This sign-in link has expired or has already been used. Ask for a new one.',
      );
    }
    return outcome;
  }

  private tryExchange(token: string): Promise<SignedIn | null> {
    if (!looksLikeToken(token)) return Promise.resolve(null);
    return this.tx.write(async (m) => {
      const now = this.clock.now();
      const link = await m.findOneBy(SignInToken, { tokenHash: hashToken(token) });
      if (!link) return null;
      // Spend the token atomically: of two parallel uses exactly one updates the row.
      const spent = await m.update(
        SignInToken,
        { id: link.id, usedAt: IsNull(), expiresAt: MoreThan(now) },
        { usedAt: now },
      );
      if (spent.affected !== 1) return null;

      const user =
        (await this.directory.findUserByEmail(m, link.email)) ??
        (await this.directory.registerProfessional(m, link.email));
      if (!user || !user.canSignIn) return null;
      const { token: accessToken, session } = await this.sessions.create(m, user);
      await this.audit.record(m, {
        action: 'auth.signed-in',
        entityType: 'user',
        entityId: user.id,
        actorUserId: user.id,
      });
      return { accessToken, session, user };
    });
  }

  async signOut(session: Session): Promise<void> {
    await this.tx.write(async (m) => {
      await this.sessions.revoke(m, session.id);
      await this.audit.record(m, {
        action: 'auth.signed-out',
        entityType: 'user',
        entityId: session.userId,
        actorUserId: session.userId,
      });
    });
  }
}
