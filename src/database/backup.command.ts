import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config';
import { backupPostgres, backupSqlite, BackupError, describeBackup, resolveBackupPath } from './database-backup';

/**
 * `npm run backup [-- <file or folder>]`: a consistent copy of the configured database, taken
 * while the service runs, checked, and written to the path given or to a timestamped file in
 * BACKUP_DIR. SQLite through SQLite's backup API; PostgreSQL through pg_dump (custom format),
 * whose instructions it prints when pg_dump is not installed. Prints what it did, never data.
 */
async function main(): Promise<void> {
  // The copy holds every item's case text: owner-only files and folders.
  process.umask(0o077);
  const config = loadConfig();
  // npm runs scripts from the project folder; a relative path means the caller's folder.
  const given = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const argument = given && resolve(process.env.INIT_CWD ?? process.cwd(), given) + (/[/\\]$/.test(given) ? '/' : '');
  const now = new Date();
  const result =
    config.databaseKind === 'postgres'
      ? await backupPostgres(config.DATABASE_URL!, resolveBackupPath('postgres', argument, config.BACKUP_DIR, now))
      : await backupSqlite(config.SQLITE_PATH, resolveBackupPath('sqlite', argument, config.BACKUP_DIR, now), {
          busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
        });
  console.log(describeBackup(result));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(
      err instanceof ConfigError || err instanceof BackupError
        ? err.message
        : `Backup failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  });
}
