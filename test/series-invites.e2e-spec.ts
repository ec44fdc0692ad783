import { DateTime } from 'luxon';
import { rrulestr } from 'rrule';
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { User } from '../src/directory/user.entity';
import { MeetingsService } from '../src/meetings/meetings.service';
import { createSeries, Partnership, setUpPartnership, workingDayFromToday } from './support/fixtures';
import { calendarParts, events, expandSeries, instantOf, parseIcs, prop, seriesWithNodeIcal } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';

/**
 * A series as one recurring meeting in its chair's and core members' calendars (issue 13): one
 * REQUEST with an RRULE when it is set up, each later change as one message per person (the
 * series again with its EXDATEs and overrides, or one meeting's CANCEL with its RECURRENCE-ID),
 * through the real SMTP server, each read back by ical.js (which expands the rule) and node-ical.
 */
describe('a series as one recurring invite', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let seriesId: string;
  let meetings: Array<{ id: string; startsAt: string }>;
  let otherChairId: string;
  const CHAIR = 'chair@csc.gov.test';
  const OTHER_CHAIR = 'other.chair@csc.gov.test';
  const PAT = 'pat@police.test';
  const DSL = 'dsl@riverside.sch.uk';
  const DOMAIN = 'calendar.partnership.test';
  const seriesUid = () => `series-${seriesId}@${DOMAIN}`;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, MEETINGS_MAILBOX: 'meetings@partnership.test', CALENDAR_UID_DOMAIN: DOMAIN },
    });
    p = await setUpPartnership(t, smtp);
    otherChairId = (await t.dataSource.getRepository(User).findOneByOrFail({ email: OTHER_CHAIR })).id;
    await outboxSettled(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const api = (token: string) => ({
    post: (path: string, body: object = {}) => request(t.http).post(path).set(bearer(token)).send(body),
    patch: (path: string, body: object) => request(t.http).patch(path).set(bearer(token)).send(body),
  });
  const mark = (email: string) => smtp.to(email).length;

  /** Every calendar message to `email` from index `from` on. */
  function calendarMail(email: string, from = 0) {
    return smtp
      .to(email)
      .slice(from)
      .filter((m) => calendarParts(m).length > 0)
      .map(read);
  }
  function read(mail: ParsedMail) {
    const [part] = calendarParts(mail);
    const cal = parseIcs(part.content);
    const vevents = events(cal);
    const master = vevents.find((v) => !v.hasProperty('recurrence-id')) ?? null;
    return {
      mail,
      part,
      text: part.content,
      method: prop(cal, 'method'),
      uids: [...new Set(vevents.map((v) => prop(v, 'uid')))],
      master,
      vevents,
      sequence: Number(vevents[0].getFirstPropertyValue('sequence')),
      filename: mail.attachments.find((a) => a.contentType === 'application/ics')?.filename,
    };
  }
  const meetingStarts = async () =>
    (
      await request(t.http)
        .get(
          `/api/meetings?from=${meetings[0].startsAt.slice(0, 10)}&to=${new Date(Date.parse(meetings[0].startsAt) + 400 * 86_400_000).toISOString().slice(0, 10)}`,
        )
        .set(bearer(p.coordinator))
        .expect(200)
    ).body as Array<{ id: string; startsAt: string; endsAt: string; status: string; chairUserId: string | null }>;

  const step = story('a fortnightly series through its life, as one recurring invite');

  step('set up: the chair gets one REQUEST with an RRULE that expands to exactly the meetings', async () => {
    const chair0 = mark(CHAIR);
    const series = await createSeries(t, p, { calendarInvites: 'series', intervalWeeks: 2, horizonWeeks: 26 });
    seriesId = series.id;
    meetings = series.meetings;
    await outboxSettled(t, smtp);
    expect(meetings.length).toBeGreaterThanOrEqual(12);
    const toChair = calendarMail(CHAIR, chair0);
    expect(toChair).toHaveLength(1);
    const [invite] = toChair;
    expect(invite.method).toBe('REQUEST');
    expect(invite.part.method).toBe('REQUEST');
    expect(invite.uids).toEqual([seriesUid()]);
    expect(invite.filename).toBe('series-invite.ics');
    expect(invite.mail.subject).toMatch(/^Thresholds and Referrals Meeting: every 2 weeks, from .* (GMT|BST)$/);
    expect(String(invite.master!.getFirstPropertyValue('rrule'))).toMatch(
      /^FREQ=WEEKLY;INTERVAL=2;BYDAY=(MO|TU|WE|TH|FR);UNTIL=\d{8}T\d{6}Z$/,
    );
    expect(invite.master!.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/London');
    // ical.js's expansion is the meetings, at their own times (moved ones, for a bank holiday, included).
    expect(expandSeries(invite.text).map((x) => x.start)).toEqual(meetings.map((x) => x.startsAt));
    const second = seriesWithNodeIcal(invite.text);
    expect(second.uid).toBe(seriesUid());
    expect(second.rrule).toContain('INTERVAL=2');
    expect(t.clock.now().getTime()).toBeLessThan(Date.parse(meetings[0].startsAt));
  });

  step(
    'core members added: one REQUEST each, and the chair one update listing them; never a meeting of its own',
    async () => {
      const [chair0, pat0, dsl0] = [mark(CHAIR), mark(PAT), mark(DSL)];
      await api(p.coordinator)
        .patch(`/api/series/${seriesId}`, { coreMembers: [{ email: PAT, name: 'Pat Police' }, { email: DSL }] })
        .expect(200);
      await outboxSettled(t, smtp);
      for (const [email, from, filename] of [
        [PAT, pat0, 'series-invite.ics'],
        [DSL, dsl0, 'series-invite.ics'],
        [CHAIR, chair0, 'series-update.ics'],
      ] as const) {
        const got = calendarMail(email, from);
        expect(got).toHaveLength(1);
        expect(got[0]).toMatchObject({ method: 'REQUEST', uids: [seriesUid()], filename });
        const attendees = got[0]
          .master!.getAllProperties('attendee')
          .map((a) => String(a.getFirstValue()).toLowerCase());
        expect(attendees.sort()).toEqual([`mailto:${CHAIR}`, `mailto:${DSL}`, `mailto:${PAT}`]);
        expect(expandSeries(got[0].text)).toHaveLength(meetings.length);
        expect(got[0].sequence).toBeGreaterThan(0);
      }
    },
  );

  step(
    'one meeting moved: one REQUEST each, with an override whose RECURRENCE-ID is the date the rule gave it',
    async () => {
      const moved = meetings[2];
      const newStart = new Date(Date.parse(moved.startsAt) + 3 * 3600_000).toISOString();
      const marks = [CHAIR, PAT, DSL].map(mark);
      const before = calendarMail(CHAIR).at(-1)!.sequence;
      await api(p.chair).patch(`/api/meetings/${moved.id}`, { startsAt: newStart, reason: 'Room clash' }).expect(200);
      await outboxSettled(t, smtp);
      [CHAIR, PAT, DSL].forEach((email, i) => {
        const got = calendarMail(email, marks[i]);
        expect(got).toHaveLength(1);
        const [update] = got;
        expect(update).toMatchObject({ method: 'REQUEST', uids: [seriesUid()], filename: 'series-update.ics' });
        expect(update.mail.subject).toMatch(/^Moved: Thresholds and Referrals Meeting, now .* (GMT|BST)$/);
        expect(String(update.mail.text)).toContain('Reason given: Room clash');
        expect(update.sequence).toBeGreaterThan(before);
        const override = update.vevents.find((v) => v.hasProperty('recurrence-id'))!;
        expect(instantOf(override, 'recurrence-id')).toBe(moved.startsAt);
        expect(instantOf(override, 'dtstart')).toBe(newStart);
        const starts = expandSeries(update.text).map((x) => x.start);
        expect(starts).toContain(newStart);
        expect(starts).not.toContain(moved.startsAt);
        // (Besides any meeting the series moved for a bank holiday.)
        expect(seriesWithNodeIcal(update.text).overrides).toContainEqual({
          recurrenceId: moved.startsAt,
          start: newStart,
        });
      });
    },
  );

  step(
    'one meeting cancelled: one CANCEL each with its RECURRENCE-ID and STATUS:CANCELLED; the series stays',
    async () => {
      const cancelled = meetings[4];
      const marks = [CHAIR, PAT, DSL].map(mark);
      await api(p.coordinator).post(`/api/meetings/${cancelled.id}/cancel`, { reason: 'Snow' }).expect(200);
      await outboxSettled(t, smtp);
      [CHAIR, PAT, DSL].forEach((email, i) => {
        const got = calendarMail(email, marks[i]);
        expect(got).toHaveLength(1);
        const [cancel] = got;
        expect(cancel).toMatchObject({
          method: 'CANCEL',
          uids: [seriesUid()],
          filename: 'cancellation.ics',
          master: null,
        });
        expect(cancel.part.method).toBe('CANCEL');
        expect(cancel.vevents).toHaveLength(1);
        expect(prop(cancel.vevents[0], 'status')).toBe('CANCELLED');
        expect(instantOf(cancel.vevents[0], 'recurrence-id')).toBe(cancelled.startsAt);
        expect(cancel.vevents[0].getFirstProperty('rrule')).toBeNull();
        expect(cancel.mail.subject).toMatch(/^Cancelled: /);
      });
    },
  );

  step(
    'another chair for one meeting: they get that meeting alone; the series chair’s copy leaves it out, core members’ list them',
    async () => {
      const given = meetings[6];
      const marks = [CHAIR, PAT, DSL, OTHER_CHAIR].map(mark);
      await api(p.coordinator).patch(`/api/meetings/${given.id}`, { chairUserId: otherChairId }).expect(200);
      await outboxSettled(t, smtp);
      const [toChair, toPat, toDsl, toOther] = [CHAIR, PAT, DSL, OTHER_CHAIR].map((e, i) => calendarMail(e, marks[i]));
      // The other chair is not one of the series' people: the meeting's own invite.
      expect(toOther).toHaveLength(1);
      expect(toOther[0]).toMatchObject({ method: 'REQUEST', uids: [`meeting-${given.id}@${DOMAIN}`] });
      // The series' chair is not a core member: that meeting becomes an EXDATE of their copy, never a CANCEL.
      expect(toChair).toHaveLength(1);
      expect(toChair[0].method).toBe('REQUEST');
      const chairStarts = expandSeries(toChair[0].text).map((x) => x.start);
      expect(chairStarts).not.toContain(given.startsAt);
      expect(seriesWithNodeIcal(toChair[0].text).exdates).toEqual(
        expect.arrayContaining([given.startsAt, meetings[4].startsAt]),
      );
      // Core members keep it, listing its own chair.
      for (const got of [toPat, toDsl]) {
        expect(got).toHaveLength(1);
        const instance = expandSeries(got[0].text).find((x) => x.start === given.startsAt)!;
        expect(instance.recurrenceId).toBe(given.startsAt);
        expect(instance.attendees).toContain(`mailto:${OTHER_CHAIR}`);
        expect(instance.attendees).not.toContain(`mailto:${CHAIR}`);
      }
      // And the whole series, as it now is, against the meetings: cancelled and moved ones too.
      const now = await meetingStarts();
      const scheduled = now.filter((x) => x.status === 'scheduled');
      expect(expandSeries(toPat[0].text).map((x) => x.start)).toEqual(scheduled.map((x) => x.startsAt));
      expect(chairStarts).toEqual(scheduled.filter((x) => x.chairUserId === p.chairId).map((x) => x.startsAt));
    },
  );

  step(
    'a core member removed: they get one CANCEL of the series listing only them; the rest one REQUEST without them',
    async () => {
      const marks = [CHAIR, PAT, DSL].map(mark);
      await api(p.coordinator)
        .patch(`/api/series/${seriesId}`, { coreMembers: [{ email: DSL }] })
        .expect(200);
      await outboxSettled(t, smtp);
      const [toChair, toPat, toDsl] = [CHAIR, PAT, DSL].map((e, i) => calendarMail(e, marks[i]));
      expect(toPat).toHaveLength(1);
      const [uninvite] = toPat;
      expect(uninvite).toMatchObject({ method: 'CANCEL', uids: [seriesUid()], filename: 'series-cancellation.ics' });
      expect(uninvite.vevents).toHaveLength(1);
      expect(uninvite.master!.getFirstProperty('status')).toBeNull();
      expect(String(uninvite.master!.getFirstPropertyValue('rrule'))).toContain('FREQ=WEEKLY');
      expect(uninvite.master!.getAllProperties('attendee').map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(
        [`mailto:${PAT}`],
      );
      expect(uninvite.mail.subject).toBe('No longer invited: Thresholds and Referrals Meeting');
      expect(String(uninvite.mail.text)).toContain('The meetings themselves go ahead');
      for (const got of [toChair, toDsl]) {
        expect(got).toHaveLength(1);
        expect(got[0].method).toBe('REQUEST');
        const attendees = got[0]
          .master!.getAllProperties('attendee')
          .map((a) => String(a.getFirstValue()).toLowerCase());
        expect(attendees.sort()).toEqual([`mailto:${CHAIR}`, `mailto:${DSL}`]);
        expect(got[0].sequence).toBeGreaterThan(uninvite.sequence - 1);
      }
    },
  );

  step('the daily top-up extends the same series: one update each with a later UNTIL, no new invites', async () => {
    const marks = [CHAIR, DSL].map(mark);
    const untilBefore = String(calendarMail(DSL).at(-1)!.master!.getFirstPropertyValue('rrule'));
    const later = 28 * 86_400_000;
    t.clock.advance(later);
    try {
      const added = await t.app.get(MeetingsService).topUpAll();
      expect(added).toBeGreaterThan(0);
      await outboxSettled(t, smtp);
      for (const [i, email] of [CHAIR, DSL].entries()) {
        const got = calendarMail(email, marks[i]);
        expect(got).toHaveLength(1);
        expect(got[0]).toMatchObject({ method: 'REQUEST', uids: [seriesUid()] });
        expect(got[0].mail.subject).toMatch(/^Updated: Thresholds and Referrals Meeting, now to /);
        const rule = String(got[0].master!.getFirstPropertyValue('rrule'));
        expect(rule.slice(-17)).not.toBe(untilBefore.slice(-17));
        expect(rule.slice(-17) > untilBefore.slice(-17)).toBe(true);
      }
    } finally {
      t.clock.advance(-later);
    }
  });

  step(
    'a new chair for the series: one message each, however many meetings move; the old chair is un-invited',
    async () => {
      const given = meetings[6]; // chaired on its own by the other chair since an earlier step
      const marks = [CHAIR, DSL, OTHER_CHAIR].map(mark);
      await api(p.coordinator).patch(`/api/series/${seriesId}`, { chairUserId: otherChairId }).expect(200);
      await outboxSettled(t, smtp);
      const [toChair, toDsl, toOther] = [CHAIR, DSL, OTHER_CHAIR].map((e, i) => calendarMail(e, marks[i]));
      // The old chair is not a core member: the series leaves their calendar, once.
      expect(toChair).toHaveLength(1);
      expect(toChair[0]).toMatchObject({ method: 'CANCEL', uids: [seriesUid()] });
      expect(toChair[0].master!.getFirstProperty('status')).toBeNull();
      // The new chair: the series, and the meeting they had on its own taken out (the series holds it now).
      expect(toOther.map((x) => [x.method, x.uids[0]]).sort()).toEqual(
        [
          ['CANCEL', `meeting-${given.id}@${DOMAIN}`],
          ['REQUEST', seriesUid()],
        ].sort(),
      );
      const series = toOther.find((x) => x.method === 'REQUEST')!;
      const scheduled = (await meetingStarts()).filter((x) => x.status === 'scheduled');
      expect(scheduled.filter((x) => x.chairUserId !== otherChairId)).toEqual([]);
      expect(expandSeries(series.text).map((x) => x.start)).toEqual(scheduled.map((x) => x.startsAt));
      const takenOut = toOther.find((x) => x.method === 'CANCEL')!;
      expect(takenOut.vevents[0].getFirstProperty('status')).toBeNull();
      // The core member: one update, the new chair listed.
      expect(toDsl).toHaveLength(1);
      const attendees = toDsl[0]
        .master!.getAllProperties('attendee')
        .map((a) => String(a.getFirstValue()).toLowerCase());
      expect(attendees.sort()).toEqual([`mailto:${DSL}`, `mailto:${OTHER_CHAIR}`]);
    },
  );

  it('a first-Tuesday series over New Year’s Day 2030: the invite leaves the bank holiday out, and rrule with that EXDATE gives the meetings', async () => {
    await t.clock.during(new Date('2029-02-12T10:00:00Z'), async () => {
      // Sessions are kept on the test's own day: sign in again on this one.
      const coordinator = await signIn(t, smtp, 'coordinator@partnership.test');
      const chair0 = mark(CHAIR);
      const monthly = await createSeries(
        t,
        { ...p, coordinator },
        {
          title: 'First Tuesday TRM 2029',
          calendarInvites: 'series',
          recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
          firstMeetingDate: '2029-03-06',
          startTime: '09:30',
          horizonWeeks: 60,
          bankHolidayPolicy: 'skip',
        },
      );
      await outboxSettled(t, smtp);
      const [invite] = calendarMail(CHAIR, chair0);
      expect(invite.uids).toEqual([`series-${monthly.id}@${DOMAIN}`]);
      const rule = String(invite.master!.getFirstPropertyValue('rrule'));
      expect(rule).toBe('FREQ=MONTHLY;BYDAY=1TU;UNTIL=20300402T083000Z');
      const second = seriesWithNodeIcal(invite.text);
      expect(second.exdates).toEqual(['2030-01-01T09:30:00.000Z']);
      const starts = expandSeries(invite.text).map((x) => x.start);
      expect(starts).toEqual(monthly.meetings.map((x) => x.startsAt));
      expect(starts).not.toContain('2030-01-01T09:30:00.000Z');
      // 09:30 London on each side of both clock changes.
      expect(starts).toEqual(
        expect.arrayContaining([
          '2029-03-06T09:30:00.000Z',
          '2029-04-03T08:30:00.000Z',
          '2029-11-06T09:30:00.000Z',
          '2030-04-02T08:30:00.000Z',
        ]),
      );
      // rrule, from the RRULE and the EXDATE parsed back: the dates of the meetings, and no others.
      const dates = rrulestr(
        `DTSTART:20290306T093000Z\nRRULE:${rule.replace(/T\d{6}Z$/, 'T235959Z')}\nEXDATE:20300101T093000Z`,
        { forceset: true },
      )
        .all()
        .map((d) => d.toISOString().slice(0, 10));
      expect(dates).toEqual(
        monthly.meetings.map((x) => DateTime.fromISO(x.startsAt, { zone: 'Europe/London' }).toISODate()),
      );
      expect(dates).toHaveLength(13);
    });
  });

  it('how invitations go is one of two choices: anything else is refused on its field, and nothing is made', async () => {
    const before = (await request(t.http).get('/api/series').set(bearer(p.coordinator)).expect(200)).body.length;
    const res = await request(t.http)
      .post('/api/series')
      .set(bearer(p.coordinator))
      .send({
        title: 'Refused TRM',
        firstMeetingDate: workingDayFromToday(14),
        startTime: '10:00',
        durationMinutes: 60,
        slotMinutes: 15,
        bankHolidayPolicy: 'skip',
        calendarInvites: 'weekly',
      })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual([
      {
        field: 'calendarInvites',
        messages: [expect.stringMatching(/^calendarInvites must be one of the following values: series, meetings$/)],
      },
    ]);
    expect((await request(t.http).get('/api/series').set(bearer(p.coordinator)).expect(200)).body.length).toBe(before);
  });

  it('a first-Tuesday series: the invite carries the monthly rule, and rrule and ical.js read it back as the meetings', async () => {
    const chair0 = mark(CHAIR);
    const first = DateTime.fromJSDate(t.clock.now(), { zone: 'Europe/London' }).plus({ months: 1 }).startOf('month');
    const firstTuesday = first.plus({ days: (2 - first.weekday + 7) % 7 }).toISODate()!;
    const monthly = await createSeries(t, p, {
      title: 'First Tuesday TRM',
      calendarInvites: 'series',
      recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
      firstMeetingDate: firstTuesday,
      startTime: '09:30',
      horizonWeeks: 52,
      bankHolidayPolicy: 'skip',
    });
    await outboxSettled(t, smtp);
    const [invite] = calendarMail(CHAIR, chair0);
    expect(invite.uids).toEqual([`series-${monthly.id}@${DOMAIN}`]);
    const rule = String(invite.master!.getFirstPropertyValue('rrule'));
    expect(rule).toMatch(/^FREQ=MONTHLY;BYDAY=1TU;UNTIL=\d{8}T\d{6}Z$/);
    expect(expandSeries(invite.text).map((x) => x.start)).toEqual(monthly.meetings.map((x) => x.startsAt));
    // rrule, from the RRULE line parsed back: the first Tuesdays, the same dates as the meetings.
    const dates = rrulestr(
      `DTSTART:${firstTuesday.replace(/-/g, '')}T093000Z\nRRULE:${rule.replace(/T\d{6}Z$/, 'T235959Z')}`,
    )
      .all()
      .map((d) => d.toISOString().slice(0, 10));
    expect(dates).toEqual(
      monthly.meetings.map((x) => DateTime.fromISO(x.startsAt, { zone: 'Europe/London' }).toISODate()),
    );
    expect(dates.length).toBeGreaterThanOrEqual(11);
    // Each at 09:30 London, GMT or BST.
    for (const x of monthly.meetings) {
      expect(DateTime.fromISO(x.startsAt, { zone: 'Europe/London' }).toFormat('HH:mm')).toBe('09:30');
    }
  });

  step(
    'a core member who chooses the calendar link only: one message takes the series out, not one per meeting',
    async () => {
      await api(p.a1).post('/api/me/calendar-feed').expect(201);
      const dsl0 = mark(DSL);
      await request(t.http)
        .put('/api/me/calendar-delivery')
        .set(bearer(p.a1))
        .send({ calendarDelivery: 'feed' })
        .expect(200);
      await outboxSettled(t, smtp);
      const got = calendarMail(DSL, dsl0);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ method: 'CANCEL', uids: [seriesUid()] });
      expect(got[0].master!.getFirstProperty('status')).toBeNull();
    },
  );
});
