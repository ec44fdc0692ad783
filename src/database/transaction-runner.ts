import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

interface TransactionScope {
  manager: EntityManager;
  afterCommit: Array<() => void>;
}

/**
 * The one way to change data: `run(work)` executes `work` in a database transaction and
 * commits only if it resolves. Nested calls join the outer transaction.
 *
 * SQLite (better-sqlite3) has a single connection, so two overlapping transactions would fail
 * with "cannot start a transaction within a transaction"; here they queue one behind the other.
 * PostgreSQL runs them concurrently on the pool. Either way races are settled by the database's
 * own constraints (unique indexes), never by checking first in code.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly scope = new AsyncLocalStorage<TransactionScope>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
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

    if (this.isPostgres) return execute();
    const turn = this.queue.then(execute, execute);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Runs `work` outside any transaction, for statements that cannot run inside one (SQLite's
   * `PRAGMA wal_checkpoint`, PostgreSQL's `VACUUM`). On SQLite it waits its turn in the queue, so
   * no transaction is open on the shared connection meanwhile; on PostgreSQL it runs at once.
   * Never for writing data: that is what `run` is for.
   */
  async outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) throw new Error('outsideTransaction was called inside a transaction');
    if (this.isPostgres) return work();
    const turn = this.queue.then(work, work);
    this.queue = turn.catch(() => undefined);
    return turn;
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
}
