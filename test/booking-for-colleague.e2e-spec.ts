import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts, events, parseIcs } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, webSignIn } from './support/web';

/**
 * Booking for a colleague (issue 17, part 5): a professional books for a colleague of the same
 * agency, who becomes the presenter (the invite, the e-mails, changing and withdrawing); a
 * coordinator books for anyone with an agency. Through the API and through the booking pages.
 */
describe('booking for a colleague', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: string[];
  const ids: Record<string, string> = {};
  const api = () => request(t.http);
  const stored = (id: string) => t.dataSource.getRepository(Booking).findOneByOrFail({ id });
  const countBookings = () => t.dataSource.getRepository(Booking).count();

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4 })).meetings.map((m) => m.id);
    for (const [name, token] of Object.entries({ a1: p.a1, a2: p.a2, b1: p.b1, coordinator: p.coordinator })) {
      ids[name] = (await api().get('/api/me').set(bearer(token)).expect(200)).body.id;
    }
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('makes the colleague the presenter: their item, their invite, their withdrawal; the booker is recorded and sees it no more', async () => {
    const a2Before = smtp.to('deputy.dsl@riverside.sch.uk').length;
    const a1Before = smtp.to('dsl@riverside.sch.uk').length;
    const res = await api()
      .post(`/api/meetings/${meetings[0]}/bookings`)
      .set(bearer(p.a1))
      .send(thresholdItem({ presenterUserId: ids.a2 }))
      .expect(201);
    const item = await stored(res.body.id);
    expect(item).toMatchObject({ presenterUserId: ids.a2, bookedByUserId: ids.a1, agencyId: p.agencyA });

    // The presenter reads it, with who booked it; the booker, who is not its presenter, gets 404.
    const read = await api().get(`/api/bookings/${item.id}`).set(bearer(p.a2)).expect(200);
    expect(read.body).toMatchObject({ presenter: { id: ids.a2 }, bookedByUserId: ids.a1 });
    await api().get(`/api/bookings/${item.id}`).set(bearer(p.a1)).expect(404);

    // The invite goes to the presenter, saying who booked it; nothing to the booker.
    await outboxSettled(t, smtp);
    const mails = smtp.to('deputy.dsl@riverside.sch.uk').slice(a2Before);
    expect(mails).toHaveLength(1);
    expect(String(mails[0].text)).toContain('Dee Lead booked this item for you');
    const [invite] = calendarParts(mails[0]);
    expect(invite.method).toBe('REQUEST');
    const attendees = events(parseIcs(invite.content)).flatMap((e) =>
      e.getAllProperties('attendee').map((a) => String(a.getFirstValue())),
    );
    expect(attendees).toEqual(['mailto:deputy.dsl@riverside.sch.uk']);
    expect(smtp.to('dsl@riverside.sch.uk').slice(a1Before)).toHaveLength(0);

    const created = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'booking.created', entityId: item.id });
    expect(created.actorUserId).toBe(ids.a1);
    expect(created.details).toMatchObject({ presenterUserId: ids.a2 });

    // The colleague withdraws it; the booker cannot.
    await api().post(`/api/bookings/${item.id}/withdraw`).set(bearer(p.a1)).expect(404);
    await api().post(`/api/bookings/${item.id}/withdraw`).set(bearer(p.a2)).expect(200);
    expect((await stored(item.id)).status).toBe('withdrawn');
  });

  it('refuses anyone but a colleague of the same agency, alike for unknown ids, and stores nothing', async () => {
    const before = await countBookings();
    for (const presenterUserId of [ids.b1, ids.coordinator, '00000000-0000-4000-8000-000000000000']) {
      const res = await api()
        .post(`/api/meetings/${meetings[0]}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem({ presenterUserId }))
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'Some fields are missing or invalid.',
        details: [
          { field: 'presenterUserId', messages: ['presenterUserId must be an active colleague of your agency'] },
        ],
      });
    }
    const notAnId = await api()
      .post(`/api/meetings/${meetings[0]}/bookings`)
      .set(bearer(p.a1))
      .send(thresholdItem({ presenterUserId: 'dee' }))
      .expect(400);
    expect(notAnId.body.details).toEqual([{ field: 'presenterUserId', messages: expect.any(Array) }]);
    expect(await countBookings()).toBe(before);
  });

  it('refuses a colleague whose account is closed or waiting for approval', async () => {
    const closed = await api()
      .post('/api/users')
      .set(bearer(p.coordinator))
      .send({ email: 'left@riverside.sch.uk', name: 'Lee Left', agencyId: p.agencyA, roles: ['professional'] })
      .expect(201);
    await api()
      .patch(`/api/users/${closed.body.id}`)
      .set(bearer(p.coordinator))
      .send({ status: 'disabled' })
      .expect(200);
    // A first sign-in from the agency's domain: pending until approved.
    const pendingToken = await signIn(t, smtp, 'new.starter@riverside.sch.uk');
    const pending = (await api().get('/api/me').set(bearer(pendingToken)).expect(200)).body;
    expect(pending.status).toBe('pending');
    for (const presenterUserId of [closed.body.id, pending.id]) {
      const res = await api()
        .post(`/api/meetings/${meetings[0]}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem({ presenterUserId }))
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'presenterUserId', messages: ['presenterUserId must be an active colleague of your agency'] },
      ]);
    }
  });

  it('counts the presenter’s caps, and what the booker books for others against their own daily cap', async () => {
    const limited = await createTestApp({
      env: { SMTP_URL: smtp.url, BOOKING_LIMIT_PER_MEETING: '1', BOOKING_LIMIT_PER_DAY: '2' },
    });
    try {
      const q = await setUpPartnership(limited, smtp);
      const meetingsOf = (await createSeries(limited, q, { intervalWeeks: 1, horizonWeeks: 8 })).meetings.map(
        (x) => x.id,
      );
      const m = meetingsOf[0];
      const a2 = (await request(limited.http).get('/api/me').set(bearer(q.a2)).expect(200)).body.id;
      await request(limited.http)
        .post(`/api/meetings/${m}/bookings`)
        .set(bearer(q.a2))
        .send(thresholdItem())
        .expect(201);
      const over = await request(limited.http)
        .post(`/api/meetings/${m}/bookings`)
        .set(bearer(q.a1))
        .send(thresholdItem({ presenterUserId: a2 }))
        .expect(429);
      expect(over.body).toMatchObject({ code: 'BOOKING_LIMIT', details: { per: 'meeting' } });
      expect(over.body.message).toContain('Deputy Lead already has 1 items on this meeting');
      // The booker's own place on this meeting is theirs: 1 booked today.
      await request(limited.http)
        .post(`/api/meetings/${m}/bookings`)
        .set(bearer(q.a1))
        .send(thresholdItem())
        .expect(201);
      // For the colleague on another meeting: 2 booked today by the booker, the daily cap.
      const others = meetingsOf.filter((id) => id !== m);
      await request(limited.http)
        .post(`/api/meetings/${others[0]}/bookings`)
        .set(bearer(q.a1))
        .send(thresholdItem({ presenterUserId: a2 }))
        .expect(201);
      // A third, even for themselves on a meeting they have nothing on, is over the booker's cap.
      const third = await request(limited.http)
        .post(`/api/meetings/${others[1]}/bookings`)
        .set(bearer(q.a1))
        .send(thresholdItem())
        .expect(429);
      expect(third.body).toMatchObject({ code: 'BOOKING_LIMIT', details: { per: 'day' } });
    } finally {
      await limited.close();
    }
  });

  it('lets a coordinator book for anyone with an agency, who becomes its presenter', async () => {
    const res = await api()
      .post(`/api/meetings/${meetings[1]}/bookings`)
      .set(bearer(p.coordinator))
      .send(thresholdItem({ presenterUserId: ids.b1 }))
      .expect(201);
    expect(await stored(res.body.id)).toMatchObject({
      presenterUserId: ids.b1,
      bookedByUserId: ids.coordinator,
      agencyId: p.agencyB,
    });
    await api().get(`/api/bookings/${res.body.id}`).set(bearer(p.b1)).expect(200);
  });

  it('asks in the pages, from "Check your answers": only colleagues are offered, and the choice books for them', async () => {
    const web = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    const start = await web.get(`/meetings/${meetings[2]}/book`).expect(200);
    await web
      .post(`/meetings/${meetings[2]}/book`)
      .type('form')
      .send({ _csrf: csrfFrom(start.text), immediateRisk: 'no' })
      .expect(303);
    const answer = async (step: string, fields: Record<string, string | string[]>, expectStatus = 303) => {
      const page = await web.get(`/book/${step}`).expect(200);
      return web
        .post(`/book/${step}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...fields })
        .expect(expectStatus);
    };
    await answer('kind', { kind: 'agency-feedback' });
    await answer('slot', { slot: 'first' });
    await answer('summary', { summary: 'Feedback on how the front door answered our calls this month.' });
    const check = await web.get('/book/check').expect(200);
    expect(check.text).toContain('href="/book/presenter?change=1"');

    const question = await web.get('/book/presenter?change=1').expect(200);
    expect(question.text).toContain(`value="${ids.a2}"`);
    expect(question.text).toContain('Deputy Lead');
    // Not a colleague: another agency's professional, the coordinator.
    expect(question.text).not.toContain(ids.b1);
    expect(question.text).not.toContain(ids.coordinator);

    // A hand-edited form naming someone else changes nothing.
    const refused = await web
      .post('/book/presenter?change=1')
      .type('form')
      .send({ _csrf: csrfFrom(question.text), presenterUserId: ids.b1 })
      .expect(400);
    expect(refused.text).toContain('Select yourself or one of the colleagues shown');
    await web
      .post('/book/presenter?change=1')
      .type('form')
      .send({ _csrf: csrfFrom(question.text), presenterUserId: ids.a2 })
      .expect(303);
    const checked = await web.get('/book/check').expect(200);
    expect(checked.text).toMatch(/Presenter[\s\S]*Deputy Lead/);
    const done = await web
      .post('/book/check')
      .type('form')
      .send({ _csrf: csrfFrom(checked.text) })
      .expect(303);
    const bookingId = /\/bookings\/([^/]+)\/confirmation/.exec(done.headers.location)![1];
    expect(await stored(bookingId)).toMatchObject({ presenterUserId: ids.a2, bookedByUserId: ids.a1 });
    // The booker's confirmation says for whom, with the reference, and shows none of the answers.
    const confirmation = await web.get(done.headers.location).expect(200);
    expect(confirmation.text).toContain('Booked for Deputy Lead');
    expect(confirmation.text).toContain((await stored(bookingId)).reference);
    expect(confirmation.text).not.toContain('front door answered our calls');
    // Nobody else gets that page.
    const other = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    await other.get(done.headers.location).expect(404);
  });
});
