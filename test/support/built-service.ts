import { ChildProcess, execFile, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { SmtpTestServer } from './smtp-test-server';
import type { TestDatabase } from './test-app';

const ROOT = resolve(__dirname, '..', '..');

/** Builds the service as `npm start` does (dist/, only when the sources changed), for tests that run it as its own process. */
export async function buildService(): Promise<void> {
  await promisify(execFile)(process.execPath, ['scripts/build-if-changed.js'], { cwd: ROOT });
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface BuiltService {
  child: ChildProcess;
  /** Everything it has written to stdout and stderr so far. */
  output(): string;
}

/**
 * Starts `node dist/src/main.js` on `port` against `database` and `smtp`, with the test settings
 * every such test shares (jobs off, limits out of the way) and `env` on top; resolves once
 * `healthPath` answers 200, or fails with what the service printed.
 */
export async function startBuiltService(options: {
  port: number;
  database: TestDatabase;
  smtp: SmtpTestServer;
  mailDir: string;
  env?: Record<string, string>;
  healthPath?: string;
  timeoutMs?: number;
}): Promise<BuiltService> {
  const { port, database, smtp, mailDir, env = {}, healthPath = '/health', timeoutMs = 30_000 } = options;
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_URL: 'http://thresholds.test',
      DATABASE_URL: '',
      ...database.env,
      SMTP_URL: smtp.url,
      MAIL_SPOOL_DIR: mailDir,
      MAIL_POLL_MS: '200',
      BOOTSTRAP_COORDINATOR_EMAIL: 'coordinator@partnership.test',
      SIGN_IN_LIMIT_PER_IP: '10000',
      SIGN_IN_LIMIT_PER_EMAIL: '10000',
      SCHEDULED_JOBS_ENABLED: 'false',
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}${healthPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, output: () => output };
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer ${healthPath} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
