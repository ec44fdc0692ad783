import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';

/** Ended windows are deleted once in this many counts, by whichever instance makes it. */
const SWEEP_EVERY = 200;

/**
 * @nestjs/throttler's counters in the database, so that a limit holds across every app instance
 * (in memory, N instances would allow N times the limit). A fixed window per key: the first hit
 * opens it for `ttl`, each hit adds one in a single atomic upsert (INSERT … ON CONFLICT DO
 * UPDATE … RETURNING, on SQLite and PostgreSQL alike), and a key over its limit is refused until
 * its window ends.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  private counted = 0;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number): ReturnType<ThrottlerStorage['increment']> {
    const now = this.clock.now().getTime();
    const { hits, windowEndsAt } = await this.tx.write(async (m) => {
      const postgres = this.tx.isPostgres;
      const p = (n: number) => (postgres ? `$${n}` : '?');
      const ended = `rate_limit_counter."windowEndsAt" <= ${p(3)}`;
      const sql =
        `INSERT INTO rate_limit_counter ("key", "hits", "windowEndsAt") VALUES (${p(1)}, 1, ${p(2)}) ` +
        `ON CONFLICT ("key") DO UPDATE SET ` +
        `"hits" = CASE WHEN ${ended} THEN 1 ELSE rate_limit_counter."hits" + 1 END, ` +
        `"windowEndsAt" = CASE WHEN ${postgres ? ended : `rate_limit_counter."windowEndsAt" <= ?`} THEN ${p(2)} ELSE rate_limit_counter."windowEndsAt" END ` +
        `RETURNING "hits", "windowEndsAt"`;
      // SQLite's `?` are bound in order of appearance; PostgreSQL's `$n` by number.
      const params = postgres ? [hashKey(key), now + ttl, now] : [hashKey(key), now + ttl, now, now, now + ttl];
      const rows = (await m.query(sql, params)) as Array<{ hits: number | string; windowEndsAt: number | string }>;
      if (++this.counted % SWEEP_EVERY === 0)
        await m.query(`DELETE FROM rate_limit_counter WHERE "windowEndsAt" <= ${p(1)}`, [now]);
      return { hits: Number(rows[0].hits), windowEndsAt: Number(rows[0].windowEndsAt) };
    });
    const timeToExpire = Math.max(0, Math.ceil((windowEndsAt - now) / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}

/** What the table keeps: a hash of the limit's key (which may hold an address), never the key. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
