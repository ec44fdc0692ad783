import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { LOG_STREAM } from '../../src/observability/logging';
import { TEST_START } from './calendar-fixtures';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  config: AppConfig;
  dataSource: DataSource;
  clock: TestClock;
  /** Where this run's database lives: a SQLite file path, or a PostgreSQL URL. */
  database: TestDatabase;
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * A fixed clock: it starts at TEST_START (test/support/calendar-fixtures.ts) whatever today's date,
 * runs on in real time from there, and moves when a test advances it.
 */
export class TestClock extends Clock {
  /** The clock of the app most recently created (fixtures read dates from it, never from the real clock). */
  static latest: TestClock | null = null;

  private readonly startedAt = performance.now();
  private offsetMs = 0;

  constructor(private readonly start: Date = TEST_START) {
    super();
    TestClock.latest = this;
  }

  protected instant(): number {
    return this.start.getTime() + (performance.now() - this.startedAt) + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Moves the clock to `at` (forwards or backwards). */
  set(at: Date): void {
    this.offsetMs += at.getTime() - this.now().getTime();
  }

  /**
   * Runs `work` with the clock moved to `at`, then moves it back by the same amount, whatever
   * happens: the other tests' sessions live on the test's own day.
   */
  async during<T>(at: Date, work: () => Promise<T>): Promise<T> {
    const shift = at.getTime() - this.now().getTime();
    this.offsetMs += shift;
    try {
      return await work();
    } finally {
      this.offsetMs -= shift;
    }
  }
}

/** The clock of the app most recently created (fixtures read dates from it, never from the real clock). */
export function testNow(): Date {
  return (TestClock.latest ?? new TestClock()).now();
}

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: a new SQLite file in a temporary folder, or, when
 * TEST_DATABASE_URL is set, a new PostgreSQL database on that server (dropped afterwards).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `thresholds_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      kind: 'postgres',
      env: { DATABASE_URL: url.toString() },
      drop: async () => {
        const c = new Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'thresholds-test-'));
  return {
    kind: 'sqlite',
    env: { SQLITE_PATH: join(dir, 'test.sqlite') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createTestApp(
  options: {
    env?: Record<string, string>;
    database?: TestDatabase;
    /** Where the app's log lines go (pino's destination): a test that reads the logs hands one in. */
    logStream?: { write(line: string): unknown };
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://thresholds.test',
    MAIL_SPOOL_DIR: join(tmpdir(), `thresholds-mail-${randomBytes(4).toString('hex')}`),
    MAIL_POLL_MS: '200',
    MAIL_RETRY_BASE_MS: '100',
    MAIL_RETRY_MAX_MS: '1000',
    // Long enough that a slow but accepted send on a loaded machine is not retried (and duplicated).
    MAIL_SMTP_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'error',
    SIGN_IN_LIMIT_PER_IP: '10000',
    SIGN_IN_LIMIT_PER_EMAIL: '10000',
    // Jobs are off unless a test turns one on: a cron firing mid-test makes results depend on timing.
    SCHEDULED_JOBS_ENABLED: 'false',
    // Limits are tested on their own (test/limits.e2e-spec.ts); elsewhere they would only get in the way.
    BOOKING_LIMIT_PER_MEETING: '100',
    BOOKING_LIMIT_PER_DAY: '1000',
    BOOTSTRAP_COORDINATOR_EMAIL: 'coordinator@partnership.test',
    ...database.env,
    ...options.env,
  });
  const clock = new TestClock();
  // nestjs-pino keeps the logger for lines outside a request in a module variable, made by the
  // first app of the process: each test app gets its own (and so its own captured stream).
  __resetOutOfContextForTests();
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(clock);
  if (options.logStream) builder = builder.overrideProvider(LOG_STREAM).useValue(options.logStream);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(
    options.logStream ? { bodyParser: false, bufferLogs: true } : { bodyParser: false, logger: ['error'] },
  );
  configureApp(app);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    config,
    dataSource: app.get(DataSource),
    clock,
    database,
    close: async ({ keepDatabase = false } = {}) => {
      await app.close();
      if (!keepDatabase) await database.drop();
    },
  };
}
