import request from 'supertest';
import { MoreThan } from 'typeorm';
import { DateTime } from 'luxon';
import { CalendarFeed } from '../src/calendar/calendar-feed.entity';
import { RemindersService } from '../src/calendar/reminders.service';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts, events, instantOf, parseIcs, prop } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

describe('calendar: invites, updates, cancellations, feeds and reminders', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: Array<{ id: string; startsAt: string; bookingClosesAt: string }>;
  let seriesId: string;
  let next = 0;
  const DSL = 'dsl@riverside.sch.uk';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MEETINGS_MAILBOX: 'meetings@partnership.test' } });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p, {
      title: 'Thresholds; Referrals, North\\East',
      intervalWeeks: 1,
      horizonWeeks: 30,
    });
    meetings = series.meetings;
    seriesId = series.id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const book = (token: string, meetingId: string, body: object = thresholdItem()) =>
    request(t.http).post(`/api/meetings/${meetingId}/bookings`).set(bearer(token)).send(body);
  /** The calendar messages to `email` after `before` messages (about `uid` only, when given). */
  const invitesTo = (email: string, before: number, uid?: string) =>
    smtp
      .to(email)
      .slice(before)
      .filter((m) => {
        const parts = calendarParts(m);
        return parts.length > 0 && (!uid || prop(events(parseIcs(parts[0].content))[0], 'uid') === uid);
      });
  /** The next calendar message to `email` after `before` messages (about `uid`, when given), parsed. */
  async function nextInvite(email: string, before: number, uid?: string) {
    await smtp.waitFor(() => invitesTo(email, before, uid).length > 0);
    const mail = invitesTo(email, before, uid)[0];
    const [part] = calendarParts(mail);
    const cal = parseIcs(part.content);
    return { mail, part, cal, event: events(cal)[0] };
  }
  const noCaseText = (text: string) => {
    const item = thresholdItem();
    for (const secret of [item.summary, item.question, item.agencyReference]) expect(text).not.toContain(secret);
  };

  it('booking → one REQUEST for the presenter’s slot; reschedule → REQUEST with SEQUENCE+1; withdraw → CANCEL with the same UID', async () => {
    const meetingId = meetings[next++].id;
    const before = smtp.to(DSL).length;
    const booked = (await book(p.a1, meetingId, thresholdItem({ slotIndex: 2 })).expect(201)).body;
    const uid = `booking-${booked.id}@thresholds.test`;
    const invite = await nextInvite(DSL, before, uid);
    await outboxSettled(t, smtp);
    expect(invitesTo(DSL, before, uid)).toHaveLength(1);
    expect(invite.part.method).toBe('REQUEST');
    expect(prop(invite.cal, 'method')).toBe('REQUEST');
    expect(invite.cal.getAllSubcomponents('vtimezone')).toHaveLength(1);
    expect(invite.part.content).toContain('DTSTART;TZID=Europe/London:');
    expect(prop(invite.event, 'uid')).toBe(uid);
    expect(invite.event.getFirstPropertyValue('sequence')).toBe(0);
    expect(prop(invite.event, 'status')).toBe('CONFIRMED');
    expect(prop(invite.event, 'organizer')).toBe('mailto:meetings@partnership.test');
    const attendee = invite.event.getFirstProperty('attendee')!;
    expect(String(attendee.getFirstValue()).toLowerCase()).toBe(`mailto:${DSL}`);
    // Nothing reads replies yet: clients must not ask for an answer.
    expect(attendee.getParameter('rsvp')).toBe('FALSE');
    expect(attendee.getParameter('role')).toBe('REQ-PARTICIPANT');
    expect(instantOf(invite.event, 'dtstart')).toBe(booked.startsAt);
    expect(prop(invite.event, 'summary')).toBe(`Thresholds; Referrals, North\\East: slot 3 (${booked.reference})`);
    expect(DateTime.fromISO(booked.startsAt, { zone: 'Europe/London' }).toFormat('HH:mm')).toBe('10:30');
    noCaseText(invite.part.content);
    noCaseText(String(invite.mail.text) + invite.mail.html);

    const meeting = await request(t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.chair)).expect(200);
    const newStart = new Date(new Date(meeting.body.startsAt).getTime() + 2 * 3600_000).toISOString();
    const beforeMove = smtp.to(DSL).length;
    await request(t.http)
      .patch(`/api/meetings/${meetingId}`)
      .set(bearer(p.chair))
      .send({ startsAt: newStart, reason: 'Room clash' })
      .expect(200);
    const update = await nextInvite(DSL, beforeMove, uid);
    expect(update.part.method).toBe('REQUEST');
    expect(prop(update.event, 'uid')).toBe(uid);
    expect(update.event.getFirstPropertyValue('sequence')).toBe(1);
    expect(instantOf(update.event, 'dtstart')).toBe(new Date(new Date(newStart).getTime() + 30 * 60_000).toISOString());

    const beforeWithdraw = smtp.to(DSL).length;
    await request(t.http).post(`/api/bookings/${booked.id}/withdraw`).set(bearer(p.a1)).expect(200);
    const cancel = await nextInvite(DSL, beforeWithdraw, uid);
    expect(cancel.part.method).toBe('CANCEL');
    expect(prop(cancel.cal, 'method')).toBe('CANCEL');
    expect(prop(cancel.event, 'uid')).toBe(uid);
    expect(cancel.event.getFirstPropertyValue('sequence')).toBe(2);
    expect(prop(cancel.event, 'status')).toBe('CANCELLED');
  });

  it('a waiting item gets no invite until it is promoted, then a REQUEST', async () => {
    const meetingId = meetings[next++].id;
    const held = [];
    for (let i = 0; i < 8; i++) held.push((await book(p.b1, meetingId).expect(201)).body);
    const deputy = 'deputy.dsl@riverside.sch.uk';
    const before = smtp.to(deputy).length;
    const waiting = (await book(p.a2, meetingId, thresholdItem({ joinWaitlist: true })).expect(201)).body;
    // Its own notice ("on the waiting list", by reference) comes without an invite.
    const aboutIt = () =>
      smtp
        .to(deputy)
        .slice(before)
        .filter((m) => String(m.text).includes(waiting.reference));
    await smtp.waitFor(() => aboutIt().length > 0);
    await outboxSettled(t, smtp);
    expect(aboutIt().flatMap((m) => calendarParts(m))).toEqual([]);
    const uid = `booking-${waiting.id}@thresholds.test`;
    expect(invitesTo(deputy, before, uid)).toEqual([]);
    await request(t.http).post(`/api/bookings/${held[4].id}/withdraw`).set(bearer(p.b1)).expect(200);
    const promoted = await nextInvite(deputy, before, uid);
    expect(promoted.part.method).toBe('REQUEST');
    expect(prop(promoted.event, 'status')).toBe('CONFIRMED');
  });

  it('the chair and core members get the whole meeting, its updates and its cancellation', async () => {
    const chairInvites = () =>
      smtp.to('chair@csc.gov.test').filter((m) => calendarParts(m).some((c) => c.method === 'REQUEST'));
    // One invite per meeting (a rescheduled meeting has sent an update as well); wait for them all.
    const uids = () =>
      new Set(chairInvites().map((m) => prop(events(parseIcs(calendarParts(m)[0].content))[0], 'uid')));
    await smtp.waitFor(() => uids().size >= meetings.length, 20_000);
    expect(uids().size).toBe(meetings.length);
    const one = parseIcs(calendarParts(chairInvites()[0])[0].content);
    expect(prop(events(one)[0], 'uid')).toMatch(/^meeting-.*@thresholds\.test$/);

    const before = smtp.to('core.member@police.test').length;
    const res = await request(t.http)
      .patch(`/api/series/${seriesId}`)
      .set(bearer(p.coordinator))
      .send({ coreMembers: [{ email: 'Core.Member@police.test', name: 'Pat, Police (MASH)' }] })
      .expect(200);
    expect(res.body.coreMembers).toEqual([{ email: 'core.member@police.test', name: 'Pat, Police (MASH)' }]);
    // Every meeting still to come (other tests may have cancelled some).
    const upcoming = await t.dataSource
      .getRepository(Meeting)
      .countBy({ seriesId, status: 'scheduled', startsAt: MoreThan(t.clock.now()) });
    await smtp.waitFor(() => smtp.to('core.member@police.test').length >= before + upcoming);

    const meetingId = meetings[next++].id;
    const beforeCancel = smtp.to('core.member@police.test').length;
    const chairBefore = smtp.to('chair@csc.gov.test').length;
    await request(t.http)
      .post(`/api/meetings/${meetingId}/cancel`)
      .set(bearer(p.coordinator))
      .send({ reason: 'Snow' })
      .expect(200);
    const cancel = await nextInvite('core.member@police.test', beforeCancel);
    expect(cancel.part.method).toBe('CANCEL');
    expect(prop(cancel.event, 'uid')).toBe(`meeting-${meetingId}@thresholds.test`);
    expect(prop(cancel.event, 'status')).toBe('CANCELLED');
    const chairCancel = await nextInvite('chair@csc.gov.test', chairBefore);
    expect(chairCancel.part.method).toBe('CANCEL');
  });

  it('refuses CR/LF in titles and places, so no text can add a property', async () => {
    const res = await request(t.http)
      .post('/api/series')
      .set(bearer(p.coordinator))
      .send({
        title: 'Meeting\r\nEND:VEVENT\r\nBEGIN:VEVENT',
        firstMeetingDate: meetings[0].startsAt.slice(0, 10),
        startTime: '10:00',
        durationMinutes: 60,
        slotMinutes: 15,
        bankHolidayPolicy: 'skip',
        location: 'Room 1\nATTENDEE:mailto:x@y.z',
      })
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['location', 'title']);
  });

  describe('subscription feeds', () => {
    let feedUrl: string;
    let feedPath: string;
    let bookedId: string;

    beforeAll(async () => {
      bookedId = (await book(p.a1, meetings[next++].id).expect(201)).body.id;
      const res = await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a1)).expect(201);
      feedUrl = res.body.url;
      expect(res.body.webcalUrl).toBe(feedUrl.replace('http:', 'webcal:'));
      feedPath = new URL(feedUrl).pathname;
      expect(Buffer.from(feedPath.split('/').pop()!.replace('.ics', ''), 'base64url').length).toBeGreaterThanOrEqual(
        16,
      );
    });

    it('serves the user’s slots with name, refresh interval, TTL and caching headers', async () => {
      const res = await request(t.http).get(feedPath).expect(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.headers['cache-control']).toMatch(/private/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers.etag).toBeTruthy();
      expect(res.headers['last-modified']).toBeTruthy();
      const cal = parseIcs(res.text);
      expect(prop(cal, 'method')).toBe('PUBLISH');
      expect(res.text).toMatch(/X-WR-CALNAME:/);
      expect(res.text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
      expect(res.text).toContain('X-PUBLISHED-TTL:PT1H');
      expect(events(cal).map((e) => prop(e, 'uid'))).toContain(`booking-${bookedId}@thresholds.test`);
      noCaseText(res.text);
    });

    it('answers 304 to If-None-Match and If-Modified-Since, and changes when the data does', async () => {
      // An item of its own, booked before the first read, withdrawn after it.
      const ownId = (await book(p.a1, meetings[next++].id).expect(201)).body.id;
      const first = await request(t.http).get(feedPath).expect(200);
      await request(t.http).get(feedPath).set('If-None-Match', first.headers.etag).expect(304);
      await request(t.http).get(feedPath).set('If-Modified-Since', first.headers['last-modified']).expect(304);
      await new Promise((r) => setTimeout(r, 20));
      await request(t.http).post(`/api/bookings/${ownId}/withdraw`).set(bearer(p.a1)).expect(200);
      const changed = await request(t.http).get(feedPath).set('If-None-Match', first.headers.etag).expect(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);
      // The withdrawn slot leaves the feed (Outlook would show a STATUS:CANCELLED entry as on)…
      expect(events(parseIcs(changed.text)).map((e) => prop(e, 'uid'))).not.toContain(
        `booking-${ownId}@thresholds.test`,
      );
      // …and Last-Modified still moves forward, so If-Modified-Since clients see the change.
      expect(Date.parse(changed.headers['last-modified'])).toBeGreaterThan(Date.parse(first.headers['last-modified']));
      await request(t.http).get(feedPath).set('If-Modified-Since', first.headers['last-modified']).expect(200);
      await request(t.http).get(feedPath).set('If-Modified-Since', changed.headers['last-modified']).expect(304);
    });

    it('the chair’s feed has the meetings they chair', async () => {
      const res = await request(t.http).post('/api/me/calendar-feed').set(bearer(p.chair)).expect(201);
      const feed = await request(t.http).get(new URL(res.body.url).pathname).expect(200);
      const uids = events(parseIcs(feed.text)).map((e) => prop(e, 'uid'));
      expect(uids.filter((u) => u.startsWith('meeting-')).length).toBeGreaterThan(5);
    });

    it('unknown, malformed, rotated, deleted and disabled-user tokens all get the same 404', async () => {
      const unknown = await request(t.http)
        .get(`/calendar/${'A'.repeat(43)}.ics`)
        .expect(404);
      const malformed = await request(t.http).get('/calendar/not-a-token.ics').expect(404);
      const noSuffix = await request(t.http).get(feedPath.replace('.ics', '')).expect(404);
      expect(malformed.body).toEqual(unknown.body);
      expect(noSuffix.body).toEqual(unknown.body);

      // Rotation and removal on the deputy's own feed (the DSL's is the other tests').
      const first = new URL(
        (await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a2)).expect(201)).body.url,
      ).pathname;
      await request(t.http).get(first).expect(200);
      const rotated = await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a2)).expect(201);
      const old = await request(t.http).get(first).expect(404);
      expect(old.body).toEqual(unknown.body);
      const newPath = new URL(rotated.body.url).pathname;
      await request(t.http).get(newPath).expect(200);
      await request(t.http).delete('/api/me/calendar-feed').set(bearer(p.a2)).expect(204);
      await request(t.http).get(newPath).expect(404);

      // Removed by another instance (this one remembers the feed's owner for a few seconds):
      // gone at once here too, because every request checks the feed row.
      const other = new URL(
        (await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a2)).expect(201)).body.url,
      ).pathname;
      await request(t.http).get(other).expect(200);
      const a2 = await request(t.http).get('/api/me').set(bearer(p.a2)).expect(200);
      await t.dataSource.getRepository(CalendarFeed).delete({ userId: a2.body.id });
      expect((await request(t.http).get(other).expect(404)).body).toEqual(unknown.body);

      const b1Feed = await request(t.http).post('/api/me/calendar-feed').set(bearer(p.b1)).expect(201);
      const b1Path = new URL(b1Feed.body.url).pathname;
      await request(t.http).get(b1Path).expect(200);
      const me = await request(t.http).get('/api/me').set(bearer(p.b1)).expect(200);
      await request(t.http)
        .patch(`/api/users/${me.body.id}`)
        .set(bearer(p.coordinator))
        .send({ active: false })
        .expect(200);
      const disabled = await request(t.http).get(b1Path).expect(404);
      expect(disabled.body).toEqual(unknown.body);
      await request(t.http)
        .patch(`/api/users/${me.body.id}`)
        .set(bearer(p.coordinator))
        .send({ active: true })
        .expect(200);
      await request(t.http).get(b1Path).expect(404);
      // Disabling ended their sessions: sign them in again for the other tests.
      p.b1 = await signIn(t, smtp, 'health.visitor@health.nhs.test');
    });

    it('the public meeting-dates feed is off until a coordinator publishes it, and carries times and status only', async () => {
      await request(t.http).get(`/calendar/series/${seriesId}.ics`).expect(404);
      await request(t.http)
        .post(`/api/meetings/${meetings[next++].id}/cancel`)
        .set(bearer(p.coordinator))
        .send({ reason: 'Room unavailable' })
        .expect(200);
      const res = await request(t.http)
        .patch(`/api/series/${seriesId}`)
        .set(bearer(p.coordinator))
        .send({ publicDatesFeed: true })
        .expect(200);
      expect(res.body.publicDatesFeedUrl).toBe(`http://thresholds.test/calendar/series/${seriesId}.ics`);
      const feed = await request(t.http).get(`/calendar/series/${seriesId}.ics`).expect(200);
      const all = events(parseIcs(feed.text));
      expect(all.length).toBeGreaterThan(5);
      for (const e of all) {
        expect(e.getFirstProperty('location')).toBeNull();
        expect(e.getFirstProperty('description')).toBeNull();
        expect(e.getFirstProperty('attendee')).toBeNull();
      }
      expect(all.some((e) => prop(e, 'status') === 'CANCELLED')).toBe(true);
      await request(t.http).get(`/calendar/series/${seriesId}.ics`).set('If-None-Match', feed.headers.etag).expect(304);
    });
  });

  describe('reminders', () => {
    it('go to presenters two working days before and to the chair the day before, once each however often the job runs', async () => {
      const meetingId = meetings[next++].id;
      const item = (await book(p.a2, meetingId).expect(201)).body;
      const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetingId });
      const reminders = t.app.get(RemindersService);
      // An hour before the meeting.
      await t.clock.during(new Date(meeting.startsAt.getTime() - 3600_000), async () => {
        await Promise.all([reminders.sendDue(), reminders.sendDue()]);
        await reminders.sendDue();
      });
      const outbox = t.dataSource.getRepository(OutboxMessage);
      expect(await outbox.countBy({ kind: 'reminder-presenter', subjectId: item.id })).toBe(1);
      expect(await outbox.countBy({ kind: 'reminder-chair-agenda', subjectId: meetingId })).toBe(1);
      const agenda = await outbox.findOneByOrFail({ kind: 'reminder-chair-agenda', subjectId: meetingId });
      expect(agenda.text).toContain(item.reference);
      noCaseText(agenda.text);
    });

    // Several app instances share one PostgreSQL database: each reminder still goes out once.
    if (process.env.TEST_DATABASE_URL) {
      it('are sent once when two app instances run the job at the same moment', async () => {
        const meetingId = meetings[next++].id;
        const item = (await book(p.a1, meetingId).expect(201)).body;
        const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetingId });
        const second = await createTestApp({ database: t.database, env: { SMTP_URL: smtp.url } });
        const shift = meeting.startsAt.getTime() - t.clock.now().getTime() - 3600_000;
        t.clock.advance(shift);
        second.clock.advance(shift);
        try {
          await Promise.all([
            t.app.get(RemindersService).sendDue(),
            second.app.get(RemindersService).sendDue(),
            t.app.get(RemindersService).sendDue(),
          ]);
        } finally {
          t.clock.advance(-shift);
          await second.close({ keepDatabase: true });
        }
        const outbox = t.dataSource.getRepository(OutboxMessage);
        expect(await outbox.countBy({ kind: 'reminder-presenter', subjectId: item.id })).toBe(1);
        expect(await outbox.countBy({ kind: 'reminder-chair-agenda', subjectId: meetingId })).toBe(1);
      });
    }

    it('are not sent before they are due', async () => {
      const meetingId = meetings[next++].id;
      const item = (await book(p.a2, meetingId).expect(201)).body;
      await t.app.get(RemindersService).sendDue();
      expect(
        await t.dataSource.getRepository(OutboxMessage).countBy({ kind: 'reminder-presenter', subjectId: item.id }),
      ).toBe(0);
    });
  });
});
