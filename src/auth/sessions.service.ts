import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { UserLifecycle } from '../directory/user-lifecycle';
import { hashToken, looksLikeToken, newSecretToken } from './secret-token';
import { Session } from './session.entity';

/** How often a session's last-seen time is written: not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly lifecycle: UserLifecycle,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.lifecycle.onDeactivated((m, userId) => this.revokeAllForUser(m, userId));
  }

  async create(
    m: EntityManager,
    user: User,
    ssoProvider: string | null = null,
  ): Promise<{ token: string; session: Session }> {
    const token = newSecretToken();
    const now = this.clock.now();
    const session = m.create(Session, {
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt: new Date(now.getTime() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000),
      lastSeenAt: now,
      revokedAt: null,
      ssoProvider,
      // The service's clock, like lastSeenAt: "signed in at" on the sessions page.
      createdAt: now,
    });
    await m.insert(Session, session);
    return { token, session };
  }

  /** The live session and its active user for a bearer token, or null. */
  async authenticate(token: string): Promise<Session | null> {
    if (!looksLikeToken(token)) return null;
    const session = await this.tx.read((m) =>
      m.findOne(Session, {
        where: { tokenHash: hashToken(token) },
        relations: { user: { agency: true } },
      }),
    );
    const now = this.clock.now();
    if (!session || session.revokedAt || !session.user.canSignIn) return null;
    if (session.expiresAt <= now) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > this.config.SESSION_IDLE_MINUTES * 60_000) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.tx.write((tm) => tm.update(Session, { id: session.id }, { lastSeenAt: now }));
      session.lastSeenAt = now;
    }
    return session;
  }

  /** Seconds until the session ends if nothing more is done (idle or absolute, whichever comes first). */
  secondsLeft(session: Session): number {
    return Math.max(0, Math.floor((this.idleExpiry(session).getTime() - this.clock.now().getTime()) / 1000));
  }

  idleExpiry(session: Session): Date {
    return new Date(
      Math.min(session.expiresAt.getTime(), session.lastSeenAt.getTime() + this.config.SESSION_IDLE_MINUTES * 60_000),
    );
  }

  async revoke(m: EntityManager, sessionId: string): Promise<void> {
    await m.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  async revokeAllForUser(m: EntityManager, userId: string): Promise<void> {
    await m.update(Session, { userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** A person's sessions that still work (not ended, not expired, not idle too long), most recent first. */
  async live(userId: string): Promise<Session[]> {
    const now = this.clock.now();
    const sessions = await this.tx.read((m) =>
      m.find(Session, {
        where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
        order: { lastSeenAt: 'DESC' },
      }),
    );
    return sessions.filter((s) => this.idleExpiry(s) > now);
  }

  /**
   * Ends one of the person's own sessions (another device). 404 for a session that is not
   * theirs or has already ended, alike, so ids of others' sessions cannot be probed.
   */
  async endOwn(user: User, sessionId: string): Promise<void> {
    await this.tx.write(async (m) => {
      const ended = await m.update(
        Session,
        { id: sessionId, userId: user.id, revokedAt: IsNull() },
        { revokedAt: this.clock.now() },
      );
      if (!ended.affected) throw DomainError.notFound('The session');
      await this.audit.record(m, { action: 'session.ended', entityType: 'user', entityId: user.id });
    });
  }

  /** "Sign out everywhere else": every session of the person but the one asking. Returns how many ended. */
  async endOthers(user: User, current: Session): Promise<number> {
    return this.tx.write(async (m) => {
      const ended = await m.update(
        Session,
        { userId: user.id, revokedAt: IsNull(), id: Not(current.id) },
        { revokedAt: this.clock.now() },
      );
      const count = ended.affected ?? 0;
      await this.audit.record(m, {
        action: 'session.ended-others',
        entityType: 'user',
        entityId: user.id,
        details: { ended: count },
      });
      return count;
    });
  }

  /** A coordinator ends every session of someone (a lost laptop, a leaver): they must sign in again. */
  async endAllFor(userId: string): Promise<number> {
    return this.tx.write(async (m) => {
      if (!(await m.existsBy(User, { id: userId }))) throw DomainError.notFound('The user');
      const ended = await m.update(Session, { userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      const count = ended.affected ?? 0;
      await this.audit.record(m, {
        action: 'user.sessions-ended',
        entityType: 'user',
        entityId: userId,
        details: { ended: count },
      });
      return count;
    });
  }
}
