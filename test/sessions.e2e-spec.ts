import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Session } from '../src/auth/session.entity';
import { Partnership, setUpPartnership } from './support/fixtures';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, submitForm, webSignIn } from './support/web';

/** Where a person is signed in, signing out of the others, and a coordinator ending someone's sessions. */
describe('sessions', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  const HV = 'health.visitor@health.nhs.test';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const mine = (token: string) => request(t.http).get('/api/me/sessions').set(bearer(token));
  const works = async (token: string) => (await request(t.http).get('/api/me').set(bearer(token))).status === 200;
  const idOf = async (token: string) => (await request(t.http).get('/api/me').set(bearer(token)).expect(200)).body.id;

  it('lists your live sessions with the one asking marked, and never a token', async () => {
    const [one, two] = [await signIn(t, smtp, HV), await signIn(t, smtp, HV)];
    const listed = (await mine(one).expect(200)).body as Array<Record<string, unknown>>;
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const s of listed)
      expect(Object.keys(s).sort()).toEqual(['current', 'endsAt', 'id', 'lastSeenAt', 'signedInAt']);
    expect(JSON.stringify(listed)).not.toContain(one);
    expect(JSON.stringify(listed)).not.toContain(two);
    // The other token's own list marks the other session as current.
    const fromTwo = (await mine(two).expect(200)).body as Array<{ id: string; current: boolean }>;
    expect(fromTwo.find((s) => s.current)!.id).not.toBe(listed.find((s) => s.current)!.id);
  });

  it('ends one of your sessions by id; someone else’s, or one already ended, is 404 and changes nothing', async () => {
    const [one, two] = [await signIn(t, smtp, HV), await signIn(t, smtp, HV)];
    const twoId = ((await mine(two).expect(200)).body as Array<{ id: string; current: boolean }>).find(
      (s) => s.current,
    )!.id;
    // Another person cannot end it.
    await request(t.http).delete(`/api/me/sessions/${twoId}`).set(bearer(p.a1)).expect(404);
    expect(await works(two)).toBe(true);
    await request(t.http).delete(`/api/me/sessions/${twoId}`).set(bearer(one)).expect(204);
    expect(await works(two)).toBe(false);
    expect(await works(one)).toBe(true);
    const again = await request(t.http).delete(`/api/me/sessions/${twoId}`).set(bearer(one)).expect(404);
    expect(again.body).toMatchObject({ code: 'NOT_FOUND' });
    await request(t.http).delete('/api/me/sessions/not-an-id').set(bearer(one)).expect(404);
    expect(((await mine(one).expect(200)).body as Array<{ id: string }>).map((s) => s.id)).not.toContain(twoId);
  });

  it('signs out everywhere else, keeping the session asking; audited with the count', async () => {
    const others = [await signIn(t, smtp, HV), await signIn(t, smtp, HV)];
    const keeper = await signIn(t, smtp, HV);
    const before = (await mine(keeper).expect(200)).body.length as number;
    const ended = await request(t.http).delete('/api/me/sessions').set(bearer(keeper)).expect(200);
    expect(ended.body).toEqual({ ended: before - 1 });
    for (const token of others) expect(await works(token)).toBe(false);
    expect(await works(keeper)).toBe(true);
    expect((await mine(keeper).expect(200)).body).toHaveLength(1);
    // A colleague's sessions are untouched.
    expect(await works(p.a1)).toBe(true);
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'session.ended-others', entityId: await idOf(keeper) });
    expect(audit.map((a) => a.details)).toContainEqual({ ended: before - 1 });
  });

  it('does not list a session gone idle or past its absolute end', async () => {
    const [token, idle, old] = [
      await signIn(t, smtp, 'dsl@riverside.sch.uk'),
      await signIn(t, smtp, 'dsl@riverside.sch.uk'),
      await signIn(t, smtp, 'dsl@riverside.sch.uk'),
    ];
    const currentId = async (x: string) =>
      ((await mine(x).expect(200)).body as Array<{ id: string; current: boolean }>).find((s) => s.current)!.id;
    const [idleId, oldId] = [await currentId(idle), await currentId(old)];
    // One last used 61 minutes ago (the idle limit is 60), one past its absolute end (the
    // rows are moved back rather than the clock, which every other session here shares).
    const now = t.clock.now().getTime();
    const sessions = t.dataSource.getRepository(Session);
    await sessions.update({ id: idleId }, { lastSeenAt: new Date(now - 61 * 60_000) });
    await sessions.update({ id: oldId }, { expiresAt: new Date(now - 1_000) });
    const listed = ((await mine(token).expect(200)).body as Array<{ id: string }>).map((s) => s.id);
    expect(listed).not.toContain(idleId);
    expect(listed).not.toContain(oldId);
    expect(listed).toContain(await currentId(token));
    expect(await works(idle)).toBe(false);
    expect(await works(old)).toBe(false);
  });

  it('lets a coordinator end every session of a user, and no one else', async () => {
    const tokens = [
      await signIn(t, smtp, 'deputy.dsl@riverside.sch.uk'),
      await signIn(t, smtp, 'deputy.dsl@riverside.sch.uk'),
    ];
    const userId = await idOf(tokens[0]);
    await request(t.http).delete(`/api/users/${userId}/sessions`).set(bearer(p.chair)).expect(403);
    await request(t.http).delete(`/api/users/${userId}/sessions`).set(bearer(tokens[0])).expect(403);
    expect(await works(tokens[1])).toBe(true);
    const ended = await request(t.http).delete(`/api/users/${userId}/sessions`).set(bearer(p.coordinator)).expect(200);
    expect(ended.body.ended).toBeGreaterThanOrEqual(2);
    for (const token of tokens) expect(await works(token)).toBe(false);
    await request(t.http)
      .delete('/api/users/00000000-0000-4000-8000-000000000000/sessions')
      .set(bearer(p.coordinator))
      .expect(404);
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'user.sessions-ended', entityId: userId });
    expect(audit.map((a) => a.details)).toEqual([{ ended: ended.body.ended }]);
  });

  it('does the same in the pages: your sessions, one other ended, every other ended, and a coordinator’s, asked first', async () => {
    const userId = (await request(t.http).get('/api/me').set(bearer(p.otherChair)).expect(200)).body.id;
    const here = await webSignIn(t, smtp, 'other.chair@csc.gov.test');
    const laptop = await webSignIn(t, smtp, 'other.chair@csc.gov.test');
    const phone = await webSignIn(t, smtp, 'other.chair@csc.gov.test');
    const page = await here.get('/account/sessions').expect(200);
    expect(page.text).toContain('This session');
    const endButtons = [...page.text.matchAll(/action="\/account\/sessions\/([0-9a-f-]{36})\/end"/g)].map((m) => m[1]);
    expect(endButtons.length).toBeGreaterThanOrEqual(2);
    const one = await here
      .post(`/account/sessions/${endButtons[0]}/end`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(one.headers.location).toBe('/account/sessions?ended=1');
    const stillIn = [laptop, phone].map(async (agent) => (await agent.get('/account')).status === 200);
    expect((await Promise.all(stillIn)).filter(Boolean)).toHaveLength(1);
    const everyOther = await submitForm(here, '/account/sessions', {});
    expect(everyOther.status).toBe(303);
    const shown = await here.get(everyOther.headers.location).expect(200);
    expect(shown.text).toMatch(/Signed out of \d+ other sessions?\./);
    expect(shown.text).toContain('You are not signed in anywhere else.');
    for (const agent of [laptop, phone]) expect((await agent.get('/account')).status).not.toBe(200);

    // The coordinator sees how often they are signed in, is asked, then ends them.
    const coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
    const apiToken = await signIn(t, smtp, 'other.chair@csc.gov.test');
    const details = await coordinator.get(`/admin/users/${userId}/roles`).expect(200);
    expect(details.text).toMatch(/is signed in (once|\d+ times)/);
    const asked = await submitForm(coordinator, `/admin/users/${userId}/roles`, {}, `/admin/users/${userId}/sessions`);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('sessions?');
    expect(await works(apiToken)).toBe(true);
    const done = await coordinator
      .post(`/admin/users/${userId}/sessions`)
      .type('form')
      .send({ _csrf: csrfFrom(asked.text), confirmed: 'yes' })
      .expect(303);
    expect(done.headers.location).toBe('/admin/users?done=sessions-ended');
    expect((await coordinator.get(done.headers.location).expect(200)).text).toContain('Their sessions have ended');
    expect(await works(apiToken)).toBe(false);
    expect((await here.get('/account')).status).not.toBe(200);
  });
});
