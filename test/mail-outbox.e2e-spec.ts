import request from 'supertest';
import { In } from 'typeorm';
import { TransactionRunner } from '../src/database/transaction-runner';
import { MailOutbox } from '../src/mail/mail-outbox.service';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { OutboxWorker } from '../src/mail/outbox-worker';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';

// Retries, timeouts and a restart take a few seconds each (the e2e project's testTimeout is not applied per project).
jest.setTimeout(30_000);

const COORDINATOR = 'coordinator@partnership.test';

/** Small settings so that retries and timeouts happen within a test. The lease keeps its default. */
function mailEnv(smtp: SmtpTestServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SMTP_URL: smtp.url,
    MAIL_RETRY_BASE_MS: '100',
    MAIL_RETRY_MAX_MS: '1000',
    MAIL_SMTP_TIMEOUT_MS: '1000',
    MAIL_POLL_MS: '100',
    ...extra,
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Gives the app's outbox worker a full pass of its own (everything due is claimed and attempted),
 * then waits for the outbox to settle: after this, "nothing more was sent" can be asserted
 * without sleeping and hoping.
 */
async function settled(t: TestApp, smtp: SmtpTestServer): Promise<void> {
  await t.app.get(OutboxWorker).drain();
  await outboxSettled(t, smtp);
}

function received(smtp: SmtpTestServer, messageId: string) {
  return smtp.messages.filter((m) => m.messageId === messageId);
}

/** Asks for a sign-in link for `email` and returns the outbox row it queued. */
async function requestLink(t: TestApp, email: string): Promise<OutboxMessage> {
  const repo = t.dataSource.getRepository(OutboxMessage);
  const before = new Set((await repo.findBy({ recipient: email })).map((o) => o.id));
  await request(t.http).post('/api/auth/sign-in').send({ email }).expect(202);
  const rows = (await repo.findBy({ recipient: email })).filter((o) => !before.has(o.id));
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function row(t: TestApp, id: string): Promise<OutboxMessage> {
  return t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id });
}

/** Waits for the message at the SMTP server, lets the worker run again, and checks it came exactly once. */
async function expectDeliveredOnce(t: TestApp, smtp: SmtpTestServer, messageId: string): Promise<void> {
  await smtp.waitFor(() => received(smtp, messageId).length > 0, 15_000);
  // The server has it; the worker marks the row sent just after (on a loaded machine, later).
  await until(
    'the message marked sent',
    async () => (await t.dataSource.getRepository(OutboxMessage).findOneBy({ messageId }))?.status === 'sent',
  );
  // Another full pass: a message left claimable (a duplicate in the making) would be sent again here.
  await settled(t, smtp);
  expect(received(smtp, messageId)).toHaveLength(1);
}

describe('the mail outbox', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let coordinator: string;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: mailEnv(smtp) });
    coordinator = await signIn(t, smtp, COORDINATOR);
    await request(t.http)
      .post('/api/agencies')
      .set(bearer(coordinator))
      .send({ name: 'Outbox Primary School', sector: 'education', emailDomains: ['outbox.sch.uk'] })
      .expect(201);
  });
  afterEach(() => {
    smtp.behaviour = 'accept';
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('keeps retrying while the server refuses (451), then delivers exactly once', async () => {
    smtp.behaviour = 'refuse';
    const queued = await requestLink(t, 'refused.teacher@outbox.sch.uk');
    await until('three refused attempts', async () => (await row(t, queued.id)).attempts >= 3);
    const meanwhile = await row(t, queued.id);
    expect(meanwhile.status).not.toBe('sent');
    expect(meanwhile.lastError).toMatch(/451/);
    expect(received(smtp, queued.messageId)).toHaveLength(0);

    smtp.behaviour = 'accept';
    await expectDeliveredOnce(t, smtp, queued.messageId);
    const sent = await row(t, queued.id);
    expect(sent).toMatchObject({ status: 'sent', lastError: null, leaseUntil: null, messageId: queued.messageId });
    expect(sent.attempts).toBeGreaterThan(1);
    expect(sent.sentAt).not.toBeNull();
    // The sign-in link left with the message and is no longer stored.
    expect(sent.text + sent.html).not.toMatch(/token=/);
    expect(received(smtp, queued.messageId)[0].text).toMatch(/token=/);
  });

  it('times out on a server that never greets, then delivers exactly once when it recovers', async () => {
    smtp.behaviour = 'hang';
    const queued = await requestLink(t, 'hung.teacher@outbox.sch.uk');
    await until('two timed-out attempts', async () => {
      const r = await row(t, queued.id);
      return r.attempts >= 2 && r.status === 'queued' && r.lastError !== null;
    });
    expect(received(smtp, queued.messageId)).toHaveLength(0);

    smtp.behaviour = 'accept';
    await expectDeliveredOnce(t, smtp, queued.messageId);
    const sent = await row(t, queued.id);
    expect(sent.status).toBe('sent');
    expect(sent.attempts).toBeGreaterThanOrEqual(3);
  });

  it('resends, with the same Message-ID, a message whose worker died mid-send', async () => {
    const repo = t.dataSource.getRepository(OutboxMessage);
    smtp.behaviour = 'refuse';
    const queued = await requestLink(t, 'crashed.teacher@outbox.sch.uk');
    // Make it look as if a worker had claimed it and died: `sending`, its lease run out, and no
    // retry due (so only lease recovery can pick it up). Only while it is not in a worker's hands.
    await until('the row between attempts', async () => {
      const changed = await repo.update(
        { id: queued.id, status: 'queued' },
        {
          status: 'sending',
          leaseUntil: new Date(t.clock.now().getTime() - 1000),
          nextAttemptAt: new Date(t.clock.now().getTime() + 3600_000),
        },
      );
      return changed.affected === 1;
    });
    const attemptsBefore = (await row(t, queued.id)).attempts;
    smtp.behaviour = 'accept';
    await expectDeliveredOnce(t, smtp, queued.messageId);
    const sent = await row(t, queued.id);
    expect(sent).toMatchObject({ status: 'sent', messageId: queued.messageId, leaseUntil: null });
    expect(sent.attempts).toBe(attemptsBefore + 1);
  });

  it('leaves a message under a live lease alone', async () => {
    const repo = t.dataSource.getRepository(OutboxMessage);
    smtp.behaviour = 'refuse';
    const queued = await requestLink(t, 'leased.teacher@outbox.sch.uk');
    await until('the row between attempts', async () => {
      const changed = await repo.update(
        { id: queued.id, status: 'queued' },
        {
          status: 'sending',
          leaseUntil: new Date(t.clock.now().getTime() + 1500),
          nextAttemptAt: new Date(t.clock.now().getTime() + 3600_000),
        },
      );
      return changed.affected === 1;
    });
    smtp.behaviour = 'accept';
    await settled(t, smtp);
    expect(received(smtp, queued.messageId)).toHaveLength(0);
    expect((await row(t, queued.id)).status).toBe('sending');
    // Once the lease has run out, it is taken over.
    await expectDeliveredOnce(t, smtp, queued.messageId);
  });

  it('delivers a message queued before a restart exactly once, by the new instance, with the same Message-ID', async () => {
    const first = await createTestApp({ env: mailEnv(smtp) });
    let second: TestApp | null = null;
    try {
      smtp.behaviour = 'hang';
      const queued = await requestLink(first, COORDINATOR);
      await until('an attempt in progress', async () => (await row(first, queued.id)).attempts >= 1);
      // Shut down while the SMTP server hangs: the message has not left.
      await first.close({ keepDatabase: true });
      expect(received(smtp, queued.messageId)).toHaveLength(0);

      second = await createTestApp({ database: first.database, env: mailEnv(smtp) });
      const afterRestart = await row(second, queued.id);
      expect(afterRestart.status).not.toBe('sent');
      smtp.behaviour = 'accept';
      await expectDeliveredOnce(second, smtp, queued.messageId);
      const sent = await row(second, queued.id);
      expect(sent).toMatchObject({ status: 'sent', messageId: queued.messageId });
      expect(received(smtp, queued.messageId)[0].messageId).toBe(sent.messageId);
    } finally {
      smtp.behaviour = 'accept';
      if (second) await second.close();
      else await first.database.drop();
    }
  });

  it('gives every delivered message a text and an HTML part and its own Message-ID', async () => {
    smtp.behaviour = 'accept';
    const queued = await requestLink(t, COORDINATOR);
    await smtp.waitFor(() => received(smtp, queued.messageId).length > 0, 15_000);
    const [m] = received(smtp, queued.messageId);
    expect(typeof m.text).toBe('string');
    expect(String(m.text).length).toBeGreaterThan(20);
    expect(typeof m.html).toBe('string');
    expect(String(m.html)).toMatch(/<html[\s>]/);
    expect(m.messageId).toMatch(/^<[0-9a-f-]{36}@thresholds\.test>$/);
  });
});

describe('the mail outbox after final failure', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let coordinator: string;
  let professional: string;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: mailEnv(smtp, { MAIL_MAX_ATTEMPTS: '2' }) });
    coordinator = await signIn(t, smtp, COORDINATOR);
    await request(t.http)
      .post('/api/agencies')
      .set(bearer(coordinator))
      .send({ name: 'Failure Academy', sector: 'education', emailDomains: ['failure.sch.uk'] })
      .expect(201);
    professional = await signIn(t, smtp, 'teacher@failure.sch.uk');
  });
  afterEach(() => {
    smtp.behaviour = 'accept';
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  let failedLink: OutboxMessage;
  let failedNotice: OutboxMessage;
  // One story: the messages that fail in its first step are the ones listed, refused and retried after.
  const step = story('a message fails for good, is listed, and is retried by a coordinator, step by step');

  step('marks a message failed after MAIL_MAX_ATTEMPTS refusals, and blanks a sign-in link', async () => {
    smtp.behaviour = 'refuse';
    const link = await requestLink(t, COORDINATOR);
    // A message without a secret, queued as a module would queue one.
    const notice = await t.app.get(TransactionRunner).write((m) =>
      t.app.get(MailOutbox).enqueue(m, {
        kind: 'test-notice',
        to: 'someone@failure.sch.uk',
        subject: 'A notice',
        content: {
          greeting: 'Hello,',
          paragraphs: ['Something happened.'],
          action: { label: 'Open', url: 'http://thresholds.test/x' },
        },
      }),
    );
    failedLink = await until('the link to fail', async () => {
      const r = await row(t, link.id);
      return r.status === 'failed' && r;
    });
    failedNotice = await until('the notice to fail', async () => {
      const r = await row(t, notice!.id);
      return r.status === 'failed' && r;
    });
    for (const r of [failedLink, failedNotice]) {
      expect(r.attempts).toBe(2);
      expect(r.leaseUntil).toBeNull();
      expect(r.sentAt).toBeNull();
      expect(r.lastError).toMatch(/451/);
    }
    expect(failedLink.text + failedLink.html).not.toMatch(/token=|sign-in\/verify/);
    expect(failedNotice.text).toContain('Something happened.');
    // It stays failed: no more attempts.
    await settled(t, smtp);
    expect((await row(t, failedNotice.id)).attempts).toBe(2);
    expect(received(smtp, failedLink.messageId)).toHaveLength(0);
    expect(received(smtp, failedNotice.messageId)).toHaveLength(0);
    smtp.behaviour = 'accept'; // the server recovers for the steps after this one
  });

  step('lists failed messages for a coordinator, without their bodies', async () => {
    const res = await request(t.http).get('/api/outbox?status=failed').set(bearer(coordinator)).expect(200);
    const ids = res.body.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([failedLink.id, failedNotice.id]));
    for (const o of res.body) {
      expect(o.status).toBe('failed');
      expect(Object.keys(o).sort()).toEqual(
        [
          'attempts',
          'createdAt',
          'id',
          'kind',
          'lastError',
          'nextAttemptAt',
          'recipient',
          'sentAt',
          'status',
          'subject',
        ].sort(),
      );
    }
    expect(JSON.stringify(res.body)).not.toContain('Something happened.');
    const all = await request(t.http).get('/api/outbox').set(bearer(coordinator)).expect(200);
    expect(all.body.some((o: { status: string }) => o.status === 'sent')).toBe(true);
    for (const o of all.body) expect(o).not.toHaveProperty('text');
    for (const o of all.body) expect(o).not.toHaveProperty('html');
    await request(t.http).get('/api/outbox?status=lost').set(bearer(coordinator)).expect(400);
  });

  step('is for coordinators only', async () => {
    await request(t.http).get('/api/outbox').set(bearer(professional)).expect(403);
    await request(t.http).post(`/api/outbox/${failedNotice.id}/retry`).set(bearer(professional)).expect(403);
    await request(t.http).get('/api/outbox').expect(401);
    expect((await row(t, failedNotice.id)).status).toBe('failed');
  });

  step('will not resend a failed sign-in link: 409 SECRET_ERASED', async () => {
    const res = await request(t.http).post(`/api/outbox/${failedLink.id}/retry`).set(bearer(coordinator)).expect(409);
    expect(res.body.code).toBe('SECRET_ERASED');
    expect(await row(t, failedLink.id)).toEqual(failedLink);
  });

  step('sends a failed message again on a coordinator’s retry, once, with the same Message-ID', async () => {
    const res = await request(t.http).post(`/api/outbox/${failedNotice.id}/retry`).set(bearer(coordinator)).expect(200);
    expect(res.body).toMatchObject({ id: failedNotice.id, attempts: 0, lastError: null });
    expect(['queued', 'sending', 'sent']).toContain(res.body.status);
    expect(res.body).not.toHaveProperty('text');
    await expectDeliveredOnce(t, smtp, failedNotice.messageId);
    const sent = await row(t, failedNotice.id);
    expect(sent).toMatchObject({ status: 'sent', messageId: failedNotice.messageId });
    expect(received(smtp, failedNotice.messageId)[0].text).toContain('Something happened.');
    const retried = await request(t.http)
      .get(`/api/audit?action=outbox.retried&entityId=${failedNotice.id}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(retried.body).toHaveLength(1);
  });

  step('refuses to retry a message that has not failed: 409 NOT_FAILED', async () => {
    const res = await request(t.http).post(`/api/outbox/${failedNotice.id}/retry`).set(bearer(coordinator)).expect(409);
    expect(res.body.code).toBe('NOT_FAILED');
    await settled(t, smtp);
    expect(received(smtp, failedNotice.messageId)).toHaveLength(1);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    await request(t.http)
      .post('/api/outbox/00000000-0000-4000-8000-000000000000/retry')
      .set(bearer(coordinator))
      .expect(404);
    await request(t.http).post('/api/outbox/not-an-id/retry').set(bearer(coordinator)).expect(404);
  });
});

// Several instances of the service share one PostgreSQL database; SQLite has a single writer.
if (process.env.TEST_DATABASE_URL) {
  describe('two instances on one PostgreSQL database', () => {
    let smtp: SmtpTestServer;
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      smtp = await SmtpTestServer.start();
      first = await createTestApp({ env: mailEnv(smtp) });
      second = await createTestApp({ database: first.database, env: mailEnv(smtp) });
    });
    afterAll(async () => {
      await second.close({ keepDatabase: true });
      await first.close();
      await smtp.stop();
    });

    it('delivers each of 30 queued messages exactly once', async () => {
      const coordinator = await signIn(first, smtp, COORDINATOR);
      const agency = await request(first.http)
        .post('/api/agencies')
        .set(bearer(coordinator))
        .send({ name: 'Twin School', sector: 'education', emailDomains: ['twin.sch.uk'] })
        .expect(201);
      const emails = Array.from({ length: 30 }, (_, i) => `pupil.lead.${i}@twin.sch.uk`);
      await Promise.all(
        emails.map((email, i) =>
          request(first.http)
            .post('/api/users')
            .set(bearer(coordinator))
            .send({ email, name: `Lead ${i}`, agencyId: agency.body.id, roles: ['professional'] })
            .expect(201),
        ),
      );
      const before = smtp.messages.length;
      // Half the requests reach each instance, all at once.
      await Promise.all(
        emails.map((email, i) =>
          request((i % 2 ? first : second).http)
            .post('/api/auth/sign-in')
            .send({ email })
            .expect(202),
        ),
      );
      const rows = await first.dataSource.getRepository(OutboxMessage).findBy({ recipient: In(emails) });
      expect(rows).toHaveLength(30);
      await smtp.waitFor((m) => m.length >= before + 30, 20_000);
      await settled(first, smtp);
      await settled(second, smtp);
      for (const r of rows)
        expect({ to: r.recipient, count: received(smtp, r.messageId).length }).toEqual({ to: r.recipient, count: 1 });
      expect(smtp.messages.length).toBe(before + 30);
      const stored = await first.dataSource.getRepository(OutboxMessage).findBy({ recipient: In(emails) });
      expect(stored.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    });
  });
}
