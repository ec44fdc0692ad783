import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DatabaseMaintenance } from '../database/database-maintenance';
import { TransactionRunner } from '../database/transaction-runner';
import { Metrics } from '../observability/metrics';
import { MailTransport, PermanentMailError } from './mail-transport';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxSignal } from './outbox-signal';

const BATCH_SIZE = 20;
const ERASED_BODY = '[removed after delivery: this message contained a sign-in link]';

/**
 * Delivers queued mail. Rows are claimed in a transaction (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, so several app instances never take the same row; SQLite has one writer) and held
 * under a lease: if this process dies mid-send, the lease runs out and another pass resends the
 * message with the same Message-ID. Failures are retried with exponential backoff and jitter
 * until MAIL_MAX_ATTEMPTS, then the message is marked `failed` and logged as an error.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly transport: MailTransport,
    private readonly maintenance: DatabaseMaintenance,
    private readonly metrics: Metrics,
    signal: OutboxSignal,
  ) {
    signal.listen(() => this.wake());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.MAIL_POLL_MS);
    this.timer.unref();
    this.wake();
  }

  /**
   * Shutdown (SIGTERM), before the database closes: no new pass starts, the message being sent is
   * finished and recorded, and the rest of the batch is handed back (queued, lease released,
   * the attempt not counted) so that the next instance sends each of them once, at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
    this.transport.close();
  }

  /** Starts a pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.logger.error(`Outbox pass failed: ${(err as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Sends everything that is due; resolves when the outbox has nothing due. Exposed for tests and scripts. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const batch = await this.claim();
      if (batch.length === 0) return;
      for (const [i, message] of batch.entries()) {
        if (this.stopped) return this.release(batch.slice(i));
        await this.deliver(message);
      }
    }
  }

  private async claim(): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.config.MAIL_LEASE_MS);
    return this.tx.write(async (m) => {
      const due = m
        .createQueryBuilder(OutboxMessage, 'o')
        .select('o.id')
        .where('(o.status = :queued AND o.nextAttemptAt <= :now) OR (o.status = :sending AND o.leaseUntil < :now)', {
          queued: 'queued',
          sending: 'sending',
          now,
        })
        .orderBy('o.priority', 'ASC')
        .addOrderBy('o.createdAt', 'ASC')
        .take(BATCH_SIZE);
      if (this.tx.isPostgres) due.setLock('pessimistic_write').setOnLocked('skip_locked');
      const ids = (await due.getMany()).map((o) => o.id);
      if (ids.length === 0) return [];
      await m
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status: 'sending', leaseUntil, attempts: () => 'attempts + 1' })
        .whereInIds(ids)
        .execute();
      return m.find(OutboxMessage, { where: { id: In(ids) }, order: { priority: 'ASC', createdAt: 'ASC' } });
    });
  }

  /** Hands claimed messages that were not tried back to the queue, as they were before the claim. */
  private async release(messages: OutboxMessage[]): Promise<void> {
    const ids = messages.map((m) => m.id);
    await this.tx.write((m) =>
      m
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status: 'queued', leaseUntil: null, attempts: () => 'attempts - 1' })
        .where({ id: In(ids), status: 'sending' })
        .execute(),
    );
    this.logger.log(`Shutting down: ${ids.length} claimed message(s) handed back to the outbox.`);
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    try {
      await this.transport.send(message);
    } catch (err) {
      await this.recordFailure(message, err as Error);
      return;
    }
    this.metrics.mailDeliveries.inc({ kind: message.kind });
    await this.tx.write((m) =>
      m.update(
        OutboxMessage,
        { id: message.id },
        {
          status: 'sent',
          sentAt: this.clock.now(),
          leaseUntil: null,
          lastError: null,
          ...(message.containsSecret ? { text: ERASED_BODY, html: ERASED_BODY } : {}),
        },
      ),
    );
    if (message.containsSecret) await this.forgetSecret();
  }

  /**
   * SQLite: the page that held a sign-in link is still in the write-ahead log after the row is
   * blanked; a checkpoint moves the blanked page into the database (where secure_delete has
   * zeroed the old bytes) and truncates the log, so the link cannot be read back from the files.
   * (PostgreSQL keeps the old row version until VACUUM: see the README.)
   */
  private async forgetSecret(): Promise<void> {
    if (this.tx.isPostgres) return;
    if ((await this.maintenance.checkpointWal(3)) === 'busy') {
      this.logger.warn('Could not checkpoint the WAL after blanking a sign-in link; the next one will.');
    }
  }

  private async recordFailure(message: OutboxMessage, err: Error): Promise<void> {
    const permanent = err instanceof PermanentMailError;
    const final = permanent || message.attempts >= this.config.MAIL_MAX_ATTEMPTS;
    this.metrics.mailFailures.inc({ kind: message.kind, final: String(final) });
    const lastError = (err.message || String(err)).replace(/\s+/g, ' ').slice(0, 500);
    if (final) {
      this.logger.error(
        `MAIL DELIVERY FAILED for good: message ${message.id} (${message.kind}) after ${message.attempts} attempt(s): ${lastError}`,
      );
      await this.tx.write((m) =>
        m.update(
          OutboxMessage,
          { id: message.id },
          {
            status: 'failed',
            // When it was given up, by the service's clock (the mail-failed alert counts from it).
            updatedAt: this.clock.now(),
            leaseUntil: null,
            lastError,
            ...(message.containsSecret ? { text: ERASED_BODY, html: ERASED_BODY } : {}),
          },
        ),
      );
      if (message.containsSecret) await this.forgetSecret();
      return;
    }
    const delay = backoffDelay(message.attempts, this.config.MAIL_RETRY_BASE_MS, this.config.MAIL_RETRY_MAX_MS);
    this.logger.warn(
      `Mail ${message.id} attempt ${message.attempts} failed (${lastError}); retrying in ${Math.round(delay / 1000)} s`,
    );
    await this.tx.write((m) =>
      m.update(
        OutboxMessage,
        { id: message.id },
        { status: 'queued', leaseUntil: null, lastError, nextAttemptAt: new Date(this.clock.now().getTime() + delay) },
      ),
    );
  }
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
