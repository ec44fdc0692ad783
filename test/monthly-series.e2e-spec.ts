import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import request from 'supertest';
import { MeetingSeries } from '../src/meetings/meeting-series.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { MeetingsService } from '../src/meetings/meetings.service';
import { createSeries, Partnership, setUpPartnership } from './support/fixtures';
import { calendarParts, events, instantOf, parseIcs, parseWithNodeIcal } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { submitForm, webSignIn } from './support/web';

/**
 * A series on the first Tuesday of every month (issue 17, part 3), across a year that has both
 * clock changes and a first Tuesday that is a bank holiday: the clock starts on 20 February 2029;
 * the clocks go forward on 25 March 2029 and back on 28 October 2029; Tuesday 1 January 2030 is
 * New Year's Day. The expected dates come from `rrule` run here, independently of the service.
 */
describe('a monthly series: the first Tuesday of every month', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  const START = new Date('2029-02-20T09:00:00Z');
  const FIRST = '2029-03-06';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    t.clock.set(START);
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  /** First Tuesdays from FIRST through `until`, as rrule computes them (UTC-floating dates). */
  const firstTuesdays = (from: string, until: string) =>
    new RRule({
      freq: RRule.MONTHLY,
      byweekday: [RRule.TU.nth(1)],
      dtstart: new Date(`${FIRST}T00:00:00Z`),
      until: new Date(`${until}T00:00:00Z`),
    })
      .all()
      .map((d) => d.toISOString().slice(0, 10))
      .filter((d) => d >= from);
  /** 10:00 in London on a date, as an instant: GMT in winter, BST in summer. */
  const tenLondon = (date: string) =>
    DateTime.fromISO(`${date}T10:00`, { zone: 'Europe/London' }).toUTC().toISO({ suppressMilliseconds: false });
  const meetingsOf = async (seriesId: string) =>
    t.dataSource.getRepository(Meeting).find({ where: { seriesId }, order: { startsAt: 'ASC' } });

  it('plans the first Tuesdays through the horizon, 10:00 UK time across both clock changes, New Year moved to Wednesday', async () => {
    const sentBefore = smtp.to('chair@csc.gov.test').length;
    const made = (await createSeries(t, p, {
      title: 'First Tuesday TRM',
      firstMeetingDate: FIRST,
      recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
      horizonWeeks: 52,
      bankHolidayPolicy: 'next-working-day',
    })) as unknown as {
      id: string;
      recurrence: string;
      recurrenceText: string;
      intervalWeeks: number | null;
      meetings: Array<{ id: string; startsAt: string; movedForBankHoliday: boolean }>;
    };
    expect(made).toMatchObject({
      recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
      recurrenceText: 'First Tuesday of every month',
      intervalWeeks: null,
    });

    // The horizon: 52 weeks from 20 February 2029 is 19 February 2030.
    const nominal = firstTuesdays(FIRST, '2030-02-19');
    expect(nominal).toHaveLength(12);
    const expected = nominal.map((d) => (d === '2030-01-01' ? '2030-01-02' : d));
    expect(made.meetings.map((m) => m.startsAt)).toEqual(expected.map(tenLondon));
    // Spot checks that do not go through luxon: GMT before 25 March, BST until 28 October.
    expect(made.meetings[0].startsAt).toBe('2029-03-06T10:00:00.000Z');
    expect(made.meetings[1].startsAt).toBe('2029-04-03T09:00:00.000Z');
    expect(made.meetings[7].startsAt).toBe('2029-10-02T09:00:00.000Z');
    expect(made.meetings[8].startsAt).toBe('2029-11-06T10:00:00.000Z');
    expect(made.meetings.filter((m) => m.movedForBankHoliday).map((m) => m.startsAt)).toEqual([
      '2030-01-02T10:00:00.000Z',
    ]);

    // The chair is sent each meeting; both parsers read the same start as the API.
    await outboxSettled(t, smtp);
    const parts = smtp
      .to('chair@csc.gov.test')
      .slice(sentBefore)
      .flatMap((mail) => calendarParts(mail))
      .filter((part) => part.method === 'REQUEST');
    const starts = parts.map((part) => instantOf(events(parseIcs(part.content))[0], 'dtstart')).sort();
    expect(starts).toEqual(made.meetings.map((m) => m.startsAt));
    expect(parts.map((part) => parseWithNodeIcal(part.content).events[0].start).sort()).toEqual(starts);
  });

  it("'skip' leaves out the first Tuesday that is New Year's Day", async () => {
    const made = await createSeries(t, p, {
      title: 'First Tuesday TRM, skipping',
      firstMeetingDate: FIRST,
      recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
      horizonWeeks: 52,
      bankHolidayPolicy: 'skip',
    });
    const expected = firstTuesdays(FIRST, '2030-02-19').filter((d) => d !== '2030-01-01');
    expect(made.meetings.map((m) => m.startsAt)).toEqual(expected.map(tenLondon));
  });

  it('the nightly top-up extends the same rule, once, however often it runs', async () => {
    const made = await createSeries(t, p, {
      title: 'First Tuesday TRM, topped up',
      firstMeetingDate: FIRST,
      recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
      horizonWeeks: 52,
    });
    const service = t.app.get(MeetingsService);
    await t.clock.during(new Date('2029-06-20T09:00:00Z'), async () => {
      await Promise.all([service.topUpAll(), service.topUpAll()]);
      await service.topUpAll();
    });
    const all = await meetingsOf(made.id);
    // Through 19 June 2030, with the clocks going forward on 31 March 2030 in between.
    const nominal = firstTuesdays(FIRST, '2030-06-19');
    expect(all.map((m) => m.occurrenceDate)).toEqual(nominal);
    expect(all.map((m) => m.startsAt.toISOString())).toEqual(
      nominal.map((d) => tenLondon(d === '2030-01-01' ? '2030-01-02' : d)),
    );
    expect(all.at(-1)!.startsAt.toISOString()).toBe('2030-06-04T09:00:00.000Z');
  });

  it.each([
    [
      'a first date that is not a first Tuesday',
      { firstMeetingDate: '2029-03-13', recurrence: 'FREQ=MONTHLY;BYDAY=1TU' },
      'firstMeetingDate',
      /must be the first Tuesday of its month, got 2029-03-13 \(the next is 2029-04-03\)/,
    ],
    [
      'a fifth Tuesday',
      { firstMeetingDate: FIRST, recurrence: 'FREQ=MONTHLY;BYDAY=5TU' },
      'recurrence',
      /first, second, third, fourth or last/,
    ],
    [
      'an end date',
      { firstMeetingDate: FIRST, recurrence: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3' },
      'recurrence',
      /not COUNT/,
    ],
    [
      'a rule and an interval',
      { firstMeetingDate: FIRST, recurrence: 'FREQ=MONTHLY;BYDAY=1TU', intervalWeeks: 2 },
      'recurrence',
      /not be given with intervalWeeks/,
    ],
    [
      'a weekly rule on another weekday',
      { firstMeetingDate: FIRST, recurrence: 'FREQ=WEEKLY;BYDAY=MO' },
      'firstMeetingDate',
      /must be a Monday, as the rule says/,
    ],
    [
      'a rule too long',
      { firstMeetingDate: FIRST, recurrence: `FREQ=MONTHLY;BYDAY=1TU${';'.repeat(100)}` },
      'recurrence',
      /100/,
    ],
  ])('refuses %s with a field message, and sets up nothing', async (_name, body, field, message) => {
    const seriesBefore = await t.dataSource.getRepository(MeetingSeries).count();
    const meetingsBefore = await t.dataSource.getRepository(Meeting).count();
    const res = await request(t.http)
      .post('/api/series')
      .set(bearer(p.coordinator))
      .send({
        title: 'Refused',
        startTime: '10:00',
        durationMinutes: 120,
        slotMinutes: 15,
        bankHolidayPolicy: 'skip',
        ...body,
      })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const details = res.body.details as Array<{ field: string; messages: string[] }>;
    expect(details.map((d) => d.field)).toEqual([field]);
    expect(details[0].messages.join(' ')).toMatch(message);
    expect(await t.dataSource.getRepository(MeetingSeries).count()).toBe(seriesBefore);
    expect(await t.dataSource.getRepository(Meeting).count()).toBe(meetingsBefore);
  });

  it('a weekly RRULE is every N weeks, as intervalWeeks would be', async () => {
    const made = (await createSeries(t, p, {
      title: 'Fortnightly by rule',
      firstMeetingDate: '2029-03-05',
      recurrence: 'freq=weekly;interval=2;byday=mo',
      horizonWeeks: 6,
    })) as unknown as { id: string; recurrence: string; recurrenceText: string; intervalWeeks: number };
    expect(made).toMatchObject({
      recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
      recurrenceText: 'Every 2 weeks',
      intervalWeeks: 2,
    });
    const listed = (await request(t.http).get('/api/series').set(bearer(p.coordinator)).expect(200)).body as Array<{
      id: string;
    }>;
    expect(listed.find((s) => s.id === made.id)).toMatchObject({
      recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
      intervalWeeks: 2,
    });
    expect((await meetingsOf(made.id)).map((m) => m.occurrenceDate)).toEqual([
      '2029-03-05',
      '2029-03-19',
      '2029-04-02',
    ]);
  });

  it('the coordinator sets one up on the page, and a wrong first date is refused on its field', async () => {
    const coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
    const form = await coordinator.get('/admin/series/new').expect(200);
    expect(form.text).toContain('Once a month, on the same weekday');
    // One recurring invitation is the choice made unless the coordinator picks one per meeting.
    expect(form.text).toMatch(/<input[^>]*name="calendarInvites"[^>]*value="series"[^>]*checked/);
    expect(form.text).not.toMatch(/<input[^>]*name="calendarInvites"[^>]*value="meetings"[^>]*checked/);
    const fields = (day: string) => ({
      title: 'Second Wednesday TRM',
      'firstMeetingDate-day': day,
      'firstMeetingDate-month': '3',
      'firstMeetingDate-year': '2029',
      startTime: '13:30',
      durationMinutes: '90',
      slotMinutes: '15',
      frequency: 'monthly',
      intervalWeeks: '2',
      monthlyOrdinal: '2',
      monthlyWeekday: 'WE',
      bookingClosesWorkingDaysBefore: '2',
      bankHolidayPolicy: 'skip',
      horizonWeeks: '20',
    });
    const seriesBefore = await t.dataSource.getRepository(MeetingSeries).count();
    // 7 March 2029 is the first Wednesday, not the second.
    const wrong = await submitForm(coordinator, '/admin/series/new', fields('7'));
    expect(wrong.status).toBe(400);
    const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(wrong.text)?.[0] ?? '';
    expect(summary).toContain(
      '<a href="#firstMeetingDate-day">The date of the first meeting must be the second Wednesday of its month, got 2029-03-07 (the next is 2029-03-14)</a>',
    );
    // The answers are kept: the monthly choice stays chosen.
    expect(wrong.text).toMatch(/<input[^>]*value="monthly"[^>]*checked/);
    expect(wrong.text).toMatch(/<option value="WE" selected>/);
    const offList = await submitForm(coordinator, '/admin/series/new', { ...fields('14'), monthlyOrdinal: '7' });
    expect(offList.status).toBe(400);
    expect(offList.text).toContain('<a href="#monthlyOrdinal">');
    expect(await t.dataSource.getRepository(MeetingSeries).count()).toBe(seriesBefore);

    const made = await submitForm(coordinator, '/admin/series/new', fields('14'));
    expect(made.status).toBe(303);
    const page = await coordinator.get(made.headers.location).expect(200);
    expect(page.text).toContain('Second Wednesday of every month');
    const series = await t.dataSource.getRepository(MeetingSeries).findOneByOrFail({ title: 'Second Wednesday TRM' });
    expect(series.recurrence).toBe('FREQ=MONTHLY;BYDAY=2WE');
    expect(series.calendarInvites).toBe('series');
    expect(page.text).toContain('One for the whole series');
    // 20 weeks from 20 February 2029: through 10 July; the second Wednesdays of March to June.
    expect((await meetingsOf(series.id)).map((m) => m.occurrenceDate)).toEqual([
      '2029-03-14',
      '2029-04-11',
      '2029-05-09',
      '2029-06-13',
    ]);
    const list = await coordinator.get('/admin/series').expect(200);
    expect(list.text).toContain('Second Wednesday of every month');
  });
});
