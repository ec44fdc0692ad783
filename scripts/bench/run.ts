/**
 * `npm run bench`: the app measured from outside, beside bare baselines, in one run.
 *
 * Builds (`npm run build`, skip with BENCH_SKIP_BUILD=1), seeds a fresh SQLite file (or the
 * PostgreSQL database in BENCH_DATABASE_URL, whose public schema is dropped first: give it a
 * database of its own) with `node dist/scripts/bench/seed.js`, starts the built app
 * (`node dist/src/main.js`) and each baseline (`node dist/scripts/bench/baselines.js …`) as
 * child processes, then drives them from this process with autocannon, alternating app and
 * baseline round by round. Prints a table and writes reports/bench/latest.json.
 *
 * Knobs: BENCH_DURATION (seconds per round, 10), BENCH_ROUNDS (A/B rounds per case, 2),
 * BENCH_CONNECTIONS (16), BENCH_BOOKING_CONNECTIONS (64), BENCH_COLD_STARTS (3);
 * BENCH_ONLY (a regular expression: only the cases it matches); BENCH_SHORT=1 (npm run bench:short): 2-second rounds, one round, one cold start.
 * No thresholds: it fails only when a case answers 5xx, an unexpected status, or books a slot twice.
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSeed } from './seed';

// autocannon has no type declarations; this is the part of its programmatic API used here.
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (o: CannonOptions) => Promise<CannonResult>;

const SHORT = process.env.BENCH_SHORT === '1';
const DURATION = Number(process.env.BENCH_DURATION ?? (SHORT ? 2 : 10));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SHORT ? 1 : 2));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const BOOKING_CONNECTIONS = Number(process.env.BENCH_BOOKING_CONNECTIONS ?? 64);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? (SHORT ? 1 : 3));
const PG = process.env.BENCH_DATABASE_URL;
/** Only the cases whose name matches this regular expression (e.g. BENCH_ONLY=feed). */
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '', 'i');
const ROOT = join(__dirname, '..', '..');

interface Side {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  statuses: Record<string, number>;
}
interface CaseResult {
  case: string;
  app: Side;
  bare: Side;
  bareName: string;
  ratio: number;
  unit: 'req/s' | 'ms';
}

const children: ChildProcess[] = [];

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'thresholds-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    SCHEDULED_JOBS_ENABLED: 'false',
    MAIL_POLL_MS: '600000',
    SEED_DEMO_DATA: 'false',
    MAIL_SPOOL_DIR: join(dir, 'mail'),
    SQLITE_PATH: join(dir, 'bench.sqlite'),
    DATABASE_URL: PG ?? '',
  };
  try {
    if (PG) await resetPostgres(PG);
    const seedOut = await runToEnd('node', [join(ROOT, 'dist/scripts/bench/seed.js')], env);
    const line = seedOut.split('\n').find((l) => l.startsWith('BENCH_SEED '));
    if (!line) throw new Error(`seed printed no BENCH_SEED line:\n${seedOut}`);
    const seed = JSON.parse(line.slice('BENCH_SEED '.length)) as BenchSeed;

    const appPort = await freePort();
    const appEnv = { ...env, PORT: String(appPort) };
    await startUntilHealthy('node', [join(ROOT, 'dist/src/main.js')], appEnv, appPort);
    const app = `http://127.0.0.1:${appPort}`;
    const presenter = { Authorization: `Bearer ${seed.presenterToken}` };
    const coordinator = { Authorization: `Bearer ${seed.coordinatorToken}` };

    // What the baselines serve: the app's own feed bytes and the locals of its meetings page.
    const feed = await fetch(`${app}${seed.feedPath}`);
    if (feed.status !== 200) throw new Error(`feed answered ${feed.status}`);
    const etag = feed.headers.get('etag')!;
    const body = Buffer.from(await feed.arrayBuffer());
    writeFileSync(join(dir, 'feed.ics'), body);
    const seriesFeed = await fetch(`${app}${seed.seriesFeedPath}`);
    if (seriesFeed.status !== 200) throw new Error(`series feed answered ${seriesFeed.status}`);
    const seriesBody = Buffer.from(await seriesFeed.arrayBuffer());
    writeFileSync(join(dir, 'series.ics'), seriesBody);
    const meetings = (await (await fetch(`${app}/api/meetings`, { headers: presenter })).json()) as Array<{
      slots: Array<{ available: boolean }>;
    }>;
    writeFileSync(
      join(dir, 'locals.json'),
      JSON.stringify({
        title: 'Upcoming meetings',
        meetings: meetings.map((m) => ({ ...m, freeSlots: m.slots.filter((s) => s.available).length, open: true })),
        currentUser: { name: 'Bench Presenter', email: 'presenter@bench.test', roles: ['professional', 'chair'] },
        navigation: [
          { text: 'Meetings', href: '/meetings', current: true },
          { text: 'Your items', href: '/bookings' },
          { text: 'Chairing', href: '/chair' },
          { text: 'Reports', href: '/reports' },
          { text: 'Calendar', href: '/calendar' },
          { text: 'Sign out', href: '/sign-out' },
        ],
        csrfToken: 'bench-csrf-token-bench-csrf-token',
        cspNonce: 'YmVuY2gtbm9uY2UtYmVuY2g=',
      }),
    );

    const bareFeed = await startBaseline('http', { ...env, BENCH_BODY_FILE: join(dir, 'feed.ics'), BENCH_ETAG: etag });
    const bareSeries = await startBaseline('http', {
      ...env,
      BENCH_BODY_FILE: join(dir, 'series.ics'),
      BENCH_ETAG: seriesFeed.headers.get('etag')!,
    });
    const bareSqlite = await startBaseline('sqlite', { ...env, BENCH_SQLITE_FILE: join(dir, 'bare.sqlite') });
    const bareNest = await startBaseline('nest', { ...env, BENCH_LOCALS_FILE: join(dir, 'locals.json') });

    const results: CaseResult[] = [];
    const ab = async (name: string, bareName: string, a: CannonOptions, b: CannonOptions, ok: number[]) => {
      if (!ONLY.test(name)) return;
      const sidesA: CannonResult[] = [];
      const sidesB: CannonResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        sidesA.push(await cannon(a));
        sidesB.push(await cannon(b));
      }
      const r = { case: name, bareName, app: merge(sidesA), bare: merge(sidesB), ratio: 0, unit: 'req/s' as const };
      r.ratio = r.app.rps / r.bare.rps;
      for (const [side, s] of [
        ['app', r.app],
        ['bare', r.bare],
      ] as const)
        for (const code of Object.keys(s.statuses))
          if (!ok.includes(Number(code))) throw new Error(`${name} (${side}): ${s.statuses[code]} × ${code}`);
      results.push(r);
      console.log(row(r));
    };
    const get = (url: string, headers: Record<string, string> = {}): CannonOptions => ({
      url,
      headers,
      connections: CONNECTIONS,
      duration: DURATION,
    });

    console.log(
      `\n${PG ? 'PostgreSQL' : 'SQLite'}; ${ROUNDS} A/B round(s) of ${DURATION} s per case; ${CONNECTIONS} connections ` +
        `(${BOOKING_CONNECTIONS} for bookings); feed ${body.length} bytes; ${cpus().length} cores; Node ${process.version}\n`,
    );
    console.log(HEADER);
    await ab('feed, full body', 'bare http, same bytes', get(`${app}${seed.feedPath}`), get(`${bareFeed}/f`), [200]);
    await ab(
      'feed, 304',
      'bare http, same bytes',
      get(`${app}${seed.feedPath}`, { 'If-None-Match': etag }),
      get(`${bareFeed}/f`, { 'If-None-Match': etag }),
      [304],
    );
    await ab(
      'public dates feed',
      'bare http, same bytes',
      get(`${app}${seed.seriesFeedPath}`),
      get(`${bareSeries}/f`),
      [200],
    );
    await ab(
      'GET /api/meetings',
      'bare NestJS /health',
      get(`${app}/api/meetings`, presenter),
      get(`${bareNest}/health`),
      [200],
    );
    await ab(
      "presenter's page /meetings",
      'bare NestJS, same template',
      get(`${app}/meetings`, { Cookie: `thresholds_session=${seed.presenterToken}` }),
      get(`${bareNest}/meetings`),
      [200],
    );
    const bookingBody = JSON.stringify({
      kind: 'agency-feedback',
      immediateRisk: false,
      summary: 'Benchmark feedback: acknowledgements are taking more than three working days to arrive.',
      joinWaitlist: true,
    });
    const post = (url: string, headers: Record<string, string>): CannonOptions => ({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: bookingBody,
      connections: BOOKING_CONNECTIONS,
      duration: DURATION,
    });
    await ab(
      'booking POST (joinWaitlist)',
      'bare http + better-sqlite3 insert',
      post(`${app}/api/meetings/${seed.bookingMeetingId}/bookings`, coordinator),
      post(`${bareSqlite}/i`, {}),
      [201],
    );
    const booking = results.find((r) => r.case.startsWith('booking'));
    if (booking) await checkNoDoubleBooking(app, seed, coordinator, booking.app.statuses['201'] ?? 0);

    // Cold start: process start to the first 200 from /health, app (on the seeded database) vs bare NestJS.
    const appStarts: number[] = [];
    const bareStarts: number[] = [];
    for (let i = 0; ONLY.test('cold start') && i < COLD_STARTS; i++) {
      const p1 = await freePort();
      appStarts.push(await coldStart('node', [join(ROOT, 'dist/src/main.js')], { ...env, PORT: String(p1) }, p1));
      bareStarts.push(await coldStart('node', [join(ROOT, 'dist/scripts/bench/baselines.js'), 'nest'], env));
    }
    const cold: CaseResult = {
      case: 'cold start to /health (ms)',
      bareName: 'bare NestJS',
      app: { rps: 0, p50: median(appStarts), p99: Math.max(...appStarts), requests: COLD_STARTS, statuses: {} },
      bare: { rps: 0, p50: median(bareStarts), p99: Math.max(...bareStarts), requests: COLD_STARTS, statuses: {} },
      ratio: median(appStarts) / median(bareStarts),
      unit: 'ms',
    };
    if (appStarts.length) {
      results.push(cold);
      console.log(row(cold));
    }
    console.log('\nratio: app ÷ bare throughput (cold start: app ÷ bare time); p50/p99 in ms.');

    mkdirSync(join(ROOT, 'reports/bench'), { recursive: true });
    const report = {
      at: new Date().toISOString(),
      commit: gitCommit(),
      engine: PG ? 'postgres' : 'sqlite',
      node: process.version,
      cores: cpus().length,
      durationSeconds: DURATION,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      bookingConnections: BOOKING_CONNECTIONS,
      feedBytes: body.length,
      results,
    };
    writeFileSync(join(ROOT, 'reports/bench/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('Written: reports/bench/latest.json');
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

const HEADER =
  '| case | app req/s | bare req/s | ratio | app p50/p99 ms | bare p50/p99 ms | baseline |\n|---|---:|---:|---:|---:|---:|---|';

function row(r: CaseResult): string {
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const rps = (s: Side) => (r.unit === 'ms' ? '–' : s.rps.toFixed(0));
  return `| ${r.case} | ${rps(r.app)} | ${rps(r.bare)} | ${r.ratio.toFixed(2)} | ${f(r.app.p50)} / ${f(r.app.p99)} | ${f(r.bare.p50)} / ${f(r.bare.p99)} | ${r.bareName} |`;
}

async function cannon(o: CannonOptions): Promise<CannonResult> {
  const r = await autocannon(o);
  if (r.errors || r.timeouts) throw new Error(`${o.url}: ${r.errors} errors, ${r.timeouts} timeouts`);
  return r;
}

/** Rounds together: mean throughput, the worst p50 and p99 of the rounds, summed status counts. */
function merge(rs: CannonResult[]): Side {
  const statuses: Record<string, number> = {};
  for (const r of rs)
    for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = (statuses[code] ?? 0) + s.count;
  return {
    rps: rs.reduce((a, r) => a + r.requests.average, 0) / rs.length,
    p50: Math.max(...rs.map((r) => r.latency.p50)),
    p99: Math.max(...rs.map((r) => r.latency.p99)),
    requests: rs.reduce((a, r) => a + r.requests.total, 0),
    statuses,
  };
}

/** No slot holds two booked items (the meeting's agenda), and every 201 is one stored item. Read back through the API. */
async function checkNoDoubleBooking(
  app: string,
  seed: BenchSeed,
  headers: Record<string, string>,
  created: number,
): Promise<void> {
  const meeting = await fetch(`${app}/api/meetings/${seed.bookingMeetingId}`, { headers });
  if (meeting.status !== 200) throw new Error(`GET /api/meetings/:id answered ${meeting.status}`);
  const { agenda, slots } = (await meeting.json()) as {
    agenda: Array<{ slotIndex: number | null }>;
    slots: Array<{ index: number }>;
  };
  const booked = agenda.map((b) => b.slotIndex);
  if (new Set(booked).size !== booked.length || booked.length > slots.length)
    throw new Error(`double booking: slots ${booked.join(',')} of ${slots.length}`);
  const res = await fetch(`${app}/api/bookings?meetingId=${seed.bookingMeetingId}`, { headers });
  if (res.status !== 200) throw new Error(`GET /api/bookings answered ${res.status}`);
  const items = (await res.json()) as unknown[];
  // GET /api/bookings answers at most 500 items. Requests still in flight when a round ends are
  // counted by neither side but may be stored.
  const capped = items.length === 500;
  if ((!capped && items.length < created) || items.length > created + BOOKING_CONNECTIONS * ROUNDS)
    throw new Error(`${created} bookings answered 201 but ${items.length} stored`);
  console.log(
    `(bookings: ${created} answered 201, ${capped ? 'at least 500' : items.length} stored, ` +
      `${booked.length} of ${slots.length} slots booked once each, the rest waitlisted)`,
  );
}

async function resetPostgres(url: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await c.end();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}:\n${out}`))));
  });
}

/** Starts a long-lived child and waits until GET /health answers 200. */
async function startUntilHealthy(cmd: string, args: string[], env: NodeJS.ProcessEnv, port: number): Promise<void> {
  const c = spawn(cmd, args, { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(c);
  await untilHealthy(c, port);
}

async function untilHealthy(c: ChildProcess, port: number): Promise<void> {
  for (;;) {
    if (c.exitCode !== null) throw new Error(`process exited ${c.exitCode} before /health answered`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A baseline child; resolves with its base URL once it prints BENCH_READY <port>. */
function startBaseline(kind: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn('node', [join(ROOT, 'dist/scripts/bench/baselines.js'), kind], {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(c);
    let out = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /BENCH_READY (\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    c.on('exit', (code) => reject(new Error(`baseline ${kind} exited ${code}`)));
  });
}

/** Milliseconds from spawn to the first 200 from /health; the process is stopped afterwards. */
async function coldStart(cmd: string, args: string[], env: NodeJS.ProcessEnv, port?: number): Promise<number> {
  const t0 = performance.now();
  if (port !== undefined) {
    const c = spawn(cmd, args, { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await untilHealthy(c, port);
      return performance.now() - t0;
    } finally {
      await stop(c);
    }
  }
  // The bare NestJS app picks its own port and prints it.
  const c = spawn(cmd, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const p = await new Promise<number>((resolve) => {
      let out = '';
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /BENCH_READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    await untilHealthy(c, p);
    return performance.now() - t0;
  } finally {
    await stop(c);
  }
}

function stop(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (c.exitCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gitCommit(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  } catch {
    return null;
  }
}

main().catch((err) => {
  console.error(err);
  for (const c of children) c.kill('SIGTERM');
  process.exit(1);
});
