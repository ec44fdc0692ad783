/**
 * `npm run bench:feed`: how fast is a calendar feed request, compared with a bare Node `http`
 * server serving the very same bytes, measured in the same run on the same machine.
 *
 * It boots the real application on a fresh SQLite file, gives one presenter a year of items
 * (a weekly series: one slot in each of 52 meetings) and chairs the same 52 meetings, then fires
 * REQUESTS requests at each server with CONCURRENCY in flight, for three kinds of request:
 *   - full: a plain GET, as a client's first poll (the body comes from the in-memory cache
 *     when nothing has changed);
 *   - 304: a conditional GET with the ETag, as clients poll afterwards;
 *   - bare: the same body from a bare http server (the floor).
 * Prints requests per second, p50 and p99 latency, and the ratios to the bare server.
 */
import 'reflect-metadata';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { startBenchApp } from './bench-app';
import { CalendarFeedsService } from '../src/calendar/calendar-feeds.service';
import { TransactionRunner } from '../src/database/transaction-runner';
import { Agency } from '../src/directory/agency.entity';
import { User } from '../src/directory/user.entity';
import { Booking } from '../src/bookings/booking.entity';
import { MeetingsService } from '../src/meetings/meetings.service';
import { Meeting } from '../src/meetings/meeting.entity';
import { londonToday } from '../src/scheduling/calendar-rules';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
}

async function main(): Promise<void> {
  const { app, port: appPort, close } = await startBenchApp('bench-feed');
  try {
    const path = await seed(app);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const first = await get(appPort, path, agent);
    if (first.status !== 200) throw new Error(`feed answered ${first.status}`);
    const etag = first.headers.etag as string;

    const bare = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: etag });
      res.end(first.body);
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
    const barePort = (bare.address() as AddressInfo).port;

    // Warm up both, then measure.
    await run('warm-up', appPort, path, agent, {}, 200);
    await run('warm-up', barePort, path, agent, {}, 200);
    const results = [
      await run('bare http server, same bytes', barePort, path, agent, {}),
      await run('feed, full body', appPort, path, agent, {}),
      await run('feed, 304 with If-None-Match', appPort, path, agent, { 'If-None-Match': etag }),
    ];
    bare.close();
    agent.destroy();
    report(results, first.body.length);
  } finally {
    await close();
  }
}

/** One presenter with a slot in each of 52 weekly meetings, which they also chair. */
async function seed(app: NestExpressApplication): Promise<string> {
  const tx = app.get(TransactionRunner);
  const ds = app.get(DataSource);
  const user = await tx.write(async (m) => {
    const agency = m.create(Agency, { name: 'Bench Academy', sector: 'education', emailDomains: [] });
    await m.save(agency);
    const u = m.create(User, {
      email: 'bench@bench.test',
      name: 'Bench Presenter',
      agencyId: agency.id,
      roles: ['professional', 'chair'],
      active: true,
    });
    await m.insert(User, u);
    return u;
  });
  const today = londonToday(new Date());
  const monday = new Date(`${today}T12:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
  await app.get(MeetingsService).createSeries({
    title: 'Thresholds and Referrals Meeting',
    firstMeetingDate: monday.toISOString().slice(0, 10),
    startTime: '10:00',
    durationMinutes: 120,
    slotMinutes: 15,
    intervalWeeks: 1,
    location: 'Council Chamber, County Hall',
    onlineUrl: 'https://meet.example.org/trm',
    chairUserId: user.id,
    bankHolidayPolicy: 'next-working-day',
    horizonWeeks: 52,
  });
  const meetings = await ds.manager.find(Meeting, { order: { startsAt: 'ASC' } });
  await tx.write(async (m) => {
    let n = 0;
    for (const meeting of meetings) {
      await m.insert(
        Booking,
        m.create(Booking, {
          reference: `TRM-BENCH-${String(++n).padStart(4, '0')}`,
          meetingId: meeting.id,
          presenterUserId: user.id,
          agencyId: user.agencyId!,
          kind: 'threshold-consultation',
          status: 'booked',
          slotIndex: n % 8,
          concernCategories: ['neglect'],
          summary: 'Benchmark item',
          sequence: 0,
        }),
      );
    }
  });
  const { url } = await app.get(CalendarFeedsService).rotate(user);
  console.log(`Seeded ${meetings.length} meetings and ${meetings.length} items for one user.`);
  return new URL(url).pathname;
}

function get(port: number, path: string, agent: Agent, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(
  name: string,
  port: number,
  path: string,
  agent: Agent,
  headers: Record<string, string>,
  count = REQUESTS,
): Promise<Result> {
  const latencies: number[] = [];
  let bytes = 0;
  let issued = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (issued < count) {
      issued++;
      const t0 = process.hrtime.bigint();
      const res = await get(port, path, agent, headers);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.status !== 200 && res.status !== 304) throw new Error(`${name}: status ${res.status}`);
      bytes += res.body.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { name, rps: count / seconds, p50: pct(0.5), p99: pct(0.99), bytes };
}

function report(results: Result[], bodyBytes: number): void {
  const [bare] = results;
  console.log(
    `\nFeed body: ${bodyBytes} bytes. ${REQUESTS} requests per case, ${CONCURRENCY} in flight, Node ${process.version}.\n`,
  );
  console.log('| case | requests/s | p50 ms | p99 ms | throughput vs bare |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / bare.rps).toFixed(2)} |`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
