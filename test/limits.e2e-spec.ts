import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { Booking } from '../src/bookings/booking.entity';
import { CalendarFeed } from '../src/calendar/calendar-feed.entity';
import { MailOutbox } from '../src/mail/mail-outbox.service';
import { TransactionRunner } from '../src/database/transaction-runner';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { bearer, LINK_PATTERN } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { sessionCookieOf, submitForm, webAgent, webSignIn } from './support/web';

/** Floods, priority and the smaller holes: tried as an attacker (or a runaway script) would. */
describe('limits and priority', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: Array<{ id: string }>;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: {
        SMTP_URL: smtp.url,
        BOOKING_LIMIT_PER_MEETING: '4',
        BOOKING_LIMIT_PER_DAY: '6',
        SIGN_IN_LIMIT_PER_EMAIL: '4',
      },
    });
    p = await setUpPartnership(t, smtp);
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 6, slotMinutes: 10 })).meetings;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const book = (token: string, meetingId: string) =>
    request(t.http)
      .post(`/api/meetings/${meetingId}/bookings`)
      .set(bearer(token))
      .send(thresholdItem({ joinWaitlist: true }));

  it('caps one presenter at 4 items on a meeting, even when 10 requests arrive at once: 429 BOOKING_LIMIT', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => book(p.a1, meetings[0].id)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(4);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused).toHaveLength(6);
    expect(refused[0].body).toMatchObject({ code: 'BOOKING_LIMIT', details: { per: 'meeting', limit: 4 } });
    expect(await t.dataSource.getRepository(Booking).countBy({ meetingId: meetings[0].id })).toBe(4);
  });

  it('caps one presenter at 6 items a day across meetings; a coordinator is not capped', async () => {
    // A presenter of its own (the test before books as another): 4 on one meeting first…
    const first = await Promise.all(Array.from({ length: 4 }, () => book(p.a2, meetings[4].id)));
    expect(first.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const answers = [];
    for (const m of meetings.slice(1, 4)) for (let i = 0; i < 2; i++) answers.push(await book(p.a2, m.id));
    // …then 2 more make 6 today.
    expect(answers.map((r) => r.status)).toEqual([201, 201, 429, 429, 429, 429]);
    expect((answers[2] as request.Response).body).toMatchObject({ code: 'BOOKING_LIMIT', details: { per: 'day' } });
    for (let i = 0; i < 6; i++) await book(p.coordinator, meetings[1].id).expect((r) => expect(r.status).not.toBe(429));
  });

  it('sends a sign-in link before a flood of notices queued earlier', async () => {
    const outbox = t.app.get(MailOutbox);
    const tx = t.app.get(TransactionRunner);
    await tx.write(async (m) => {
      for (let i = 0; i < 30; i++) {
        await outbox.enqueue(m, {
          kind: 'test-flood',
          to: 'flood@partnership.test',
          subject: `Notice ${i}`,
          content: { paragraphs: ['x'] },
        });
      }
    });
    await request(t.http).post('/api/auth/sign-in').send({ email: 'health.visitor@health.nhs.test' }).expect(202);
    await outboxSettled(t, smtp);
    const order = smtp.messages.map((m) => (String(m.text).match(LINK_PATTERN) ? 'link' : m.subject));
    const link = order.lastIndexOf('link');
    const lastNotice = order.lastIndexOf('Notice 29');
    expect(link).toBeLessThan(lastNotice);
  });

  it('counts sign-in requests per mailbox across the API and the sign-in page, "+tags" included', async () => {
    // The set-up signed this person in once: three more are allowed (4 in the window), then none.
    await outboxSettled(t, smtp);
    // Sign-in links only: other tests' notices to this person may arrive meanwhile.
    const links = () => smtp.to('deputy.dsl@riverside.sch.uk').filter((m) => LINK_PATTERN.test(String(m.text))).length;
    const before = links();
    await request(t.http).post('/api/auth/sign-in').send({ email: 'deputy.dsl@riverside.sch.uk' }).expect(202);
    await request(t.http).post('/api/auth/sign-in').send({ email: 'Deputy.DSL+1@riverside.sch.uk' }).expect(202);
    const page = webAgent(t);
    expect((await submitForm(page, '/sign-in', { email: 'deputy.dsl+2@riverside.sch.uk' })).status).toBe(303);
    await request(t.http).post('/api/auth/sign-in').send({ email: 'deputy.dsl+3@riverside.sch.uk' }).expect(429);
    expect((await submitForm(page, '/sign-in', { email: 'deputy.dsl@riverside.sch.uk' })).status).toBe(429);
    await outboxSettled(t, smtp);
    expect(links() - before).toBeLessThanOrEqual(1);
  });

  it('a session cookie with "Authorization: bearer x" is still checked for CSRF, and changes nothing', async () => {
    const feedsBefore = await t.dataSource.getRepository(CalendarFeed).count();
    const web = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    const cookie = sessionCookieOf(web);
    const res = await request(t.http)
      .post('/api/me/calendar-feed')
      .set('Cookie', `thresholds_session=${cookie}`)
      .set('Authorization', 'bearer x')
      .expect(403);
    expect(res.body.code).toBe('CSRF_FAILED');
    expect(await t.dataSource.getRepository(CalendarFeed).count()).toBe(feedsBefore);
    // A real bearer token in lower-case "bearer" is an API client, and works.
    await request(t.http).post('/api/me/calendar-feed').set('Authorization', `bearer ${p.a1}`).expect(201);
  });

  it('a sign-in link cannot be read back once sent: not from the outbox, nor (SQLite) from the database files', async () => {
    const before = smtp.to('chair@csc.gov.test').length;
    await request(t.http).post('/api/auth/sign-in').send({ email: 'chair@csc.gov.test' }).expect(202);
    await smtp.waitFor(() => smtp.to('chair@csc.gov.test').length > before);
    await outboxSettled(t, smtp);
    const token = String(smtp.to('chair@csc.gov.test').at(-1)!.text).match(LINK_PATTERN)![1];
    const rows: Array<{ n: number | string }> = await t.dataSource.query(
      `SELECT count(*) AS n FROM outbox_message WHERE text LIKE ${t.database.kind === 'postgres' ? '$1' : '?'}`,
      [`%${token}%`],
    );
    expect(Number(rows[0].n)).toBe(0);
    // PostgreSQL keeps the old row version until VACUUM (see the README); SQLite's files are checked byte by byte.
    if (t.database.kind === 'sqlite') {
      const file = t.database.env.SQLITE_PATH;
      const bytes = Buffer.concat([
        readFileSync(file),
        ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : []),
      ]);
      expect(bytes.includes(Buffer.from(token))).toBe(false);
    }
  });

  it('answers deeply nested or huge JSON with 400 (or 413), never a 500', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const path of ['/api/auth/sign-in', `/api/meetings/${meetings[0].id}/bookings`]) {
      const res = await request(t.http).post(path).set(bearer(p.a1)).set('Content-Type', 'application/json').send(deep);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'INVALID_JSON', message: expect.any(String) });
    }
    const nested = JSON.stringify({ email: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) });
    await request(t.http).post('/api/auth/sign-in').set('Content-Type', 'application/json').send(nested).expect(400);
    // Depth in strings is just text.
    const inString = JSON.stringify({ email: `${'['.repeat(100)}@x.test` });
    await request(t.http).post('/api/auth/sign-in').set('Content-Type', 'application/json').send(inString).expect(400);
    const big = JSON.stringify({ email: 'a@b.test', pad: 'x'.repeat(200_000) });
    await request(t.http).post('/api/auth/sign-in').set('Content-Type', 'application/json').send(big).expect(413);
  });
});
