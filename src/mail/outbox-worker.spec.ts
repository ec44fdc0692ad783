import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatabaseMaintenance } from '../database/database-maintenance';
import { Metrics } from '../observability/metrics';
import { TransactionRunner } from '../database/transaction-runner';
import { MailTransport, PermanentMailError } from './mail-transport';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxSignal } from './outbox-signal';
import { backoffDelay, OutboxWorker } from './outbox-worker';

describe('backoffDelay', () => {
  const BASE = 1000;
  const MAX = 60_000;
  const top = () => 1;
  const bottom = () => 0;

  it('doubles with each attempt (at the top of the jitter range)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, BASE, MAX, top));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('keeps at least half of the exponential delay (at the bottom of the jitter range)', () => {
    const delays = [1, 2, 3, 4].map((attempt) => backoffDelay(attempt, BASE, MAX, bottom));
    expect(delays).toEqual([500, 1000, 2000, 4000]);
  });

  it('is capped at the maximum, however many attempts', () => {
    expect(backoffDelay(7, BASE, MAX, top)).toBe(MAX);
    expect(backoffDelay(50, BASE, MAX, top)).toBe(MAX);
    // 2 ** 1100 is Infinity: the cap still holds and the delay is a real number.
    expect(backoffDelay(1100, BASE, MAX, top)).toBe(MAX);
    expect(backoffDelay(1100, BASE, MAX, bottom)).toBe(MAX / 2);
    for (let attempt = 1; attempt <= 100; attempt++) expect(backoffDelay(attempt, BASE, MAX)).toBeLessThanOrEqual(MAX);
  });

  it('treats a first (or nonsensical zero or negative) attempt as the base delay', () => {
    expect(backoffDelay(1, BASE, MAX, top)).toBe(BASE);
    expect(backoffDelay(0, BASE, MAX, top)).toBe(BASE);
    expect(backoffDelay(-3, BASE, MAX, top)).toBe(BASE);
  });

  it('stays within [exp/2, exp] with real randomness, as whole milliseconds', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exp = Math.min(MAX, BASE * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, BASE, MAX);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(exp / 2);
        expect(delay).toBeLessThanOrEqual(exp);
      }
    }
  });

  it('spreads retries out: the jitter is used', () => {
    const samples = new Set(Array.from({ length: 50 }, () => backoffDelay(5, BASE, MAX)));
    expect(samples.size).toBeGreaterThan(10);
    expect(backoffDelay(5, BASE, MAX, () => 0.5)).toBe(12_000);
  });
});

/**
 * The worker's decisions, with its I/O replaced: a fake transport, a fake database that records
 * each update, and a fixed clock. (test/mail-outbox.e2e-spec.ts runs the same against a real
 * SMTP server and both databases.)
 */
describe('OutboxWorker', () => {
  beforeAll(() => Logger.overrideLogger(false)); // its warnings are expected here
  afterAll(() => Logger.overrideLogger(['error', 'warn']));
  const NOW = new Date('2027-10-31T01:30:00Z'); // in the repeated hour of the clocks going back
  type Update = { id: string; values: Partial<OutboxMessage> };

  function workerWith(send: (message: OutboxMessage) => Promise<void>, options: { postgres?: boolean } = {}) {
    const updates: Update[] = [];
    const config = Object.assign(new AppConfig(), {
      MAIL_MAX_ATTEMPTS: 3,
      MAIL_RETRY_BASE_MS: 1000,
      MAIL_RETRY_MAX_MS: 8000,
    });
    const clock = { now: () => new Date(NOW) } as Clock;
    const manager = {
      update: async (_entity: unknown, where: { id: string }, values: Partial<OutboxMessage>) => {
        updates.push({ id: where.id, values });
      },
    };
    const tx = {
      isPostgres: options.postgres ?? false,
      write: async <T>(work: (m: typeof manager) => Promise<T>) => work(manager),
    } as unknown as TransactionRunner;
    const checkpoints: number[] = [];
    const maintenance = {
      checkpointWal: async (tries: number) => {
        checkpoints.push(tries);
        return 'done';
      },
    } as unknown as DatabaseMaintenance;
    const transport = { send, close: () => undefined } as unknown as MailTransport;
    const metrics = new Metrics();
    const worker = new OutboxWorker(config, clock, tx, transport, maintenance, metrics, new OutboxSignal());
    return { worker, updates, checkpoints, metrics };
  }

  const message = (overrides: Partial<OutboxMessage> = {}) =>
    Object.assign(new OutboxMessage(), {
      id: 'm-1',
      kind: 'sign-in-link',
      attempts: 1,
      containsSecret: false,
      text: 'body',
      html: '<p>body</p>',
      ...overrides,
    });

  /** One pass over `batch` (the claim query is the database's business, tested end to end). */
  async function pass(worker: OutboxWorker, batch: OutboxMessage[]): Promise<void> {
    const claim = jest.spyOn(worker as unknown as { claim: () => Promise<OutboxMessage[]> }, 'claim');
    claim.mockResolvedValueOnce(batch).mockResolvedValue([]);
    await worker.drain();
  }

  it('marks a delivered message sent at the clock’s time and releases its lease', async () => {
    const { worker, updates, checkpoints } = workerWith(async () => undefined);
    await pass(worker, [message()]);
    expect(updates).toEqual([
      { id: 'm-1', values: { status: 'sent', sentAt: NOW, leaseUntil: null, lastError: null } },
    ]);
    expect(checkpoints).toEqual([]);
  });

  it('erases a delivered sign-in link from the row, and on SQLite from the write-ahead log too', async () => {
    const sqlite = workerWith(async () => undefined);
    await pass(sqlite.worker, [message({ containsSecret: true })]);
    expect(sqlite.updates[0].values.text).not.toContain('body');
    expect(sqlite.updates[0].values.html).toBe(sqlite.updates[0].values.text);
    expect(sqlite.checkpoints).toHaveLength(1);
    const pg = workerWith(async () => undefined, { postgres: true });
    await pass(pg.worker, [message({ containsSecret: true })]);
    expect(pg.updates[0].values.text).not.toContain('body');
    expect(pg.checkpoints).toEqual([]);
  });

  it('queues a failed attempt again after the backoff, keeping a short one-line reason', async () => {
    const { worker, updates } = workerWith(async () => {
      throw new Error(`451 Try again\n   later ${'x'.repeat(600)}`);
    });
    await pass(worker, [message({ attempts: 2 })]);
    expect(updates).toHaveLength(1);
    const { values } = updates[0];
    expect(values).toMatchObject({ status: 'queued', leaseUntil: null });
    expect(values.lastError).toMatch(/^451 Try again later x+$/);
    expect(values.lastError).toHaveLength(500);
    // Attempt 2 with a 1 s base: between 1 s and 2 s from now.
    const delay = values.nextAttemptAt!.getTime() - NOW.getTime();
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(2000);
  });

  it('gives up after MAIL_MAX_ATTEMPTS, and erases a sign-in link it could not deliver', async () => {
    const { worker, updates } = workerWith(async () => {
      throw new Error('451 Try again later');
    });
    await pass(worker, [message({ attempts: 3, containsSecret: true })]);
    expect(updates[0].values).toMatchObject({ status: 'failed', leaseUntil: null, lastError: '451 Try again later' });
    expect(updates[0].values.text).not.toContain('body');
    expect(updates[0].values.nextAttemptAt).toBeUndefined();
  });

  it('does not retry a permanent refusal', async () => {
    const { worker, updates } = workerWith(async () => {
      throw new PermanentMailError('550 No such user');
    });
    await pass(worker, [message({ attempts: 1 })]);
    expect(updates[0].values).toMatchObject({ status: 'failed', lastError: '550 No such user' });
  });

  it('one failure does not stop the rest of the batch', async () => {
    const { worker, updates } = workerWith(async (m) => {
      if (m.id === 'm-1') throw new Error('451 busy');
    });
    await pass(worker, [message({ id: 'm-1' }), message({ id: 'm-2' })]);
    expect(updates.map((u) => [u.id, u.values.status])).toEqual([
      ['m-1', 'queued'],
      ['m-2', 'sent'],
    ]);
  });

  it('a wake-up during a pass runs one more pass after it, not a second one beside it', async () => {
    const { worker } = workerWith(async () => undefined);
    let release!: () => void;
    let concurrent = 0;
    let maxConcurrent = 0;
    const drain = jest.spyOn(worker, 'drain').mockImplementation(async () => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      if (drain.mock.calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      concurrent -= 1;
    });
    worker.wake();
    worker.wake();
    worker.wake();
    expect(drain).toHaveBeenCalledTimes(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drain).toHaveBeenCalledTimes(2);
    expect(maxConcurrent).toBe(1);
    await worker.onApplicationShutdown();
    worker.wake();
    expect(drain).toHaveBeenCalledTimes(2);
  });
});
