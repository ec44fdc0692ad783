import request from 'supertest';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

/** Liveness and readiness beside /health (whose contract test/service.e2e-spec.ts keeps). */
describe('health: live and ready', () => {
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
  });
  afterAll(() => smtp.stop());

  describe('with everything up', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    });
    afterAll(() => t.close());

    it('is live and ready, the mail server reached', async () => {
      expect((await request(t.http).get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      expect((await request(t.http).get('/health/ready').expect(200)).body).toEqual({
        status: 'ok',
        database: 'up',
        migrations: 'applied',
        mail: 'up',
      });
    });

    it('is not ready while a migration is not applied', async () => {
      const [last] = (await t.dataSource.query(
        'SELECT id, timestamp, name FROM migrations ORDER BY id DESC',
      )) as Array<{
        id: number;
        timestamp: string;
        name: string;
      }>;
      await t.dataSource.query(`DELETE FROM migrations WHERE id = ${Number(last.id)}`);
      try {
        const res = await request(t.http).get('/health/ready').expect(503);
        expect(res.body).toMatchObject({ status: 'unavailable', database: 'up', migrations: 'pending' });
        await request(t.http).get('/health/live').expect(200);
      } finally {
        await t.dataSource.query(
          `INSERT INTO migrations (id, timestamp, name) VALUES (${Number(last.id)}, ${Number(last.timestamp)}, '${last.name.replace(/'/g, '')}')`,
        );
      }
      await request(t.http).get('/health/ready').expect(200);
    });
  });

  it('is ready but degraded when the mail server does not answer', async () => {
    const hanging = await SmtpTestServer.start();
    hanging.behaviour = 'hang';
    const t = await createTestApp({ env: { SMTP_URL: hanging.url, MAIL_SMTP_TIMEOUT_MS: '300' } });
    try {
      const res = await request(t.http).get('/health/ready').expect(200);
      expect(res.body).toEqual({ status: 'degraded', database: 'up', migrations: 'applied', mail: 'degraded' });
    } finally {
      await t.close();
      await hanging.stop();
    }
  });

  it('is not ready while the database is down, and still live', async () => {
    const t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    try {
      await t.dataSource.destroy();
      const res = await request(t.http).get('/health/ready').expect(503);
      expect(res.body).toMatchObject({ status: 'unavailable', database: 'down', migrations: 'unknown' });
      await request(t.http).get('/health/live').expect(200);
      await request(t.http).get('/health').expect(503);
    } finally {
      await t.dataSource.initialize(); // so that close() can shut it down cleanly
      await t.close();
    }
  });
});
