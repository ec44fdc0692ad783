import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { User } from '../src/directory/user.entity';
import { addProfessional, bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { outboxSettled } from './support/outbox';
import { createTestApp, TestApp } from './support/test-app';
import { webSignIn } from './support/web';

/**
 * Accounts are approved, not assumed: a mailbox on an agency's domain proves employment, not need
 * to know. Tried as the attacker would: a pupil's school address, webmail and shared domains.
 */
describe('accounts: approval, agency leads, agency domains', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let coordinator: string;
  let school: string;
  let lead: string;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, AUTO_APPROVE_EMAIL_DOMAINS: 'trusted.police.test' } });
    coordinator = await signIn(t, smtp, 'coordinator@partnership.test');
    school = (
      await api(coordinator)
        .post('/api/agencies')
        .send({ name: 'Riverside Academy', sector: 'education', emailDomains: ['riverside.sch.uk'] })
        .expect(201)
    ).body.id;
    await api(coordinator)
      .post('/api/agencies')
      .send({ name: 'Trusted Police', sector: 'police', emailDomains: ['trusted.police.test'] })
      .expect(201);
    await api(coordinator)
      .post('/api/users')
      .send({
        email: 'dsl@riverside.sch.uk',
        name: 'Dana Lead',
        agencyId: school,
        roles: ['professional', 'agency-lead'],
      })
      .expect(201);
    lead = await signIn(t, smtp, 'dsl@riverside.sch.uk');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  function api(token: string) {
    const authed = <T extends request.Test>(r: T) => r.set(bearer(token));
    return {
      get: (path: string) => authed(request(t.http).get(path)),
      post: (path: string) => authed(request(t.http).post(path)),
      patch: (path: string) => authed(request(t.http).patch(path)),
    };
  }
  const userByEmail = (email: string) => t.dataSource.getRepository(User).findOneByOrFail({ email });
  /** Someone of the school who signs in for the first time: a pending account of their own for one test. */
  const pendingAtSchool = async (email: string) => {
    const token = await signIn(t, smtp, email);
    expect((await api(token).get('/api/me').expect(200)).body.status).toBe('pending');
    return { token, user: await userByEmail(email) };
  };

  it('a pupil with a school address signs in as pending and reads nothing, in JSON or in pages', async () => {
    const pupil = await signIn(t, smtp, 'pupil.year9@riverside.sch.uk');
    expect((await api(pupil).get('/api/me').expect(200)).body.status).toBe('pending');
    for (const path of ['/api/meetings', '/api/bookings?mine=true', '/api/users', '/api/agencies']) {
      expect((await api(pupil).get(path).expect(403)).body.code).toBe('ACCOUNT_PENDING');
    }
    const web = await webSignIn(t, smtp, 'pupil.year9@riverside.sch.uk');
    for (const path of ['/home', '/meetings', '/bookings', '/calendar']) {
      const page = await web.get(path).expect((r) => expect([200, 403]).toContain(r.status));
      expect(page.text).toContain('Your account is waiting for approval');
      expect(page.text).not.toContain('Book a slot');
    }
    await web.get('/sign-out').expect(200);
  });

  it('the agency lead sees their agency’s pending accounts and approves one; the person is told', async () => {
    await pendingAtSchool('new.teacher@riverside.sch.uk');
    // Someone pending at another agency, whom this lead must not see.
    await api(coordinator)
      .post('/api/agencies')
      .send({ name: 'Elsewhere Health', sector: 'health', emailDomains: ['elsewhere-health.test'] })
      .expect(201);
    await signIn(t, smtp, 'nurse@elsewhere-health.test');
    const listed = await api(lead).get('/api/users?status=pending').expect(200);
    // Exactly the school's pending accounts (other tests add their own pupils).
    const pendingOfSchool = (await t.dataSource.getRepository(User).findBy({ agencyId: school, status: 'pending' }))
      .map((u) => u.email)
      .sort();
    expect(pendingOfSchool).toContain('new.teacher@riverside.sch.uk');
    expect(listed.body.map((u: { email: string }) => u.email).sort()).toEqual(pendingOfSchool);
    expect(listed.body.map((u: { email: string }) => u.email)).not.toContain('nurse@elsewhere-health.test');
    const teacher = await userByEmail('new.teacher@riverside.sch.uk');
    const approved = await api(lead).patch(`/api/users/${teacher.id}`).send({ status: 'active' }).expect(200);
    expect(approved.body).toMatchObject({ status: 'active', active: true });
    await smtp.waitFor(() => smtp.to('new.teacher@riverside.sch.uk').some((m) => /approved/i.test(String(m.subject))));
    const event = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'user.approved', entityId: teacher.id });
    expect(event.actorUserId).toBe((await userByEmail('dsl@riverside.sch.uk')).id);
  });

  it('the agency lead can do nothing else: no role changes, no other agency, no active accounts', async () => {
    const { user: pupil } = await pendingAtSchool('pupil.year8@riverside.sch.uk');
    await api(lead)
      .patch(`/api/users/${pupil.id}`)
      .send({ roles: ['coordinator'] })
      .expect(403);
    await api(lead)
      .patch(`/api/users/${pupil.id}`)
      .send({ status: 'active', roles: ['professional'] })
      .expect(403);
    const teacherId = await addProfessional(t, coordinator, 'active.teacher@riverside.sch.uk', school);
    expect((await userByEmail('active.teacher@riverside.sch.uk')).status).toBe('active');
    await api(lead).patch(`/api/users/${teacherId}`).send({ status: 'disabled' }).expect(403);
    const coordinatorRow = await userByEmail('coordinator@partnership.test');
    await api(lead).patch(`/api/users/${coordinatorRow.id}`).send({ status: 'disabled' }).expect(404);
    await api(lead).get('/api/users?agencyId=00000000-0000-4000-8000-000000000000').expect(200, []);
    await api(lead)
      .post('/api/users')
      .send({ email: 'x@riverside.sch.uk', name: 'X', roles: ['chair'] })
      .expect(403);
    expect((await userByEmail('pupil.year8@riverside.sch.uk')).status).toBe('pending');
    expect((await userByEmail('active.teacher@riverside.sch.uk')).status).toBe('active');
  });

  it('a colleague who is only a professional cannot approve anyone', async () => {
    await addProfessional(t, coordinator, 'colleague@riverside.sch.uk', school);
    const colleague = await signIn(t, smtp, 'colleague@riverside.sch.uk');
    const { user: pupil } = await pendingAtSchool('pupil.year10@riverside.sch.uk');
    await api(colleague).patch(`/api/users/${pupil.id}`).send({ status: 'active' }).expect(403);
    await api(colleague).get('/api/users?status=pending').expect(403);
    expect((await userByEmail('pupil.year10@riverside.sch.uk')).status).toBe('pending');
  });

  it('refusing a pending account stops it signing in', async () => {
    const { user: pupil } = await pendingAtSchool('pupil.year7@riverside.sch.uk');
    await api(lead).patch(`/api/users/${pupil.id}`).send({ status: 'disabled' }).expect(200);
    const before = smtp.to('pupil.year7@riverside.sch.uk').length;
    await request(t.http).post('/api/auth/sign-in').send({ email: 'pupil.year7@riverside.sch.uk' }).expect(202);
    await outboxSettled(t, smtp);
    expect(smtp.to('pupil.year7@riverside.sch.uk').length).toBe(before);
  });

  it('a domain the deployment approves automatically needs no approval', async () => {
    const officer = await signIn(t, smtp, 'pc.jones@trusted.police.test');
    expect((await api(officer).get('/api/me').expect(200)).body.status).toBe('active');
    await api(officer).get('/api/meetings').expect(200);
  });

  it.each([
    ['gmail.com', 'webmail'],
    ['outlook.com', 'webmail'],
    ['hotmail.co.uk', 'webmail'],
    ['nhs.net', 'shared'],
    ['gov.uk', 'shared'],
    ['sch.uk', 'shared'],
    ['cjsm.net', 'shared'],
  ])('refuses %s as an agency domain (%s), on creation and on edit, changing nothing', async (domain, reason) => {
    const created = await api(coordinator)
      .post('/api/agencies')
      .send({ name: `Agency at ${domain}`, sector: 'health', emailDomains: ['ok-domain.nhs.test', domain] })
      .expect(422);
    expect(created.body).toMatchObject({
      code: 'DOMAIN_NOT_ALLOWED',
      details: [{ field: 'emailDomains[1]', domain, reason }],
    });
    const edited = await api(coordinator)
      .patch(`/api/agencies/${school}`)
      .send({ emailDomains: ['riverside.sch.uk', domain] })
      .expect(422);
    expect(edited.body.code).toBe('DOMAIN_NOT_ALLOWED');
    const agencies = (await api(coordinator).get('/api/agencies').expect(200)).body as Array<{
      name: string;
      emailDomains: string[];
    }>;
    expect(agencies.find((a) => a.name === `Agency at ${domain}`)).toBeUndefined();
    expect(agencies.find((a) => a.name === 'Riverside Academy')!.emailDomains).toEqual(['riverside.sch.uk']);
  });

  it('renames an agency, replaces its domains and deactivates it: its old domain and a deactivated agency register no one', async () => {
    const health = (
      await api(coordinator)
        .post('/api/agencies')
        .send({ name: 'Northshire Health', sector: 'health', emailDomains: ['old.health.test'] })
        .expect(201)
    ).body.id;
    const renamed = await api(coordinator)
      .patch(`/api/agencies/${health}`)
      .send({ name: 'Northshire Community Health', emailDomains: ['new.health.test'] })
      .expect(200);
    expect(renamed.body).toMatchObject({
      name: 'Northshire Community Health',
      emailDomains: ['new.health.test'],
      active: true,
    });
    await request(t.http).post('/api/auth/sign-in').send({ email: 'someone@old.health.test' }).expect(202);
    await signIn(t, smtp, 'nurse@new.health.test');
    expect((await userByEmail('nurse@new.health.test')).agencyId).toBe(health);

    await api(coordinator).patch(`/api/agencies/${health}`).send({ active: false }).expect(200);
    await request(t.http).post('/api/auth/sign-in').send({ email: 'another@new.health.test' }).expect(202);
    await api(coordinator)
      .post('/api/users')
      .send({ email: 'x@new.health.test', name: 'X', agencyId: health, roles: ['professional'] })
      .expect(400);
    await outboxSettled(t, smtp);
    expect(smtp.to('someone@old.health.test')).toHaveLength(0);
    expect(smtp.to('another@new.health.test')).toHaveLength(0);
    expect(await t.dataSource.getRepository(User).countBy({ email: 'another@new.health.test' })).toBe(0);
    const events = await t.dataSource.getRepository(AuditEvent).findBy({ entityId: health });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['agency.updated', 'agency.deactivated']));
  });

  it('a professional always has an agency: removing it, or adding the role without one, is refused', async () => {
    const id = await addProfessional(t, coordinator, 'always@riverside.sch.uk', school);
    const cleared = await api(coordinator).patch(`/api/users/${id}`).send({ agencyId: null }).expect(400);
    expect(cleared.body.details).toEqual([
      { field: 'agencyId', messages: [expect.stringContaining('must belong to an agency')] },
    ]);
    const chair = (
      await api(coordinator)
        .post('/api/users')
        .send({ email: 'chair.two@csc.test', name: 'Chair Two', roles: ['chair'] })
        .expect(201)
    ).body.id;
    const lead = await api(coordinator)
      .patch(`/api/users/${chair}`)
      .send({ roles: ['chair', 'agency-lead'] })
      .expect(400);
    expect(lead.body.details[0].field).toBe('roles');
    expect((await userByEmail('always@riverside.sch.uk')).agencyId).toBe(school);
  });
});
