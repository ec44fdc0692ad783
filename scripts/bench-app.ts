import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';

export interface BenchApp {
  app: NestExpressApplication;
  port: number;
  /** Closes the app and removes its temporary database. */
  close(): Promise<void>;
}

/**
 * The real application for a benchmark: a fresh SQLite file in a temporary folder, listening on
 * a loopback port, with the background jobs and the mail worker's polling out of the way.
 */
export async function startBenchApp(name: string): Promise<BenchApp> {
  const dir = mkdtempSync(join(tmpdir(), `thresholds-${name}-`));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    SQLITE_PATH: join(dir, 'bench.sqlite'),
    MAIL_SPOOL_DIR: join(dir, 'mail'),
    LOG_LEVEL: 'error',
    SCHEDULED_JOBS_ENABLED: 'false',
    MAIL_POLL_MS: '600000',
    SEED_DEMO_DATA: 'false',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    port: (app.getHttpServer().address() as AddressInfo).port,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
