import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Epoch milliseconds: `bigint` comes back from PostgreSQL as text. */
const epochMs = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * One rate-limit window (sign-in requests per client address, per mailbox): shared by every app
 * instance, since each counts here rather than in its own memory. The key is a hash of the
 * limit's name and what it counts (an address, a mailbox), never the address itself. Rows whose
 * window has ended are swept (DatabaseThrottlerStorage).
 */
@Entity('rate_limit_counter')
export class RateLimitCounter {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  /** When the window ends (epoch milliseconds, the service's clock). */
  @Column({ type: 'bigint', transformer: epochMs })
  windowEndsAt: number;
}
