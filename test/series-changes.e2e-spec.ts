import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { User } from '../src/directory/user.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { MeetingSeries } from '../src/meetings/meeting-series.entity';
import { MeetingsService } from '../src/meetings/meetings.service';
import { createSeries, Partnership, setUpPartnership } from './support/fixtures';
import { calendarParts, events, parseIcs, prop } from './support/ical';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { submitForm, WebAgent, webSignIn } from './support/web';

const WEEK = 7 * 24 * 3600 * 1000;

/**
 * A series' chair and its end, through the API and the pages (the same MeetingsService.updateSeries):
 * the upcoming meetings that had the series' chair move to the new one, who is sent them; the old
 * chair is told they are no longer invited; an ended series adds no meetings until it is resumed.
 */
describe('series: chair, end and resume', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let newChairId: string;
  let coordinatorPages: WebAgent;
  const CHAIR = 'chair@csc.gov.test';
  const OTHER_CHAIR = 'other.chair@csc.gov.test';
  const NEW_CHAIR = 'new.chair@csc.gov.test';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const csc = (await request(t.http).get('/api/agencies').set(bearer(p.coordinator)).expect(200)).body.find(
      (a: { name: string }) => a.name === 'Children’s Social Care',
    ).id;
    newChairId = (
      await request(t.http)
        .post('/api/users')
        .set(bearer(p.coordinator))
        .send({ email: NEW_CHAIR, name: 'Nia Chair', agencyId: csc, roles: ['chair'] })
        .expect(201)
    ).body.id;
    coordinatorPages = await webSignIn(t, smtp, 'coordinator@partnership.test');
    await outboxSettled(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const patchSeries = (token: string, id: string, body: object) =>
    request(t.http).patch(`/api/series/${id}`).set(bearer(token)).send(body);
  const meetingsOf = (seriesId: string) =>
    t.dataSource.getRepository(Meeting).find({ where: { seriesId }, order: { startsAt: 'ASC' } });
  /** Calendar messages to `email` after index `from`: method, UID and the mail's subject. */
  const calendarMail = (email: string, from: number) =>
    smtp
      .to(email)
      .slice(from)
      .filter((m) => calendarParts(m).length > 0)
      .map((mail) => {
        const cal = parseIcs(calendarParts(mail)[0].content);
        const event = events(cal)[0];
        return { method: prop(cal, 'method'), uid: prop(event, 'uid'), subject: mail.subject ?? '' };
      });
  const idOf = async (email: string) => (await t.dataSource.getRepository(User).findOneByOrFail({ email })).id;
  const uidOf = (meetingId: string) => expect.stringMatching(new RegExp(`^meeting-${meetingId}@`));

  it('a new series chair gets the upcoming meetings that had the old one; meetings given their own chair keep it', async () => {
    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 5 });
    const all = await meetingsOf(series.id);
    // One meeting given another chair on its own.
    const own = all[2];
    await request(t.http)
      .patch(`/api/meetings/${own.id}`)
      .set(bearer(p.coordinator))
      .send({ chairUserId: await idOf(OTHER_CHAIR) })
      .expect(200);
    await outboxSettled(t, smtp);
    const before = new Map((await meetingsOf(series.id)).map((m) => [m.id, m.sequence]));
    const [chair0, other0, new0] = [CHAIR, OTHER_CHAIR, NEW_CHAIR].map((e) => smtp.to(e).length);

    // Someone without the chair role is refused, field by field, and nothing changes.
    const refused = await patchSeries(p.coordinator, series.id, {
      chairUserId: await idOf('dsl@riverside.sch.uk'),
    }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual(['chairUserId']);
    // Only coordinators change a series.
    await patchSeries(p.chair, series.id, { chairUserId: newChairId }).expect(403);
    await outboxSettled(t, smtp);
    expect(smtp.to(NEW_CHAIR)).toHaveLength(new0);
    expect((await t.dataSource.getRepository(MeetingSeries).findOneByOrFail({ id: series.id })).chairUserId).toBe(
      p.chairId,
    );

    const changed = await patchSeries(p.coordinator, series.id, { chairUserId: newChairId }).expect(200);
    expect(changed.body.chairUserId).toBe(newChairId);
    await outboxSettled(t, smtp);

    const after = await meetingsOf(series.id);
    const moved = after.filter((m) => m.id !== own.id);
    expect(moved.map((m) => m.chairUserId)).toEqual(moved.map(() => newChairId));
    expect(after.find((m) => m.id === own.id)!.chairUserId).not.toBe(newChairId);
    // A new version of each moved entry; the one that kept its chair is untouched.
    for (const m of moved) expect(m.sequence).toBe(before.get(m.id)! + 1);
    expect(after.find((m) => m.id === own.id)!.sequence).toBe(before.get(own.id));

    const toNew = calendarMail(NEW_CHAIR, new0);
    expect(toNew.map((x) => x.method)).toEqual(moved.map(() => 'REQUEST'));
    expect(toNew.map((x) => x.uid).sort()).toEqual(
      moved
        .map((m) => `meeting-${m.id}`)
        .sort()
        .map((u) => expect.stringContaining(u)),
    );
    const toOld = calendarMail(CHAIR, chair0);
    expect(toOld.map((x) => x.method)).toEqual(moved.map(() => 'CANCEL'));
    for (const x of toOld) expect(x.subject).toMatch(/^No longer invited: /);
    expect(toOld.map((x) => x.uid)).not.toContainEqual(uidOf(own.id));
    expect(calendarMail(OTHER_CHAIR, other0)).toEqual([]);

    // The new chair runs them: the agenda is theirs to see.
    const newChair = await signIn(t, smtp, NEW_CHAIR);
    const view = await request(t.http).get(`/api/meetings/${moved[0].id}`).set(bearer(newChair)).expect(200);
    expect(view.body.chairUserId).toBe(newChairId);
    expect(view.body.agenda).toBeDefined();
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'series.chair-changed', entityId: series.id });
    expect(audit.details).toMatchObject({ from: p.chairId, to: newChairId, meetingsMoved: moved.length });
  });

  it('a series set up with no chair gets one for every upcoming meeting, and nobody is un-invited', async () => {
    const series = await createSeries(t, p, { intervalWeeks: 2, horizonWeeks: 6, chairUserId: undefined });
    const all = await meetingsOf(series.id);
    expect(all.every((m) => m.chairUserId === null)).toBe(true);
    await outboxSettled(t, smtp);
    const [chair0, new0] = [CHAIR, NEW_CHAIR].map((e) => smtp.to(e).length);
    await patchSeries(p.coordinator, series.id, { chairUserId: p.chairId }).expect(200);
    await outboxSettled(t, smtp);
    expect((await meetingsOf(series.id)).map((m) => m.chairUserId)).toEqual(all.map(() => p.chairId));
    expect(calendarMail(CHAIR, chair0).map((x) => x.method)).toEqual(all.map(() => 'REQUEST'));
    expect(calendarMail(NEW_CHAIR, new0)).toEqual([]);
  });

  it('an ended series adds no meetings when the planning job runs; resumed, it plans up to its horizon again', async () => {
    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4 });
    const planned = (await meetingsOf(series.id)).length;
    const ended = await patchSeries(p.coordinator, series.id, { active: false }).expect(200);
    expect(ended.body.active).toBe(false);
    const topUp = () => t.app.get(MeetingsService).topUpAll();
    const later = new Date(t.clock.now().getTime() + 3 * WEEK);
    await t.clock.during(later, topUp);
    expect(await meetingsOf(series.id)).toHaveLength(planned);
    // An active series beside it does get its meetings: the job ran.
    const control = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4 });
    const controlBefore = (await meetingsOf(control.id)).length;
    await t.clock.during(later, topUp);
    expect((await meetingsOf(control.id)).length).toBeGreaterThan(controlBefore);

    // Resumed three weeks on (through the service: a session would have expired by then).
    await t.clock.during(later, () => t.app.get(MeetingsService).updateSeries(series.id, { active: true }));
    expect((await meetingsOf(series.id)).length).toBeGreaterThan(planned);
    const actions = (await t.dataSource.getRepository(AuditEvent).findBy({ entityId: series.id })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['series.ended', 'series.resumed']));
  });

  it('pages: change the chair (an error when none is chosen), end the series after a confirmation, resume it', async () => {
    const series = await createSeries(t, p, { intervalWeeks: 2, horizonWeeks: 6 });
    const path = `/admin/series/${series.id}`;
    const page = await coordinatorPages.get(path).expect(200);
    expect(page.text).toContain(`action="${path}/chair"`);
    expect(page.text).toContain('Nia Chair');

    const none = await submitForm(coordinatorPages, path, { chairUserId: '' }, `${path}/chair`);
    expect(none.status).toBe(400);
    expect(none.text).toContain('<a href="#seriesChair">Select the chair</a>');
    const ok = await submitForm(coordinatorPages, path, { chairUserId: newChairId }, `${path}/chair`);
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${path}?saved=chair`);
    expect((await coordinatorPages.get(ok.headers.location).expect(200)).text).toContain('Chair changed.');
    expect((await meetingsOf(series.id)).every((m) => m.chairUserId === newChairId)).toBe(true);

    // Ending asks first, on its own page, and says what happens; nothing changes until it is confirmed.
    const confirm = await coordinatorPages.get(`${path}/end`).expect(200);
    expect(confirm.text).toContain('Are you sure you want to end this series?');
    expect(confirm.text).toContain(`The ${series.meetings.length} meetings already planned`);
    expect((await t.dataSource.getRepository(MeetingSeries).findOneByOrFail({ id: series.id })).active).toBe(true);
    const done = await submitForm(coordinatorPages, `${path}/end`, {});
    expect(done.headers.location).toBe(`${path}?saved=ended`);
    const endedPage = (await coordinatorPages.get(done.headers.location).expect(200)).text;
    expect(endedPage).toContain('This series has ended');
    expect(endedPage).toContain(`action="${path}/resume"`);
    expect((await t.dataSource.getRepository(MeetingSeries).findOneByOrFail({ id: series.id })).active).toBe(false);
    // Nothing to confirm on an ended series.
    expect((await coordinatorPages.get(`${path}/end`)).headers.location).toBe(path);

    const resumed = await submitForm(coordinatorPages, path, {}, `${path}/resume`);
    expect(resumed.headers.location).toBe(`${path}?saved=resumed`);
    expect((await t.dataSource.getRepository(MeetingSeries).findOneByOrFail({ id: series.id })).active).toBe(true);

    // A chair (not a coordinator) gets neither page.
    const chairPages = await webSignIn(t, smtp, CHAIR);
    expect((await chairPages.get(`${path}/end`)).status).toBe(403);
  });
});
