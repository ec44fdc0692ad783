import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildService, freePort, startBuiltService } from './support/built-service';
import { parsePrometheus } from './support/prometheus';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestDatabase, TestDatabase } from './support/test-app';

/**
 * The built service as its own process, sent SIGTERM while it delivers a batch of mail to a slow
 * SMTP server, then started again on the same database: it stops taking requests, finishes the
 * message it is sending, hands the rest back, exits, and after the restart every message has
 * been delivered exactly once (by Message-ID).
 */
const MESSAGES = 6;
const METRICS_TOKEN = 'graceful-shutdown-test-token-0123456789';

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('graceful shutdown', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let mailDir: string;
  let port: number;
  let service: ChildProcess | null = null;
  /** What the service has printed so far, over all its runs. */
  let output: () => string = () => '';
  const base = () => `http://127.0.0.1:${port}`;

  async function start(): Promise<ChildProcess> {
    const started = await startBuiltService({
      port,
      database,
      smtp,
      mailDir,
      healthPath: '/health/live',
      env: { MAIL_SMTP_TIMEOUT_MS: '10000', LOG_LEVEL: 'log', LOG_FORMAT: 'json', METRICS_TOKEN },
    });
    service = started.child;
    const earlier = output;
    output = () => earlier() + started.output(); // every run's lines, the first one's too
    return started.child;
  }

  const outbox = async () => {
    const res = await fetch(`${base()}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    const m = parsePrometheus(await res.text());
    const state = (s: string) => m.value('thresholds_outbox_messages', { state: s }) ?? 0;
    return { queued: state('queued'), sending: state('sending'), sent: state('sent'), failed: state('failed') };
  };

  beforeAll(async () => {
    await buildService();
    smtp = await SmtpTestServer.start();
    database = await createTestDatabase();
    mailDir = mkdtempSync(join(tmpdir(), 'thresholds-shutdown-mail-'));
    port = await freePort();
  }, 180_000);

  afterAll(async () => {
    if (service && service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    await smtp?.stop();
    await database?.drop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('on SIGTERM mid-batch finishes the message being sent, hands back the rest, and loses or repeats none after a restart', async () => {
    const first = await start();
    smtp.acceptDelayMs = 700;
    for (let i = 0; i < MESSAGES; i++) {
      const res = await fetch(`${base()}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'coordinator@partnership.test' }),
      });
      expect(res.status).toBe(202);
    }
    await until('two messages delivered', () => smtp.messages.length >= 2);

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      first.once('exit', (code, signal) => r({ code, signal })),
    );
    first.kill('SIGTERM');
    await until('the shutdown begins', () => output().includes('no new requests'));
    // No new requests: the port is closed while the current delivery is still being finished.
    await expect(fetch(`${base()}/health/live`)).rejects.toThrow();
    const exit = await exited;
    service = null;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);

    const deliveredBeforeRestart = smtp.messages.length;
    expect(deliveredBeforeRestart).toBeGreaterThanOrEqual(2);
    expect(deliveredBeforeRestart).toBeLessThan(MESSAGES); // the SIGTERM really came mid-batch
    // Every line the process wrote, shutdown included, is a JSON log line.
    for (const line of output().split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();

    smtp.acceptDelayMs = 0;
    await start();
    // Handed back, not leased: the rest go at once, not after MAIL_LEASE_MS (two minutes).
    await until('every message delivered after the restart', () => smtp.messages.length >= MESSAGES, 15_000);
    await until('the outbox is empty', async () => {
      const o = await outbox();
      return o.queued === 0 && o.sending === 0;
    });
    expect(await outbox()).toEqual({ queued: 0, sending: 0, sent: MESSAGES, failed: 0 });
    const ids = smtp.messages.map((m) => m.messageId);
    expect(ids).toHaveLength(MESSAGES);
    expect(new Set(ids).size).toBe(MESSAGES);
    expect(output()).toMatch(/handed back to the outbox/);
  });
});
