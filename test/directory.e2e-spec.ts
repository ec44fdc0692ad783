import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Session } from '../src/auth/session.entity';
import { AgencyEmailDomain } from '../src/directory/agency-email-domain.entity';
import { Agency } from '../src/directory/agency.entity';
import { User } from '../src/directory/user.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

describe('the directory: agencies and users (coordinators)', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let coordinator: string;
  let coordinatorId: string;
  let riversideId: string;
  let professionalId: string;
  let chair: string;
  let chairId: string;

  /** Row counts of everything the directory writes: a refused request must change none of them. */
  async function counts(): Promise<Record<string, number>> {
    const ds = t.dataSource;
    return {
      agencies: await ds.getRepository(Agency).count(),
      domains: await ds.getRepository(AgencyEmailDomain).count(),
      users: await ds.getRepository(User).count(),
      audit: await ds.getRepository(AuditEvent).count(),
    };
  }

  async function userRow(id: string): Promise<User> {
    return t.dataSource.getRepository(User).findOneByOrFail({ id });
  }

  const fieldsOf = (body: { details?: Array<{ field: string }> }) => (body.details ?? []).map((d) => d.field).sort();

  let serial = 0;
  /** A new user of its own for one test (so that no test leans on what another did to a shared one). */
  async function newUser(roles: string[], agencyId: string | null = riversideId) {
    serial += 1;
    const email = roles.includes('professional')
      ? `person.${serial}@riverside.sch.uk`
      : `person.${serial}@partnership.test`;
    const res = await request(t.http)
      .post('/api/users')
      .set(bearer(coordinator))
      .send({
        email,
        name: `Person ${serial}`,
        roles,
        ...(agencyId && roles.includes('professional') ? { agencyId } : {}),
      })
      .expect(201);
    return { id: res.body.id as string, email, token: await signIn(t, smtp, email) };
  }

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    coordinator = await signIn(t, smtp, 'coordinator@partnership.test');
    coordinatorId = (await request(t.http).get('/api/me').set(bearer(coordinator)).expect(200)).body.id;
    // What several tests read (and none changes): an agency, one of its professionals and a chair.
    riversideId = (
      await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({
          name: 'Riverside Academy',
          sector: 'education',
          emailDomains: ['riverside.sch.uk', 'riverside-academy.org.uk'],
        })
        .expect(201)
    ).body.id;
    professionalId = (
      await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({
          email: 'jo.bloggs@riverside.sch.uk',
          name: 'Jo Bloggs',
          agencyId: riversideId,
          roles: ['professional'],
        })
        .expect(201)
    ).body.id;
    chairId = (
      await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({ email: 'chair@partnership.test', name: 'Charlie Chair', roles: ['chair'] })
        .expect(201)
    ).body.id;
    chair = await signIn(t, smtp, 'chair@partnership.test');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  describe('agencies', () => {
    it('creates an agency with its e-mail domains trimmed and in lower case, and records it', async () => {
      const res = await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({
          name: '  Meadow Academy  ',
          sector: 'education',
          emailDomains: [' Meadow.SCH.uk ', 'MEADOW-ACADEMY.org.UK'],
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Meadow Academy',
        sector: 'education',
        emailDomains: ['meadow-academy.org.uk', 'meadow.sch.uk'],
        active: true,
      });
      const meadowId = res.body.id;

      const domains = await t.dataSource.getRepository(AgencyEmailDomain).findBy({ agencyId: meadowId });
      expect(domains.map((d) => d.domain).sort()).toEqual(['meadow-academy.org.uk', 'meadow.sch.uk']);
      const event = await t.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'agency.created', entityId: meadowId });
      expect(event.actorUserId).toBe(coordinatorId);
    });

    it('lists agencies with their domains', async () => {
      await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({ name: 'Northshire Police', sector: 'police', emailDomains: ['northshire.police.uk'] })
        .expect(201);
      const res = await request(t.http).get('/api/agencies').set(bearer(coordinator)).expect(200);
      // Every agency there is (other tests add their own), in name order, each with its sorted domains.
      const names = res.body.map((a: { name: string }) => a.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
      expect(res.body).toHaveLength(await t.dataSource.getRepository(Agency).count());
      expect(res.body).toEqual(
        expect.arrayContaining([
          {
            id: expect.any(String),
            name: 'Northshire Police',
            sector: 'police',
            emailDomains: ['northshire.police.uk'],
            active: true,
          },
          {
            id: riversideId,
            name: 'Riverside Academy',
            sector: 'education',
            emailDomains: ['riverside-academy.org.uk', 'riverside.sch.uk'],
            active: true,
          },
        ]),
      );
      for (const a of res.body)
        expect(Object.keys(a).sort()).toEqual(['active', 'emailDomains', 'id', 'name', 'sector']);
    });

    it('accepts every documented sector and refuses any other', async () => {
      const sectors = [
        'health',
        'education',
        'police',
        'childrens-social-care',
        'early-help',
        'voluntary',
        'probation',
        'housing',
        'other',
      ];
      for (const [i, sector] of sectors.entries()) {
        await request(t.http)
          .post('/api/agencies')
          .set(bearer(coordinator))
          .send({ name: `Sector test ${i}`, sector, emailDomains: [] })
          .expect(201);
      }
      const before = await counts();
      for (const sector of ['schools', 'Health', '', 42, null]) {
        const res = await request(t.http)
          .post('/api/agencies')
          .set(bearer(coordinator))
          .send({ name: 'Bad sector agency', sector, emailDomains: [] })
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(fieldsOf(res.body)).toEqual(['sector']);
      }
      const missing = await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({ name: 'No sector agency', emailDomains: [] })
        .expect(400);
      expect(fieldsOf(missing.body)).toEqual(['sector']);
      expect(await counts()).toEqual(before);
    });

    it('refuses a second agency with the same name: 409 AGENCY_EXISTS, nothing stored', async () => {
      const before = await counts();
      const res = await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({ name: 'Riverside Academy', sector: 'education', emailDomains: ['other-riverside.sch.uk'] })
        .expect(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'AGENCY_EXISTS', message: expect.any(String) });
      expect(await counts()).toEqual(before);
      expect(
        await t.dataSource.getRepository(AgencyEmailDomain).findOneBy({ domain: 'other-riverside.sch.uk' }),
      ).toBeNull();
    });

    it('refuses a domain that belongs to another agency, whatever its case: 409 DOMAIN_TAKEN, nothing stored', async () => {
      const before = await counts();
      const res = await request(t.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({
          name: 'Riverside Nursery',
          sector: 'early-help',
          emailDomains: ['riverside-nursery.org.uk', 'RIVERSIDE.sch.uk'],
        })
        .expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        code: 'DOMAIN_TAKEN',
        details: { domains: ['riverside.sch.uk'] },
      });
      expect(await counts()).toEqual(before);
      expect(await t.dataSource.getRepository(Agency).findOneBy({ name: 'Riverside Nursery' })).toBeNull();
      const owner = await t.dataSource.getRepository(AgencyEmailDomain).findOneByOrFail({ domain: 'riverside.sch.uk' });
      expect(owner.agencyId).toBe(riversideId);
    });

    it.each([
      ['an unknown field', { name: 'Extra Field Agency', sector: 'health', emailDomains: [], admin: true }, ['admin']],
      ['a name that is not a string', { name: 42, sector: 'health', emailDomains: [] }, ['name']],
      [
        'domains that are not an array',
        { name: 'Domains String Agency', sector: 'health', emailDomains: 'x.test' },
        ['emailDomains'],
      ],
      [
        'a domain that is not a string',
        { name: 'Domain Number Agency', sector: 'health', emailDomains: [42] },
        ['emailDomains'],
      ],
      [
        'an e-mail address as a domain',
        { name: 'Domain Email Agency', sector: 'health', emailDomains: ['jo@x.test'] },
        ['emailDomains'],
      ],
      [
        'a domain without a dot',
        { name: 'Localhost Agency', sector: 'health', emailDomains: ['localhost'] },
        ['emailDomains'],
      ],
      [
        'a domain with CR/LF',
        { name: 'CRLF Domain Agency', sector: 'health', emailDomains: ['x.test\r\nBcc: evil@x.test'] },
        ['emailDomains'],
      ],
      [
        'the same domain twice in different cases',
        { name: 'Twice Agency', sector: 'health', emailDomains: ['twice.test', 'TWICE.test'] },
        ['emailDomains'],
      ],
      [
        'more than 20 domains',
        {
          name: 'Many Domains Agency',
          sector: 'health',
          emailDomains: Array.from({ length: 21 }, (_, i) => `d${i}.test`),
        },
        ['emailDomains'],
      ],
      [
        'a domain of more than 253 characters',
        { name: 'Long Domain Agency', sector: 'health', emailDomains: [`${'a'.repeat(60)}.`.repeat(5) + 'test'] },
        ['emailDomains'],
      ],
      ['a name with CR/LF', { name: 'Evil\r\nBcc: evil@x.test', sector: 'health', emailDomains: [] }, ['name']],
      ['a name with a NUL', { name: 'Evil\u0000Agency', sector: 'health', emailDomains: [] }, ['name']],
      [
        'a name with an escape sequence',
        { name: 'Evil \u001b[31mAgency', sector: 'health', emailDomains: [] },
        ['name'],
      ],
      [
        'a name with a Unicode line separator',
        { name: 'Evil\u2028Agency', sector: 'health', emailDomains: [] },
        ['name'],
      ],
      ['a name of 161 characters', { name: 'A'.repeat(161), sector: 'health', emailDomains: [] }, ['name']],
      ['a blank name', { name: '   ', sector: 'health', emailDomains: [] }, ['name']],
    ])('refuses %s with 400 and stores nothing', async (_what, body, fields) => {
      const before = await counts();
      const res = await request(t.http).post('/api/agencies').set(bearer(coordinator)).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(res.body)).toEqual(fields);
      expect(await counts()).toEqual(before);
    });
  });

  describe('users', () => {
    it('creates a user: e-mail trimmed and in lower case, name trimmed, recorded with the coordinator as actor', async () => {
      const res = await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({
          email: '  Jamie.Doe@Riverside.SCH.uk ',
          name: '  Jamie Doe ',
          agencyId: riversideId,
          roles: ['professional'],
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: 'jamie.doe@riverside.sch.uk',
        name: 'Jamie Doe',
        agency: { id: riversideId, name: 'Riverside Academy' },
        roles: ['professional'],
        status: 'active',
        active: true,
      });
      const jamieId = res.body.id;
      const row = await userRow(jamieId);
      expect(row).toMatchObject({
        email: 'jamie.doe@riverside.sch.uk',
        name: 'Jamie Doe',
        agencyId: riversideId,
        roles: ['professional'],
        active: true,
      });
      const event = await t.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'user.created', entityId: jamieId });
      expect(event.actorUserId).toBe(coordinatorId);
      expect(event.details).toEqual({ roles: ['professional'], agencyId: riversideId });

      // The person created signs in with their role.
      const jamie = await signIn(t, smtp, 'jamie.doe@riverside.sch.uk');
      expect((await request(t.http).get('/api/me').set(bearer(jamie)).expect(200)).body).toMatchObject({
        id: jamieId,
        roles: ['professional'],
      });
    });

    it('creates a chair without an agency', async () => {
      const res = await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({ email: 'casey.chair@partnership.test', name: 'Casey Chair', roles: ['chair'] })
        .expect(201);
      expect(res.body).toMatchObject({
        email: 'casey.chair@partnership.test',
        agency: null,
        roles: ['chair'],
        active: true,
      });
      // The chair created signs in (the address in any case) with their role.
      const casey = await signIn(t, smtp, 'CASEY.CHAIR@partnership.test');
      expect((await request(t.http).get('/api/me').set(bearer(casey)).expect(200)).body).toMatchObject({
        id: res.body.id,
        roles: ['chair'],
      });
    });

    it('lets the people it creates sign in with their roles', async () => {
      const signedInProfessional = await signIn(t, smtp, 'jo.bloggs@riverside.sch.uk');
      const signedInChair = await signIn(t, smtp, 'CHAIR@partnership.test');
      expect((await request(t.http).get('/api/me').set(bearer(signedInProfessional)).expect(200)).body).toMatchObject({
        id: professionalId,
        roles: ['professional'],
      });
      expect((await request(t.http).get('/api/me').set(bearer(signedInChair)).expect(200)).body).toMatchObject({
        id: chairId,
        roles: ['chair'],
      });
    });

    it('keeps e-mail addresses unique regardless of case: 409 EMAIL_TAKEN, nothing stored', async () => {
      const before = await counts();
      for (const email of ['JO.BLOGGS@riverside.sch.uk', 'Jo.Bloggs@Riverside.Sch.Uk', ' jo.bloggs@riverside.sch.uk']) {
        const res = await request(t.http)
          .post('/api/users')
          .set(bearer(coordinator))
          .send({ email, name: 'Someone Else', agencyId: riversideId, roles: ['professional'] })
          .expect(409);
        expect(res.body).toEqual({ statusCode: 409, code: 'EMAIL_TAKEN', message: expect.any(String) });
      }
      expect(await counts()).toEqual(before);
      expect((await userRow(professionalId)).name).toBe('Jo Bloggs');
    });

    it('refuses an unknown agency: 400 VALIDATION_FAILED on agencyId, nothing stored', async () => {
      const before = await counts();
      const res = await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({ email: 'orphan@riverside.sch.uk', name: 'Orphan', agencyId: randomUUID(), roles: ['professional'] })
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: [{ field: 'agencyId', messages: expect.any(Array) }],
      });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['no roles', { roles: [] }, ['roles']],
      ['an unknown role', { roles: ['admin'] }, ['roles']],
      ['a role given twice', { roles: ['chair', 'chair'] }, ['roles']],
      ['roles as a string', { roles: 'coordinator' }, ['roles']],
      ['a role in the wrong case', { roles: ['Coordinator'] }, ['roles']],
      ['a professional without an agency', { roles: ['professional'], agencyId: undefined }, ['agencyId']],
    ])('validates roles: refuses %s with 400 and stores nothing', async (_what, patch, fields) => {
      const before = await counts();
      const body = { email: 'roles.test@riverside.sch.uk', name: 'Roles Test', agencyId: riversideId, ...patch };
      const res = await request(t.http).post('/api/users').set(bearer(coordinator)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual(fields);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['an unknown field', { isAdmin: true }, ['isAdmin']],
      ['an e-mail that is not a string', { email: 42 }, ['email']],
      ['a name that is not a string', { name: ['Jo'] }, ['name']],
      ['an agency id that is not a UUID', { agencyId: 'riverside' }, ['agencyId']],
      ['an agency id that is a number', { agencyId: 5 }, ['agencyId']],
      ['an e-mail without @', { email: 'not-an-email' }, ['email']],
      ['an e-mail without a top-level domain', { email: 'jo@riverside' }, ['email']],
      ['an e-mail with two @', { email: 'jo@@riverside.sch.uk' }, ['email']],
      ['an e-mail with a space', { email: 'jo bloggs@riverside.sch.uk' }, ['email']],
      ['an e-mail with a display name', { email: 'Jo <jo@riverside.sch.uk>' }, ['email']],
      ['an e-mail followed by a CR/LF header', { email: 'jo@riverside.sch.uk\r\nBcc: evil@x.test' }, ['email']],
      [
        'an e-mail with CR/LF in a quoted local part',
        { email: '"jo\r\nBcc: evil@x.test"@riverside.sch.uk' },
        ['email'],
      ],
      [
        'an e-mail with a control character in a quoted local part',
        { email: '"jo\u0001"@riverside.sch.uk' },
        ['email'],
      ],
      [
        'an e-mail of more than 254 characters',
        { email: `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(10)}.sch.uk` },
        ['email'],
      ],
      ['a name with CR/LF (header injection)', { name: 'Jo\r\nBcc: evil@x.test' }, ['name']],
      ['a name with a line feed', { name: 'Jo\nBloggs' }, ['name']],
      ['a name with a tab', { name: 'Jo\tBloggs' }, ['name']],
      ['a name with a NUL', { name: 'Jo\u0000Bloggs' }, ['name']],
      ['a name with an escape sequence', { name: 'Jo \u001b[2J' }, ['name']],
      ['a name with a C1 next-line character', { name: 'Jo\u0085Bloggs' }, ['name']],
      ['a name with a Unicode line separator', { name: 'Jo\u2028Bloggs' }, ['name']],
      ['a name with a Unicode paragraph separator', { name: 'Jo\u2029Bloggs' }, ['name']],
      ['a name of 121 characters', { name: 'J'.repeat(121) }, ['name']],
      ['a blank name', { name: ' \u0020 ' }, ['name']],
    ])('refuses %s with 400 and stores nothing', async (_what, patch, fields) => {
      const before = await counts();
      const body = {
        email: 'bad.input@riverside.sch.uk',
        name: 'Bad Input',
        agencyId: riversideId,
        roles: ['professional'],
        ...patch,
      };
      const res = await request(t.http).post('/api/users').set(bearer(coordinator)).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(res.body)).toEqual(fields);
      // The refused value is never echoed back.
      expect(JSON.stringify(res.body)).not.toContain('evil@x.test');
      expect(await counts()).toEqual(before);
    });

    it('refuses a sign-in request for a quoted address with CR/LF in an agency domain, and registers no one', async () => {
      const before = await counts();
      const outboxBefore = await t.dataSource.getRepository(OutboxMessage).count();
      for (const email of [
        '"new\r\nBcc: evil@x.test"@riverside.sch.uk',
        '"new\u0001teacher"@riverside.sch.uk',
        '"new teacher"@riverside.sch.uk',
      ]) {
        const res = await request(t.http).post('/api/auth/sign-in').send({ email }).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(fieldsOf(res.body)).toEqual(['email']);
      }
      expect(await counts()).toEqual(before);
      expect(await t.dataSource.getRepository(OutboxMessage).count()).toBe(outboxBefore);
    });

    it('accepts a name of exactly 120 characters and non-Latin letters', async () => {
      const long = await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({
          email: 'long.name@riverside.sch.uk',
          name: 'L'.repeat(120),
          agencyId: riversideId,
          roles: ['professional'],
        })
        .expect(201);
      expect(long.body.name).toHaveLength(120);
      const accented = await request(t.http)
        .post('/api/users')
        .set(bearer(coordinator))
        .send({
          email: 'zoe@riverside.sch.uk',
          name: 'Zoë O’Brien-Łukasz',
          agencyId: riversideId,
          roles: ['professional'],
        })
        .expect(201);
      expect((await userRow(accented.body.id)).name).toBe('Zoë O’Brien-Łukasz');
    });

    it('lists users, filtered by role and agency', async () => {
      const all = await request(t.http).get('/api/users').set(bearer(coordinator)).expect(200);
      const emails = all.body.map((u: { email: string }) => u.email);
      expect(emails).toEqual(
        expect.arrayContaining([
          'coordinator@partnership.test',
          'jo.bloggs@riverside.sch.uk',
          'chair@partnership.test',
        ]),
      );
      expect(all.body).toHaveLength(await t.dataSource.getRepository(User).count());
      for (const u of all.body)
        expect(Object.keys(u).sort()).toEqual(['active', 'agency', 'email', 'id', 'name', 'roles', 'status']);

      const chairs = await request(t.http).get('/api/users?role=chair').set(bearer(coordinator)).expect(200);
      // Exactly the users who hold the chair role (other tests may have made more of them).
      const chairIds = all.body
        .filter((u: { roles: string[] }) => u.roles.includes('chair'))
        .map((u: { id: string }) => u.id);
      expect(chairIds).toContain(chairId);
      expect(all.body.some((u: { roles: string[] }) => !u.roles.includes('chair'))).toBe(true);
      expect(chairs.body.map((u: { id: string }) => u.id)).toEqual(chairIds);
      const ofRiverside = await request(t.http)
        .get(`/api/users?agencyId=${riversideId}`)
        .set(bearer(coordinator))
        .expect(200);
      expect(ofRiverside.body.length).toBeGreaterThan(0);
      expect(ofRiverside.body.every((u: { agency: { id: string } | null }) => u.agency?.id === riversideId)).toBe(true);

      await request(t.http).get('/api/users?role=admin').set(bearer(coordinator)).expect(400);
      await request(t.http).get('/api/users?agencyId=nope').set(bearer(coordinator)).expect(400);
      await request(t.http).get('/api/users?password=x').set(bearer(coordinator)).expect(400);
    });
  });

  describe('changing users', () => {
    it('changes roles and records user.roles-changed with the coordinator as actor', async () => {
      const { id: professionalId, token: professional } = await newUser(['professional']);
      const res = await request(t.http)
        .patch(`/api/users/${professionalId}`)
        .set(bearer(coordinator))
        .send({ roles: ['professional', 'chair'] })
        .expect(200);
      expect(res.body).toMatchObject({ id: professionalId, roles: ['professional', 'chair'], active: true });
      expect((await userRow(professionalId)).roles).toEqual(['professional', 'chair']);
      const events = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'user.roles-changed', entityId: professionalId });
      expect(events).toHaveLength(1);
      expect(events[0].actorUserId).toBe(coordinatorId);
      expect(events[0].details).toEqual({ from: ['professional'], to: ['professional', 'chair'] });
      // The new role takes effect on the user's existing session.
      expect((await request(t.http).get('/api/me').set(bearer(professional)).expect(200)).body.roles).toEqual([
        'professional',
        'chair',
      ]);
    });

    it('changes the name (trimmed) and records it', async () => {
      const { id: professionalId } = await newUser(['professional']);
      const res = await request(t.http)
        .patch(`/api/users/${professionalId}`)
        .set(bearer(coordinator))
        .send({ name: '  Joanne Bloggs ' })
        .expect(200);
      expect(res.body.name).toBe('Joanne Bloggs');
      expect((await userRow(professionalId)).name).toBe('Joanne Bloggs');
      const event = await t.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'user.name-changed', entityId: professionalId });
      expect(event.actorUserId).toBe(coordinatorId);
    });

    it('disables a user: user.disabled recorded, their sessions end at once; enabling records user.enabled', async () => {
      const disabledOne = await newUser(['chair'], null);
      const { id: chairId, email: chairEmail } = disabledOne;
      let chair = disabledOne.token;
      await request(t.http).get('/api/me').set(bearer(chair)).expect(200);
      const res = await request(t.http)
        .patch(`/api/users/${chairId}`)
        .set(bearer(coordinator))
        .send({ active: false })
        .expect(200);
      expect(res.body).toMatchObject({ id: chairId, active: false });
      expect((await userRow(chairId)).active).toBe(false);
      const disabled = await t.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'user.disabled', entityId: chairId });
      expect(disabled.actorUserId).toBe(coordinatorId);
      await request(t.http).get('/api/me').set(bearer(chair)).expect(401);
      const sessions = await t.dataSource.getRepository(Session).findBy({ userId: chairId });
      expect(sessions.length).toBeGreaterThan(0);
      expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);

      await request(t.http).patch(`/api/users/${chairId}`).set(bearer(coordinator)).send({ active: true }).expect(200);
      expect((await userRow(chairId)).active).toBe(true);
      expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'user.enabled', entityId: chairId })).toBe(
        1,
      );
      // The old session stays ended; a new sign-in works.
      await request(t.http).get('/api/me').set(bearer(chair)).expect(401);
      chair = await signIn(t, smtp, chairEmail);
      await request(t.http).get('/api/me').set(bearer(chair)).expect(200);
    });

    it('does not let a coordinator disable themselves or drop their own coordinator role: 409 SELF_LOCKOUT', async () => {
      const before = await counts();
      const rowBefore = await userRow(coordinatorId);
      for (const body of [
        { active: false },
        { roles: ['chair'] },
        { roles: ['professional'], agencyId: riversideId },
      ]) {
        const res = await request(t.http)
          .patch(`/api/users/${coordinatorId}`)
          .set(bearer(coordinator))
          .send(body)
          .expect(409);
        expect(res.body).toEqual({ statusCode: 409, code: 'SELF_LOCKOUT', message: expect.any(String) });
      }
      expect(await counts()).toEqual(before);
      expect(await userRow(coordinatorId)).toEqual(rowBefore);
      await request(t.http).get('/api/me').set(bearer(coordinator)).expect(200);
      // Adding a role to oneself is fine.
      await request(t.http)
        .patch(`/api/users/${coordinatorId}`)
        .set(bearer(coordinator))
        .send({ roles: ['coordinator', 'chair'] })
        .expect(200);
      await request(t.http)
        .patch(`/api/users/${coordinatorId}`)
        .set(bearer(coordinator))
        .send({ roles: ['coordinator'] })
        .expect(200);
    });

    it.each([
      ['no roles', { roles: [] }],
      ['an unknown role', { roles: ['superuser'] }],
      ['active as a string', { active: 'false' }],
      ['active as a number', { active: 0 }],
      ['a name with CR/LF', { name: 'Jo\r\nBcc: evil@x.test' }],
      ['a name with a control character', { name: 'Jo\u0007' }],
      ['a name of 121 characters', { name: 'x'.repeat(121) }],
      ['an e-mail change (not a field of this request)', { email: 'new@riverside.sch.uk' }],
      ['an id change', { id: randomUUID() }],
      ['an agency id that is not a UUID', { agencyId: 'nope' }],
      ['an unknown agency', { agencyId: randomUUID() }],
    ])('refuses %s with 400 and changes nothing', async (_what, body) => {
      const before = await counts();
      const rowBefore = await userRow(professionalId);
      const res = await request(t.http)
        .patch(`/api/users/${professionalId}`)
        .set(bearer(coordinator))
        .send(body)
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(await counts()).toEqual(before);
      expect(await userRow(professionalId)).toEqual(rowBefore);
    });

    it.each([
      ['not-a-uuid'],
      ['123'],
      [`${randomUUID()}x`],
      ['%0d%0aBcc:%20evil@x.test'],
      ["1' OR '1'='1"],
      [randomUUID()],
    ])('answers 404 for the user id %p and changes nothing', async (id) => {
      const before = await counts();
      const res = await request(t.http)
        .patch(`/api/users/${encodeURIComponent(id).replace(/%25/g, '%')}`)
        .set(bearer(coordinator))
        .send({ active: false })
        .expect(404);
      expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
      expect(await counts()).toEqual(before);
    });
  });

  describe('access', () => {
    const routes: Array<[string, string, () => object | undefined]> = [
      ['get', '/api/agencies', () => undefined],
      ['post', '/api/agencies', () => ({ name: 'Sneaky Agency', sector: 'other', emailDomains: ['sneaky.test'] })],
      ['get', '/api/users', () => undefined],
      ['post', '/api/users', () => ({ email: 'sneaky@sneaky.test', name: 'Sneaky', roles: ['coordinator'] })],
      ['patch', '/api/users/:self', () => ({ roles: ['coordinator'] })],
      ['patch', '/api/users/:other', () => ({ active: false })],
    ];

    async function call(token: string | null, verb: string, path: string, body: object | undefined, selfId: string) {
      const url = path.replace(':self', selfId).replace(':other', coordinatorId);
      let req = (request(t.http) as unknown as Record<string, (u: string) => request.Test>)[verb](url);
      if (token) req = req.set(bearer(token));
      return body ? req.send(body) : req;
    }

    it('answers 403 FORBIDDEN to a professional and a chair on every coordinator route, and changes nothing', async () => {
      const { token: onlyProfessional } = await newUser(['professional']);
      const me = (await request(t.http).get('/api/me').set(bearer(onlyProfessional)).expect(200)).body;
      expect(me.roles).toEqual(['professional']);
      // A professional who is also a chair is no coordinator either.
      const { id: professionalId, token: professional } = await newUser(['professional']);
      await request(t.http)
        .patch(`/api/users/${professionalId}`)
        .set(bearer(coordinator))
        .send({ roles: ['professional', 'chair'] })
        .expect(200);
      const before = await counts();
      const coordinatorRow = await userRow(coordinatorId);
      for (const [token, selfId] of [
        [onlyProfessional, me.id as string],
        [professional, professionalId],
        [chair, chairId],
      ]) {
        for (const [verb, path, body] of routes) {
          const res = await call(token, verb, path, body(), selfId);
          expect({ route: `${verb} ${path}`, status: res.status, code: res.body.code }).toEqual({
            route: `${verb} ${path}`,
            status: 403,
            code: 'FORBIDDEN',
          });
        }
      }
      expect(await counts()).toEqual(before);
      expect(await userRow(coordinatorId)).toEqual(coordinatorRow);
      expect((await userRow(professionalId)).roles).toEqual(['professional', 'chair']);
    });

    it('answers 401 without a session, or with a made-up one', async () => {
      const before = await counts();
      for (const token of [null, 'A'.repeat(43)]) {
        for (const [verb, path, body] of routes) {
          const res = await call(token, verb, path, body(), professionalId);
          expect({ route: `${verb} ${path}`, status: res.status, code: res.body.code }).toEqual({
            route: `${verb} ${path}`,
            status: 401,
            code: 'UNAUTHENTICATED',
          });
        }
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('under concurrency', () => {
    it('creates 50 users in parallel: all 201, no server error, 50 rows', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          request(t.http)
            .post('/api/users')
            .set(bearer(coordinator))
            .send({
              email: `parallel.${i}@riverside.sch.uk`,
              name: `Parallel ${i}`,
              agencyId: riversideId,
              roles: ['professional'],
            }),
        ),
      );
      expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
      const rows = await t.dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .where('u.email LIKE :p', { p: 'parallel.%@riverside.sch.uk' })
        .getMany();
      expect(rows).toHaveLength(50);
      expect(new Set(rows.map((r) => r.email)).size).toBe(50);
      expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'user.created' })).toBeGreaterThanOrEqual(
        50,
      );
    });

    it('creates one user of 20 parallel requests for one address in different cases: one 201, the rest 409 EMAIL_TAKEN', async () => {
      const base = 'same.person@riverside.sch.uk';
      const letters = [...base].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
      const variants = Array.from({ length: 20 }, (_, v) =>
        [...base]
          .map((c, i) => (letters.indexOf(i) >= 0 && (v >> letters.indexOf(i)) & 1 ? c.toUpperCase() : c))
          .join(''),
      );
      expect(new Set(variants).size).toBe(20);
      const auditBefore = await t.dataSource.getRepository(AuditEvent).countBy({ action: 'user.created' });
      const results = await Promise.all(
        variants.map((email, i) =>
          request(t.http)
            .post('/api/users')
            .set(bearer(coordinator))
            .send({ email, name: `Same Person ${i}`, agencyId: riversideId, roles: ['professional'] }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'EMAIL_TAKEN')).toBe(true);
      const rows = await t.dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .where('LOWER(u.email) = :e', { e: base })
        .getMany();
      expect(rows).toHaveLength(1);
      expect(rows[0].email).toBe(base);
      // Only the winner was recorded.
      expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'user.created' })).toBe(auditBefore + 1);
    });
  });
});
