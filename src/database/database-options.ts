import type Database from 'better-sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from '../../migrations';

/**
 * One place that turns configuration into TypeORM options, used by the app, the migration
 * command and the tests. Schema changes only ever come from migrations.
 */
export function databaseOptions(config: AppConfig): DataSourceOptions {
  const common = {
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // TypeORM's own error logging prints query parameters, which may hold case text: off.
    // Unexpected errors reach the global error filter, which logs the message only.
    logging: false,
  };
  if (config.DATABASE_URL) {
    return {
      ...common,
      type: 'postgres',
      url: config.DATABASE_URL,
      extra: { max: 10, connectionTimeoutMillis: 10_000 },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.SQLITE_PATH,
    timeout: config.SQLITE_BUSY_TIMEOUT_MS,
    enableWAL: true,
    prepareDatabase: (db: Database.Database) => {
      // Overwrite deleted content with zeros so that erased case text does not linger in
      // free pages of the file.
      db.pragma('secure_delete = ON');
      // FULL: every commit is fsynced to the WAL before it returns, so an answered write survives
      // a power cut or an OS crash. NORMAL syncs only at checkpoints: the file stays consistent,
      // but the last commits may be lost (README, "Backups and durability"). The setting is
      // per connection, so it is applied here on every connection that writes.
      db.pragma(`synchronous = ${config.SQLITE_SYNCHRONOUS === 'normal' ? 'NORMAL' : 'FULL'}`);
    },
  };
}
