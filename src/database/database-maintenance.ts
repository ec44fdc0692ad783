import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionRunner } from './transaction-runner';

/**
 * Statements that clear old bytes from the database files and cannot run in a transaction:
 * SQLite's WAL checkpoint and PostgreSQL's VACUUM. Used by the retention job after it erases.
 */
@Injectable()
export class DatabaseMaintenance {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
  ) {}

  /**
   * SQLite: moves every page from the WAL into the database file and empties the WAL, which
   * still held the pages as they were before. Retries while a reader holds the WAL open.
   */
  async checkpointWal(attempts = 5): Promise<'done' | 'busy'> {
    for (let attempt = 1; ; attempt++) {
      const [result] = await this.tx.outsideTransaction(
        (m) => m.query('PRAGMA wal_checkpoint(TRUNCATE)') as Promise<Array<{ busy: number }>>,
      );
      if (!result?.busy) return 'done';
      if (attempt >= attempts) return 'busy';
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }

  /**
   * PostgreSQL: VACUUM (FULL, when asked) each table on one dedicated connection. FULL rewrites
   * the table into new files, so no page keeps an old row version; it takes an exclusive lock, so
   * it waits at most `lock_timeout` for a busy table and falls back to a plain VACUUM (which makes
   * the old versions unreachable, but may leave their bytes in free space until reused).
   */
  async vacuum(tables: string[], full: boolean): Promise<string[]> {
    const done: string[] = [];
    await this.tx.outsideTransaction(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.query("SET lock_timeout = '10s'");
        for (const table of tables) {
          const name = this.dataSource.driver.escape(table);
          try {
            await runner.query(`VACUUM ${full ? '(FULL) ' : ''}${name}`);
            done.push(`${table}${full ? ' (full)' : ''}`);
          } catch (err) {
            this.logger.warn(
              `VACUUM FULL ${table} failed (${(err as Error).message}); running a plain VACUUM instead.`,
            );
            await runner.query(`VACUUM ${name}`);
            done.push(`${table} (plain)`);
          }
        }
        await runner.query('RESET lock_timeout');
      } finally {
        await runner.release();
      }
    });
    return done;
  }
}
