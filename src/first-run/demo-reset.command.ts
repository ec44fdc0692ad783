import 'reflect-metadata';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { AppLogger } from '../observability/logging';
import { DEMO_SEEDED_ACTION } from './first-run.service';

const PRODUCTION_REFUSAL = 'demo:reset refuses to run with NODE_ENV=production: it deletes the database.';

/** Why demo:reset will not touch this database, or null when it may. */
export function refusalFor(config: AppConfig): string | null {
  if (config.isProduction) return PRODUCTION_REFUSAL;
  if (config.databaseKind === 'postgres') {
    return (
      'demo:reset works on the SQLite demo database only, and DATABASE_URL names a PostgreSQL database. ' +
      'Unset DATABASE_URL to reset the SQLite demo, or drop and recreate the PostgreSQL database yourself.'
    );
  }
  if (!existsSync(config.SQLITE_PATH)) return null;
  const db = new Database(config.SQLITE_PATH, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_event'").get();
    // An empty file, or one the service never started on: nothing anyone could lose.
    const anyTable = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1").get();
    if (!anyTable) return null;
    const seeded = table && db.prepare('SELECT 1 FROM audit_event WHERE action = ? LIMIT 1').get(DEMO_SEEDED_ACTION);
    if (!seeded) {
      return (
        `demo:reset refuses to delete ${config.SQLITE_PATH}: it does not hold the demo partnership ` +
        '(it was not seeded with demo data). Point SQLITE_PATH at the demo database, or remove the file yourself.'
      );
    }
    return null;
  } finally {
    db.close();
  }
}

/**
 * `npm run demo:reset`: deletes the SQLite demo database (and the demo mail in the spool), then
 * starts the service's modules once, which migrate the new database and seed the demo again.
 */
async function main(): Promise<void> {
  // Before the configuration is read: production refuses for its own reasons, this one is clearer.
  if (process.env.NODE_ENV === 'production') {
    console.error(PRODUCTION_REFUSAL);
    process.exit(1);
  }
  process.env.SEED_DEMO_DATA ??= 'true';
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const refusal = refusalFor(config);
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${config.SQLITE_PATH}${suffix}`, { force: true });
  let mails = 0;
  if (!config.SMTP_URL && existsSync(config.MAIL_SPOOL_DIR)) {
    for (const name of readdirSync(config.MAIL_SPOOL_DIR).filter((n) => n.endsWith('.eml'))) {
      rmSync(join(config.MAIL_SPOOL_DIR, name), { force: true });
      mails++;
    }
  }
  console.log(`Deleted ${config.SQLITE_PATH}` + (mails ? ` and ${mails} messages in ${config.MAIL_SPOOL_DIR}` : ''));
  const app = await NestFactory.createApplicationContext(AppModule, { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  await app.close();
  console.log('Demo data seeded again. Run npm start and sign in with an address from the box it prints.');
}

// Only when run as the command: a test imports refusalFor without deleting anything.
if (require.main === module) {
  void main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
