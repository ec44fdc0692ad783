import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { buildService, freePort, startBuiltService } from './support/built-service';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestDatabase, TestApp, TestDatabase } from './support/test-app';

/**
 * The built service as its own process, killed with SIGKILL in the middle of a burst of
 * bookings and started again on the same database: every booking that was answered 201 is
 * there. This is the commit-before-answer guarantee at the process level (SQLite: the commit is
 * in the WAL before the answer goes; PostgreSQL: the server has it). A power cut or an OS crash
 * cannot be simulated here; surviving one is what `synchronous = FULL` adds on SQLite (see
 * README, "Backups and durability"), and the setting itself is checked in durability.e2e-spec.ts.
 */
const BURST = 40;
const PARALLEL = 4;
/** The kill comes right after this many bookings have been answered, with others in flight. */
const KILL_AFTER = 16;

describe('a crash of the service', () => {
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let mailDir: string;
  let port: number;
  let service: ChildProcess | null = null;
  /** The fixtures only use `http`, which supertest also accepts as the address of a running server. */
  let t: TestApp;
  let p: Partnership;

  const base = () => `http://127.0.0.1:${port}`;

  async function start(): Promise<void> {
    service = (await startBuiltService({ port, database, smtp, mailDir })).child;
  }

  async function kill(): Promise<void> {
    const child = service!;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    service = null;
  }

  beforeAll(async () => {
    // The built service, as `npm start` runs it.
    await buildService();
    smtp = await SmtpTestServer.start();
    database = await createTestDatabase();
    mailDir = mkdtempSync(join(tmpdir(), 'thresholds-crash-mail-'));
    port = await freePort();
    await start();
    t = { http: base() } as unknown as TestApp;
    p = await setUpPartnership(t, smtp);
  }, 180_000);

  afterAll(async () => {
    if (service) await kill();
    await smtp?.stop();
    await database?.drop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('loses none of the bookings it answered 201 when killed with SIGKILL mid-burst', async () => {
    // The built service runs on the real clock (a process of its own: the test clock cannot reach
    // it), and generates meetings up to its horizon from its own today. So the series starts from
    // the real date here, the one place a test does: nothing below depends on which date it is.
    const series = await createSeries(t, p, {
      intervalWeeks: 1,
      horizonWeeks: 8,
      firstMeetingDate: workingDayFromToday(14, new Date()),
    });
    const meetings = series.meetings.slice(0, 5).map((m) => m.id); // 5 × 8 slots = the burst
    expect(meetings).toHaveLength(5);
    const presenters = [p.a1, p.a2, p.b1];

    const answered: Array<{ id: string; reference: string; meetingId: string }> = [];
    const otherAnswers: number[] = [];
    let sent = 0;
    let failed = 0;
    const killed: Array<Promise<void>> = [];

    // PARALLEL workers send bookings back to back, each to a different meeting at any moment.
    const worker = async (w: number) => {
      for (let i = w; i < BURST; i += PARALLEL) {
        const meetingId = meetings[i % meetings.length];
        sent++;
        let res: Response;
        try {
          res = await fetch(`${base()}/api/meetings/${meetingId}/bookings`, {
            method: 'POST',
            headers: { ...bearer(presenters[i % presenters.length]), 'content-type': 'application/json' },
            body: JSON.stringify(thresholdItem({ joinWaitlist: true, agencyReference: `CRASH-${i}` })),
          });
        } catch {
          failed++; // killed under this request, or refused afterwards: its outcome is unknown
          return;
        }
        if (res.status !== 201) {
          otherAnswers.push(res.status);
          continue;
        }
        const body = (await res.json()) as { id: string; reference: string };
        answered.push({ id: body.id, reference: body.reference, meetingId });
        if (answered.length === KILL_AFTER) killed.push(kill());
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, (_, w) => worker(w)));
    await Promise.all(killed);

    expect(otherAnswers).toEqual([]);
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(failed).toBeGreaterThan(0); // the kill really came mid-burst
    const unknown = sent - answered.length; // sent but never answered: may or may not have committed

    await start();
    for (const booking of answered) {
      const res = await request(base()).get(`/api/bookings/${booking.id}`).set(bearer(p.coordinator));
      expect({ id: booking.id, status: res.status }).toEqual({ id: booking.id, status: 200 });
      expect(res.body.reference).toBe(booking.reference);
    }
    let stored = 0;
    for (const meetingId of meetings) {
      const res = await request(base())
        .get('/api/bookings')
        .query({ meetingId })
        .set(bearer(p.coordinator))
        .expect(200);
      const ids = new Set(res.body.map((b: { id: string }) => b.id));
      for (const b of answered.filter((a) => a.meetingId === meetingId)) expect(ids.has(b.id)).toBe(true);
      stored += ids.size;
    }
    expect(stored).toBeGreaterThanOrEqual(answered.length);
    expect(stored).toBeLessThanOrEqual(answered.length + unknown);
  });
});
