import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { In } from 'typeorm';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, webSignIn } from './support/web';

/**
 * Follow-up items (issue 17, part 1): an item may follow up an earlier item of its agency, chosen
 * by reference; the chair of its meeting sees the case's history (dates, levels, advice) on the
 * item, through the API and the pages. No new identifying data is stored.
 */
describe('follow-up items: a case’s history at the meeting', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: string[];
  const api = () => request(t.http);
  const book = async (token: string, meetingId: string, extra: Record<string, unknown> = {}) =>
    (await api().post(`/api/meetings/${meetingId}/bookings`).set(bearer(token)).send(thresholdItem(extra)).expect(201))
      .body as { id: string; reference: string };

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 6 })).meetings.map((m) => m.id);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('chains three items across meetings; the chair sees the history, newest first, and the read is audited', async () => {
    const first = await book(p.a1, meetings[0], { levelConsidered: 2 });
    await api()
      .put(`/api/bookings/${first.id}/outcome`)
      .set(bearer(p.chair))
      .send({ levelAdvised: 2, pathway: 'early-help', advice: 'Offer an early help assessment with the family.' })
      .expect(201);
    // A colleague of the same agency follows it up: the agency's case, whoever presents.
    const second = await book(p.a2, meetings[1], { levelConsidered: 3, followsBookingId: first.id });
    const third = await book(p.a1, meetings[2], { levelConsidered: 3, followsBookingId: second.id });
    expect(await t.dataSource.getRepository(Booking).findOneByOrFail({ id: third.id })).toMatchObject({
      followsBookingId: second.id,
    });

    const asChair = await api().get(`/api/bookings/${third.id}`).set(bearer(p.chair)).expect(200);
    expect(asChair.body.followsBookingId).toBe(second.id);
    expect(asChair.body.history).toEqual([
      expect.objectContaining({ id: second.id, reference: second.reference, levelConsidered: 3, outcome: null }),
      expect.objectContaining({
        id: first.id,
        reference: first.reference,
        levelConsidered: 2,
        thresholdVersion: 'current',
        outcome: {
          levelAdvised: 2,
          pathway: 'early-help',
          advice: 'Offer an early help assessment with the family.',
          thresholdVersion: 'current',
        },
      }),
    ]);
    const audited = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'booking.history-read', entityId: third.id });
    expect(audited.details).toEqual({ earlierItemIds: [second.id, first.id] });

    // The presenter reads their item, but not the history: the earlier items may be a colleague's.
    const asPresenter = await api().get(`/api/bookings/${third.id}`).set(bearer(p.a1)).expect(200);
    expect(asPresenter.body.followsBookingId).toBe(second.id);
    expect(asPresenter.body).not.toHaveProperty('history');

    // The chair's item page shows it.
    const chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    const page = await chair.get(`/bookings/${third.id}`).expect(200);
    expect(page.text).toContain('Earlier discussions of this case');
    expect(page.text).toContain(first.reference);
    expect(page.text).toContain('Offer an early help assessment with the family.');
    // At the meeting: the agenda marks it, and the chair's page for recording its outcome shows the history.
    const agenda = await chair.get(`/meetings/${meetings[2]}`).expect(200);
    expect(agenda.text).toContain('Follows up an earlier item');
    const atMeeting = await chair.get(`/meetings/${meetings[2]}/items/${third.id}`).expect(200);
    expect(atMeeting.text).toContain('Earlier discussions of this case');
    expect(atMeeting.text).toContain(second.reference);
    const presenterPage = await (
      await webSignIn(t, smtp, 'dsl@riverside.sch.uk')
    )
      .get(`/bookings/${third.id}`)
      .expect(200);
    expect(presenterPage.text).not.toContain('Earlier discussions of this case');
  });

  it('the partnership report counts repeat discussions, and the items CSV marks them', async () => {
    const first = await book(p.b1, meetings[0]);
    await book(p.b1, meetings[1], { followsBookingId: first.id });
    // After the third meeting: the first three have been held.
    const all = await t.dataSource
      .getRepository(Meeting)
      .find({ where: { id: In(meetings) }, order: { startsAt: 'ASC' } });
    const after = new Date(all[2].startsAt.getTime() + 3 * 3600_000);
    const held = all.filter((m) => m.startsAt <= after).map((m) => m.id);
    // Counted here from the rows, independently of the report's SQL.
    const discussed = await t.dataSource.getRepository(Booking).findBy({ meetingId: In(held), status: 'booked' });
    const followUps = discussed.filter((b) => b.followsBookingId !== null).length;
    expect(followUps).toBeGreaterThanOrEqual(1);
    const range = `from=${all[0].occurrenceDate}&to=${all[2].occurrenceDate}`;
    const { summary, csv } = await t.clock.during(after, async () => {
      // Weeks later: a new session.
      const coordinator = bearer(await signIn(t, smtp, 'coordinator@partnership.test'));
      return {
        summary: (await api().get(`/api/reports/summary?${range}`).set(coordinator).expect(200)).body,
        csv: (await api().get(`/api/reports/items.csv?${range}`).set(coordinator).expect(200)).text,
      };
    });
    const rows = Object.fromEntries(
      (summary.items.byRepeat.rows as Array<{ code: string; total: number }>).map((r) => [r.code, r.total]),
    );
    expect(rows).toEqual({ first: discussed.length - followUps, 'follow-up': followUps });
    expect(summary.items.total.total).toBe(discussed.length);
    const records = parse(csv, { bom: true, columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    const discussedRefs = new Set(discussed.map((b) => b.reference));
    const marked = records.filter((r) => discussedRefs.has(r.reference) && r.follows_earlier_item === 'yes');
    expect(marked).toHaveLength(followUps);
  });

  it('refuses another agency’s item, a later one and an unknown id, alike, storing nothing', async () => {
    const health = await book(p.b1, meetings[0]);
    const later = await book(p.a1, meetings[4]);
    const before = await t.dataSource.getRepository(Booking).count();
    for (const followsBookingId of [health.id, later.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await api()
        .post(`/api/meetings/${meetings[3]}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem({ followsBookingId }))
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'followsBookingId', messages: ['followsBookingId must be an earlier item of your agency'] },
      ]);
    }
    expect(await t.dataSource.getRepository(Booking).count()).toBe(before);
  });

  it('offers the agency’s earlier items by reference, kind and date only', async () => {
    const res = await api().get(`/api/meetings/${meetings[2]}/follow-up-choices`).set(bearer(p.a2)).expect(200);
    const choices = res.body as Array<Record<string, unknown>>;
    expect(choices.length).toBeGreaterThan(0);
    for (const c of choices) expect(Object.keys(c).sort()).toEqual(['id', 'kind', 'meetingStartsAt', 'reference']);
    const stored = await t.dataSource.getRepository(Booking).findBy({ id: In(choices.map((c) => c.id as string)) });
    expect(stored).toHaveLength(choices.length);
    expect(stored.every((b) => b.agencyId === p.agencyA)).toBe(true);
    expect(JSON.stringify(choices)).not.toContain('RA-2026-117');
  });

  it('asks in the pages, from "Check your answers", offering only the agency’s earlier items', async () => {
    const web = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    const start = await web.get(`/meetings/${meetings[3]}/book`).expect(200);
    await web
      .post(`/meetings/${meetings[3]}/book`)
      .type('form')
      .send({ _csrf: csrfFrom(start.text), immediateRisk: 'no' })
      .expect(303);
    const answer = async (step: string, fields: Record<string, string>) => {
      const page = await web.get(`/book/${step}`).expect(200);
      return web
        .post(`/book/${step}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...fields })
        .expect(303);
    };
    await answer('kind', { kind: 'agency-feedback' });
    await answer('slot', { slot: 'first' });
    await answer('summary', { summary: 'Feedback on how our earlier referral was handled by the front door.' });
    const check = await web.get('/book/check').expect(200);
    expect(check.text).toMatch(/Follows up an earlier item[\s\S]*No/);

    const question = await web.get('/book/follows?change=1').expect(200);
    const health = (await api().get('/api/bookings?mine=true').set(bearer(p.b1)).expect(200)).body as Array<{
      id: string;
    }>;
    for (const h of health) expect(question.text).not.toContain(h.id);
    const earlier = /name="followsBookingId" type="radio" value="([0-9a-f-]{36})"/.exec(question.text)![1];
    const refused = await web
      .post('/book/follows?change=1')
      .type('form')
      .send({ _csrf: csrfFrom(question.text), followsBookingId: health[0].id })
      .expect(400);
    expect(refused.text).toContain('Select one of the earlier items shown, or no');
    await web
      .post('/book/follows?change=1')
      .type('form')
      .send({ _csrf: csrfFrom(question.text), followsBookingId: earlier })
      .expect(303);
    const checked = await web.get('/book/check').expect(200);
    const done = await web
      .post('/book/check')
      .type('form')
      .send({ _csrf: csrfFrom(checked.text) })
      .expect(303);
    const id = /\/bookings\/([^/]+)\/confirmation/.exec(done.headers.location)![1];
    expect(await t.dataSource.getRepository(Booking).findOneByOrFail({ id })).toMatchObject({
      followsBookingId: earlier,
    });
  });
});
