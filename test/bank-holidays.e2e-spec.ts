import request from 'supertest';
import { RemindersService } from '../src/calendar/reminders.service';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { FIXTURE_DAYS } from './support/calendar-fixtures';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts, events, parseIcs, prop } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The meeting calendar around Easter 2027 (test/support/calendar-fixtures.ts): Good Friday
 * 26 March, the clocks going forward on Sunday 28 March, Easter Monday 29 March. A weekly series
 * on Mondays meets on each side of it; how the series' policy, the booking deadline, the
 * presenters' reminders and a cancellation treat that week.
 */
describe('meetings around bank holidays and clock changes (Easter 2027)', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, BOOKING_CLOSING_TIME: '17:00' } });
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  type MeetingRow = { id: string; startsAt: string; bookingClosesAt: string; movedForBankHoliday: boolean };
  /** A weekly Monday series from 1 March 2027 at 10:00 London, booking closing on the day itself. */
  const mondaySeries = async (policy: 'skip' | 'next-working-day', title: string) =>
    (
      await createSeries(t, p, {
        title,
        firstMeetingDate: '2027-03-01',
        intervalWeeks: 1,
        horizonWeeks: 14,
        bankHolidayPolicy: policy,
        bookingClosesWorkingDaysBefore: 0,
      })
    ).meetings as unknown as MeetingRow[];

  it("'next-working-day' moves Easter Monday's meeting to Tuesday 30 March, in summer time, and counts the deadline from the new date", async () => {
    const meetings = await mondaySeries('next-working-day', 'Easter week, moved');
    const starts = meetings.map((m) => m.startsAt);
    // Before the clocks change: 10:00 GMT; after: 10:00 BST (09:00 UTC).
    expect(starts).toContain('2027-03-22T10:00:00.000Z');
    expect(starts).not.toContain(`${FIXTURE_DAYS.easterMonday}T09:00:00.000Z`);
    expect(starts).toContain('2027-04-05T09:00:00.000Z');
    const moved = meetings.find((m) => m.startsAt === '2027-03-30T09:00:00.000Z');
    expect(moved).toMatchObject({ movedForBankHoliday: true });
    // Booking closes at 17:00 BST on the day the meeting now happens, not on the bank holiday.
    expect(moved!.bookingClosesAt).toBe('2027-03-30T16:00:00.000Z');
    expect(meetings.filter((m) => m.movedForBankHoliday)).toHaveLength(1);
  });

  it("'skip' leaves Easter week out", async () => {
    const meetings = await mondaySeries('skip', 'Easter week, skipped');
    const days = meetings.map((m) => m.startsAt.slice(0, 10));
    expect(days).toEqual(expect.arrayContaining(['2027-03-22', '2027-04-05']));
    expect(days).not.toContain(FIXTURE_DAYS.easterMonday);
    expect(days).not.toContain('2027-03-30');
    expect(meetings.some((m) => m.movedForBankHoliday)).toBe(false);
  });

  it('reminds the presenter two working days before the moved meeting (Wednesday 24 March, past Good Friday), not a day later', async () => {
    const meetings = await mondaySeries('next-working-day', 'Easter week, reminders');
    const moved = meetings.find((m) => m.startsAt === '2027-03-30T09:00:00.000Z')!;
    const item = (
      await request(t.http)
        .post(`/api/meetings/${moved.id}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body as { id: string };
    const reminders = t.app.get(RemindersService);
    const presenterReminders = () =>
      t.dataSource.getRepository(OutboxMessage).countBy({ kind: 'reminder-presenter', subjectId: item.id });

    // REMINDER_TIME 09:00 London on the second working day before Tuesday 30 March: Thursday 25
    // is one, Good Friday and Easter Monday are not, Wednesday 24 is two (09:00 GMT).
    const remindersAt = (at: string) => t.clock.during(new Date(at), () => reminders.sendDue());
    await remindersAt('2027-03-24T08:59:00Z');
    expect(await presenterReminders()).toBe(0);
    await remindersAt('2027-03-24T09:01:00Z');
    expect(await presenterReminders()).toBe(1);
    await remindersAt('2027-03-25T09:01:00Z');
    expect(await presenterReminders()).toBe(1);
  });

  it("cancelling the meeting raises each item's SEQUENCE: the presenter's CANCEL supersedes their invite", async () => {
    const meetings = await mondaySeries('next-working-day', 'Easter week, cancelled');
    const meeting = meetings.find((m) => m.startsAt.startsWith('2027-04-05'))!;
    const before = smtp.to('health.visitor@health.nhs.test').length;
    await request(t.http)
      .post(`/api/meetings/${meeting.id}/bookings`)
      .set(bearer(p.b1))
      .send(thresholdItem())
      .expect(201);
    await outboxSettled(t, smtp);
    const invite = smtp
      .to('health.visitor@health.nhs.test')
      .slice(before)
      .flatMap((mail) => calendarParts(mail))
      .find((part) => part.method === 'REQUEST')!;
    const [invited] = events(parseIcs(invite.content));
    const uid = prop(invited, 'uid');
    const invitedSequence = Number(invited.getFirstPropertyValue('sequence'));

    const afterInvite = smtp.to('health.visitor@health.nhs.test').length;
    await request(t.http)
      .post(`/api/meetings/${meeting.id}/cancel`)
      .set(bearer(p.coordinator))
      .send({ reason: 'Room unavailable' })
      .expect(200);
    await outboxSettled(t, smtp);
    const cancels = smtp
      .to('health.visitor@health.nhs.test')
      .slice(afterInvite)
      .flatMap((mail) => calendarParts(mail))
      .filter((part) => part.method === 'CANCEL')
      .map((part) => events(parseIcs(part.content))[0])
      .filter((event) => prop(event, 'uid') === uid);
    expect(cancels).toHaveLength(1);
    expect(Number(cancels[0].getFirstPropertyValue('sequence'))).toBeGreaterThan(invitedSequence);
  });
});
