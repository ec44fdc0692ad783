import request from 'supertest';
import { DatabaseThrottlerStorage, hashKey } from '../src/rate-limits/database-throttler-storage';
import { RateLimitCounter } from '../src/rate-limits/rate-limit-counter.entity';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, createTestDatabase, TestApp, TestDatabase } from './support/test-app';

/**
 * Sign-in limits hold in total across app instances (src/rate-limits/): two instances on one
 * database, requests spread over both. Counted in each instance's memory, as before, the two
 * together would allow twice the limit.
 */
describe('sign-in limits shared by every instance', () => {
  let db: TestDatabase;
  let smtp: SmtpTestServer;
  let a: TestApp;
  let b: TestApp;
  const PER_EMAIL = 4;
  const PER_IP = 25;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    db = await createTestDatabase();
    const env = {
      SMTP_URL: smtp.url,
      SIGN_IN_LIMIT_PER_EMAIL: String(PER_EMAIL),
      SIGN_IN_LIMIT_PER_IP: String(PER_IP),
      SIGN_IN_LIMIT_WINDOW_MINUTES: '15',
    };
    a = await createTestApp({ database: db, env });
    b = await createTestApp({ database: db, env });
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
    await smtp.stop();
  });

  const signIn = (app: TestApp, email: string) => request(app.http).post('/api/auth/sign-in').send({ email });
  const WINDOW_MS = 15 * 60_000;
  // Every request comes from the same loopback address: each test starts in new windows (both
  // instances' clocks moved well past the last one: they were started seconds apart, as real
  // instances' clocks differ a little), so none depends on another's counts.
  const nextWindow = () => {
    for (const app of [a, b]) app.clock.advance(2 * WINDOW_MS);
  };
  beforeEach(nextWindow);

  it('allows a mailbox its limit in total, alternating instances, then refuses it on both', async () => {
    const statuses = [];
    for (let i = 0; i < PER_EMAIL * 2; i++) statuses.push((await signIn(i % 2 ? b : a, 'dsl@riverside.sch.uk')).status);
    expect(statuses).toEqual([...Array(PER_EMAIL).fill(202), ...Array(PER_EMAIL).fill(429)]);
    const refused = await signIn(b, 'DSL+again@riverside.sch.uk').expect(429);
    expect(refused.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(JSON.stringify(refused.body)).not.toContain('dsl');
  });

  it('holds with requests at once on both instances: exactly the limit gets through', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(i % 2 ? b : a, 'health.visitor@health.nhs.test')),
    );
    expect(answers.filter((r) => r.status === 202)).toHaveLength(PER_EMAIL);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(10 - PER_EMAIL);
  });

  it('keeps no address in the table, and opens a new window once the old one has ended', async () => {
    for (let i = 0; i < PER_EMAIL; i++) await signIn(i % 2 ? a : b, 'other.chair@csc.gov.test').expect(202);
    await signIn(a, 'other.chair@csc.gov.test').expect(429);
    const rows = await a.dataSource.getRepository(RateLimitCounter).find();
    expect(JSON.stringify(rows)).not.toMatch(/csc|gov\.test|@/);
    expect(rows.find((r) => r.key === hashKey('email:other.chair@csc.gov.test'))).toMatchObject({
      hits: PER_EMAIL + 1,
    });
    // Both instances' clocks past the window: the mailbox may ask again, on either.
    nextWindow();
    await signIn(b, 'other.chair@csc.gov.test').expect(202);
    await signIn(a, 'other.chair@csc.gov.test').expect(202);
  });

  it('counts client addresses across instances too', async () => {
    // A mailbox per request, so only the address limit can refuse.
    const statuses = [];
    for (let i = 0; i < PER_IP + 2; i++)
      statuses.push((await signIn(i % 2 ? a : b, `person${i}@partnership.test`)).status);
    expect(statuses).toEqual([...Array(PER_IP).fill(202), 429, 429]);
  });

  it('sweeps windows that have ended, keeping the live ones', async () => {
    const storage = a.app.get(DatabaseThrottlerStorage);
    const repo = a.dataSource.getRepository(RateLimitCounter);
    await storage.increment('sweep-test:old', 1_000, 5);
    a.clock.advance(5_000);
    await storage.increment('sweep-test:live', 60_000, 5);
    expect(await repo.countBy({ key: hashKey('sweep-test:old') })).toBe(1);
    // One sweep every 200 counts: within the next 200, the ended window goes and the live one stays.
    for (let i = 0; i < 200; i++) await storage.increment('sweep-test:live', 60_000, 1_000);
    expect(await repo.countBy({ key: hashKey('sweep-test:old') })).toBe(0);
    expect(await repo.findOneBy({ key: hashKey('sweep-test:live') })).toMatchObject({ hits: 201 });
  });
});

/**
 * Behind two proxies (TRUST_PROXY_HOPS=2), the client is the address two places from the end of
 * X-Forwarded-For: the limit per address follows the client, whichever proxy passed it on, and
 * an address the client wrote in front of the real one is not believed.
 */
describe('the client address behind a configured number of proxies', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2', SIGN_IN_LIMIT_PER_IP: '2' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const signInVia = (forwardedFor: string, n: number) =>
    request(t.http)
      .post('/api/auth/sign-in')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: `person${n}@partnership.test` });

  it('counts the client two hops back, not the proxies nor what the client claims', async () => {
    // The client 203.0.113.7 through two different load balancers' addresses: one count.
    await signInVia('203.0.113.7, 10.0.0.1', 1).expect(202);
    await signInVia('203.0.113.7, 10.0.0.2', 2).expect(202);
    await signInVia('203.0.113.7, 10.0.0.1', 3).expect(429);
    // A forged address written in front changes nothing: the client is still 203.0.113.7.
    await signInVia('198.51.100.99, 203.0.113.7, 10.0.0.1', 4).expect(429);
    // Another client through the same proxy has a count of its own.
    await signInVia('203.0.113.8, 10.0.0.1', 5).expect(202);
  });
});
