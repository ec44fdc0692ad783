import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { hashToken } from '../src/auth/secret-token';
import { bearer, LINK_PATTERN } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

interface EventView {
  id: string;
  at: string;
  actorUserId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

describe('the audit log', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let coordinator: string;
  let coordinatorId: string;
  let agencyId: string;
  let userId: string;
  let professional: string;
  /** Every secret this test has handled: none may appear in the log. */
  const secrets: string[] = [];

  const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

  async function audit(query = '', token = coordinator): Promise<EventView[]> {
    const res = await request(t.http).get(`/api/audit${query}`).set(bearer(token)).expect(200);
    return res.body as EventView[];
  }

  /** Asks for a link as `email` and returns the token from the mail, without exchanging it. */
  async function requestLink(email: string): Promise<string> {
    const before = smtp.to(email).length;
    await request(t.http).post('/api/auth/sign-in').send({ email }).expect(202);
    await smtp.waitFor(() => smtp.to(email).length > before);
    const token = String(smtp.to(email)[before].text).match(LINK_PATTERN)![1];
    secrets.push(token, hashToken(token));
    return token;
  }

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    const token = await requestLink('coordinator@partnership.test');
    const res = await request(t.http).post('/api/auth/token').send({ token }).expect(201);
    coordinator = res.body.accessToken;
    coordinatorId = res.body.user.id;
    secrets.push(coordinator, hashToken(coordinator));
    agencyId = (
      await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({ name: 'Northshire Community Health', sector: 'health', emailDomains: ['northshire-health.nhs.uk'] })
        .expect(201)
    ).body.id;
    // A professional created and given a second role: what the filters and the append-only checks read.
    const created = await request(t.http)
      .post('/api/users')
      .set(bearer(coordinator))
      .send({ email: 'nurse@northshire-health.nhs.uk', name: 'Sam Nurse', agencyId, roles: ['professional'] })
      .expect(201);
    userId = created.body.id;
    await request(t.http)
      .patch(`/api/users/${userId}`)
      .set(bearer(coordinator))
      .send({ roles: ['professional', 'chair'] })
      .expect(200);
    const link = await requestLink('nurse@northshire-health.nhs.uk');
    professional = (await request(t.http).post('/api/auth/token').send({ token: link }).expect(201)).body.accessToken;
    secrets.push(professional, hashToken(professional));
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('records a successful sign-in with the user as actor and the client address', async () => {
    const events = await audit(`?action=auth.signed-in&entityId=${coordinatorId}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'auth.signed-in',
      actorUserId: coordinatorId,
      entityType: 'user',
      entityId: coordinatorId,
    });
    expect(events[0].ip).toMatch(LOOPBACK);
    const sent = await audit(`?action=auth.link-sent&entityId=${coordinatorId}`);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent[0].ip).toMatch(LOOPBACK);
  });

  it('records failed sign-ins: used, unknown and malformed tokens, and links refused to unknown addresses', async () => {
    const before = (await audit('?action=auth.sign-in-failed')).length;
    // A link of someone other than the coordinator (whose sign-ins another test counts).
    const token = await requestLink('nurse@northshire-health.nhs.uk');
    const first = await request(t.http).post('/api/auth/token').send({ token }).expect(201);
    secrets.push(first.body.accessToken, hashToken(first.body.accessToken));
    await request(t.http).post('/api/auth/token').send({ token }).expect(401);
    await request(t.http)
      .post('/api/auth/token')
      .send({ token: 'B'.repeat(43) })
      .expect(401);
    await request(t.http).post('/api/auth/token').send({ token: 'nonsense' }).expect(401);
    const failed = await audit('?action=auth.sign-in-failed');
    expect(failed).toHaveLength(before + 3);
    for (const e of failed) {
      expect(e.actorUserId).toBeNull();
      expect(e.ip).toMatch(LOOPBACK);
    }

    await request(t.http).post('/api/auth/sign-in').send({ email: 'stranger@elsewhere.test' }).expect(202);
    const refused = await audit('?action=auth.link-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actorUserId: null, details: { reason: 'unknown address' } });
    // The address someone typed is not kept in the log.
    expect(JSON.stringify(refused)).not.toContain('stranger@elsewhere.test');
  });

  it('records user creation and role changes with the coordinator as actor and the client address', async () => {
    // The user was created and given a second role in beforeAll.
    const events = await audit(`?action=user.&entityId=${userId}`);
    expect(events.map((e) => e.action)).toEqual(['user.roles-changed', 'user.created']);
    for (const e of events) {
      expect(e).toMatchObject({ actorUserId: coordinatorId, entityType: 'user', entityId: userId });
      expect(e.ip).toMatch(LOOPBACK);
    }
    expect(events[0].details).toEqual({ from: ['professional'], to: ['professional', 'chair'] });
    expect(events[1].details).toEqual({ roles: ['professional'], agencyId });
  });

  it('is for coordinators only: a professional gets 403, no session 401', async () => {
    const forbidden = await request(t.http).get('/api/audit').set(bearer(professional)).expect(403);
    expect(forbidden.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) });
    const anonymous = await request(t.http).get('/api/audit').expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });

  it('filters by the start of the action', async () => {
    const users = await audit('?action=user.');
    expect(users.length).toBeGreaterThanOrEqual(3); // bootstrapped, created, roles-changed
    expect(users.every((e) => e.action.startsWith('user.'))).toBe(true);
    const auth = await audit('?action=auth.');
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((e) => e.action.startsWith('auth.'))).toBe(true);
    const exact = await audit('?action=user.roles-changed');
    expect(exact.map((e) => e.entityId)).toEqual([userId]);
    expect(await audit('?action=nothing.like.this')).toEqual([]);
    // The prefix is taken literally and exactly, on SQLite and PostgreSQL alike.
    expect(await audit('?action=user_')).toEqual([]);
    expect(await audit('?action=%25.')).toEqual([]);
    expect(await audit('?action=USER.')).toEqual([]);
    expect(await audit('?action=user.roles-changed.more')).toEqual([]);
  });

  it('filters by entity and by actor', async () => {
    const forUser = await audit(`?entityId=${userId}`);
    expect(forUser.length).toBeGreaterThan(0);
    expect(forUser.every((e) => e.entityId === userId)).toBe(true);
    const byProfessional = await audit(`?actorUserId=${userId}`);
    expect(byProfessional.length).toBeGreaterThan(0);
    expect(byProfessional.every((e) => e.actorUserId === userId)).toBe(true);
    expect(await audit(`?entityId=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)).toEqual([]);
  });

  it('returns newest first and honours limit', async () => {
    const all = await audit('?limit=500');
    expect(all.length).toBeGreaterThan(5);
    const times = all.map((e) => new Date(e.at).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const two = await audit('?limit=2');
    expect(two.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect(await audit('?limit=1')).toHaveLength(1);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    const marker = async (name: string) =>
      (
        await request(t.http)
          .post('/api/agencies')
          .set(bearer(coordinator))
          .send({ name, sector: 'other', emailDomains: [] })
          .expect(201)
      ).body.id as string;
    const firstId = await marker('Time Marker One');
    t.clock.advance(1000);
    let shift = 1000;
    try {
      const secondId = await marker('Time Marker Two');
      t.clock.advance(1000);
      shift += 1000;
      const thirdId = await marker('Time Marker Three');

      const [first] = await audit(`?entityId=${firstId}`);
      const [second] = await audit(`?entityId=${secondId}`);
      const [third] = await audit(`?entityId=${thirdId}`);
      expect(new Date(first.at).getTime()).toBeLessThan(new Date(second.at).getTime());
      expect(new Date(second.at).getTime()).toBeLessThan(new Date(third.at).getTime());

      const q = (from: string, to: string) =>
        `?action=agency.&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const window = await audit(q(first.at, third.at));
      expect(window.map((e) => e.entityId)).toEqual([secondId, firstId]);
      const fromSecond = await audit(`?action=agency.&from=${encodeURIComponent(second.at)}`);
      expect(fromSecond.map((e) => e.entityId)).toEqual([thirdId, secondId]);
      const untilSecond = await audit(`?action=agency.created&to=${encodeURIComponent(second.at)}`);
      expect(untilSecond.map((e) => e.entityId)).toContain(firstId);
      expect(untilSecond.map((e) => e.entityId)).not.toContain(secondId);
      expect(untilSecond.map((e) => e.entityId)).not.toContain(thirdId);

      // An offset other than Z means the same instant.
      const fromInLondonSummerStyle = new Date(new Date(second.at).getTime()).toISOString().replace('Z', '+00:00');
      expect(
        (await audit(`?action=agency.&from=${encodeURIComponent(fromInLondonSummerStyle)}`)).map((e) => e.entityId),
      ).toEqual([thirdId, secondId]);
      expect(await audit(q(third.at, first.at))).toEqual([]);
    } finally {
      t.clock.advance(-shift);
    }
  });

  it.each([
    ['?limit=0'],
    ['?limit=501'],
    ['?limit=ten'],
    ['?limit=1.5'],
    ['?from=yesterday'],
    ['?to=2026-13-01T00:00:00Z'],
    ['?entityId=not-a-uuid'],
    ['?actorUserId=1'],
    [`?action=${'a'.repeat(81)}`],
    ['?secret=1'],
  ])('refuses the query %s with 400', async (query) => {
    const res = await request(t.http).get(`/api/audit${query}`).set(bearer(coordinator)).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('never holds tokens, their hashes or sign-in links', async () => {
    const everything = JSON.stringify(await audit('?limit=500'));
    const rows = JSON.stringify(await t.dataSource.getRepository(AuditEvent).find());
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(rows).not.toContain(secret);
    }
    expect(rows).not.toMatch(/token=|Bearer /i);
  });

  describe('is append-only in the database itself', () => {
    let victim: AuditEvent;
    let countBefore: number;

    beforeEach(async () => {
      victim = await t.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'user.roles-changed', entityId: userId });
      countBefore = await t.dataSource.getRepository(AuditEvent).count();
    });

    afterEach(async () => {
      const after = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ id: victim.id });
      expect(after).toEqual(victim);
      expect(await t.dataSource.getRepository(AuditEvent).count()).toBe(countBefore);
    });

    it('refuses UPDATE of a line', async () => {
      await expect(
        t.dataSource.query(`UPDATE audit_event SET action = 'user.nothing-happened' WHERE id = '${victim.id}'`),
      ).rejects.toThrow(/append-only/);
    });

    it('refuses UPDATE of every line at once', async () => {
      await expect(t.dataSource.query(`UPDATE audit_event SET "actorUserId" = NULL`)).rejects.toThrow(/append-only/);
    });

    it('refuses DELETE of a line', async () => {
      await expect(t.dataSource.query(`DELETE FROM audit_event WHERE id = '${victim.id}'`)).rejects.toThrow(
        /append-only/,
      );
    });

    it('refuses DELETE of the whole log', async () => {
      await expect(t.dataSource.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    });

    it('refuses changes made through TypeORM too', async () => {
      const repo = t.dataSource.getRepository(AuditEvent);
      await expect(repo.update({ id: victim.id }, { ip: '203.0.113.9' })).rejects.toThrow(/append-only/);
      await expect(repo.delete({ id: victim.id })).rejects.toThrow(/append-only/);
    });
  });
});
