import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { In } from 'typeorm';
import { CalendarsThatStayRight1764330000000 } from '../migrations/1764330000000-CalendarsThatStayRight';
import { ReminderSent } from '../src/calendar/reminder-sent.entity';
import { RemindersService } from '../src/calendar/reminders.service';
import { User } from '../src/directory/user.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts, events, instantOf, parseIcs, parseWithNodeIcal, prop } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';

/** The rows the migration keeps: one per (kind, subject), the earliest, when going down and up again. */
function legacy(rows: ReminderSent[]): ReminderSent[] {
  return [...new Map(rows.map((r) => [`${r.kind}|${r.subjectId}`, r])).values()];
}

/**
 * Who gets what (RFC 5546 §3.2): chairs and core members keep every meeting they still have a
 * reason to attend, un-invites are not cancellations, SEQUENCE always rises for the person, feeds
 * never show a dead slot as live, reminders go once per date. Every calendar object is read back
 * by two parsers (ical.js and node-ical).
 */
describe('calendar: who gets what', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: Array<{ id: string; startsAt: string }>;
  let seriesId: string;
  let otherChairId: string;
  const CHAIR = 'chair@csc.gov.test';
  const OTHER_CHAIR = 'other.chair@csc.gov.test';
  const DSL = 'dsl@riverside.sch.uk';
  const PAT = 'pat@police.test';
  const PAT_NAME = 'Pat "The Rock" O\'Neil, Police; MASH';
  const DOMAIN = 'calendar.partnership.test';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, MEETINGS_MAILBOX: 'meetings@partnership.test', CALENDAR_UID_DOMAIN: DOMAIN },
    });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 8 });
    meetings = series.meetings;
    seriesId = series.id;
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
  const setCoreMembers = (coreMembers: Array<{ email: string; name?: string }>) =>
    api(p.coordinator).patch(`/api/series/${seriesId}`, { coreMembers }).expect(200);
  const meetingUid = (id: string) => `meeting-${id}@${DOMAIN}`;

  /** Every calendar message to `email` from index `from` on, read by both parsers. */
  function calendarMail(email: string, from = 0) {
    return smtp
      .to(email)
      .slice(from)
      .filter((m) => calendarParts(m).length > 0)
      .map((mail) => read(mail));
  }
  function read(mail: ParsedMail) {
    const [part] = calendarParts(mail);
    const cal = parseIcs(part.content);
    const event = events(cal)[0];
    const second = parseWithNodeIcal(part.content);
    const attendees = event.getAllProperties('attendee').map((a) => String(a.getFirstValue()).toLowerCase());
    // The two parsers agree on what matters.
    expect(second.method).toBe(prop(cal, 'method'));
    expect(second.events).toHaveLength(1);
    expect(second.events[0].uid).toBe(prop(event, 'uid'));
    expect(second.events[0].sequence).toBe(event.getFirstPropertyValue('sequence'));
    expect(second.events[0].attendees).toEqual(attendees);
    expect(second.events[0].status ?? null).toBe(event.getFirstPropertyValue('status') ?? null);
    // nodemailer attaches the same object as application/ics, under the name given.
    const filename = mail.attachments.find((a) => a.contentType === 'application/ics')?.filename;
    return {
      mail,
      part,
      method: prop(cal, 'method'),
      event,
      uid: prop(event, 'uid'),
      sequence: Number(event.getFirstPropertyValue('sequence')),
      status: event.getFirstPropertyValue('status') as string | null,
      attendees,
      filename,
    };
  }
  const mark = (email: string) => smtp.to(email).length;
  const feedOf = async (token: string) => {
    const res = await api(token).post('/api/me/calendar-feed').expect(201);
    return new URL(res.body.url).pathname;
  };

  // One series through its life: each step changes what the next one starts from (core members,
  // chair, moves), so they run in order as one story, whatever order the tests run in.
  const step = story('a series through its calendar life: who gets what, step by step');

  step(
    'a core member added gets every upcoming meeting; names kept as typed; RSVP=FALSE; UIDs from CALENDAR_UID_DOMAIN',
    async () => {
      const [pat0, dsl0, chair0] = [mark(PAT), mark(DSL), mark(CHAIR)];
      await setCoreMembers([
        { email: CHAIR, name: 'Charlie Chair' },
        { email: PAT, name: PAT_NAME },
        { email: DSL, name: 'Dee Lead' },
      ]);
      await outboxSettled(t, smtp);
      const upcoming = meetings.length;
      const toPat = calendarMail(PAT, pat0);
      expect(toPat).toHaveLength(upcoming);
      expect(calendarMail(DSL, dsl0)).toHaveLength(upcoming);
      // The chair already has every meeting they chair: becoming a core member sends nothing.
      expect(calendarMail(CHAIR, chair0)).toHaveLength(0);
      for (const x of toPat) {
        expect(x.method).toBe('REQUEST');
        expect(x.part.method).toBe('REQUEST');
        expect(x.filename).toBe('invite.ics');
        expect(x.uid).toMatch(new RegExp(`^meeting-[0-9a-f-]{36}@${DOMAIN.replace(/\./g, '\\.')}$`));
        expect(x.mail.subject).toMatch(/ (GMT|BST)$/);
        const pat = x.event
          .getAllProperties('attendee')
          .find((a) => String(a.getFirstValue()).toLowerCase() === `mailto:${PAT}`)!;
        expect(pat.getParameter('cn')).toBe(PAT_NAME);
        for (const a of x.event.getAllProperties('attendee')) expect(a.getParameter('rsvp')).toBe('FALSE');
        expect(x.attendees).toEqual(expect.arrayContaining([`mailto:${CHAIR}`, `mailto:${PAT}`, `mailto:${DSL}`]));
        expect(String(x.mail.text)).toContain("Can't come?");
      }
    },
  );

  step(
    'removing core members un-invites from the whole meeting all but the chair; a presenter keeps their own slot',
    async () => {
      const presenting = meetings[1].id;
      const item = (await api(p.a1).post(`/api/meetings/${presenting}/bookings`, thresholdItem()).expect(201)).body;
      const dslFeed = await feedOf(p.a1);
      const beforeFeed = events(parseIcs((await request(t.http).get(dslFeed).expect(200)).text)).map((e) =>
        prop(e, 'uid'),
      );
      expect(beforeFeed).toContain(meetingUid(meetings[0].id));
      await outboxSettled(t, smtp);
      const requests = new Map(calendarMail(PAT).map((x) => [x.uid, x.sequence]));

      const [pat0, dsl0, chair0] = [mark(PAT), mark(DSL), mark(CHAIR)];
      await setCoreMembers([]);
      await outboxSettled(t, smtp);

      // The chair chairs every meeting: not one CANCEL.
      expect(calendarMail(CHAIR, chair0)).toEqual([]);
      // The presenter loses every whole meeting, the one they present at too (no stale entry
      // beside their slot); their slot is an entry of its own, never cancelled here.
      const toDsl = calendarMail(DSL, dsl0);
      expect(toDsl.map((x) => x.uid).sort()).toEqual(meetings.map((m) => meetingUid(m.id)).sort());
      expect(toDsl.map((x) => x.uid)).not.toContain(`booking-${item.id}@${DOMAIN}`);
      const atTheirMeeting = toDsl.find((x) => x.uid === meetingUid(presenting))!;
      expect(String(atTheirMeeting.mail.text)).toContain('Your own item at the meeting stays booked');
      for (const x of toDsl.filter((y) => y !== atTheirMeeting))
        expect(String(x.mail.text)).not.toContain('Your own item');
      const toPat = calendarMail(PAT, pat0);
      expect(toPat).toHaveLength(meetings.length);
      for (const x of [...toPat, ...toDsl]) {
        // RFC 5546 §3.2.5: CANCEL listing only the removed attendee, the event itself not cancelled.
        expect(x.method).toBe('CANCEL');
        expect(x.part.method).toBe('CANCEL');
        expect(x.status).toBeNull();
        expect(x.attendees).toHaveLength(1);
        expect(x.mail.subject).toMatch(/^No longer invited: /);
        expect(String(x.mail.text)).toContain('You are no longer invited to');
        expect(String(x.mail.text)).not.toMatch(/has been cancelled/);
        expect(x.filename).toBe('cancellation.ics');
      }
      for (const x of toPat) {
        expect(x.attendees).toEqual([`mailto:${PAT}`]);
        expect(x.sequence).toBeGreaterThan(requests.get(x.uid)!);
      }
      // The feed follows the same rule: no whole meetings any more, their own slot stays.
      const afterFeed = events(parseIcs((await request(t.http).get(dslFeed).expect(200)).text)).map((e) =>
        prop(e, 'uid'),
      );
      expect(afterFeed.filter((u) => u.startsWith('meeting-'))).toEqual([]);
      expect(afterFeed).toContain(`booking-${item.id}@${DOMAIN}`);

      // Re-added: a REQUEST whose SEQUENCE is above the CANCEL just sent.
      const cancels = new Map(toPat.map((x) => [x.uid, x.sequence]));
      const pat1 = mark(PAT);
      await setCoreMembers([{ email: PAT, name: PAT_NAME }]);
      await outboxSettled(t, smtp);
      const again = calendarMail(PAT, pat1);
      expect(again).toHaveLength(meetings.length);
      for (const x of again) {
        expect(x.method).toBe('REQUEST');
        expect(x.sequence).toBeGreaterThan(cancels.get(x.uid)!);
      }
    },
  );

  step(
    'a new chair does not un-invite the old one while they are a core member; otherwise the old chair is un-invited',
    async () => {
      const id = meetings[2].id;
      await setCoreMembers([{ email: CHAIR, name: 'Charlie Chair' }]);
      await outboxSettled(t, smtp);
      const [chair0, other0] = [mark(CHAIR), mark(OTHER_CHAIR)];
      await api(p.coordinator).patch(`/api/meetings/${id}`, { chairUserId: otherChairId }).expect(200);
      await outboxSettled(t, smtp);
      expect(calendarMail(CHAIR, chair0).filter((x) => x.method === 'CANCEL')).toEqual([]);
      const toOther = calendarMail(OTHER_CHAIR, other0);
      expect(toOther.map((x) => [x.method, x.uid, x.filename])).toEqual([['REQUEST', meetingUid(id), 'invite.ics']]);

      // Back to the first chair: the other chair has no reason left to be there.
      const other1 = mark(OTHER_CHAIR);
      await api(p.coordinator).patch(`/api/meetings/${id}`, { chairUserId: p.chairId }).expect(200);
      await outboxSettled(t, smtp);
      const gone = calendarMail(OTHER_CHAIR, other1);
      expect(gone).toHaveLength(1);
      expect(gone[0]).toMatchObject({
        method: 'CANCEL',
        uid: meetingUid(id),
        status: null,
        attendees: [`mailto:${OTHER_CHAIR}`],
      });
      expect(gone[0].sequence).toBeGreaterThan(toOther[0].sequence);
      expect(gone[0].mail.subject).toMatch(/^No longer invited: /);
    },
  );

  step(
    'a moved meeting is "Moved: …" with its reason and update.ics; a cancelled one is "Cancelled: …" with STATUS:CANCELLED',
    async () => {
      const moved = meetings[3];
      const chair0 = mark(CHAIR);
      const newStart = new Date(Date.parse(moved.startsAt) + 3600_000).toISOString();
      await api(p.chair).patch(`/api/meetings/${moved.id}`, { startsAt: newStart, reason: 'Room clash' }).expect(200);
      await outboxSettled(t, smtp);
      const [update] = calendarMail(CHAIR, chair0);
      expect(update).toMatchObject({ method: 'REQUEST', uid: meetingUid(moved.id), filename: 'update.ics' });
      expect(update.mail.subject).toMatch(/^Moved: .* (GMT|BST)$/);
      expect(String(update.mail.text)).toContain('Reason given: Room clash');
      expect(instantOf(update.event, 'dtstart')).toBe(newStart);

      const cancelled = meetings[4];
      const chair1 = mark(CHAIR);
      await api(p.coordinator).post(`/api/meetings/${cancelled.id}/cancel`, { reason: 'Snow' }).expect(200);
      await outboxSettled(t, smtp);
      const [cancel] = calendarMail(CHAIR, chair1);
      expect(cancel).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', filename: 'cancellation.ics' });
      expect(cancel.mail.subject).toMatch(/^Cancelled: /);

      // In the chair's feed: kept a short while as "Cancelled: …", then gone.
      const feed = await feedOf(p.chair);
      const entry = events(parseIcs((await request(t.http).get(feed).expect(200)).text)).find(
        (e) => prop(e, 'uid') === meetingUid(cancelled.id),
      )!;
      expect(prop(entry, 'status')).toBe('CANCELLED');
      expect(prop(entry, 'summary')).toMatch(/^Cancelled: /);
      const later = (t.config.FEED_KEEP_CANCELLED_DAYS + 1) * 86_400_000;
      t.clock.advance(later);
      try {
        const uids = events(parseIcs((await request(t.http).get(feed).expect(200)).text)).map((e) => prop(e, 'uid'));
        expect(uids).not.toContain(meetingUid(cancelled.id));
      } finally {
        t.clock.advance(-later);
      }
    },
  );

  step('feeds are compressed when the client asks (gzip or deflate) and only then', async () => {
    const feed = await feedOf(p.chair);
    const plain = await request(t.http).get(feed).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const encoding of ['gzip', 'deflate']) {
      const res = await request(t.http).get(feed).set('Accept-Encoding', encoding).expect(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.text).toBe(plain.text);
      expect(events(parseIcs(res.text)).length).toBeGreaterThan(3);
    }
    // REFRESH-INTERVAL and X-PUBLISHED-TTL come before any component.
    expect(plain.text.indexOf('REFRESH-INTERVAL')).toBeLessThan(plain.text.indexOf('BEGIN:VTIMEZONE'));
    expect(plain.text.indexOf('X-PUBLISHED-TTL')).toBeLessThan(plain.text.indexOf('BEGIN:VTIMEZONE'));
    // The API is not compressed by this middleware.
    const api = await request(t.http).get('/api/me').set(bearer(p.chair)).set('Accept-Encoding', 'gzip').expect(200);
    expect(api.headers['content-encoding']).toBeUndefined();
  });

  step(
    'a presenter’s invite offers withdrawal instead of a reply; deferral onto a waiting list sends a CANCEL for the slot lost',
    async () => {
      const source = meetings[0];
      const target = meetings[1];
      const a2 = 'deputy.dsl@riverside.sch.uk';
      const before = mark(a2);
      const item = (await api(p.a2).post(`/api/meetings/${source.id}/bookings`, thresholdItem()).expect(201)).body;
      await outboxSettled(t, smtp);
      const [invite] = calendarMail(a2, before);
      expect(invite).toMatchObject({ method: 'REQUEST', uid: `booking-${item.id}@${DOMAIN}`, filename: 'invite.ics' });
      expect(invite.event.getFirstProperty('attendee')!.getParameter('rsvp')).toBe('FALSE');
      expect(String(invite.mail.text)).toContain(`Can't come? Withdraw the item`);
      expect(String(invite.mail.text)).toContain(`http://thresholds.test/bookings/${item.id}/withdraw`);

      // The next meeting is full (DSL holds one slot there already).
      const taken = (await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: target.id })).slots.length - 1;
      for (let i = 0; i < taken; i++)
        await api(p.b1).post(`/api/meetings/${target.id}/bookings`, thresholdItem()).expect(201);
      // The source meeting is taking place now.
      const startsAt = new Date(Math.floor((t.clock.now().getTime() - 3600_000) / 60_000) * 60_000);
      await t.dataSource.getRepository(Meeting).update(
        { id: source.id },
        {
          startsAt,
          endsAt: new Date(startsAt.getTime() + 120 * 60_000),
          bookingClosesAt: new Date(startsAt.getTime() - 86_400_000),
        },
      );
      await outboxSettled(t, smtp);
      const before2 = mark(a2);
      const deferred = await api(p.chair).post(`/api/bookings/${item.id}/defer`).expect(200);
      expect(deferred.body).toMatchObject({ status: 'waitlisted', meetingId: target.id });
      await outboxSettled(t, smtp);
      const [cancel] = calendarMail(a2, before2);
      expect(cancel).toMatchObject({ method: 'CANCEL', uid: `booking-${item.id}@${DOMAIN}`, status: 'CANCELLED' });
      expect(cancel.sequence).toBeGreaterThan(invite.sequence);
      // It names the slot that was lost, at the meeting it was in.
      expect(Date.parse(instantOf(cancel.event, 'dtstart'))).toBeLessThan(Date.parse(target.startsAt));
      expect(Date.parse(instantOf(cancel.event, 'dtstart'))).toBeGreaterThanOrEqual(startsAt.getTime());
    },
  );

  step('reminders go once per date and person: a moved meeting and a new chair get their own', async () => {
    const meeting = meetings[5];
    const item = (await api(p.a2).post(`/api/meetings/${meeting.id}/bookings`, thresholdItem()).expect(201)).body;
    const reminders = t.app.get(RemindersService);
    const outbox = t.dataSource.getRepository(OutboxMessage);
    const runAnHourBefore = async () => {
      const current = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meeting.id });
      await t.clock.during(new Date(current.startsAt.getTime() - 3600_000), async () => {
        await Promise.all([reminders.sendDue(), reminders.sendDue()]);
        await reminders.sendDue();
      });
    };
    const count = (kind: string, subjectId: string, recipient?: string) =>
      outbox.countBy({ kind, subjectId, ...(recipient ? { recipient } : {}) });

    await runAnHourBefore();
    expect(await count('reminder-presenter', item.id)).toBe(1);
    expect(await count('reminder-chair-agenda', meeting.id)).toBe(1);

    // Moved a day later: the new date gets its reminders, once.
    const moved = new Date(Date.parse(meeting.startsAt) + 86_400_000).toISOString();
    await api(p.chair)
      .patch(`/api/meetings/${meeting.id}`, { startsAt: moved, confirmNonWorkingDay: true })
      .expect(200);
    await runAnHourBefore();
    await runAnHourBefore();
    expect(await count('reminder-presenter', item.id)).toBe(2);
    expect(await count('reminder-chair-agenda', meeting.id)).toBe(2);

    // A new chair for the same date gets the agenda too; the old one not again.
    await api(p.coordinator).patch(`/api/meetings/${meeting.id}`, { chairUserId: otherChairId }).expect(200);
    await runAnHourBefore();
    expect(await count('reminder-chair-agenda', meeting.id, OTHER_CHAIR)).toBe(1);
    expect(await count('reminder-chair-agenda', meeting.id, CHAIR)).toBe(2);
    expect(await count('reminder-presenter', item.id)).toBe(2);
  });

  step(
    'the migration keeps every reminder already sent, keyed by the date and person it was for (and back)',
    async () => {
      const repo = t.dataSource.getRepository(ReminderSent);
      const before = await repo.find({ order: { kind: 'ASC', subjectId: 'ASC', startsAt: 'ASC' } });
      expect(before.length).toBeGreaterThan(2);
      const migration = new CalendarsThatStayRight1764330000000();
      const runner = t.dataSource.createQueryRunner();
      try {
        await migration.down(runner);
        // One row per item or meeting, as before this change.
        const legacy = (await runner.query('SELECT kind, "subjectId" FROM reminder_sent')) as unknown[];
        expect(legacy).toHaveLength(new Set(before.map((r) => `${r.kind}|${r.subjectId}`)).size);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      const after = await repo.find();
      expect(after).toHaveLength(legacy(before).length);
      // Each kept row names the current date and person, so nothing is sent again for them.
      const sentBefore = await t.dataSource
        .getRepository(OutboxMessage)
        .countBy({ kind: In(['reminder-presenter', 'reminder-chair-agenda']) });
      const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetings[5].id });
      const shift = meeting.startsAt.getTime() - t.clock.now().getTime() - 3600_000;
      t.clock.advance(shift);
      try {
        await t.app.get(RemindersService).sendDue();
      } finally {
        t.clock.advance(-shift);
      }
      expect(
        await t.dataSource
          .getRepository(OutboxMessage)
          .countBy({ kind: In(['reminder-presenter', 'reminder-chair-agenda']) }),
      ).toBe(sentBefore);
    },
  );

  step('every e-mail the service sent says Auto-Submitted: auto-generated', async () => {
    await outboxSettled(t, smtp);
    expect(smtp.messages.length).toBeGreaterThan(20);
    for (const m of smtp.messages) expect(m.headers.get('auto-submitted')).toBe('auto-generated');
  });
});
