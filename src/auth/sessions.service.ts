import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
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
  ) {}

  onModuleInit(): void {
    this.lifecycle.onDeactivated((m, userId) => this.revokeAllForUser(m, userId));
  }

  async create(m: EntityManager, user: User): Promise<{ token: string; session: Session }> {
    const token = newSecretToken();
    const now = this.clock.now();
    const session = m.create(Session, {
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt: new Date(now.getTime() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000),
      lastSeenAt: now,
      revokedAt: null,
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
}
