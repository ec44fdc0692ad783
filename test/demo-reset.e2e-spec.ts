import { loadConfig } from '../src/config/app-config';
import { refusalFor } from '../src/first-run/demo-reset.command';
import { createTestApp, createTestDatabase } from './support/test-app';

/** demo:reset deletes a database: it must recognise the demo's, and refuse every other. */
describe('demo:reset: which databases it will delete', () => {
  const sqliteOnly = process.env.TEST_DATABASE_URL ? it.skip : it;

  sqliteOnly('deletes a SQLite file seeded with the demo, or one the service never started on', async () => {
    const db = await createTestDatabase();
    const path = db.env.SQLITE_PATH;
    expect(refusalFor(loadConfig({ SQLITE_PATH: path }))).toBeNull();
    const t = await createTestApp({ database: db, env: { SEED_DEMO_DATA: 'true' } });
    await t.close({ keepDatabase: true });
    expect(refusalFor(loadConfig({ SQLITE_PATH: path }))).toBeNull();
    await db.drop();
  });

  sqliteOnly('refuses a SQLite file with data that is not the demo, naming the file', async () => {
    const db = await createTestDatabase();
    const t = await createTestApp({ database: db, env: { SEED_DEMO_DATA: 'false' } });
    await t.close({ keepDatabase: true });
    expect(refusalFor(loadConfig({ SQLITE_PATH: db.env.SQLITE_PATH }))).toContain(
      `demo:reset refuses to delete ${db.env.SQLITE_PATH}: it does not hold the demo partnership`,
    );
    await db.drop();
  });

  it('refuses a PostgreSQL database', () => {
    expect(refusalFor(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }))).toContain(
      'demo:reset works on the SQLite demo database only',
    );
  });
});
