import request from 'supertest';
import { Meeting } from '../src/meetings/meeting.entity';
import { SeriesCoreMember } from '../src/meetings/series-core-member.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { User } from '../src/directory/user.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { addProfessional, bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, submitForm, webSignIn } from './support/web';

/**
 * A meeting day, as a chair and a coordinator live it: records addressed by id and versioned,
 * the meeting's life after it starts, outcomes told at the right moment, minutes to the right
 * people, and moves onto non-working days only when confirmed.
 */
describe('a meeting day', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let csc: string;
  let meetings: Array<{ id: string; startsAt: string }>;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    csc = (await request(t.http).get('/api/agencies').set(bearer(p.coordinator))).body.find(
      (a: { sector: string }) => a.sector === 'childrens-social-care',
    ).id;
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 10 })).meetings;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(path).set(bearer(token)),
    put: (path: string, body: unknown) =>
      request(t.http)
        .put(path)
        .set(bearer(token))
        .send(body as object),
    post: (path: string, body: object = {}) => request(t.http).post(path).set(bearer(token)).send(body),
    patch: (path: string, body: object) => request(t.http).patch(path).set(bearer(token)).send(body),
  });
  const book = async (token: string, meetingId: string, body: object = thresholdItem()) =>
    (await api(token).post(`/api/meetings/${meetingId}/bookings`, body).expect(201)).body as {
      id: string;
      reference: string;
    };
  /** Puts a meeting `hoursAgo` hours in the past (it started then). */
  const startedAgo = async (meetingId: string, hoursAgo: number) => {
    const startsAt = new Date(t.clock.now().getTime() - hoursAgo * 3600_000);
    await t.dataSource
      .getRepository(Meeting)
      .update(
        { id: meetingId },
        { startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000), bookingClosesAt: startsAt },
      );
  };
  const mailsTo = (email: string, subject: RegExp) => smtp.to(email).filter((m) => subject.test(String(m.subject)));

  it('an item’s state before, during and after its meeting; no withdrawal once it has started', async () => {
    const meetingId = meetings[0].id;
    const discussed = await book(p.a1, meetingId);
    const notReached = await book(p.b1, meetingId);
    const state = async (id: string, token: string) =>
      (await api(token).get(`/api/bookings/${id}`).expect(200)).body.state;
    expect(await state(discussed.id, p.a1)).toBe('booked');
    expect((await api(p.a1).get(`/api/meetings/${meetingId}`).expect(200)).body.status).toBe('scheduled');

    await startedAgo(meetingId, 1);
    expect((await api(p.a1).get(`/api/meetings/${meetingId}`).expect(200)).body.status).toBe('held');
    const refused = await api(p.b1).post(`/api/bookings/${notReached.id}/withdraw`).expect(409);
    expect(refused.body.code).toBe('MEETING_STARTED');
    const page = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    const itemPage = await page.get(`/bookings/${notReached.id}`).expect(200);
    expect(itemPage.text).toContain('The meeting has started, so this item can no longer be withdrawn.');
    expect(itemPage.text).not.toContain('Withdraw this item');

    await api(p.chair)
      .put(`/api/bookings/${discussed.id}/outcome`, {
        levelAdvised: 2,
        pathway: 'early-help',
        advice: 'Offer early help.',
      })
      .expect(201);
    expect(await state(discussed.id, p.chair)).toBe('discussed');
    expect(await state(notReached.id, p.chair)).toBe('not-reached');
    const chairList = await (await webSignIn(t, smtp, 'chair@csc.gov.test')).get('/chair').expect(200);
    expect(chairList.text).toContain('Held');
  });

  it('tells the presenter the outcome is ready when the minutes are approved (or it is marked final), not when a draft is saved', async () => {
    const meetingId = meetings[1].id;
    const item = await book(p.a1, meetingId);
    const early = await book(p.a2, meetingId);
    await startedAgo(meetingId, 2);
    const before = mailsTo('dsl@riverside.sch.uk', /Outcome ready/).length;
    const deputyBefore = mailsTo('deputy.dsl@riverside.sch.uk', /Outcome ready/).length;
    const amendedBefore = mailsTo('dsl@riverside.sch.uk', /Outcome amended/).length;
    await api(p.chair)
      .put(`/api/bookings/${item.id}/outcome`, { levelAdvised: 2, pathway: 'early-help', advice: 'Draft advice.' })
      .expect(201);
    // A draft: not e-mailed, not readable by the presenter yet.
    await outboxSettled(t, smtp);
    expect(mailsTo('dsl@riverside.sch.uk', /Outcome ready/)).toHaveLength(before);
    await api(p.a1).get(`/api/bookings/${item.id}/outcome`).expect(404);

    // Marked final: told now, once.
    await api(p.chair)
      .put(`/api/bookings/${early.id}/outcome`, {
        levelAdvised: 1,
        pathway: 'universal',
        advice: 'Final now.',
        final: true,
      })
      .expect(201);
    await outboxSettled(t, smtp);
    expect(mailsTo('deputy.dsl@riverside.sch.uk', /Outcome ready/)).toHaveLength(deputyBefore + 1);
    await api(p.a2).get(`/api/bookings/${early.id}/outcome`).expect(200);

    await api(p.chair).post(`/api/meetings/${meetingId}/minutes/approve`).expect(200);
    await outboxSettled(t, smtp);
    expect(mailsTo('dsl@riverside.sch.uk', /Outcome ready/)).toHaveLength(before + 1);
    expect(mailsTo('deputy.dsl@riverside.sch.uk', /Outcome ready/)).toHaveLength(deputyBefore + 1); // not twice
    expect((await api(p.a1).get(`/api/bookings/${item.id}/outcome`).expect(200)).body.advice).toBe('Draft advice.');

    // A correction by amendment tells the presenter again, with a link and no content.
    await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, {
        reason: 'Corrected the pathway.',
        outcomes: [
          { bookingId: item.id, version: 1, levelAdvised: 2, pathway: 'mash-referral', advice: 'Corrected advice.' },
        ],
      })
      .expect(201);
    await outboxSettled(t, smtp);
    const amended = mailsTo('dsl@riverside.sch.uk', /Outcome amended/).slice(amendedBefore);
    expect(amended).toHaveLength(1);
    expect(String(amended[0].text)).toContain(`/bookings/${item.id}`);
    expect(String(amended[0].text)).not.toContain('Corrected advice');
  });

  it('sends the minutes to attendees by account, every presenter, core members and agency leads of agencies with items', async () => {
    const meetingId = meetings[2].id;
    const series = (await api(p.coordinator).get(`/api/meetings/${meetingId}`).expect(200)).body.seriesId;
    await api(p.coordinator)
      .patch(`/api/series/${series}`, { coreMembers: [{ email: 'core.member@csc.gov.test', name: 'Core Member' }] })
      .expect(200);
    const lead = await addProfessional(t, p.coordinator, 'head@riverside.sch.uk', p.agencyA, 'Head Teacher');
    await api(p.coordinator)
      .patch(`/api/users/${lead}`, { roles: ['professional', 'agency-lead'] })
      .expect(200);
    await book(p.a1, meetingId); // the DSL: presents, does not attend
    const health = await book(p.b1, meetingId); // the health visitor: presents and attends, by account
    await startedAgo(meetingId, 3);
    const healthVisitor = await t.dataSource
      .getRepository(User)
      .findOneByOrFail({ email: 'health.visitor@health.nhs.test' });
    await api(p.chair)
      .put(`/api/meetings/${meetingId}/attendance`, [
        {
          userId: healthVisitor.id,
          name: 'Harper Visitor',
          agencyId: p.agencyB,
          status: 'present',
          bookingIds: [health.id],
        },
        { name: 'Someone Without An Account', email: 'stranger@elsewhere.test', agencyId: csc, status: 'present' },
      ])
      .expect(200);
    for (const item of (await api(p.chair).get(`/api/bookings?meetingId=${meetingId}`).expect(200)).body) {
      await api(p.chair)
        .put(`/api/bookings/${item.id}/outcome`, { levelAdvised: 1, pathway: 'advice-only', advice: 'Advice.' })
        .expect(201);
    }
    const approved = await api(p.chair).post(`/api/meetings/${meetingId}/minutes/approve`).expect(200);
    await outboxSettled(t, smtp);
    const distribution = (await api(p.chair).get(`/api/meetings/${meetingId}/minutes/distribution`).expect(200)).body;
    expect(distribution.map((d: { recipient: string }) => d.recipient).sort()).toEqual(
      [
        'core.member@csc.gov.test',
        'dsl@riverside.sch.uk',
        'head@riverside.sch.uk',
        'health.visitor@health.nhs.test',
      ].sort(),
    );
    expect(approved.body.version).toBe(1);
    expect(mailsTo('stranger@elsewhere.test', /Minutes/)).toHaveLength(0);
    // The other tests' meetings have no core members.
    await t.dataSource.getRepository(SeriesCoreMember).delete({ seriesId: series });
  });

  it('pre-fills the attendance page with one row per presenter, for all their items', async () => {
    // Not meetings[3]: that one is left free, since an item carried forward from a meeting another
    // test put in the past lands on the first meeting still to come.
    const meetingId = meetings[7].id;
    const first = await book(p.a1, meetingId);
    const second = await book(p.a1, meetingId);
    await book(p.b1, meetingId);
    const chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    const page = await chair.get(`/meetings/${meetingId}/attendance`).expect(200);
    expect((page.text.match(/value="Dee Lead"/g) ?? []).length).toBe(1);
    expect((page.text.match(/value="Harper Visitor"/g) ?? []).length).toBe(1);
    const checked = [...page.text.matchAll(/name="items-0"[^>]*value="([^"]+)"[^>]*checked/g)].map((m) => m[1]);
    expect(checked.sort()).toEqual([first.id, second.id].sort());
  });

  it('refuses a stale attendance register (If-Match, or the form opened before a change)', async () => {
    // A meeting of its own: another test reads a register as pre-filled, never saved.
    const meetingId = meetings[5].id;
    const first = await api(p.chair).get(`/api/meetings/${meetingId}/attendance`).expect(200);
    const etag = first.headers.etag;
    await api(p.chair)
      .put(`/api/meetings/${meetingId}/attendance`, [{ name: 'One', agencyId: csc, status: 'present' }])
      .expect(200);
    const stale = await request(t.http)
      .put(`/api/meetings/${meetingId}/attendance`)
      .set(bearer(p.chair))
      .set('If-Match', etag)
      .send([{ name: 'Two', agencyId: csc, status: 'present' }])
      .expect(409);
    expect(stale.body.code).toBe('ATTENDANCE_VERSION_CONFLICT');
    expect(
      (await api(p.chair).get(`/api/meetings/${meetingId}/attendance`)).body.attendees.map(
        (a: { name: string }) => a.name,
      ),
    ).toEqual(['One']);
  });

  it('two tabs: a stale outcome form is refused with what changed, and a carried-forward item never takes another’s outcome', async () => {
    // A series of its own: the item it carries forward goes to the next meeting of this series,
    // never onto a meeting another test is about to approve.
    const own = (await createSeries(t, p, { title: 'Two tabs', intervalWeeks: 1, horizonWeeks: 4 })).meetings;
    const meetingId = own[0].id;
    const a = await book(p.a1, meetingId);
    const b = await book(p.b1, meetingId);
    await startedAgo(meetingId, 1);
    const chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    const tab1 = await chair.get(`/meetings/${meetingId}/items/${b.id}`).expect(200);
    const tab2 = await chair.get(`/meetings/${meetingId}/items/${b.id}`).expect(200);
    // Tab 2 saves first.
    await chair
      .post(`/meetings/${meetingId}/items/${b.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(tab2.text),
        version: '0',
        levelAdvised: '3',
        pathway: 'mash-referral',
        advice: 'Refer to the MASH.',
      })
      .expect(303);
    // Tab 1, opened before, is stale: nothing saved, and the page says what is saved now.
    const stale = await chair
      .post(`/meetings/${meetingId}/items/${b.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(tab1.text),
        version: '0',
        levelAdvised: '1',
        pathway: 'universal',
        advice: 'Universal services.',
      })
      .expect(409);
    expect(stale.text).toContain('This item changed since you opened it');
    expect(stale.text).toContain('Refer to the MASH.');
    expect((await t.dataSource.getRepository(Outcome).findOneByOrFail({ bookingId: b.id })).advice).toBe(
      'Refer to the MASH.',
    );

    // Item A carried forward in one tab; a form for B opened before it stays on B.
    const formForA = await chair.get(`/meetings/${meetingId}/items/${a.id}`).expect(200);
    await submitForm(
      chair,
      `/meetings/${meetingId}/items/${a.id}`,
      {},
      `/meetings/${meetingId}/items/${a.id}/defer`,
    ).then((r) => expect(r.status).toBe(303));
    const late = await chair
      .post(`/meetings/${meetingId}/items/${a.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(formForA.text),
        version: '0',
        levelAdvised: '2',
        pathway: 'early-help',
        advice: 'For A.',
      })
      .expect(409);
    expect(late.text).toContain(`${a.reference} is no longer on this meeting’s agenda`);
    expect(await t.dataSource.getRepository(Outcome).countBy({ bookingId: a.id })).toBe(0);
    expect((await t.dataSource.getRepository(Outcome).findOneByOrFail({ bookingId: b.id })).advice).toBe(
      'Refer to the MASH.',
    );
  });

  it('moves a meeting onto a weekend only when confirmed; {startsAt} alone works; a stale version is refused', async () => {
    const meeting = (await api(p.coordinator).get(`/api/meetings/${meetings[6].id}`).expect(200)).body;
    const saturday = nextWeekday(new Date(meeting.startsAt), 6);
    const refused = await api(p.coordinator)
      .patch(`/api/meetings/${meeting.id}`, { startsAt: saturday.toISOString() })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'NON_WORKING_DAY', details: { reason: 'weekend' } });
    expect((await api(p.coordinator).get(`/api/meetings/${meeting.id}`)).body.startsAt).toBe(meeting.startsAt);
    await api(p.coordinator)
      .patch(`/api/meetings/${meeting.id}`, { startsAt: saturday.toISOString(), confirmNonWorkingDay: true })
      .expect(200);
    // Back to its generated date (a working day, by the series' bank-holiday policy): no reason needed.
    await api(p.coordinator).patch(`/api/meetings/${meeting.id}`, { startsAt: meeting.startsAt }).expect(200);
    const current = (await api(p.coordinator).get(`/api/meetings/${meeting.id}`)).body;
    const stale = await api(p.coordinator)
      .patch(`/api/meetings/${meeting.id}`, { location: 'Room 4', version: current.version - 1 })
      .expect(409);
    expect(stale.body.code).toBe('MEETING_VERSION_CONFLICT');
    await api(p.coordinator)
      .patch(`/api/meetings/${meeting.id}`, { location: 'Room 4', version: current.version })
      .expect(200);
  });
});

/** The next date after `from` (same London wall-clock time) that falls on `weekday` (0 Sunday … 6 Saturday). */
function nextWeekday(from: Date, weekday: number): Date {
  const d = new Date(from.getTime());
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== weekday);
  return d;
}
