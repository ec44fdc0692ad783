import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

describe('meetings and booking', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: Array<{ id: string; startsAt: string; bookingClosesAt: string }>;
  /**
   * Each test takes meetings of its own from the series, so their agendas do not interfere. The
   * first meeting is left empty for the test that reads a meeting as generated.
   */
  let next = 1;
  const freshMeeting = () => meetings[next++].id;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 40 });
    meetings = series.meetings;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const book = (
    token: string,
    meetingId: string,
    body: object = thresholdItem(),
    headers: Record<string, string> = {},
  ) => request(t.http).post(`/api/meetings/${meetingId}/bookings`).set(bearer(token)).set(headers).send(body);
  const countBookings = () => t.dataSource.getRepository(Booking).count();

  it('generates the series with slots, deadline and waiting list, and serves the vocabularies', async () => {
    expect(meetings.length).toBeGreaterThan(30);
    const res = await request(t.http).get(`/api/meetings/${meetings[0].id}`).set(bearer(p.a1)).expect(200);
    expect(res.body.slots).toHaveLength(8);
    expect(res.body.slots[0]).toEqual({
      index: 0,
      startsAt: res.body.startsAt,
      endsAt: expect.any(String),
      available: true,
    });
    expect(new Date(res.body.slots[7].endsAt).getTime()).toBe(new Date(res.body.endsAt).getTime());
    expect(new Date(res.body.bookingClosesAt).getTime()).toBeLessThan(new Date(res.body.startsAt).getTime());
    expect(res.body.waitlistLength).toBe(0);
    expect(res.body.agenda).toBeUndefined();

    const ref = await request(t.http).get('/api/reference-data').set(bearer(p.a1)).expect(200);
    expect(ref.body.concernCategories.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['neglect', 'domestic-abuse', 'criminal-exploitation']),
    );
    expect(ref.body.levels).toHaveLength(4);
    expect(ref.body.kinds.map((k: { code: string }) => k.code)).toEqual([
      'threshold-consultation',
      'referral-feedback',
      'agency-feedback',
    ]);
  });

  it('books an item, tells the presenter without case text, and lets only those entitled read it', async () => {
    const meetingId = freshMeeting();
    const before = smtp.to('dsl@riverside.sch.uk').length;
    const res = await book(p.a1, meetingId).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      reference: expect.stringMatching(/^TRM-\d{4}-\d{4}$/),
      status: 'booked',
      slotIndex: 0,
      startsAt: expect.any(String),
      endsAt: expect.any(String),
    });
    // The mail about this booking (other tests' mail to the same person may arrive meanwhile).
    const aboutIt = (m: { subject?: string }) => (m.subject ?? '').includes(res.body.reference);
    await smtp.waitFor(() => smtp.to('dsl@riverside.sch.uk').slice(before).some(aboutIt));
    const mail = smtp.to('dsl@riverside.sch.uk').slice(before).find(aboutIt)!;
    expect(mail.subject).toContain(res.body.reference);
    expect(mail.text).toContain(`/bookings/${res.body.id}`);
    expect(mail.text).toContain('at 10:00'); // Europe/London wall-clock time, whatever the host's zone
    const item = thresholdItem();
    for (const secret of [item.summary, item.question, item.agencyReference]) {
      expect(mail.text).not.toContain(secret);
      expect(String(mail.html)).not.toContain(secret);
    }

    const own = await request(t.http).get(`/api/bookings/${res.body.id}`).set(bearer(p.a1)).expect(200);
    expect(own.body).toMatchObject({
      summary: item.summary,
      question: item.question,
      kind: 'threshold-consultation',
      status: 'booked',
    });
    await request(t.http).get(`/api/bookings/${res.body.id}`).set(bearer(p.chair)).expect(200);
    await request(t.http).get(`/api/bookings/${res.body.id}`).set(bearer(p.coordinator)).expect(200);
    const otherAgency = await request(t.http).get(`/api/bookings/${res.body.id}`).set(bearer(p.b1)).expect(404);
    expect(otherAgency.body.code).toBe('NOT_FOUND');
    await request(t.http).get(`/api/bookings/${res.body.id}`).set(bearer(p.otherChair)).expect(404);

    const reads = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'booking.read', entityId: res.body.id });
    expect(reads).toHaveLength(3);
    expect(JSON.stringify(reads)).not.toContain(item.summary);

    const mine = await request(t.http).get('/api/bookings?mine=true').set(bearer(p.a1)).expect(200);
    expect(mine.body.map((b: { id: string }) => b.id)).toContain(res.body.id);
    expect(JSON.stringify(mine.body)).not.toContain(item.summary);
    const others = await request(t.http).get('/api/bookings').set(bearer(p.b1)).expect(200);
    expect(others.body.map((b: { id: string }) => b.id)).not.toContain(res.body.id);
  });

  it('shows chairs and coordinators the agenda, and professionals only availability and their own items', async () => {
    const meetingId = freshMeeting();
    const mineA = await book(p.a1, meetingId, thresholdItem({ slotIndex: 2 })).expect(201);
    await book(p.b1, meetingId, thresholdItem({ slotIndex: 1 })).expect(201);
    const asChair = await request(t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.chair)).expect(200);
    expect(asChair.body.agenda.map((i: { slotIndex: number }) => i.slotIndex)).toEqual([1, 2]);
    expect(asChair.body.agenda[0]).toMatchObject({
      presenter: { name: expect.any(String) },
      agency: { name: 'Northshire Community Health' },
    });
    expect(JSON.stringify(asChair.body)).not.toContain(thresholdItem().summary);

    const asA = await request(t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.a1)).expect(200);
    expect(asA.body.agenda).toBeUndefined();
    expect(asA.body.myItems.map((i: { id: string }) => i.id)).toEqual([mineA.body.id]);
    expect(
      asA.body.slots.filter((s: { available: boolean }) => !s.available).map((s: { index: number }) => s.index),
    ).toEqual([1, 2]);

    const listed = await request(t.http)
      .get('/api/meetings')
      .query({ from: meetings[0].startsAt.slice(0, 10) })
      .set(bearer(p.b1))
      .expect(200);
    expect(listed.body.length).toBeGreaterThan(5);
    expect(listed.body.every((m: { agenda?: unknown }) => m.agenda === undefined)).toBe(true);
  });

  describe('refuses bad input with field messages and stores nothing', () => {
    let meetingId: string;
    beforeAll(() => {
      meetingId = freshMeeting();
    });

    it.each([
      ['a missing summary', thresholdItem({ summary: undefined }), ['summary']],
      ['unknown fields', { ...thresholdItem(), childName: 'x' }, ['childName']],
      [
        'wrong types',
        thresholdItem({ levelConsidered: 'two', concernCategories: 'neglect' }),
        ['concernCategories', 'levelConsidered'],
      ],
      ['an unknown category', thresholdItem({ concernCategories: ['astrology'] }), ['concernCategories']],
      ['a level out of range', thresholdItem({ levelConsidered: 7 }), ['levelConsidered']],
      ['an over-long question', thresholdItem({ question: 'q'.repeat(1001) }), ['question']],
      [
        'referral feedback without its MASH reference',
        thresholdItem({ kind: 'referral-feedback' }),
        ['mashReference', 'referralDate'],
      ],
      [
        'a referral date in the future',
        thresholdItem({ kind: 'referral-feedback', mashReference: 'MASH-2026-001', referralDate: '2099-01-01' }),
        ['referralDate'],
      ],
      ['a slot that does not exist', thresholdItem({ slotIndex: 8 }), ['slotIndex']],
      ['no kind', thresholdItem({ kind: undefined }), ['kind']],
    ])('%s', async (_name, body, fields) => {
      const before = await countBookings();
      const res = await book(p.a1, meetingId, body as object).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(fields);
      expect(await countBookings()).toBe(before);
    });

    it('identifying details: 422 with field, kind and position, and nothing stored', async () => {
      const before = await countBookings();
      const summary = 'Lives at SW1A 1AA with mum, NHS number 943 476 5919, call 07700 900123.';
      const res = await book(p.a1, meetingId, thresholdItem({ summary })).expect(422);
      expect(res.body.code).toBe('IDENTIFYING_DETAILS');
      const kinds = res.body.details.map((d: { kind: string }) => d.kind);
      expect(kinds).toEqual(['postcode', 'nhs-number', 'phone']);
      for (const d of res.body.details) {
        expect(d.field).toBe('summary');
        expect(summary.slice(d.start, d.end).replace(/\s/g, '')).toMatch(/^(SW1A1AA|9434765919|07700900123)$/);
      }
      expect(JSON.stringify(res.body)).not.toContain('943 476 5919');
      expect(await countBookings()).toBe(before);
    });

    it('immediate risk: 422 with the MASH guidance, before anything else is checked, and nothing stored', async () => {
      const before = await countBookings();
      const res = await book(p.a1, meetingId, { immediateRisk: true }).expect(422);
      expect(res.body.code).toBe('IMMEDIATE_RISK');
      expect(res.body.message).toContain('MASH');
      expect(res.body.details.guidance).toBe(t.config.MASH_CONTACT_GUIDANCE);
      expect(res.body.details.telephone).toBe(t.config.MASH_TELEPHONE ?? null);
      expect(await countBookings()).toBe(before);
    });

    it('a professional cannot create series or change meetings', async () => {
      await request(t.http).post('/api/series').set(bearer(p.a1)).send({}).expect(403);
      await request(t.http).patch(`/api/meetings/${meetingId}`).set(bearer(p.a1)).send({ location: 'x' }).expect(403);
      await request(t.http)
        .post(`/api/meetings/${meetingId}/cancel`)
        .set(bearer(p.a1))
        .send({ reason: 'because' })
        .expect(403);
      await request(t.http)
        .post(`/api/meetings/${meetingId}/cancel`)
        .set(bearer(p.otherChair))
        .send({ reason: 'because' })
        .expect(403);
    });
  });

  it('100 parallel requests for one slot: exactly one booking, the rest 409 SLOT_TAKEN', async () => {
    const meetingId = freshMeeting();
    const tokens = [p.a1, p.a2, p.b1];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => book(tokens[i % 3], meetingId, thresholdItem({ slotIndex: 3 }))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'SLOT_TAKEN')).toBe(true);
    expect(await t.dataSource.getRepository(Booking).countBy({ meetingId })).toBe(1);
  });

  it('100 parallel requests with no slot chosen for 8 slots: 8 booked, the rest full; then the waiting list', async () => {
    const meetingId = freshMeeting();
    const tokens = [p.a1, p.a2, p.b1];
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => book(tokens[i % 3], meetingId)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(8);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'MEETING_FULL')).toBe(true);
    const slots = results
      .filter((r) => r.status === 201)
      .map((r) => r.body.slotIndex)
      .sort();
    expect(slots).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const refs = new Set(results.filter((r) => r.status === 201).map((r) => r.body.reference));
    expect(refs.size).toBe(8);

    const waiting = await book(p.a2, meetingId, thresholdItem({ joinWaitlist: true })).expect(201);
    expect(waiting.body).toMatchObject({ status: 'waitlisted', slotIndex: null });
    const view = await request(t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.a2)).expect(200);
    expect(view.body.waitlistLength).toBe(1);
    expect(view.body.slots.every((s: { available: boolean }) => !s.available)).toBe(true);
  });

  it('Idempotency-Key: a replay (sequential or parallel) returns the first answer; another body is refused', async () => {
    const meetingId = freshMeeting();
    const key = { 'Idempotency-Key': 'retry-abc-123' };
    const first = await book(p.a1, meetingId, thresholdItem(), key).expect(201);
    const again = await book(p.a1, meetingId, thresholdItem(), key).expect(201);
    expect(again.body).toEqual(first.body);
    const reused = await book(p.a1, meetingId, thresholdItem({ levelConsidered: 3 }), key).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const parallelKey = { 'Idempotency-Key': 'parallel-key-1' };
    const parallel = await Promise.all(
      Array.from({ length: 10 }, () => book(p.a2, meetingId, thresholdItem(), parallelKey)),
    );
    expect(parallel.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
    expect(await t.dataSource.getRepository(Booking).countBy({ meetingId })).toBe(2);
  });

  it('withdrawing frees the slot for the first waiting item, whose presenter is told', async () => {
    const meetingId = freshMeeting();
    const booked = [];
    for (let i = 0; i < 8; i++) booked.push((await book(i % 2 ? p.a1 : p.b1, meetingId).expect(201)).body);
    const firstWaiting = (await book(p.a2, meetingId, thresholdItem({ joinWaitlist: true })).expect(201)).body;
    const secondWaiting = (await book(p.b1, meetingId, thresholdItem({ joinWaitlist: true })).expect(201)).body;
    // Bookings alternate b1, a1, b1, …: the one holding slot 5 belongs to whoever made it.
    const victimIndex = booked.findIndex((b) => b.slotIndex === 5);
    const victim = booked[victimIndex];
    const owner = victimIndex % 2 ? p.a1 : p.b1;

    await request(t.http).post(`/api/bookings/${victim.id}/withdraw`).set(bearer(p.chair)).expect(403);
    await request(t.http)
      .post(`/api/bookings/${victim.id}/withdraw`)
      .set(bearer(p.b1 === owner ? p.a2 : p.b1))
      .expect(404);
    const before = smtp.to('deputy.dsl@riverside.sch.uk').length;
    const res = await request(t.http).post(`/api/bookings/${victim.id}/withdraw`).set(bearer(owner)).expect(200);
    expect(res.body.status).toBe('withdrawn');
    await request(t.http).post(`/api/bookings/${victim.id}/withdraw`).set(bearer(owner)).expect(409);

    const promoted = await request(t.http).get(`/api/bookings/${firstWaiting.id}`).set(bearer(p.a2)).expect(200);
    expect(promoted.body).toMatchObject({ status: 'booked', slotIndex: 5 });
    const still = await request(t.http).get(`/api/bookings/${secondWaiting.id}`).set(bearer(p.b1)).expect(200);
    expect(still.body.status).toBe('waitlisted');
    await smtp.waitFor(() =>
      smtp
        .to('deputy.dsl@riverside.sch.uk')
        .slice(before)
        .some((m) => /slot is now yours/.test(m.subject ?? '')),
    );

    // Withdraw, then book again: the freed slot can be taken by the next request.
    await request(t.http).post(`/api/bookings/${firstWaiting.id}/withdraw`).set(bearer(p.a2)).expect(200);
    const after = await request(t.http).get(`/api/bookings/${secondWaiting.id}`).set(bearer(p.b1)).expect(200);
    expect(after.body).toMatchObject({ status: 'booked', slotIndex: 5 });
    const rebooked = await request(t.http)
      .post(`/api/bookings/${firstWaiting.id}/rebook`)
      .set(bearer(p.a2))
      .send({ meetingId, joinWaitlist: true })
      .expect(200);
    expect(rebooked.body).toMatchObject({ status: 'waitlisted', reference: firstWaiting.reference });
  });

  it('closes bookings at the deadline for professionals but not for coordinators', async () => {
    const meetingId = freshMeeting();
    await t.dataSource
      .getRepository(Meeting)
      .update({ id: meetingId }, { bookingClosesAt: new Date(t.clock.now().getTime() - 60_000) });
    const res = await book(p.a1, meetingId).expect(409);
    expect(res.body.code).toBe('BOOKING_CLOSED');
    expect(new Date(res.body.details.bookingClosesAt).getTime()).toBeLessThan(t.clock.now().getTime());

    // A coordinator can still add an item (on behalf of their agency).
    const withoutAgency = await book(p.coordinator, meetingId).expect(422);
    expect(withoutAgency.body.code).toBe('NO_AGENCY');
    const me = await request(t.http).get('/api/me').set(bearer(p.coordinator)).expect(200);
    await request(t.http)
      .patch(`/api/users/${me.body.id}`)
      .set(bearer(p.coordinator))
      .send({ agencyId: p.agencyB })
      .expect(200);
    const late = await book(p.coordinator, meetingId).expect(201);
    expect(late.body.status).toBe('booked');
  });

  it('cancels a meeting: items kept, presenters told, no new bookings; an item moves to another meeting in one call', async () => {
    const meetingId = freshMeeting();
    const target = freshMeeting();
    const item = (await book(p.b1, meetingId).expect(201)).body;
    const before = smtp.to('health.visitor@health.nhs.test').length;
    // The reason is shown to everyone and e-mailed: identifying details are refused, nothing changes.
    const identifying = await request(t.http)
      .post(`/api/meetings/${meetingId}/cancel`)
      .set(bearer(p.chair))
      .send({ reason: 'Strategy meeting for the child at SW1A 1AA' })
      .expect(422);
    expect(identifying.body.code).toBe('IDENTIFYING_DETAILS');
    expect((await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetingId })).status).toBe('scheduled');
    const cancelled = await request(t.http)
      .post(`/api/meetings/${meetingId}/cancel`)
      .set(bearer(p.chair))
      .send({ reason: 'Chair unwell' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Chair unwell' });
    expect(cancelled.body.slots.every((s: { available: boolean }) => !s.available)).toBe(true);
    await request(t.http)
      .post(`/api/meetings/${meetingId}/cancel`)
      .set(bearer(p.chair))
      .send({ reason: 'again' })
      .expect(409);
    const refused = await book(p.a1, meetingId).expect(409);
    expect(refused.body.code).toBe('MEETING_CANCELLED');

    const kept = await request(t.http).get(`/api/bookings/${item.id}`).set(bearer(p.b1)).expect(200);
    expect(kept.body.status).toBe('meeting-cancelled');
    await smtp.waitFor(() =>
      smtp
        .to('health.visitor@health.nhs.test')
        .slice(before)
        .some((m) => /cancelled/i.test(m.subject ?? '')),
    );

    const moved = await request(t.http)
      .post(`/api/bookings/${item.id}/rebook`)
      .set(bearer(p.b1))
      .send({ meetingId: target })
      .expect(200);
    expect(moved.body).toMatchObject({ id: item.id, reference: item.reference, status: 'booked', slotIndex: 0 });
    const after = await request(t.http).get(`/api/bookings/${item.id}`).set(bearer(p.b1)).expect(200);
    expect(after.body).toMatchObject({ meetingId: target, summary: thresholdItem().summary });
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'meeting.cancelled', entityId: meetingId });
    expect(audit.details).toMatchObject({ reason: 'Chair unwell', itemsAffected: 1 });
  });

  it('reschedules a meeting: slots move with it, presenters are told, and bad changes are refused', async () => {
    const meetingId = freshMeeting();
    const item = (await book(p.a1, meetingId, thresholdItem({ slotIndex: 1 })).expect(201)).body;
    const original = await request(t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.chair)).expect(200);
    const newStart = new Date(new Date(original.body.startsAt).getTime() + 26 * 3600_000).toISOString();

    await request(t.http)
      .patch(`/api/meetings/${meetingId}`)
      .set(bearer(p.chair))
      .send({ startsAt: '2027-01-01T10:00:00', reason: 'Room clash' })
      .expect(400);
    await request(t.http)
      .patch(`/api/meetings/${meetingId}`)
      .set(bearer(p.chair))
      .send({ startsAt: '2020-01-01T10:00:00Z', reason: 'Room clash' })
      .expect(400);

    const before = smtp.to('dsl@riverside.sch.uk').length;
    const res = await request(t.http)
      .patch(`/api/meetings/${meetingId}`)
      .set(bearer(p.chair))
      // The next day may be a weekend or bank holiday: confirmed, so the test holds whichever it is.
      .send({ startsAt: newStart, reason: 'Room clash', confirmNonWorkingDay: true })
      .expect(200);
    expect(res.body.startsAt).toBe(newStart);
    expect(new Date(res.body.slots[1].startsAt).getTime() - new Date(newStart).getTime()).toBe(15 * 60_000);
    const moved = await request(t.http).get(`/api/bookings/${item.id}`).set(bearer(p.a1)).expect(200);
    expect(moved.body.startsAt).toBe(res.body.slots[1].startsAt);
    await smtp.waitFor(() =>
      smtp
        .to('dsl@riverside.sch.uk')
        .slice(before)
        .some((m) => /Meeting changed/.test(m.subject ?? '')),
    );
    const mail = smtp
      .to('dsl@riverside.sch.uk')
      .slice(before)
      .find((m) => /Meeting changed/.test(m.subject ?? ''))!;
    expect(mail.text).toContain('Room clash');

    // Once it has taken place, a meeting is a record and no longer changes.
    const past = freshMeeting();
    await t.dataSource.getRepository(Meeting).update(
      { id: past },
      {
        startsAt: new Date(t.clock.now().getTime() - 3 * 3600_000),
        endsAt: new Date(t.clock.now().getTime() - 3600_000),
      },
    );
    const over = await request(t.http)
      .patch(`/api/meetings/${past}`)
      .set(bearer(p.chair))
      .send({ location: 'Room 9' })
      .expect(409);
    expect(over.body.code).toBe('MEETING_OVER');
  });
});
