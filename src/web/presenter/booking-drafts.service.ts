import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { LessThan, MoreThan } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../database/database-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { JobMonitor } from '../../observability/job-monitor';
import { BookingAnswers, BookingDraft } from './booking-draft.entity';

/** Long enough to write a summary with interruptions; short enough that case text does not linger. */
export const DRAFT_LIFETIME_MS = 2 * 3600_000;

/**
 * Server-side storage of the booking form's answers, keyed by the signed-in session: the
 * browser holds nothing but its session cookie, and a draft is readable only through that session.
 */
@Injectable()
export class BookingDraftsService {
  private readonly logger = new Logger('BookingDrafts');

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly jobs: JobMonitor,
  ) {}

  async get(sessionId: string): Promise<BookingAnswers | null> {
    const draft = await this.tx.write((m) =>
      m.findOneBy(BookingDraft, { sessionId, expiresAt: MoreThan(this.clock.now()) }),
    );
    return draft?.answers ?? null;
  }

  /** Replaces the session's draft; each save gives it another DRAFT_LIFETIME_MS. */
  async save(sessionId: string, answers: BookingAnswers): Promise<void> {
    const expiresAt = new Date(this.clock.now().getTime() + DRAFT_LIFETIME_MS);
    const values = { answers, expiresAt } as QueryDeepPartialEntity<BookingDraft>;
    try {
      await this.tx.write(async (m) => {
        const updated = await m.update(BookingDraft, { sessionId }, values);
        if (!updated.affected) await m.insert(BookingDraft, { ...values, sessionId, id: m.create(BookingDraft).id });
      });
    } catch (err) {
      // Two first saves of one session at once (two tabs): the unique index let one in; overwrite it.
      if (!isUniqueViolation(err)) throw err;
      await this.tx.write((m) => m.update(BookingDraft, { sessionId }, values));
    }
  }

  async clear(sessionId: string): Promise<void> {
    await this.tx.write((m) => m.delete(BookingDraft, { sessionId }));
  }

  /** Expired drafts hold case text nobody will use: delete them every hour. */
  @Cron('0 7 * * * *', { name: 'web-booking-draft-purge' })
  async purgeExpired(): Promise<number> {
    if (!this.config.SCHEDULED_JOBS_ENABLED) return 0;
    try {
      const result = await this.jobs.run('web-booking-draft-purge', () =>
        this.tx.write((m) => m.delete(BookingDraft, { expiresAt: LessThan(this.clock.now()) })),
      );
      return result.affected ?? 0;
    } catch (err) {
      this.logger.error(`Purging expired booking drafts failed: ${(err as Error).message}`);
      return 0;
    }
  }
}
