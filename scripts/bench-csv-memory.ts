/**
 * `npm run bench:csv-memory`: does the items CSV export stream, or does it load everything?
 *
 * Boots the real application on a fresh SQLite file, seeds a large partnership's year (100,000
 * items over 52 weekly meetings, four in five with an outcome, each with realistic free text that
 * the export must not read) with raw multi-row INSERTs in one transaction, then:
 *   1. measures the baseline: RSS after boot and seeding, after garbage collection;
 *   2. exports the year through the real HTTP endpoint (GET /api/reports/items.csv, a real
 *      coordinator session), reading the response as a client would and keeping nothing, while
 *      sampling RSS every 10 ms; the peak minus the baseline is the export's growth;
 *   3. for comparison, loads the same rows at once (one query without pages) and measures that.
 * Asserts that the export's growth stays under BENCH_MAX_GROWTH_MB (default 32) and prints all
 * the figures. Run with --expose-gc (the npm script does) so the baseline is not inflated by
 * garbage from the seeding.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { resourceUsage } from 'node:process';
import { startBenchApp } from './bench-app';
import { NestExpressApplication } from '@nestjs/platform-express';
import { hashToken, newSecretToken } from '../src/auth/secret-token';
import { TransactionRunner } from '../src/database/transaction-runner';
import { ReportQueries } from '../src/reports/report-queries';
import { reportPeriod } from '../src/reports/report-period';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const MEETINGS = 52;
const AGENCIES = 40;
const MAX_GROWTH_MB = Number(process.env.BENCH_MAX_GROWTH_MB ?? 32);
const ROWS_PER_INSERT = 500;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  if (!gc) throw new Error('Run with node --expose-gc (npm run bench:csv-memory does).');
  const { app, port, close } = await startBenchApp('bench-csv');
  try {
    const started = Date.now();
    const token = await seed(app);
    console.log(
      `Seeded ${ITEMS.toLocaleString('en-GB')} items (${MEETINGS} meetings, ${AGENCIES} agencies) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );

    const baseline = await settledRss();
    const maxRssBefore = resourceUsage().maxRSS * 1024;
    const exported = await sampled(() => exportCsv(port, token));
    const maxRssAfter = resourceUsage().maxRSS * 1024;
    const growth = exported.peak - baseline;

    // For comparison: the same rows in one query, all in memory at once.
    const naiveBaseline = await settledRss();
    const naive = await sampled(async () => {
      const rows = await app
        .get(TransactionRunner)
        .read((m) => app.get(ReportQueries).itemPage(m, reportPeriod('2025-01-01', '2025-12-31'), null, ITEMS * 2));
      return { rows: rows.length };
    });

    const fmt = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
    console.log(
      `CSV export: ${exported.result.rows.toLocaleString('en-GB')} rows, ${fmt(exported.result.bytes)} in ${(exported.result.ms / 1000).toFixed(1)} s`,
    );
    console.log(`  baseline RSS (after boot and seeding, after GC): ${fmt(baseline)}`);
    console.log(`  peak RSS during the export:                      ${fmt(exported.peak)}`);
    console.log(`  growth during the export:                        ${fmt(growth)} (bound: ${MAX_GROWTH_MB} MB)`);
    console.log(`  process maxRSS before / after the export:        ${fmt(maxRssBefore)} / ${fmt(maxRssAfter)}`);
    console.log(
      `For comparison, the same ${naive.result.rows.toLocaleString('en-GB')} rows loaded at once: peak ${fmt(naive.peak)}, growth ${fmt(naive.peak - naiveBaseline)}.`,
    );
    if (exported.result.rows !== ITEMS) throw new Error(`expected ${ITEMS} rows, got ${exported.result.rows}`);
    if (growth > MAX_GROWTH_MB * MB)
      throw new Error(`the export grew RSS by ${fmt(growth)}, over the ${MAX_GROWTH_MB} MB bound`);
    console.log('OK: the export streams within the bound.');
  } finally {
    await close();
  }
}

/** RSS once garbage has been collected and the heap has settled. */
async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return process.memoryUsage().rss;
}

/** Runs `work` while sampling RSS every 10 ms; returns its result and the highest sample. */
async function sampled<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

/** GETs the year's CSV as a client would, counting rows and bytes and keeping nothing. */
function exportCsv(port: number, token: string): Promise<{ rows: number; bytes: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    httpGet(
      {
        host: '127.0.0.1',
        port,
        path: '/api/reports/items.csv?from=2025-01-01&to=2025-12-31',
        headers: { Authorization: `Bearer ${token}` },
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
        let lines = 0;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        });
        res.on('end', () => resolve({ rows: lines - 1, bytes, ms: Date.now() - started })); // less the header line
        res.on('error', reject);
      },
    ).on('error', reject);
  });
}

/** Raw multi-row INSERTs in one transaction; returns a coordinator's session token. */
async function seed(app: NestExpressApplication): Promise<string> {
  const at = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
  const insert = async (
    m: { query(sql: string, params: unknown[]): Promise<unknown> },
    table: string,
    columns: string[],
    rows: unknown[][],
  ) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const placeholders = chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
      await m.query(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${placeholders}`,
        chunk.flat(),
      );
    }
  };
  const token = newSecretToken();
  await app.get(TransactionRunner).write(async (m) => {
    const sectors = ['education', 'health', 'police', 'voluntary', 'early-help', 'housing'];
    const agencies = Array.from({ length: AGENCIES }, (_, i) => [
      randomUUID(),
      i % 7 === 0 ? `Agency ${i}, "Quoted" & Co` : `Agency ${i}`,
      sectors[i % sectors.length],
    ]);
    await insert(m, 'agency', ['id', 'name', 'sector'], agencies);
    const coordinator = randomUUID();
    const users = [
      [coordinator, 'coordinator@bench.test', 'Bench Coordinator', agencies[0][0], '["coordinator","chair"]', 1],
    ];
    for (const [i, a] of agencies.entries())
      users.push([randomUUID(), `presenter${i}@bench.test`, `Presenter ${i}`, a[0], '["professional"]', 1]);
    await insert(m, 'app_user', ['id', 'email', 'name', 'agencyId', 'roles', 'active'], users);
    const series = randomUUID();
    await insert(
      m,
      'meeting_series',
      [
        'id',
        'title',
        'firstMeetingDate',
        'startTime',
        'durationMinutes',
        'slotMinutes',
        'intervalWeeks',
        'bankHolidayPolicy',
        'horizonWeeks',
        'active',
      ],
      [[series, 'Thresholds and Referrals Meeting', '2025-01-07', '10:00', 120, 15, 1, 'skip', 52, 1]],
    );
    const meetings = Array.from({ length: MEETINGS }, (_, w) => {
      const startsAt = new Date(Date.UTC(2025, 0, 7 + 7 * w, 10));
      return [
        randomUUID(),
        series,
        startsAt.toISOString().slice(0, 10),
        'Thresholds and Referrals Meeting',
        at(startsAt),
        at(new Date(startsAt.getTime() + 7200_000)),
        15,
        at(new Date(startsAt.getTime() - 2 * 86_400_000)),
        'scheduled',
      ];
    });
    await insert(
      m,
      'meeting',
      ['id', 'seriesId', 'occurrenceDate', 'title', 'startsAt', 'endsAt', 'slotMinutes', 'bookingClosesAt', 'status'],
      meetings,
    );
    const categories = [
      '["neglect"]',
      '["neglect","mental-health"]',
      '["domestic-abuse"]',
      '["criminal-exploitation","missing"]',
    ];
    const question =
      'Does the pattern of attendance and presentation meet the threshold for early help or a referral to the MASH? '.repeat(
        2,
      );
    const summary =
      'Year 9 pupil, attendance has fallen this term; arrives hungry most days; parent reports low mood. No disclosures. '.repeat(
        6,
      );
    const bookings: unknown[][] = [];
    const outcomes: unknown[][] = [];
    for (let n = 0; n < ITEMS; n++) {
      const id = randomUUID();
      const agency = n % AGENCIES;
      const kind = n % 10 === 0 ? 'referral-feedback' : 'threshold-consultation';
      bookings.push([
        id,
        `B-${n}`,
        meetings[n % MEETINGS][0],
        users[agency + 1][0],
        agencies[agency][0],
        kind,
        'booked',
        Math.floor(n / MEETINGS),
        `REF-${n}`,
        '5-10',
        categories[n % 4],
        1 + (n % 4),
        question,
        summary,
      ]);
      if (n % 5 !== 0) {
        const referral = kind === 'referral-feedback';
        outcomes.push([
          randomUUID(),
          id,
          meetings[n % MEETINGS][0],
          kind,
          1 + ((n + 1) % 4),
          'early-help',
          'Advice given at the meeting, recorded by the chair.',
          referral ? n % 3 !== 0 : null,
          referral ? n % 4 !== 0 : null,
          referral ? true : null,
          referral ? '["missing-information"]' : null,
          1,
          coordinator,
          coordinator,
        ]);
      }
    }
    await insert(
      m,
      'booking',
      [
        'id',
        'reference',
        'meetingId',
        'presenterUserId',
        'agencyId',
        'kind',
        'status',
        'slotIndex',
        'agencyReference',
        'ageBand',
        'concernCategories',
        'levelConsidered',
        'question',
        'summary',
      ],
      bookings,
    );
    await insert(
      m,
      'item_outcome',
      [
        'id',
        'bookingId',
        'meetingId',
        'kind',
        'levelAdvised',
        'pathway',
        'advice',
        'qualityTimely',
        'qualityComplete',
        'qualityAppropriate',
        'qualityIssues',
        'version',
        'recordedByUserId',
        'updatedByUserId',
      ],
      outcomes.map((o) => o.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))),
    );
    await insert(
      m,
      'session',
      ['id', 'tokenHash', 'userId', 'expiresAt', 'lastSeenAt'],
      [[randomUUID(), hashToken(token), coordinator, at(new Date(Date.now() + 3600_000)), at(new Date())]],
    );
  });
  return token;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
