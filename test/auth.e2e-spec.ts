import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { hashToken } from '../src/auth/secret-token';
import { SignInToken } from '../src/auth/sign-in-token.entity';
import { Session } from '../src/auth/session.entity';
import { User } from '../src/directory/user.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { bearer, LINK_PATTERN, signIn } from './support/sign-in';
import { outboxSettled } from './support/outbox';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

describe('sign-in by e-mail link', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let coordinator: string;
  let agencyId: string;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    coordinator = await signIn(t, smtp, 'coordinator@partnership.test');
    const agency = await request(t.http)
      .post('/api/agencies')
      .set(bearer(coordinator))
      .send({ name: 'Riverside Academy', sector: 'education', emailDomains: ['riverside.sch.uk'] })
      .expect(201);
    agencyId = agency.body.id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const linkIn = (text: unknown) => String(text).match(LINK_PATTERN)![1];
  /** Asks for a link for the coordinator and returns the mail it came in (never an older one). */
  const newLinkMail = async (email = 'coordinator@partnership.test') => {
    await outboxSettled(t, smtp); // links other tests asked for are in already
    const before = smtp.to('coordinator@partnership.test').length;
    await request(t.http).post('/api/auth/sign-in').send({ email }).expect(202);
    const isLink = (m: { text?: unknown }) => LINK_PATTERN.test(String(m.text));
    await smtp.waitFor(() => smtp.to('coordinator@partnership.test').slice(before).some(isLink));
    return smtp.to('coordinator@partnership.test').slice(before).find(isLink)!;
  };

  it('mails a single-use link with text and HTML parts, and stores only its hash', async () => {
    const mail = await newLinkMail('Coordinator@Partnership.TEST ');
    expect(mail.subject).toMatch(/Sign in/);
    expect(mail.html).toContain('/sign-in/verify?token=');
    expect(mail.messageId).toMatch(/@thresholds\.test>?$/);
    const token = linkIn(mail.text);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const stored = await t.dataSource.getRepository(SignInToken).find();
    expect(stored.every((s) => s.tokenHash !== token && /^[0-9a-f]{64}$/.test(s.tokenHash))).toBe(true);

    const first = await request(t.http).post('/api/auth/token').send({ token }).expect(201);
    expect(first.body.user).toMatchObject({ email: 'coordinator@partnership.test', roles: ['coordinator'] });
    expect(new Date(first.body.expiresAt).getTime()).toBeGreaterThan(t.clock.now().getTime());
    const again = await request(t.http).post('/api/auth/token').send({ token }).expect(401);
    expect(again.body.code).toBe('INVALID_TOKEN');
  });

  it('once delivered, the sign-in link is erased from the outbox', async () => {
    await outboxSettled(t, smtp);
    const sent = await t.dataSource.getRepository(OutboxMessage).findBy({ kind: 'sign-in-link', status: 'sent' });
    expect(sent.length).toBeGreaterThan(0);
    for (const m of sent) expect(m.text + m.html).not.toMatch(/token=/);
  });

  it('answers 202 for unknown addresses without sending anything', async () => {
    // Mail other tests caused is all delivered first: what arrives now is this test's.
    await outboxSettled(t, smtp);
    const before = smtp.messages.length;
    const res = await request(t.http).post('/api/auth/sign-in').send({ email: 'nobody@elsewhere.test' }).expect(202);
    const known = await request(t.http)
      .post('/api/auth/sign-in')
      .send({ email: 'coordinator@partnership.test' })
      .expect(202);
    expect(res.body).toEqual(known.body);
    await smtp.waitFor((m) => m.length >= before + 1);
    await outboxSettled(t, smtp);
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.to('nobody@elsewhere.test')).toHaveLength(0);
  });

  it('registers a new address from an agency domain as a pending professional of that agency, who sees nothing until approved', async () => {
    const told = smtp.to('coordinator@partnership.test').length;
    const token = await signIn(t, smtp, 'New.Teacher@Riverside.sch.uk');
    const me = await request(t.http).get('/api/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({
      email: 'new.teacher@riverside.sch.uk',
      name: 'New Teacher',
      agency: { id: agencyId, name: 'Riverside Academy' },
      roles: ['professional'],
      status: 'pending',
    });
    for (const path of ['/api/meetings', '/api/bookings?mine=true', '/api/reference-data']) {
      const refused = await request(t.http).get(path).set(bearer(token)).expect(403);
      expect(refused.body.code).toBe('ACCOUNT_PENDING');
    }
    await request(t.http).post('/api/me/calendar-feed').set(bearer(token)).expect(403);
    // The coordinator is told that an account waits, without the person's address.
    await smtp.waitFor(() => smtp.to('coordinator@partnership.test').length > told);
    await smtp.waitFor(() =>
      smtp
        .to('coordinator@partnership.test')
        .slice(told)
        .some((m) => /waiting for approval/.test(String(m.subject))),
    );
    const notice = smtp
      .to('coordinator@partnership.test')
      .slice(told)
      .find((m) => /waiting for approval/.test(String(m.subject)))!;
    expect(String(notice.text)).toContain('/admin/users?status=pending');
    expect(String(notice.text)).not.toContain('new.teacher');

    await request(t.http)
      .patch(`/api/users/${me.body.id}`)
      .set(bearer(coordinator))
      .send({ status: 'active' })
      .expect(200);
    await request(t.http).get('/api/meetings').set(bearer(token)).expect(200);
    await smtp.waitFor(() => smtp.to('new.teacher@riverside.sch.uk').some((m) => /approved/.test(String(m.subject))));
  });

  it('refuses expired, unknown and malformed tokens alike', async () => {
    const failuresBefore = await t.dataSource.getRepository(AuditEvent).countBy({ action: 'auth.sign-in-failed' });
    const token = linkIn((await newLinkMail()).text);
    t.clock.advance(16 * 60_000);
    try {
      const expired = await request(t.http).post('/api/auth/token').send({ token }).expect(401);
      const unknown = await request(t.http)
        .post('/api/auth/token')
        .send({ token: 'A'.repeat(43) })
        .expect(401);
      const malformed = await request(t.http).post('/api/auth/token').send({ token: 'x' }).expect(401);
      expect(expired.body).toEqual(unknown.body);
      expect(malformed.body).toEqual(unknown.body);
    } finally {
      t.clock.advance(-16 * 60_000);
    }
    const failures = await t.dataSource.getRepository(AuditEvent).countBy({ action: 'auth.sign-in-failed' });
    expect(failures).toBeGreaterThanOrEqual(failuresBefore + 3);
  });

  it('lets exactly one of several parallel exchanges of one token through', async () => {
    const token = linkIn((await newLinkMail()).text);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => request(t.http).post('/api/auth/token').send({ token })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(9);
  });

  it('signs out: the session stops working', async () => {
    const token = await signIn(t, smtp, 'coordinator@partnership.test');
    await request(t.http).get('/api/me').set(bearer(token)).expect(200);
    await request(t.http).post('/api/auth/sign-out').set(bearer(token)).expect(204);
    await request(t.http).get('/api/me').set(bearer(token)).expect(401);
  });

  it('ends idle sessions and sessions past their absolute expiry', async () => {
    const token = await signIn(t, smtp, 'coordinator@partnership.test');
    t.clock.advance((t.config.SESSION_IDLE_MINUTES + 1) * 60_000);
    try {
      await request(t.http).get('/api/me').set(bearer(token)).expect(401);
    } finally {
      t.clock.advance(-(t.config.SESSION_IDLE_MINUTES + 1) * 60_000);
    }
    const fresh = await signIn(t, smtp, 'coordinator@partnership.test');
    // Only this session reaches its absolute expiry (the other tests' sessions go on).
    const ended = await t.dataSource
      .getRepository(Session)
      .update({ tokenHash: hashToken(fresh) }, { expiresAt: new Date(t.clock.now().getTime() - 1000) });
    expect(ended.affected).toBe(1);
    await request(t.http).get('/api/me').set(bearer(fresh)).expect(401);
    await request(t.http).get('/api/me').set(bearer(coordinator)).expect(200);
  });

  it('ends a disabled user’s sessions at once, and sends them no more links', async () => {
    const teacher = await signIn(t, smtp, 'second.teacher@riverside.sch.uk');
    const me = await request(t.http).get('/api/me').set(bearer(teacher)).expect(200);
    await request(t.http)
      .patch(`/api/users/${me.body.id}`)
      .set(bearer(coordinator))
      .send({ active: false })
      .expect(200);
    await request(t.http).get('/api/me').set(bearer(teacher)).expect(401);
    const sessions = await t.dataSource.getRepository(Session).findBy({ userId: me.body.id });
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);

    const before = smtp.to('second.teacher@riverside.sch.uk').length;
    await request(t.http).post('/api/auth/sign-in').send({ email: 'second.teacher@riverside.sch.uk' }).expect(202);
    await outboxSettled(t, smtp);
    expect(smtp.to('second.teacher@riverside.sch.uk')).toHaveLength(before);
  });

  it('survives 50 parallel sign-in requests without a server error', async () => {
    const emails = Array.from({ length: 50 }, (_, i) =>
      i % 2 ? `p${i}@riverside.sch.uk` : 'coordinator@partnership.test',
    );
    const results = await Promise.all(emails.map((email) => request(t.http).post('/api/auth/sign-in').send({ email })));
    expect(results.map((r) => r.status).filter((s) => s !== 202)).toEqual([]);
    // Its 75 or so messages are all delivered before the next test, which would otherwise wait behind them.
    await outboxSettled(t, smtp, 50_000);
  });

  it('records sign-ins in the audit log without tokens', async () => {
    const events = await t.dataSource.getRepository(AuditEvent).find();
    expect(events.some((e) => e.action === 'auth.signed-in')).toBe(true);
    const tokens = await t.dataSource.getRepository(SignInToken).find();
    const text = JSON.stringify(events);
    for (const tk of tokens) expect(text).not.toContain(tk.tokenHash);
    expect(text).not.toMatch(/token=/);
  });

  it('keeps one account per address whatever its case', async () => {
    const users = await t.dataSource.getRepository(User).find();
    const emails = users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.every((e) => e === e.toLowerCase())).toBe(true);
  });
});

describe('sign-in rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { SIGN_IN_LIMIT_PER_EMAIL: '3', SIGN_IN_LIMIT_PER_IP: '8' } });
  });
  afterAll(() => t.close());

  it('limits requests per address, then per client address, with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await request(t.http).post('/api/auth/sign-in').send({ email: 'someone@x.test' })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await request(t.http).post('/api/auth/sign-in').send({ email: 'someone@x.test' });
    expect(limited.body).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: expect.any(String) });

    const more: number[] = [];
    for (let i = 0; i < 5; i++) {
      more.push(
        (
          await request(t.http)
            .post('/api/auth/sign-in')
            .send({ email: `other${i}@x.test` })
        ).status,
      );
    }
    // 5 requests so far from this client (4 + 1 above); 3 more are allowed, then 429.
    expect(more).toEqual([202, 202, 202, 429, 429]);
  });
});
