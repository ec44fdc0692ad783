import request from 'supertest';
import { RemindersService } from '../src/calendar/reminders.service';
import { RetentionJob } from '../src/retention/retention.job';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { parsePrometheus } from './support/prometheus';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

const TOKEN = 'metrics-token-for-the-e2e-tests-0123456789';

describe('/metrics', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  const scrape = async () => {
    const res = await request(t.http).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return parsePrometheus(res.text);
  };

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    // Jobs on: this file counts their runs (and the meeting top-up that runs at start).
    t = await createTestApp({ env: { SMTP_URL: smtp.url, METRICS_TOKEN: TOKEN, SCHEDULED_JOBS_ENABLED: 'true' } });
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('is refused without the token (401) or with another (403)', async () => {
    const none = await request(t.http).get('/metrics').expect(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    await request(t.http).get('/metrics').set('Authorization', 'Basic abc').expect(401);
    await request(t.http).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(403);
    // A session is not the metrics token.
    await request(t.http).get('/metrics').set(bearer(p.coordinator)).expect(403);
  });

  it('counts requests by route pattern, sign-ins, deliveries and the outbox as the flow runs', async () => {
    const before = await scrape();
    expect(before.types.thresholds_http_requests_total).toBe('counter');
    expect(before.types.thresholds_http_request_duration_seconds).toBe('histogram');
    const booked = { method: 'POST', route: '/api/meetings/:id/bookings', status: '201' };
    const bookedBefore = before.sum('thresholds_http_requests_total', booked);

    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4 });
    for (let i = 0; i < 3; i++) {
      await request(t.http)
        .post(`/api/meetings/${series.meetings[0].id}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201);
    }
    await request(t.http).post('/api/auth/sign-in').send({ email: 'nobody@nowhere.example' }).expect(202);
    await request(t.http)
      .post('/api/auth/token')
      .send({ token: 'x'.repeat(43) })
      .expect(401);
    await outboxSettled(t, smtp);

    const after = await scrape();
    expect(after.sum('thresholds_http_requests_total', booked)).toBe(bookedBefore + 3);
    expect(after.sum('thresholds_http_request_duration_seconds_count', { route: '/api/meetings/:id/bookings' })).toBe(
      before.sum('thresholds_http_request_duration_seconds_count', { route: '/api/meetings/:id/bookings' }) + 3,
    );
    expect(after.sum('thresholds_sign_in_attempts_total', { step: 'link-request' })).toBe(
      before.sum('thresholds_sign_in_attempts_total', { step: 'link-request' }) + 1,
    );
    expect(after.sum('thresholds_sign_in_refusals_total', { reason: 'unknown-address' })).toBe(
      before.sum('thresholds_sign_in_refusals_total', { reason: 'unknown-address' }) + 1,
    );
    expect(after.sum('thresholds_sign_in_refusals_total', { reason: 'invalid-token' })).toBe(
      before.sum('thresholds_sign_in_refusals_total', { reason: 'invalid-token' }) + 1,
    );
    expect(after.sum('thresholds_mail_deliveries_total')).toBeGreaterThan(
      before.sum('thresholds_mail_deliveries_total'),
    );
    expect(after.sum('thresholds_mail_deliveries_total')).toBe(smtp.messages.length);
    expect(after.value('thresholds_outbox_messages', { state: 'sent' })).toBe(smtp.messages.length);
    expect(after.value('thresholds_outbox_messages', { state: 'queued' })).toBe(0);
    expect(after.value('thresholds_outbox_oldest_queued_age_seconds')).toBe(0);
    if (t.database.kind === 'postgres')
      expect(after.value('thresholds_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    else expect(after.value('thresholds_db_pool_connections', { state: 'total' })).toBeUndefined();
    // Labels hold route patterns only: no id, token or query string.
    for (const s of after.samples) {
      for (const v of Object.values(s.labels)) expect(v).not.toMatch(/\?|[0-9a-f]{8}-[0-9a-f]{4}|[A-Za-z0-9_-]{40}/);
    }
  });

  it('shows queued mail and its age while the mail server refuses', async () => {
    smtp.behaviour = 'refuse';
    try {
      await request(t.http).post('/api/auth/sign-in').send({ email: 'dsl@riverside.sch.uk' }).expect(202);
      const deadline = performance.now() + 10_000;
      while ((await scrape()).sum('thresholds_mail_failures_total', { final: 'false' }) === 0) {
        if (performance.now() > deadline) throw new Error('no failed attempt within 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      t.clock.advance(90_000);
      const m = await scrape();
      expect(
        m.value('thresholds_outbox_messages', { state: 'queued' })! +
          m.value('thresholds_outbox_messages', { state: 'sending' })!,
      ).toBe(1);
      expect(m.value('thresholds_outbox_oldest_queued_age_seconds')).toBeGreaterThanOrEqual(90);
    } finally {
      smtp.behaviour = 'accept';
    }
    await outboxSettled(t, smtp);
    expect((await scrape()).value('thresholds_outbox_oldest_queued_age_seconds')).toBe(0);
  });

  it('counts scheduled job runs, their durations and failures', async () => {
    const before = await scrape();
    await t.app.get(RetentionJob).run();
    await t.app.get(RemindersService).scheduled();
    // The retention job fails (and says so) while its table is away.
    await t.dataSource.query('ALTER TABLE meeting RENAME TO meeting_away');
    try {
      await t.app.get(RetentionJob).run();
    } finally {
      await t.dataSource.query('ALTER TABLE meeting_away RENAME TO meeting');
    }
    const after = await scrape();
    const runs = (job: string, result: string) => after.value('thresholds_job_runs_total', { job, result })!;
    const was = (job: string, result: string) => before.value('thresholds_job_runs_total', { job, result })!;
    expect(runs('retention', 'success')).toBe(was('retention', 'success') + 1);
    expect(runs('retention', 'failure')).toBe(was('retention', 'failure') + 1);
    // The reminders' own cron (every 10 minutes) may also have run meanwhile.
    expect(runs('reminders', 'success')).toBeGreaterThanOrEqual(was('reminders', 'success') + 1);
    expect(after.value('thresholds_job_duration_seconds_count', { job: 'retention' })).toBe(
      (before.value('thresholds_job_duration_seconds_count', { job: 'retention' }) ?? 0) + 2,
    );
    expect(after.value('thresholds_job_last_success_timestamp_seconds', { job: 'retention' })).toBeGreaterThan(0);
    expect(after.value('thresholds_job_last_success_timestamp_seconds', { job: 'meeting-top-up' })).toBeGreaterThan(0);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  it('answers 404, whatever is sent', async () => {
    const t = await createTestApp();
    try {
      const res = await request(t.http).get('/metrics').expect(404);
      expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
      await request(t.http).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    } finally {
      await t.close();
    }
  });
});
