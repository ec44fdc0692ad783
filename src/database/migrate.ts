import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { AppDataSource } from './app-data-source';
import { databaseOptions } from './database-options';

/** `npm run migration:run`: applies pending migrations to the configured database and exits. */
async function main(): Promise<void> {
  const dataSource = new AppDataSource({ ...databaseOptions(loadConfig()), migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
