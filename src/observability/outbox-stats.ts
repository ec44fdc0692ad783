import { In, MoreThanOrEqual } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { OutboxMessage } from '../mail/outbox-message.entity';

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed'] as const;

export interface OutboxStats {
  byState: Record<(typeof OUTBOX_STATES)[number], number>;
  /** Seconds since the oldest message not yet sent (queued or sending) was queued; 0 when none. */
  oldestUnsentAgeSeconds: number;
  /** Messages given up within the last FAILED_RECENTLY_MS (older failures no longer alert). */
  failedRecently: number;
}

/** How long a message given up keeps the mail-failed alert on (sign-in links that failed cannot be retried). */
export const FAILED_RECENTLY_MS = 24 * 3600_000;

/** The outbox as the database has it (shared by every instance), in one read. */
export async function readOutboxStats(tx: TransactionRunner, now: Date): Promise<OutboxStats> {
  return tx.read(async (m) => {
    const rows = await m
      .createQueryBuilder(OutboxMessage, 'o')
      .select('o.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('o.status')
      .getRawMany<{ status: string; count: string | number }>();
    const oldest = await m.findOne(OutboxMessage, {
      select: { id: true, createdAt: true },
      where: { status: In(['queued', 'sending']) },
      order: { createdAt: 'ASC' },
    });
    const failedRecently = await m.countBy(OutboxMessage, {
      status: 'failed',
      updatedAt: MoreThanOrEqual(new Date(now.getTime() - FAILED_RECENTLY_MS)),
    });
    const byState = Object.fromEntries(
      OUTBOX_STATES.map((s) => [s, Number(rows.find((r) => r.status === s)?.count ?? 0)]),
    ) as OutboxStats['byState'];
    const age = oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0;
    return { byState, oldestUnsentAgeSeconds: age, failedRecently };
  });
}
