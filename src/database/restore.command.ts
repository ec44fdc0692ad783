import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config';
import { BackupError, describeRestore, POSTGRES_INSTRUCTIONS, restoreSqlite } from './database-backup';

/**
 * `npm run restore -- <backup file> [--force]` (SQLite): checks the backup, then puts it at
 * SQLITE_PATH. A database already there is replaced only with --force and only while no process
 * has it open (stop the service first); it is kept aside, never deleted. On PostgreSQL it prints
 * the pg_restore instructions instead.
 */
async function main(): Promise<void> {
  process.umask(0o077);
  const config = loadConfig();
  const args = process.argv.slice(2);
  const given = args.find((a) => !a.startsWith('--'));
  // npm runs scripts from the project folder; a relative path means the caller's folder.
  const file = given && resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (config.databaseKind === 'postgres')
    throw new BackupError(`npm run restore is for SQLite.\n${POSTGRES_INSTRUCTIONS}`);
  if (!file) throw new BackupError('Usage: npm run restore -- <backup file> [--force]');
  console.log(describeRestore(await restoreSqlite(file, config.SQLITE_PATH, { force: args.includes('--force') })));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(
      err instanceof ConfigError || err instanceof BackupError
        ? err.message
        : `Restore failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  });
}
