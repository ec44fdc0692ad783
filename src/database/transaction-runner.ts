import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface } from 'typeorm';
import { AppDataSource } from './app-data-source';

interface TransactionScope {
  manager: EntityManager;
  afterCommit: Array<() => void>;
}

/**
 * The one way to reach the database: `write(work)` runs `work` in a transaction and commits only
 * if it resolves; `read(work)` runs queries that change nothing. Nothing outside `src/database`
 * (and the health check) touches TypeORM's DataSource; a lint rule enforces it.
 *
 * - Inside a write, nested writes join it and reads use its manager, so a unit of work sees its
 *   own changes.
 * - On SQLite (better-sqlite3) the application's connection is single: two overlapping
 *   transactions would fail with "cannot start a transaction within a transaction", so writes
 *   queue one behind the other. Reads outside a write use a second, read-only connection to the
 *   same file: in WAL mode it sees only committed data (never the open write's rows, which the
 *   shared connection would show), and it does not wait behind the write queue. Each statement
 *   reads the latest committed snapshot.
 * - On PostgreSQL writes run concurrently on the pool and reads use the pool outside any
 *   transaction (READ COMMITTED).
 *
 * Either way races are settled by the database's own constraints (unique indexes, row locks),
 * never by checking first in code.
 */
@Injectable()
export class TransactionRunner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly scope = new AsyncLocalStorage<TransactionScope>();
  private queue: Promise<unknown> = Promise.resolve();
  /** SQLite: snapshot reads take turns on the read-only connection (one transaction at a time). */
  private snapshotQueue: Promise<unknown> = Promise.resolve();
  private reader: DataSource | null = null;

  constructor(private readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** PostgreSQL's connection pool: connections open, idle, and requests waiting for one (null on SQLite). */
  poolStats(): { total: number; idle: number; waiting: number } | null {
    if (!this.isPostgres || !this.dataSource.isInitialized) return null;
    const pool = (
      this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }
    ).master;
    return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
  }

  /** Whether the caller is inside a write (reads then see its uncommitted changes). */
  get inWrite(): boolean {
    return this.scope.getStore() !== undefined;
  }

  async onModuleInit(): Promise<void> {
    const options = this.dataSource.options;
    if (options.type !== 'better-sqlite3' || options.database === ':memory:' || !this.dataSource.isInitialized) return;
    // The same file and entities, read-only; the write connection already put the file in WAL mode.
    this.reader = new AppDataSource({
      ...options,
      readonly: true,
      enableWAL: false,
      migrationsRun: false,
      synchronize: false,
      prepareDatabase: undefined,
    });
    await this.reader.initialize();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.reader?.isInitialized) await this.reader.destroy();
    this.reader = null;
  }

  /** Runs `work` in a transaction (joining the current one if any); commits if it resolves. */
  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.scope.getStore();
    if (outer) return work(outer.manager);

    const execute = async () => {
      const afterCommit: Array<() => void> = [];
      const result = await this.dataSource.transaction((manager) =>
        this.scope.run({ manager, afterCommit }, () => work(manager)),
      );
      for (const hook of afterCommit) {
        try {
          hook();
        } catch (err) {
          this.logger.error(`after-commit hook failed: ${(err as Error).message}`);
        }
      }
      return result;
    };

    return this.isPostgres ? execute() : this.enqueue(execute);
  }

  /**
   * Runs queries that change nothing. Inside a write: that write's manager. Outside: committed
   * data only (SQLite's read-only connection, or PostgreSQL's pool). Never write through it:
   * on SQLite the connection refuses, and on PostgreSQL the change would escape any transaction.
   */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.scope.getStore();
    if (outer) return work(outer.manager);
    if (this.reader) return work(this.reader.manager);
    // PostgreSQL's pool; or an in-memory SQLite database, which has no second connection: wait for
    // the writes queued before this read, so an open transaction's rows are never seen.
    return this.isPostgres ? work(this.dataSource.manager) : this.enqueue(() => work(this.dataSource.manager));
  }

  /**
   * Runs several queries against one consistent snapshot of committed data (for figures that
   * must add up): PostgreSQL in a REPEATABLE READ, READ ONLY transaction; SQLite in a read
   * transaction on the read-only connection, one at a time. Inside a write: that write's manager.
   */
  async readSnapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.scope.getStore();
    if (outer) return work(outer.manager);
    if (this.isPostgres) {
      return this.dataSource.transaction('REPEATABLE READ', async (m) => {
        await m.query('SET TRANSACTION READ ONLY');
        return work(m);
      });
    }
    const reader = this.reader;
    if (!reader) return this.enqueue(() => this.dataSource.transaction(work));
    const turn = this.snapshotQueue.then(
      () => reader.transaction(work),
      () => reader.transaction(work),
    );
    this.snapshotQueue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Runs `work` outside any transaction, for statements that cannot run inside one (SQLite's
   * `PRAGMA wal_checkpoint`, PostgreSQL's `VACUUM`). On SQLite it waits its turn in the queue, so
   * no transaction is open on the shared connection meanwhile; on PostgreSQL it runs at once.
   * Never for writing data: that is what `write` is for.
   */
  async outsideTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.scope.getStore()) throw new Error('outsideTransaction was called inside a transaction');
    if (this.isPostgres) return work(this.dataSource.manager);
    return this.enqueue(() => work(this.dataSource.manager));
  }

  /** Adds a TypeORM subscriber to the write connection (e.g. the case-text guard on every insert and update). */
  registerSubscriber(subscriber: EntitySubscriberInterface): void {
    this.dataSource.subscribers.push(subscriber);
  }

  /**
   * Runs `hook` once the current transaction has committed (immediately outside one). Used to
   * wake workers, never to write: a hook that fails leaves the committed data as it is.
   */
  afterCommit(hook: () => void): void {
    const current = this.scope.getStore();
    if (current) current.afterCommit.push(hook);
    else hook();
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work, work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
