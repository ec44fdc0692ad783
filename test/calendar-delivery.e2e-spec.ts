import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { Booking } from '../src/bookings/booking.entity';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts, events, parseIcs, parseWithNodeIcal, prop } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Invitations, the calendar link, or both (src/calendar/calendar-delivery.ts): someone who takes
 * only the link gets no invitation e-mails, and e-mails about changes without their calendar
 * part; nobody can end up with neither.
 */
describe('how meetings reach a calendar', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  const CHAIR = 'chair@csc.gov.test';
  const DSL = 'dsl@riverside.sch.uk';
  const DEPUTY = 'deputy.dsl@riverside.sch.uk';
  const PAT = 'pat@police.test'; // a core member without an account

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MEETINGS_MAILBOX: 'meetings@partnership.test' } });
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const put = (token: string, calendarDelivery: unknown) =>
    request(t.http).put('/api/me/calendar-delivery').set(bearer(token)).send({ calendarDelivery });
  const deliveryOf = async (token: string) =>
    (await request(t.http).get('/api/me').set(bearer(token)).expect(200)).body.calendarDelivery as string;
  const mailTo = (email: string, from: number) => smtp.to(email).slice(from);

  it('starts with invitations; refuses a value it does not know, and "only my link" without a link, changing nothing', async () => {
    expect(await deliveryOf(p.a1)).toBe('invites');
    const bad = await put(p.a1, 'email').expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'calendarDelivery' }] });
    const refused = await put(p.a1, 'feed').expect(409);
    expect(refused.body).toMatchObject({ code: 'NO_CALENDAR_LINK' });
    expect(await deliveryOf(p.a1)).toBe('invites');
    // 'both' needs no link: invitations still come.
    await put(p.a1, 'both').expect(200, { calendarDelivery: 'both', invitations: null, messages: 0 });
    await put(p.a1, 'invites').expect(200);
  });

  it('a chair with only their link gets no invitations for a new series, but hears of a move, without a calendar part', async () => {
    await request(t.http).post('/api/me/calendar-feed').set(bearer(p.chair)).expect(201);
    await put(p.chair, 'feed').expect(200, { calendarDelivery: 'feed', invitations: 'stop', messages: 0 });
    const chairId = (await request(t.http).get('/api/me').set(bearer(p.chair)).expect(200)).body.id;
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'user.calendar-delivery-changed', entityId: chairId });
    expect(audit.map((a) => a.details)).toEqual([{ calendarDelivery: 'feed', invitations: 'stop', messages: 0 }]);

    const [chair0, pat0] = [smtp.to(CHAIR).length, smtp.to(PAT).length];
    const series = await createSeries(t, p, { intervalWeeks: 2, horizonWeeks: 8 });
    await request(t.http)
      .patch(`/api/series/${series.id}`)
      .set(bearer(p.coordinator))
      .send({ coreMembers: [{ email: PAT, name: 'Pat Police' }] })
      .expect(200);
    await outboxSettled(t, smtp);
    expect(mailTo(CHAIR, chair0)).toEqual([]);
    expect(await t.dataSource.getRepository(OutboxMessage).countBy({ recipient: CHAIR, kind: 'meeting-invite' })).toBe(
      0,
    );
    // Someone without an account has made no choice: invitations, as before.
    expect(mailTo(PAT, pat0).length).toBe(series.meetings.length);
    expect(mailTo(PAT, pat0).every((m) => calendarParts(m).length === 1)).toBe(true);

    const moved = new Date(new Date(series.meetings[1].startsAt).getTime() + 60 * 60_000).toISOString();
    const chair1 = smtp.to(CHAIR).length;
    await request(t.http)
      .patch(`/api/meetings/${series.meetings[1].id}`)
      .set(bearer(p.coordinator))
      .send({ startsAt: moved })
      .expect(200);
    await outboxSettled(t, smtp);
    const news = mailTo(CHAIR, chair1);
    expect(news.map((m) => m.subject)).toEqual([expect.stringMatching(/^Moved: /)]);
    expect(calendarParts(news[0])).toEqual([]);
    expect(news[0].attachments).toEqual([]);
  });

  it('a presenter with only their link is told of their booking without an invitation; one with both gets it', async () => {
    const series = await createSeries(t, p, { intervalWeeks: 2, horizonWeeks: 4 });
    await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a1)).expect(201);
    await put(p.a1, 'feed').expect(200);
    await put(p.a2, 'both').expect(200);
    const [dsl0, deputy0] = [smtp.to(DSL).length, smtp.to(DEPUTY).length];
    for (const token of [p.a1, p.a2])
      await request(t.http)
        .post(`/api/meetings/${series.meetings[0].id}/bookings`)
        .set(bearer(token))
        .send(thresholdItem())
        .expect(201);
    await outboxSettled(t, smtp);
    const [toDsl] = mailTo(DSL, dsl0);
    const [toDeputy] = mailTo(DEPUTY, deputy0);
    // The same news to both (their own references aside); only the calendar part differs.
    const withoutReference = (subject = '') => subject.replace(/TRM-\d{4}-\d{4}/, 'TRM-…');
    expect(withoutReference(toDsl.subject)).toBe(withoutReference(toDeputy.subject));
    expect(toDsl.subject).toMatch(/TRM-\d{4}-\d{4}/);
    expect(calendarParts(toDsl)).toEqual([]);
    expect(calendarParts(toDeputy)).toHaveLength(1);
  });

  it('removing the link brings invitations back, even when both happen at once', async () => {
    await request(t.http).delete('/api/me/calendar-feed').set(bearer(p.a1)).expect(204);
    expect(await deliveryOf(p.a1)).toBe('invites');
    for (let round = 0; round < 10; round++) {
      await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a1)).expect(201);
      const [set, removed] = await Promise.all([
        put(p.a1, 'feed'),
        request(t.http).delete('/api/me/calendar-feed').set(bearer(p.a1)),
      ]);
      expect([200, 409]).toContain(set.status);
      expect(removed.status).toBe(204);
      // Never only the link without a link.
      expect(await deliveryOf(p.a1)).toBe('invites');
    }
  });

  it('hands the calendar over: only the link takes each invitation out, invitations again send each back, newer', async () => {
    // The deputy (core member of a new series, and presenter of an item) goes from both to only the link and back.
    const series = await createSeries(t, p, { intervalWeeks: 2, horizonWeeks: 6 });
    await request(t.http)
      .patch(`/api/series/${series.id}`)
      .set(bearer(p.coordinator))
      .send({ coreMembers: [{ email: DEPUTY, name: 'Deputy Lead' }, { email: PAT }] })
      .expect(200);
    const item = thresholdItem();
    for (const meeting of series.meetings.slice(1, 3))
      await request(t.http).post(`/api/meetings/${meeting.id}/bookings`).set(bearer(p.a2)).send(item).expect(201);
    await outboxSettled(t, smtp);
    const deputyId = (await request(t.http).get('/api/me').set(bearer(p.a2)).expect(200)).body.id as string;
    // What the deputy's calendar holds, read from the database: every meeting of the new series
    // (all upcoming under the fixed clock) and each item of theirs holding a slot.
    const slots = await t.dataSource.getRepository(Booking).findBy({ presenterUserId: deputyId, status: 'booked' });
    expect(slots.length).toBeGreaterThanOrEqual(2); // the two above (and any from an earlier test)
    const held = new Set([...series.meetings.map((x) => `meeting-${x.id}@`), ...slots.map((b) => `booking-${b.id}@`)]);
    const uidKey = (uid: string) => uid.slice(0, uid.indexOf('@') + 1);
    // The newest SEQUENCE the deputy has had for each entry.
    const newestSequence = (mails: ParsedMail[]) => {
      const newest = new Map<string, number>();
      for (const mail of mails)
        for (const part of calendarParts(mail))
          for (const e of parseWithNodeIcal(part.content).events)
            newest.set(uidKey(e.uid), Math.max(newest.get(uidKey(e.uid)) ?? -1, e.sequence));
      return newest;
    };
    const handOver = async (calendarDelivery: string, method: 'CANCEL' | 'REQUEST') => {
      const before = newestSequence(smtp.to(DEPUTY));
      const [deputy0, dsl0, pat0] = [smtp.to(DEPUTY).length, smtp.to(DSL).length, smtp.to(PAT).length];
      // A double click: two saves at once hand over once.
      const saves = await Promise.all([put(p.a2, calendarDelivery), put(p.a2, calendarDelivery)]);
      expect(saves.map((x) => x.status)).toEqual([200, 200]);
      expect(saves.map((x) => x.body)).toEqual(
        expect.arrayContaining([
          { calendarDelivery, invitations: method === 'CANCEL' ? 'stop' : 'start', messages: held.size },
          { calendarDelivery, invitations: null, messages: 0 },
        ]),
      );
      await outboxSettled(t, smtp);
      // Nobody else hears of it.
      expect(smtp.to(DSL).length).toBe(dsl0);
      expect(smtp.to(PAT).length).toBe(pat0);
      const mails = mailTo(DEPUTY, deputy0);
      const seen = new Set<string>();
      for (const mail of mails) {
        const parts = calendarParts(mail);
        expect(parts.map((x) => x.method)).toEqual([method]);
        const second = parseWithNodeIcal(parts[0].content);
        expect(second.method).toBe(method);
        expect(second.events).toHaveLength(1);
        const [event] = second.events;
        // The person alone, and the event itself not cancelled: it goes ahead for everyone else.
        expect(event.attendees).toEqual([`mailto:${DEPUTY}`]);
        expect(event.status).not.toBe('CANCELLED');
        const [vevent] = events(parseIcs(parts[0].content));
        expect(prop(vevent, 'uid')).toBe(event.uid);
        expect(event.sequence).toBeGreaterThan(before.get(uidKey(event.uid)) ?? -1);
        seen.add(uidKey(event.uid));
        // Never case text: times, the meeting, the reference.
        for (const words of [item.question, item.summary, item.agencyReference])
          expect(`${mail.subject} ${mail.text} ${parts[0].content}`).not.toContain(words);
      }
      expect(mails).toHaveLength(held.size);
      expect(seen).toEqual(held);
      return mails;
    };

    await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a2)).expect(201);
    const out = await handOver('feed', 'CANCEL');
    expect(out.every((m) => /^Invitation taken out: /.test(m.subject ?? ''))).toBe(true);
    // Only the link: the next change comes without a calendar part.
    const back = await handOver('both', 'REQUEST');
    expect(back.some((m) => m.attachments.some((a) => a.filename === 'invite.ics'))).toBe(true);
    // Between invitations and both, nothing is handed over.
    const deputy1 = smtp.to(DEPUTY).length;
    await put(p.a2, 'invites').expect(200, { calendarDelivery: 'invites', invitations: null, messages: 0 });
    await outboxSettled(t, smtp);
    expect(smtp.to(DEPUTY).length).toBe(deputy1);
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'user.calendar-delivery-changed', entityId: deputyId });
    // Each hand-over once (the double clicks' second saves changed nothing), each save audited.
    const handOvers = audit.map((a) => a.details).filter((d) => d?.invitations);
    expect(handOvers).toHaveLength(2);
    expect(handOvers).toEqual(
      expect.arrayContaining([
        { calendarDelivery: 'feed', invitations: 'stop', messages: held.size },
        { calendarDelivery: 'both', invitations: 'start', messages: held.size },
      ]),
    );
    expect(audit.map((a) => a.details)).toContainEqual({ calendarDelivery: 'invites', invitations: null, messages: 0 });
  });

  it('removing the link of someone with only the link sends their invitations back', async () => {
    await request(t.http).post('/api/me/calendar-feed').set(bearer(p.a2)).expect(201);
    await put(p.a2, 'feed').expect(200);
    await outboxSettled(t, smtp);
    const deputy0 = smtp.to(DEPUTY).length;
    await request(t.http).delete('/api/me/calendar-feed').set(bearer(p.a2)).expect(204);
    await outboxSettled(t, smtp);
    const mails = mailTo(DEPUTY, deputy0);
    expect(mails.length).toBeGreaterThan(0);
    expect(
      mails.every(
        (m) =>
          calendarParts(m)
            .map((x) => x.method)
            .join() === 'REQUEST',
      ),
    ).toBe(true);
    expect(await deliveryOf(p.a2)).toBe('invites');
  });
});
