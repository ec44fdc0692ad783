import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { Agency } from '../src/directory/agency.entity';
import { User } from '../src/directory/user.entity';
import { DEMO_SIGN_INS, FirstRunService } from '../src/first-run/first-run.service';
import { MeetingSeries } from '../src/meetings/meeting-series.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { Minutes } from '../src/minutes/minutes.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, createTestDatabase, TestApp, TestDatabase } from './support/test-app';

/** What the demo seed leaves in the database, counted the same way after each start. */
async function census(t: TestApp) {
  const count = (entity: Parameters<TestApp['dataSource']['getRepository']>[0]) =>
    t.dataSource.getRepository(entity).count();
  return {
    agencies: await count(Agency),
    users: await count(User),
    series: await count(MeetingSeries),
    meetings: await count(Meeting),
    bookings: await count(Booking),
    outcomes: await count(Outcome),
    seeded: await t.dataSource.getRepository(AuditEvent).countBy({ action: 'demo-data.seeded' }),
  };
}

describe('the demo seed: a partnership a newcomer can sign in to and see working', () => {
  let db: TestDatabase;
  let smtp: SmtpTestServer;
  let t: TestApp;
  const start = () => createTestApp({ database: db, env: { SMTP_URL: smtp.url, SEED_DEMO_DATA: 'true' } });

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    db = await createTestDatabase();
    t = await start();
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('gives a fortnightly series with a chair, whose first meeting was held and has approved minutes', async () => {
    const series = await t.dataSource.getRepository(MeetingSeries).find();
    expect(series).toHaveLength(1);
    const chair = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'chair@northshire.gov.uk' });
    expect(series[0]).toMatchObject({ intervalWeeks: 2, chairUserId: chair.id, active: true });

    const meetings = await t.dataSource
      .getRepository(Meeting)
      .find({ where: { seriesId: series[0].id }, order: { startsAt: 'ASC' } });
    const now = t.clock.now();
    const held = meetings.filter((m) => m.startsAt < now);
    expect(held).toHaveLength(1);
    const minutes = await t.dataSource.getRepository(Minutes).findOneByOrFail({ meetingId: held[0].id });
    expect(minutes.status).toBe('approved');

    // The held meeting's items come from two agencies, each with an outcome.
    const heldItems = await t.dataSource.getRepository(Booking).findBy({ meetingId: held[0].id, status: 'booked' });
    expect(new Set(heldItems.map((b) => b.agencyId)).size).toBe(2);
    for (const item of heldItems) {
      expect(await t.dataSource.getRepository(Outcome).countBy({ bookingId: item.id })).toBe(1);
    }
  });

  it('went through the services: audited, mailed through the outbox, and passed the identifying-details check', async () => {
    const audit = (action: string) => t.dataSource.getRepository(AuditEvent).findBy({ action });
    expect(await audit('series.created')).toHaveLength(1);
    expect(await audit('minutes.approved')).toHaveLength(1);
    const booked = await audit('booking.created');
    expect(booked).toHaveLength(4);
    for (const event of booked) expect(event.details).toMatchObject({ identifyingDetailWarnings: 0 });
    expect(await t.dataSource.getRepository(OutboxMessage).count()).toBeGreaterThan(0);
    await outboxSettled(t, smtp);
  });

  it('shows the demo presenter an upcoming meeting open for booking with free slots', async () => {
    const presenter = await signIn(t, smtp, DEMO_SIGN_INS[0].email);
    const res = await request(t.http).get('/api/meetings').set(bearer(presenter)).expect(200);
    const upcoming = (res.body as Array<{ startsAt: string; slots: Array<{ available: boolean }> }>).filter(
      (m) => new Date(m.startsAt) > t.clock.now(),
    );
    expect(upcoming.length).toBeGreaterThan(0);
    expect(upcoming[0].slots.filter((s) => s.available).length).toBeGreaterThan(0);
    expect(await t.app.get(FirstRunService).demoPresent()).toBe(true);
  });

  it('adds nothing on a second start over the same database, and still says demo data is present', async () => {
    const before = await census(t);
    expect(before).toMatchObject({ agencies: 4, users: 5, series: 1, bookings: 4, outcomes: 2, seeded: 1 });
    await t.close({ keepDatabase: true });
    t = await start();
    expect(await census(t)).toEqual(before);
    expect(await t.app.get(FirstRunService).demoPresent()).toBe(true);
  });
});
