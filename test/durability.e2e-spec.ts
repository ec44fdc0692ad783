import { execFile } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import request from 'supertest';
import { loadConfig } from '../src/config/app-config';
import { backupPostgres, backupSqlite, BackupResult, restoreSqlite } from '../src/database/database-backup';
import { TransactionRunner } from '../src/database/transaction-runner';
import { Agency } from '../src/directory/agency.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, createTestDatabase, TestApp, TestDatabase } from './support/test-app';

const execFileAsync = promisify(execFile);
const onSqlite = !process.env.TEST_DATABASE_URL;
const sqliteOnly = onSqlite ? describe : describe.skip;
const RENAMED = 'Riverside Academy (renamed while the backup ran)';

/** A SQLite database at a path of our choosing, removed with its folder. */
function sqliteAt(path: string, dir: string): TestDatabase {
  return {
    kind: 'sqlite',
    env: { SQLITE_PATH: path },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

sqliteOnly('SQLite durability setting', () => {
  it('commits with synchronous = FULL unless SQLITE_SYNCHRONOUS says normal, and refuses anything else', async () => {
    const t = await createTestApp();
    try {
      expect(await t.dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]); // 2 = FULL
    } finally {
      await t.close();
    }
    const normal = await createTestApp({ env: { SQLITE_SYNCHRONOUS: 'normal' } });
    try {
      expect(await normal.dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]); // 1 = NORMAL
    } finally {
      await normal.close();
    }
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' })).toThrow(/SQLITE_SYNCHRONOUS="off"/);
  });
});

describe('backup and restore', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let p: Partnership;
  let work: string;
  let bookingId: string;
  let backup: BackupResult;
  /** What the coordinator saw before the backup: the restored copy must show exactly this. */
  let before: { agencies: unknown; users: unknown; booking: unknown };

  const snapshot = async (app: TestApp) => ({
    agencies: (await request(app.http).get('/api/agencies').set(bearer(p.coordinator)).expect(200)).body,
    users: (await request(app.http).get('/api/users').set(bearer(p.coordinator)).expect(200)).body,
    booking: (await request(app.http).get(`/api/bookings/${bookingId}`).set(bearer(p.coordinator)).expect(200)).body,
  });

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p);
    bookingId = (
      await request(t.http)
        .post(`/api/meetings/${series.meetings[0].id}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body.id;
    before = await snapshot(t);
    work = mkdtempSync(join(tmpdir(), 'thresholds-backup-'));

    // The backup every test here reads: taken while a write is in progress (an agency renamed, not
    // yet committed) for the whole backup, so the copy is the committed state as it was when the
    // backup began, and the write still commits.
    const file = join(work, onSqlite ? 'online.sqlite' : 'online.dump');
    await t.app.get(TransactionRunner).write(async (m) => {
      await m.update(Agency, { id: p.agencyA }, { name: RENAMED });
      backup = onSqlite
        ? await backupSqlite(t.database.env.SQLITE_PATH, file)
        : await backupPostgres(t.database.env.DATABASE_URL, file);
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('copies the running database consistently while a write is open, and a second app reads the same data back', async () => {
    // The backup was taken in beforeAll, with the write open.
    const file = join(work, onSqlite ? 'online.sqlite' : 'online.dump');
    expect(backup.file).toBe(file);
    expect(backup.check).toEqual(
      onSqlite
        ? { integrity: 'ok', tables: expect.any(Number), latestMigration: expect.any(String), migrationKnown: true }
        : { tables: expect.any(Number), tableData: expect.any(Number) },
    );
    const live = await request(t.http).get('/api/agencies').set(bearer(p.coordinator)).expect(200);
    expect(live.body.map((a: { name: string }) => a.name)).toContain(RENAMED);

    // Restore into a new place, as the README says, and boot a second app on it.
    let restored: TestDatabase;
    if (onSqlite) {
      const dir = mkdtempSync(join(tmpdir(), 'thresholds-restored-'));
      const target = join(dir, 'restored.sqlite');
      const result = await restoreSqlite(file, target);
      expect(result).toMatchObject({ target, keptAside: null, check: { integrity: 'ok', migrationKnown: true } });
      restored = sqliteAt(target, dir);
    } else {
      restored = await createTestDatabase();
      await execFileAsync('pg_restore', [
        '--no-owner',
        '--exit-on-error',
        `--dbname=${restored.env.DATABASE_URL}`,
        file,
      ]);
    }
    const t2 = await createTestApp({ database: restored, env: { SMTP_URL: smtp.url } });
    try {
      // The same sessions, agencies, users and item text; not the change that was still open.
      const after = await snapshot(t2);
      expect(after).toEqual(before);
      expect(JSON.stringify(after)).not.toContain(RENAMED);
      expect((after.booking as { summary: string }).summary).toBe(thresholdItem().summary);
      // And the restored database takes writes.
      await request(t2.http)
        .post('/api/agencies')
        .set(bearer(p.coordinator))
        .send({ name: 'Added after the restore', sector: 'voluntary', emailDomains: ['restored.org.test'] })
        .expect(201);
    } finally {
      await t2.close();
    }
  });

  sqliteOnly('restoring over a database', () => {
    let target: string;
    let targetDir: string;

    // A folder of its own for each test: what one test restores there is no other test's starting point.
    beforeEach(() => {
      targetDir = mkdtempSync(join(tmpdir(), 'thresholds-restore-over-'));
      target = join(targetDir, 'live.sqlite');
    });
    afterEach(() => rmSync(targetDir, { recursive: true, force: true }));

    it('refuses a damaged backup or a file that is not one, and leaves the target alone', async () => {
      const damaged = join(work, 'damaged.sqlite');
      copyFileSync(backup.file, damaged);
      const fd = openSync(damaged, 'r+');
      writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 3); // page 4 overwritten
      closeSync(fd);
      await expect(restoreSqlite(damaged, target)).rejects.toThrow(/integrity_check|cannot be read/);

      const notOne = join(work, 'notes.txt');
      copyFileSync(resolve(__dirname, '../README.md'), notOne);
      await expect(restoreSqlite(notOne, target)).rejects.toThrow(/cannot be read as an SQLite database/);
      expect(readdirSync(targetDir)).toEqual([]);
    });

    it('replaces a database only with force and only when no process has it open, keeping the old one aside', async () => {
      await restoreSqlite(backup.file, target);
      const live = await createTestApp({ database: sqliteAt(target, targetDir), env: { SMTP_URL: smtp.url } });
      let open = true;
      try {
        await request(live.http)
          .post('/api/agencies')
          .set(bearer(p.coordinator))
          .send({ name: 'Only in the newer database', sector: 'voluntary', emailDomains: ['newer.org.test'] })
          .expect(201);
        await expect(restoreSqlite(backup.file, target)).rejects.toThrow(/already exists.*--force/s);
        // The service has the file open: even with force, nothing is touched.
        const files = readdirSync(targetDir).sort();
        await expect(restoreSqlite(backup.file, target, { force: true })).rejects.toThrow(
          /open in another process \(is the service running\?\)/,
        );
        expect(readdirSync(targetDir).sort()).toEqual(files);
        await live.close({ keepDatabase: true });
        open = false;

        const now = new Date('2026-11-26T10:15:30Z');
        const result = await restoreSqlite(backup.file, target, { force: true, now });
        const aside = `${target}.before-restore-20261126T101530Z`;
        expect(result.keptAside).toBe(aside);
        expect(existsSync(`${target}.restoring-20261126T101530Z`)).toBe(false);

        const names = (file: string) => {
          const db = new Database(file, { readonly: true });
          try {
            return (db.prepare('SELECT name FROM agency').all() as Array<{ name: string }>).map((a) => a.name);
          } finally {
            db.close();
          }
        };
        expect(names(aside)).toContain('Only in the newer database');
        expect(names(target)).not.toContain('Only in the newer database');
        expect(names(target)).toContain('Riverside Academy');
      } finally {
        if (open) await live.close({ keepDatabase: true });
      }
    });

    it('the backup command writes a timestamped, owner-only copy into BACKUP_DIR and says what it did', async () => {
      await restoreSqlite(backup.file, target);
      const backupDir = join(targetDir, 'backups');
      const { stdout } = await execFileAsync(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'src/database/backup.command.ts'],
        {
          cwd: resolve(__dirname, '..'),
          env: { ...process.env, NODE_ENV: 'test', SQLITE_PATH: target, BACKUP_DIR: backupDir },
        },
      );
      const [name] = readdirSync(backupDir);
      expect(name).toMatch(/^thresholds-\d{8}T\d{6}Z\.sqlite$/);
      expect(stdout).toContain(`Backed up the SQLite database to ${join(backupDir, name)}`);
      expect(stdout).toMatch(/PRAGMA integrity_check ok; \d+ table\(s\); last migration \w+/);
      expect(statSync(join(backupDir, name)).mode & 0o777).toBe(0o600);
    });
  });
});
