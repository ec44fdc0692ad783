import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { MinutesVersion } from '../src/minutes/minutes-version.entity';
import { Minutes } from '../src/minutes/minutes.entity';
import { Attendee } from '../src/outcomes/attendee.entity';
import { ItemDeferral } from '../src/outcomes/item-deferral.entity';
import { MeetingAction } from '../src/outcomes/meeting-action.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { londonToday } from '../src/scheduling/calendar-rules';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

describe('outcomes and minutes: who may record, what is refused, races, actions and deferral', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let csc: string;
  let meetings: Array<{ id: string; startsAt: string }>;

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(path).set(bearer(token)),
    put: (path: string, body: unknown) =>
      request(t.http)
        .put(path)
        .set(bearer(token))
        .send(body as object),
    post: (path: string, body: unknown = {}) =>
      request(t.http)
        .post(path)
        .set(bearer(token))
        .send(body as object),
    patch: (path: string, body: unknown) =>
      request(t.http)
        .patch(path)
        .set(bearer(token))
        .send(body as object),
  });
  const book = async (token: string, meetingId: string, body: object = thresholdItem()) =>
    (await api(token).post(`/api/meetings/${meetingId}/bookings`, body).expect(201)).body as {
      id: string;
      reference: string;
      status: string;
      slotIndex: number;
    };
  const advice = {
    levelAdvised: 2,
    pathway: 'early-help',
    advice: 'Offer an early help assessment with the family’s consent.',
  };
  const fields = (res: request.Response) => (res.body.details as Array<{ field: string }>).map((d) => d.field).sort();
  const counts = async () => ({
    outcomes: await t.dataSource.getRepository(Outcome).count(),
    attendees: await t.dataSource.getRepository(Attendee).count(),
    actions: await t.dataSource.getRepository(MeetingAction).count(),
    deferrals: await t.dataSource.getRepository(ItemDeferral).count(),
  });

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const agencies = await api(p.coordinator).get('/api/agencies').expect(200);
    csc = agencies.body.find((a: { sector: string }) => a.sector === 'childrens-social-care').id;
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 14 })).meetings;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  describe('only the chair of that meeting, or a coordinator, records', () => {
    let item: { id: string };
    beforeAll(async () => {
      item = await book(p.a1, meetings[0].id);
    });

    it('attendance, actions and approval: others get 403 FORBIDDEN, and nothing changes', async () => {
      const register = [{ name: 'Someone', agencyId: p.agencyA, status: 'present' }];
      const id = meetings[0].id;
      const counts = async () => ({
        attendees: await t.dataSource.getRepository(Attendee).countBy({ meetingId: id }),
        actions: await t.dataSource.getRepository(MeetingAction).countBy({ meetingId: id }),
        minutes: await t.dataSource.getRepository(Minutes).countBy({ meetingId: id }),
        audit: await t.dataSource.getRepository(AuditEvent).count(),
      });
      const before = await counts();
      for (const token of [p.otherChair, p.a1, p.b1]) {
        const refusals = [
          await api(token).put(`/api/meetings/${id}/attendance`, register),
          await api(token).get(`/api/meetings/${id}/attendance`),
          await api(token).post(`/api/meetings/${id}/actions`, {
            description: 'Something to do',
            ownerAgencyId: csc,
            dueDate: workingDayFromToday(5),
          }),
          await api(token).get(`/api/meetings/${id}/actions`),
          await api(token).post(`/api/meetings/${id}/minutes/approve`),
          await api(token).post(`/api/meetings/${id}/minutes/amendments`, { reason: 'A reason here', themesNote: 'x' }),
          await api(token).patch(`/api/meetings/${id}/minutes`, { themesNote: 'x' }),
        ];
        for (const res of refusals) {
          expect({ status: res.status, body: res.body }).toEqual({
            status: 403,
            body: { statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) },
          });
        }
      }
      // Nothing was written: no attendee, no action, no minutes, no audit entry.
      expect(await counts()).toEqual(before);
      await api(p.chair).put(`/api/meetings/${meetings[0].id}/attendance`, register).expect(200);
      await api(p.coordinator).put(`/api/meetings/${meetings[0].id}/attendance`, register).expect(200);
    });

    it('an outcome: 403 for the presenter (who may read the item), 404 for those who may not know it exists', async () => {
      const mine = await api(p.a1).put(`/api/bookings/${item.id}/outcome`, advice).expect(403);
      expect(mine.body.code).toBe('FORBIDDEN');
      for (const token of [p.b1, p.a2, p.otherChair]) {
        const res = await api(token).put(`/api/bookings/${item.id}/outcome`, advice).expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
        await api(token).post(`/api/bookings/${item.id}/defer`).expect(404);
        await api(token).get(`/api/bookings/${item.id}/outcome`).expect(404);
      }
      await api(p.a1).post(`/api/bookings/${item.id}/defer`).expect(403);
      expect(await t.dataSource.getRepository(Outcome).countBy({ bookingId: item.id })).toBe(0);
      await api(p.coordinator).put(`/api/bookings/${item.id}/outcome`, advice).expect(201);
      await api(p.chair)
        .put(`/api/bookings/${item.id}/outcome`, { ...advice, version: 1 })
        .expect(200);
      // A draft until released (the minutes approved, or marked final once the meeting has
      // started, which this one has not): the presenter cannot read it yet, nor can it be final.
      await api(p.a1).get(`/api/bookings/${item.id}/outcome`).expect(404);
      const early = await api(p.chair)
        .put(`/api/bookings/${item.id}/outcome`, { ...advice, version: 2, final: true })
        .expect(409);
      expect(early.body.code).toBe('MEETING_NOT_HELD');
      await api(p.chair).put('/api/bookings/00000000-0000-4000-8000-000000000000/outcome', advice).expect(404);
      await api(p.chair).put('/api/bookings/not-a-uuid/outcome', advice).expect(404);
    });

    it('approval waits for an outcome on every item; an item not reached is carried forward first', async () => {
      // A meeting of its own (the other tests here need theirs not to have begun): one item with
      // its outcome, one not reached.
      const id = meetings[3].id;
      const reached = await book(p.a1, id);
      await api(p.chair).put(`/api/bookings/${reached.id}/outcome`, advice).expect(201);
      const notReached = await book(p.b1, id);
      const startsAt = new Date(t.clock.now().getTime() - 3600_000); // the meeting has begun
      await t.dataSource
        .getRepository(Meeting)
        .update({ id }, { startsAt, endsAt: new Date(startsAt.getTime() + 120 * 60_000) });
      const refused = await api(p.chair).post(`/api/meetings/${id}/minutes/approve`).expect(409);
      expect(refused.body).toMatchObject({
        code: 'ITEMS_WITHOUT_OUTCOME',
        details: { items: [{ bookingId: notReached.id, reference: notReached.reference }] },
      });
      expect(await t.dataSource.getRepository(MinutesVersion).countBy({ meetingId: id })).toBe(0);

      await api(p.chair).post(`/api/bookings/${notReached.id}/defer`).expect(200);
      const approved = await api(p.coordinator).post(`/api/meetings/${id}/minutes/approve`).expect(200);
      expect(approved.body.content.deferred.map((d: { bookingId: string }) => d.bookingId)).toEqual([notReached.id]);
      expect(await t.dataSource.getRepository(MinutesVersion).countBy({ meetingId: id })).toBe(1);
    });
  });

  describe('bad input: the one error shape with field messages, and nothing changed', () => {
    const meeting = () => meetings[1].id;
    let threshold: { id: string };
    let referral: { id: string };
    let feedback: { id: string };
    let withdrawn: { id: string };
    /** An item on another meeting of the series. */
    let elsewhere: { id: string };
    beforeAll(async () => {
      elsewhere = await book(p.a1, meetings[10].id);
      threshold = await book(p.a1, meeting());
      referral = await book(
        p.b1,
        meeting(),
        thresholdItem({
          kind: 'referral-feedback',
          mashReference: 'MASH-2026-0101',
          referralDate: workingDayFromToday(-10),
        }),
      );
      feedback = await book(p.b1, meeting(), {
        kind: 'agency-feedback',
        immediateRisk: false,
        summary: 'Feedback about the MASH’s response times this quarter.',
      });
      withdrawn = await book(p.a2, meeting());
      await api(p.a2).post(`/api/bookings/${withdrawn.id}/withdraw`).expect(200);
    });

    it.each([
      ['a level out of the configured range', { ...advice, levelAdvised: 5 }, ['levelAdvised']],
      ['a level below 1', { ...advice, levelAdvised: 0 }, ['levelAdvised']],
      ['an unknown pathway', { ...advice, pathway: 'astrology' }, ['pathway']],
      ['oversize advice', { ...advice, advice: 'a'.repeat(4001) }, ['advice']],
      ['unknown fields', { ...advice, childName: 'x' }, ['childName']],
      ['missing fields', { pathway: 'early-help' }, ['advice', 'levelAdvised']],
      ['wrong types', { ...advice, levelAdvised: '2', version: 'one' }, ['levelAdvised', 'version']],
      [
        'referral quality on a threshold consultation',
        { ...advice, referralQuality: { timely: true, complete: true, appropriate: true, issues: [] } },
        ['referralQuality'],
      ],
      ['a response on a threshold consultation', { ...advice, response: 'Not for this kind' }, ['response']],
    ])('outcome: %s', async (_name, body, expected) => {
      const before = await counts();
      const res = await api(p.chair).put(`/api/bookings/${threshold.id}/outcome`, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
      expect(fields(res)).toEqual(expected);
      expect(await counts()).toEqual(before);
    });

    it('outcome by kind: referral feedback needs its quality, agency feedback takes only a response', async () => {
      const before = await counts();
      const noQuality = await api(p.chair).put(`/api/bookings/${referral.id}/outcome`, advice).expect(400);
      expect(fields(noQuality)).toEqual(['referralQuality']);
      const badQuality = await api(p.chair)
        .put(`/api/bookings/${referral.id}/outcome`, {
          ...advice,
          referralQuality: { timely: true, complete: false, appropriate: false, issues: ['gossip'] },
        })
        .expect(400);
      expect(fields(badQuality)).toEqual(['referralQuality.issues']);
      const incomplete = await api(p.chair)
        .put(`/api/bookings/${referral.id}/outcome`, {
          ...advice,
          referralQuality: { timely: true, complete: false, appropriate: false, issues: [] },
        })
        .expect(400);
      expect(fields(incomplete)).toEqual(['referralQuality.issues', 'referralQuality.misdirectedTo']);
      const notAdvice = await api(p.chair).put(`/api/bookings/${feedback.id}/outcome`, advice).expect(400);
      expect(fields(notAdvice)).toEqual(['advice', 'levelAdvised', 'pathway', 'response']);
      expect(await counts()).toEqual(before);
    });

    it('outcome: refused for a withdrawn item (409), and identifying details in the advice (422)', async () => {
      const before = await counts();
      const res = await api(p.chair).put(`/api/bookings/${withdrawn.id}/outcome`, advice).expect(409);
      expect(res.body).toMatchObject({ code: 'ITEM_NOT_ON_AGENDA', details: { status: 'withdrawn' } });
      const identifying = await api(p.chair)
        .put(`/api/bookings/${threshold.id}/outcome`, { ...advice, advice: 'Call mum on 07700 900123 today.' })
        .expect(422);
      expect(identifying.body.code).toBe('IDENTIFYING_DETAILS');
      expect(JSON.stringify(identifying.body)).not.toContain('07700');
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['not an array', { name: 'x' }, ['body']],
      [
        'an unknown agency',
        [{ name: 'Ann', agencyId: '00000000-0000-4000-8000-000000000000', status: 'present' }],
        ['[0].agencyId'],
      ],
      [
        'unknown fields and a bad status',
        [{ name: 'Ann', agencyId: 'AGENCY_A', status: 'asleep', nhsNumber: '1' }],
        ['[0].nhsNumber', '[0].status'],
      ],
      [
        'an item of another meeting',
        [{ name: 'Ann', agencyId: 'AGENCY_A', status: 'present', bookingIds: ['OTHER_ITEM'] }],
        ['[0].bookingIds'],
      ],
      [
        'acceptance by someone absent',
        [{ name: 'Ann', agencyId: 'AGENCY_A', status: 'apologies', confidentialityAccepted: true }],
        ['[0].confidentialityAccepted'],
      ],
      [
        'the same e-mail twice',
        [
          { name: 'Ann', email: 'a@x.test', agencyId: 'AGENCY_A', status: 'present' },
          { name: 'Bo', email: 'A@x.test', agencyId: 'AGENCY_A', status: 'present' },
        ],
        ['[1].email'],
      ],
      ['an oversize name', [{ name: 'n'.repeat(121), agencyId: 'AGENCY_A', status: 'present' }], ['[0].name']],
    ])('attendance: %s', async (_name, raw, expected) => {
      const other = elsewhere.id;
      const body = JSON.parse(
        JSON.stringify(raw)
          .replace(/AGENCY_A/g, p.agencyA)
          .replace(/OTHER_ITEM/g, other),
      );
      const before = await counts();
      const res = await api(p.chair).put(`/api/meetings/${meeting()}/attendance`, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fields(res)).toEqual(expected);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['a due date in the past', { dueDate: '2020-01-01' }, ['dueDate']],
      ['a date that does not exist', { dueDate: '2027-02-30' }, ['dueDate']],
      ['an unknown agency', { ownerAgencyId: '00000000-0000-4000-8000-000000000000' }, ['ownerAgencyId']],
      ['oversize text', { description: 'd'.repeat(1001) }, ['description']],
      ['unknown fields', { priority: 'high' }, ['priority']],
      ['an item not on this agenda', { bookingId: 'WITHDRAWN' }, ['bookingId']],
    ])('action: %s', async (_name, override, expected) => {
      const body: Record<string, unknown> = {
        description: 'Share the assessment with the school.',
        ownerAgencyId: csc,
        dueDate: workingDayFromToday(3),
        ...override,
      };
      if (body.bookingId === 'WITHDRAWN') body.bookingId = withdrawn.id;
      const before = await counts();
      const res = await api(p.chair).post(`/api/meetings/${meeting()}/actions`, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fields(res)).toEqual(expected);
      expect(await counts()).toEqual(before);
    });

    it('action: closing needs a reason from the list, and only closing takes one', async () => {
      const action = await api(p.chair)
        .post(`/api/meetings/${meeting()}/actions`, {
          description: 'Share the assessment with the school.',
          ownerAgencyId: csc,
          dueDate: londonToday(t.clock.now()),
        })
        .expect(201);
      expect(action.body.overdue).toBe(false); // due today is not overdue yet
      const noReason = await api(p.chair).patch(`/api/actions/${action.body.id}`, { status: 'closed' }).expect(400);
      expect(fields(noReason)).toEqual(['closedReason']);
      const badReason = await api(p.chair)
        .patch(`/api/actions/${action.body.id}`, { status: 'closed', closedReason: 'bored' })
        .expect(400);
      expect(fields(badReason)).toEqual(['closedReason']);
      const wrongStatus = await api(p.chair)
        .patch(`/api/actions/${action.body.id}`, { status: 'done', closedReason: 'circumstances-changed' })
        .expect(400);
      expect(fields(wrongStatus)).toEqual(['closedReason']);
      await api(p.a1).patch(`/api/actions/${action.body.id}`, { status: 'done' }).expect(403);
      await api(p.otherChair).patch(`/api/actions/${action.body.id}`, { status: 'done' }).expect(403);
      const row = await t.dataSource.getRepository(MeetingAction).findOneByOrFail({ id: action.body.id });
      expect(row).toMatchObject({ status: 'open', closedReason: null, resolvedAt: null });
    });
  });

  describe('two chairs saving one outcome at once: no lost update', () => {
    it('parallel first recordings: one 201, the other 409 with the current version', async () => {
      const item = await book(p.a1, meetings[2].id);
      const [x, y] = await Promise.all([
        api(p.chair).put(`/api/bookings/${item.id}/outcome`, { ...advice, advice: 'First chair’s advice.' }),
        api(p.coordinator).put(`/api/bookings/${item.id}/outcome`, { ...advice, advice: 'Second chair’s advice.' }),
      ]);
      expect([x.status, y.status].sort()).toEqual([201, 409]);
      const loser = x.status === 409 ? x : y;
      expect(loser.body).toMatchObject({ code: 'OUTCOME_VERSION_CONFLICT', details: { currentVersion: 1 } });
      expect(await t.dataSource.getRepository(Outcome).countBy({ bookingId: item.id })).toBe(1);
    });

    it('parallel saves naming the same version: exactly one 200 and one 409 carrying the current version', async () => {
      const item = await book(p.b1, meetings[2].id);
      await api(p.chair).put(`/api/bookings/${item.id}/outcome`, advice).expect(201);
      const [x, y] = await Promise.all([
        api(p.chair).put(`/api/bookings/${item.id}/outcome`, {
          ...advice,
          version: 1,
          levelAdvised: 3,
          advice: 'Chair: refer to the MASH.',
        }),
        api(p.coordinator).put(`/api/bookings/${item.id}/outcome`, {
          ...advice,
          version: 1,
          levelAdvised: 1,
          advice: 'Coordinator: universal services.',
        }),
      ]);
      expect([x.status, y.status].sort()).toEqual([200, 409]);
      const winner = x.status === 200 ? x : y;
      const loser = x.status === 409 ? x : y;
      expect(winner.body.version).toBe(2);
      expect(loser.body).toMatchObject({
        statusCode: 409,
        code: 'OUTCOME_VERSION_CONFLICT',
        details: { currentVersion: 2 },
      });
      const stored = await t.dataSource.getRepository(Outcome).findOneByOrFail({ bookingId: item.id });
      expect({ version: stored.version, advice: stored.advice }).toEqual({ version: 2, advice: winner.body.advice });

      // The loser reloads and saves against the current version.
      await api(p.chair)
        .put(`/api/bookings/${item.id}/outcome`, { ...advice, version: 1 })
        .expect(409);
      const merged = await api(p.chair)
        .put(`/api/bookings/${item.id}/outcome`, { ...advice, version: 2, advice: 'Merged advice.' })
        .expect(200);
      expect(merged.body.version).toBe(3);
      const updates = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'outcome.updated', entityId: item.id });
      expect(updates.map((e) => e.details?.version).sort()).toEqual([2, 3]);
    });
  });

  describe('the actions ledger', () => {
    it('open actions come back on every later agenda of the series until done or closed; overdue ones are flagged', async () => {
      // A series of its own, so that no other test's actions are carried into these agendas.
      const series = (await createSeries(t, p, { title: 'Ledger series', intervalWeeks: 2, horizonWeeks: 10 }))
        .meetings;
      const [m3, m4, m5] = [series[0].id, series[1].id, series[2].id];
      const item = await book(p.a1, m3);
      const open = await api(p.chair)
        .post(`/api/meetings/${m3}/actions`, {
          description: 'Early help assessment to start.',
          ownerAgencyId: p.agencyA,
          ownerName: 'Dana Lead',
          dueDate: workingDayFromToday(2),
          bookingId: item.id,
        })
        .expect(201);
      const other = await api(p.chair)
        .post(`/api/meetings/${m3}/actions`, {
          description: 'Circulate the new guidance.',
          ownerAgencyId: csc,
          dueDate: workingDayFromToday(2),
        })
        .expect(201);

      const own = await api(p.chair).get(`/api/meetings/${m3}/actions`).expect(200);
      expect(own.body.raised.map((a: { id: string }) => a.id).sort()).toEqual([open.body.id, other.body.id].sort());
      expect(own.body.carriedForward).toEqual([]);
      for (const later of [m4, m5]) {
        const agenda = await api(p.coordinator).get(`/api/meetings/${later}/actions`).expect(200);
        expect(agenda.body.raised).toEqual([]);
        expect(agenda.body.carriedForward.map((a: { id: string }) => a.id).sort()).toEqual(
          [open.body.id, other.body.id].sort(),
        );
        expect(agenda.body.carriedForward.every((a: { carriedForward: boolean }) => a.carriedForward)).toBe(true);
      }
      // Another series' agenda never shows them.
      const elsewhere = await api(p.chair).get(`/api/meetings/${meetings[4].id}/actions`).expect(200);
      expect(
        [...elsewhere.body.raised, ...elsewhere.body.carriedForward].map((a: { id: string }) => a.id),
      ).not.toContain(open.body.id);

      // Its due date passes: flagged to the chair. (A week back: three days back from Monday
      // 4 January 2027 is New Year's Day, whose next working day is today, not yet overdue.)
      await t.dataSource
        .getRepository(MeetingAction)
        .update({ id: open.body.id }, { dueDate: workingDayFromToday(-7) });
      const overdue = await api(p.chair).get(`/api/meetings/${m4}/actions`).expect(200);
      expect(overdue.body.overdueCount).toBe(1);
      expect(overdue.body.carriedForward.find((a: { id: string }) => a.id === open.body.id)).toMatchObject({
        overdue: true,
        status: 'open',
        item: { bookingId: item.id },
      });
      expect(overdue.body.carriedForward.find((a: { id: string }) => a.id === other.body.id).overdue).toBe(false);

      // Done: it leaves the later agendas; closed with a reason likewise; reopened, it is back.
      const done = await api(p.chair).patch(`/api/actions/${open.body.id}`, { status: 'done' }).expect(200);
      expect(done.body).toMatchObject({ status: 'done', overdue: false, resolvedAt: expect.any(String) });
      await api(p.chair)
        .patch(`/api/actions/${other.body.id}`, { status: 'closed', closedReason: 'agency-not-completed' })
        .expect(200);
      const after = await api(p.chair).get(`/api/meetings/${m4}/actions`).expect(200);
      expect(after.body.carriedForward).toEqual([]);
      expect(after.body.overdueCount).toBe(0);
      await api(p.chair).patch(`/api/actions/${other.body.id}`, { status: 'open' }).expect(200);
      const reopened = await api(p.chair).get(`/api/meetings/${m5}/actions`).expect(200);
      expect(
        reopened.body.carriedForward.map((a: { id: string; closedReason: string | null }) => [a.id, a.closedReason]),
      ).toEqual([[other.body.id, null]]);

      // The next meeting's draft minutes carry the open action too.
      const minutes = await api(p.chair).get(`/api/meetings/${m4}/minutes`).expect(200);
      expect(minutes.body.content.actions).toEqual([
        expect.objectContaining({ id: other.body.id, carriedForward: true, status: 'open' }),
      ]);
      const audit = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'action.updated', entityId: other.body.id });
      expect(audit.map((e) => e.details?.to)).toEqual(expect.arrayContaining(['closed', 'open']));
    });
  });

  describe('carrying forward items not reached', () => {
    it('moves the same item to the next meeting of the series in one call, and tells the presenter', async () => {
      const [from, to] = [meetings[6].id, meetings[7].id];
      const item = await book(p.b1, from, thresholdItem({ slotIndex: 3 }));
      await book(p.a1, to, thresholdItem({ slotIndex: 0 }));
      const before = smtp.to('health.visitor@health.nhs.test').length;

      const res = await api(p.chair).post(`/api/bookings/${item.id}/defer`).expect(200);
      expect(res.body).toMatchObject({
        id: item.id,
        reference: item.reference,
        meetingId: to,
        status: 'booked',
        slotIndex: 1,
        deferredFromMeetingId: from,
        deferrals: 1,
      });
      const row = await t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id });
      expect(row).toMatchObject({
        meetingId: to,
        status: 'booked',
        slotIndex: 1,
        deferredFromMeetingId: from,
        deferrals: 1,
        summary: thresholdItem().summary,
      });
      const own = await api(p.b1).get(`/api/bookings/${item.id}`).expect(200);
      expect(own.body).toMatchObject({ reference: item.reference, meetingId: to, question: thresholdItem().question });

      const isThisOne = (m: { subject?: string }) => (m.subject ?? '').startsWith(`Carried forward: ${item.reference}`);
      await smtp.waitFor(() => smtp.to('health.visitor@health.nhs.test').slice(before).some(isThisOne));
      const mail = smtp.to('health.visitor@health.nhs.test').slice(before).find(isThisOne)!;
      expect(mail.text).toContain(`/bookings/${item.id}`);
      expect(mail.text).not.toContain(thresholdItem().summary);

      const minutes = await api(p.chair).get(`/api/meetings/${from}/minutes`).expect(200);
      expect(minutes.body.content.deferred).toEqual([
        expect.objectContaining({
          reference: item.reference,
          placement: 'booked',
          toMeeting: expect.objectContaining({ id: to }),
        }),
      ]);
      expect(minutes.body.content.items).toEqual([]);

      // Carried again from the next meeting: the count goes up, the history keeps both moves.
      const again = await api(p.coordinator).post(`/api/bookings/${item.id}/defer`).expect(200);
      expect(again.body).toMatchObject({ meetingId: meetings[8].id, deferredFromMeetingId: to, deferrals: 2 });
      expect(await t.dataSource.getRepository(ItemDeferral).countBy({ bookingId: item.id })).toBe(2);
    });

    it('lands on the waiting list when the next meeting is full', async () => {
      const [from, to] = [meetings[8].id, meetings[9].id];
      const item = await book(p.a2, from);
      const tokens = [p.a1, p.b1];
      for (let slot = 0; slot < 8; slot++) await book(tokens[slot % 2], to, thresholdItem({ slotIndex: slot }));
      const res = await api(p.chair).post(`/api/bookings/${item.id}/defer`).expect(200);
      expect(res.body).toMatchObject({
        id: item.id,
        meetingId: to,
        status: 'waitlisted',
        slotIndex: null,
        deferrals: 1,
      });
      const view = await api(p.chair).get(`/api/meetings/${to}`).expect(200);
      expect(view.body.waitlist.map((w: { id: string }) => w.id)).toEqual([item.id]);
    });

    it('refuses items already reached, off the agenda, or with nowhere to go', async () => {
      // A meeting of its own: another test reads the minutes of meetings[6] for what it carried forward.
      const reached = await book(p.a1, meetings[5].id);
      await api(p.chair).put(`/api/bookings/${reached.id}/outcome`, advice).expect(201);
      const res = await api(p.chair).post(`/api/bookings/${reached.id}/defer`).expect(409);
      expect(res.body.code).toBe('OUTCOME_RECORDED');

      const gone = await book(p.a1, meetings[5].id);
      await api(p.a1).post(`/api/bookings/${gone.id}/withdraw`).expect(200);
      expect((await api(p.chair).post(`/api/bookings/${gone.id}/defer`).expect(409)).body.code).toBe(
        'ITEM_NOT_ON_AGENDA',
      );

      const last = meetings[meetings.length - 1].id;
      const atTheEnd = await book(p.a1, last, thresholdItem({ joinWaitlist: true }));
      const before = await counts();
      expect((await api(p.chair).post(`/api/bookings/${atTheEnd.id}/defer`).expect(409)).body.code).toBe(
        'NO_NEXT_MEETING',
      );
      expect(await counts()).toEqual(before);
    });
  });
});
