import { execFile } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../migrations';

/**
 * Online backups and the SQLite restore behind `npm run backup` and `npm run restore`
 * (src/database/backup.command.ts, restore.command.ts).
 *
 * - SQLite: SQLite's backup API on a read-only connection of its own, copying every page in one
 *   step, i.e. inside one read transaction. In WAL mode that is one consistent snapshot of what
 *   was committed when it started, and the service's writer carries on meanwhile. Copying the
 *   file instead would miss the commits still in the `-wal` file, or tear a page being written.
 * - PostgreSQL: `pg_dump --format=custom`, which also reads one snapshot; restored with
 *   `pg_restore`.
 *
 * Every copy is written under a temporary name, checked, synced to disk and only then renamed to
 * its final name, readable by its owner only: it holds the case text of every item.
 */

const execFileAsync = promisify(execFile);

/** sqlite3_backup_step's page count: all of them in one step, so the copy is one snapshot. */
const ALL_PAGES = 0x7fffffff;

export class BackupError extends Error {}

export interface SqliteCheck {
  /** `ok`: PRAGMA integrity_check found nothing wrong. */
  integrity: 'ok';
  tables: number;
  /** The last migration recorded in the file, and whether this version of the service knows it. */
  latestMigration: string | null;
  migrationKnown: boolean;
}

export interface BackupResult {
  kind: 'sqlite' | 'postgres';
  file: string;
  bytes: number;
  milliseconds: number;
  /** SQLite: the copy's check. PostgreSQL: what `pg_restore --list` read back from the dump. */
  check: SqliteCheck | { tables: number; tableData: number };
}

export interface RestoreResult {
  from: string;
  target: string;
  /** Where the database that was at the target now is (with its -wal and -shm, if any). */
  keptAside: string | null;
  check: SqliteCheck;
}

/** `thresholds-20261126T101530Z.sqlite`: UTC, sortable, no characters that need quoting. */
export function backupFileName(kind: 'sqlite' | 'postgres', now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `thresholds-${stamp}.${kind === 'sqlite' ? 'sqlite' : 'dump'}`;
}

/** The argument as a file, or a timestamped file in it when it is a folder, or in BACKUP_DIR without one. */
export function resolveBackupPath(
  kind: 'sqlite' | 'postgres',
  argument: string | undefined,
  backupDir: string,
  now: Date,
): string {
  if (!argument) return resolve(backupDir, backupFileName(kind, now));
  const isFolder = /[/\\]$/.test(argument) || (existsSync(argument) && statSync(argument).isDirectory());
  return isFolder ? resolve(argument, backupFileName(kind, now)) : resolve(argument);
}

/** A consistent copy of the SQLite database at `sourcePath`, taken while the service runs. */
export async function backupSqlite(
  sourcePath: string,
  destination: string,
  options: { busyTimeoutMs?: number } = {},
): Promise<BackupResult> {
  const started = Date.now();
  if (!existsSync(sourcePath)) throw new BackupError(`There is no database at ${sourcePath} (SQLITE_PATH).`);
  refuseExisting(destination);
  mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
  const partial = `${destination}.partial`;
  removeDatabaseFiles(partial);
  // Read-only: the backup never writes to the live database.
  const source = new Database(sourcePath, {
    readonly: true,
    fileMustExist: true,
    timeout: options.busyTimeoutMs ?? 5000,
  });
  try {
    await source.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    removeDatabaseFiles(partial);
    throw new BackupError(`The backup of ${sourcePath} failed: ${(err as Error).message}`);
  } finally {
    source.close();
  }
  try {
    const check = checkSqliteFile(partial);
    publish(partial, destination);
    return {
      kind: 'sqlite',
      file: destination,
      bytes: statSync(destination).size,
      milliseconds: Date.now() - started,
      check,
    };
  } catch (err) {
    removeDatabaseFiles(partial);
    throw err;
  }
}

/**
 * Makes the file a single self-contained file (rollback-journal mode, so no -wal beside it is
 * needed) and checks it: PRAGMA integrity_check, and that it is this service's database (it
 * has TypeORM's migrations table). Throws a BackupError saying what is wrong.
 */
export function checkSqliteFile(file: string): SqliteCheck {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
    const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupError(
        `${basename(file)} failed PRAGMA integrity_check: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`,
      );
    }
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((t) => t.name);
    if (!tables.includes('migrations')) {
      throw new BackupError(
        `${basename(file)} is an SQLite database, but not this service's (it has no migrations table).`,
      );
    }
    const latest = db.prepare('SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1').get() as
      { name: string } | undefined;
    const known = new Set(MIGRATIONS.map((m) => m.name));
    return {
      integrity: 'ok',
      tables: tables.filter((t) => !t.startsWith('sqlite_')).length,
      latestMigration: latest?.name ?? null,
      migrationKnown: latest ? known.has(latest.name) : true,
    };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${basename(file)} cannot be read as an SQLite database: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Puts the SQLite backup `backupFile` at `target` (SQLITE_PATH). The copy is made and checked
 * beside the target before anything there is touched; a database already at the target is
 * replaced only with `force`, never while a process has it open, and is kept aside under
 * `<target>.before-restore-<time>`, never deleted.
 */
export async function restoreSqlite(
  backupFile: string,
  target: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<RestoreResult> {
  const from = resolve(backupFile);
  target = resolve(target);
  if (!existsSync(from)) throw new BackupError(`There is no backup at ${from}.`);
  if (from === target) throw new BackupError('The backup is the database itself: nothing to restore.');
  const occupied = ['', '-wal'].some((suffix) => existsSync(target + suffix));
  if (occupied && !options.force) {
    throw new BackupError(
      `A database already exists at ${target}. Stop the service and run the restore again with --force to replace it ` +
        '(the current file is kept aside, not deleted).',
    );
  }
  if (existsSync(target)) assertNotInUse(target);

  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const stamp = backupFileName('sqlite', options.now ?? new Date()).replace(/^thresholds-|\.sqlite$/g, '');
  const staging = `${target}.restoring-${stamp}`;
  removeDatabaseFiles(staging);
  let source: Database.Database | undefined;
  try {
    source = new Database(from, { readonly: true, fileMustExist: true });
    await source.backup(staging, { progress: () => ALL_PAGES });
  } catch (err) {
    removeDatabaseFiles(staging);
    throw new BackupError(`${basename(from)} cannot be read as an SQLite database: ${(err as Error).message}`);
  } finally {
    source?.close();
  }
  let check: SqliteCheck;
  try {
    check = checkSqliteFile(staging);
  } catch (err) {
    removeDatabaseFiles(staging);
    throw err;
  }

  let keptAside: string | null = null;
  if (occupied) {
    keptAside = `${target}.before-restore-${stamp}`;
    // The -wal may hold the last commits of that database: it moves with it, so the file kept
    // aside opens complete, and so that it is never replayed onto the restored one.
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(target + suffix)) renameSync(target + suffix, keptAside + suffix);
    }
  }
  publish(staging, target);
  return { from, target, keptAside, check };
}

/**
 * Refuses when another connection has the database open, e.g. the running service. In WAL mode
 * every open connection holds a shared lock on the file, so an exclusive lock can be taken only
 * when nobody else has it open.
 */
function assertNotInUse(file: string): void {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BackupError(
        `${file} is open in another process (is the service running?). Stop it first, then restore.`,
      );
    }
    // A damaged file cannot be locked in the usual way; it is moved aside, never read.
  } finally {
    db.close();
  }
}

/** A `pg_dump` custom-format dump of `databaseUrl`, checked by reading its table of contents back. */
export async function backupPostgres(
  databaseUrl: string,
  destination: string,
  options: { pgDump?: string; pgRestore?: string } = {},
): Promise<BackupResult> {
  const started = Date.now();
  refuseExisting(destination);
  mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  // The password goes in the environment, not on the command line where `ps` would show it.
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  try {
    await execFileAsync(
      options.pgDump ?? 'pg_dump',
      ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${url.toString()}`],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    rmSync(partial, { force: true });
    throw toolError('pg_dump', err);
  }
  let listing: string;
  try {
    listing = (
      await execFileAsync(options.pgRestore ?? 'pg_restore', ['--list', partial], { maxBuffer: 64 * 1024 * 1024 })
    ).stdout;
  } catch (err) {
    rmSync(partial, { force: true });
    throw toolError('pg_restore --list', err);
  }
  const entries = listing.split('\n').filter((line) => /^\d+;/.test(line));
  const check = {
    tables: entries.filter((line) => / TABLE (?!DATA )\S+ /.test(line)).length,
    tableData: entries.filter((line) => / TABLE DATA /.test(line)).length,
  };
  if (!check.tables) {
    rmSync(partial, { force: true });
    throw new BackupError('pg_dump wrote a dump with no tables in it: is DATABASE_URL the right database?');
  }
  publish(partial, destination);
  return {
    kind: 'postgres',
    file: destination,
    bytes: statSync(destination).size,
    milliseconds: Date.now() - started,
    check,
  };
}

/** What to do on PostgreSQL, shown when pg_dump is not installed and in `npm run restore`. */
export const POSTGRES_INSTRUCTIONS = [
  'PostgreSQL: back up with pg_dump in its custom format (one consistent snapshot, taken while the service runs);',
  'use a pg_dump of the same major version as the server, or newer:',
  '  pg_dump --format=custom --file=thresholds-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"',
  'Check a dump:       pg_restore --list thresholds-….dump',
  'Restore it into a new, empty database, then point DATABASE_URL at it and start the service:',
  '  createdb thresholds_restored',
  '  pg_restore --no-owner --exit-on-error --dbname=postgres://…/thresholds_restored thresholds-….dump',
  'or over the current one, with the service stopped:',
  '  pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$DATABASE_URL" thresholds-….dump',
].join('\n');

export function describeBackup(r: BackupResult): string {
  const size = `${(r.bytes / 1024 / 1024).toFixed(1)} MB`;
  const head = `Backed up the ${r.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database to ${r.file} (${size}, ${r.milliseconds} ms).`;
  if ('integrity' in r.check) return `${head}\n${describeCheck(r.check)}`;
  return `${head}\nChecked: pg_restore --list reads it back: ${r.check.tables} table(s), ${r.check.tableData} with data.`;
}

export function describeRestore(r: RestoreResult): string {
  return [
    `Restored ${r.from} to ${r.target}.`,
    describeCheck(r.check),
    r.keptAside ? `The database that was there is kept as ${r.keptAside}.` : 'There was no database there before.',
    r.check.migrationKnown
      ? 'Start the service: it applies any migration the backup predates (with DATABASE_MIGRATE_ON_START=false, run npm run migration:run first).'
      : `Warning: the backup's last migration (${r.check.latestMigration}) is unknown to this version of the service; run the version that made it.`,
  ].join('\n');
}

function describeCheck(c: SqliteCheck): string {
  return `Checked: PRAGMA integrity_check ok; ${c.tables} table(s); last migration ${c.latestMigration ?? 'none'}.`;
}

function refuseExisting(destination: string): void {
  if (existsSync(destination))
    throw new BackupError(`${destination} already exists: a backup never overwrites a file.`);
}

/** Syncs the finished copy, makes it private and gives it its final name, durably. */
function publish(partial: string, destination: string): void {
  chmodSync(partial, 0o600);
  fsyncPath(partial);
  renameSync(partial, destination);
  fsyncPath(dirname(destination));
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

function toolError(tool: string, err: unknown): BackupError {
  const e = err as NodeJS.ErrnoException & { stderr?: string };
  if (e.code === 'ENOENT') return new BackupError(`${tool} is not installed here.\n${POSTGRES_INSTRUCTIONS}`);
  // pg_dump's own messages name the server and the user, never the password.
  return new BackupError(`${tool} failed: ${(e.stderr ?? '').trim() || e.message}`);
}
