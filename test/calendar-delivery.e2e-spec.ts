import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts } from './support/ical';
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
    await put(p.a1, 'both').expect(200, { calendarDelivery: 'both' });
    await put(p.a1, 'invites').expect(200);
  });

  it('a chair with only their link gets no invitations for a new series, but hears of a move, without a calendar part', async () => {
    await request(t.http).post('/api/me/calendar-feed').set(bearer(p.chair)).expect(201);
    await put(p.chair, 'feed').expect(200, { calendarDelivery: 'feed' });
    const chairId = (await request(t.http).get('/api/me').set(bearer(p.chair)).expect(200)).body.id;
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'user.calendar-delivery-changed', entityId: chairId });
    expect(audit.map((a) => a.details)).toEqual([{ calendarDelivery: 'feed' }]);

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
});
