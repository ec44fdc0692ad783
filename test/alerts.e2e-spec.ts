import request from 'supertest';
import { RemindersService } from '../src/calendar/reminders.service';
import { OperatorAlerts } from '../src/observability/operator-alerts';
import { outboxSettled } from './support/outbox';
import { webSignIn } from './support/web';
import { parsePrometheus } from './support/prometheus';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

const TOKEN = 'alerts-test-metrics-token-0123456789abcdef';

/** A captured JSON log: the error lines that name an alert. */
function captureLog() {
  const lines: Array<{ level: number; msg: string }> = [];
  return {
    stream: {
      write: (chunk: string) => {
        for (const l of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(l) as { level: number; msg: string });
      },
    },
    alerts: (name: string) => lines.filter((l) => l.level === 50 && l.msg.startsWith(`ALERT ${name}`)),
    over: (name: string) => lines.filter((l) => l.level === 30 && l.msg.startsWith(`Alert over: ${name}`)),
  };
}

describe('operator alerts', () => {
  let smtp: SmtpTestServer;
  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
  });
  afterAll(() => smtp.stop());

  describe('overdue jobs and an outbox that does not drain', () => {
    let t: TestApp;
    const log = captureLog();
    const alertGauge = async (alert: string, subject: string) => {
      const res = await request(t.http).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      return parsePrometheus(res.text).value('thresholds_alert_active', { alert, subject });
    };

    beforeAll(async () => {
      t = await createTestApp({
        env: {
          SMTP_URL: smtp.url,
          METRICS_TOKEN: TOKEN,
          SCHEDULED_JOBS_ENABLED: 'true', // the job-overdue alert watches scheduled jobs
          OUTBOX_ALERT_DEPTH: '2',
          LOG_LEVEL: 'log',
          LOG_FORMAT: 'json',
        },
        logStream: log.stream,
      });
    });
    afterAll(async () => {
      smtp.behaviour = 'accept';
      await t.close();
    });

    it('logs a job that has not succeeded in twice its interval once, shows it in metrics, and clears it on success', async () => {
      const alerts = t.app.get(OperatorAlerts);
      expect(await alerts.check()).toEqual([]);
      t.clock.advance(25 * 60_000); // reminders run every 10 minutes
      expect((await alerts.check()).map((a) => `${a.alert}:${a.subject}`)).toEqual(['job-overdue:reminders']);
      await alerts.check();
      await alerts.check();
      expect(log.alerts('job-overdue')).toHaveLength(1);
      expect(log.alerts('job-overdue')[0].msg).toMatch(/reminders has not succeeded for 25 min/);
      expect(await alertGauge('job-overdue', 'reminders')).toBe(1);

      await t.app.get(RemindersService).scheduled();
      expect(await alerts.check()).toEqual([]);
      expect(log.over('job-overdue')).toHaveLength(1);
      expect(await alertGauge('job-overdue', 'reminders')).toBe(0);
    });

    it('logs an outbox deeper than OUTBOX_ALERT_DEPTH once, and clears it when it drains', async () => {
      const alerts = t.app.get(OperatorAlerts);
      smtp.behaviour = 'hang';
      for (let i = 0; i < 4; i++) {
        await request(t.http).post('/api/auth/sign-in').send({ email: 'coordinator@partnership.test' }).expect(202);
      }
      expect((await alerts.check()).map((a) => a.alert)).toContain('outbox-growing');
      await alerts.check();
      expect(log.alerts('outbox-growing')).toHaveLength(1);
      expect(log.alerts('outbox-growing')[0].msg).toMatch(/4 message\(s\) waiting/);
      expect(await alertGauge('outbox-growing', 'outbox')).toBe(1);

      smtp.behaviour = 'accept';
      await outboxSettled(t, smtp);
      expect((await alerts.check()).map((a) => a.alert)).not.toContain('outbox-growing');
      expect(log.over('outbox-growing')).toHaveLength(1);
      expect(await alertGauge('outbox-growing', 'outbox')).toBe(0);
    });
  });

  it('logs mail given up once, and again only when more is given up', async () => {
    const log = captureLog();
    const t = await createTestApp({
      env: { SMTP_URL: smtp.url, MAIL_MAX_ATTEMPTS: '1', LOG_LEVEL: 'log', LOG_FORMAT: 'json' },
      logStream: log.stream,
    });
    try {
      const alerts = t.app.get(OperatorAlerts);
      const giveUpOne = async () => {
        await request(t.http).post('/api/auth/sign-in').send({ email: 'coordinator@partnership.test' }).expect(202);
        await outboxSettled(t, smtp);
      };
      smtp.behaviour = 'refuse';
      await giveUpOne();
      await alerts.check();
      await alerts.check();
      expect(log.alerts('mail-failed')).toHaveLength(1);
      expect(log.alerts('mail-failed')[0].msg).toMatch(/^ALERT mail-failed: 1 mail message/);
      await giveUpOne();
      await alerts.check();
      await alerts.check();
      expect(log.alerts('mail-failed')).toHaveLength(2);
      expect(log.alerts('mail-failed')[1].msg).toMatch(/^ALERT mail-failed: 2 mail message/);

      // The coordinator's outbox page shows the same, without logging it again.
      smtp.behaviour = 'accept';
      const coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
      const page = await coordinator.get('/admin/outbox').expect(200);
      expect(page.text).toContain('Needs attention');
      expect(page.text).toContain('2 mail message(s) could not be delivered in the last 24 hours');
      expect(log.alerts('mail-failed')).toHaveLength(2);

      // A day on, failures that nobody could retry (sign-in links) no longer hold the alert on.
      t.clock.advance(25 * 3600_000);
      expect((await alerts.check()).map((x) => x.alert)).not.toContain('mail-failed');
      expect(log.over('mail-failed')).toHaveLength(1);
    } finally {
      smtp.behaviour = 'accept';
      await t.close();
    }
  });
});
