import type { NextFunction, Request, Response } from 'express';
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { routePattern } from './logging';

/** The scheduled jobs, each with how often it runs (the alert fires when one has not succeeded in twice that). */
export const JOBS = {
  'meeting-top-up': 24 * 3600_000,
  reminders: 10 * 60_000,
  retention: 24 * 3600_000,
  'web-booking-draft-purge': 3600_000,
  'next-steps': 30 * 60_000,
  'calendar-replies': 60_000,
} as const;
export type JobName = keyof typeof JOBS;

/** Jobs that run only when configured: an unconfigured one is never overdue. */
export const CONFIGURED_JOBS: Partial<Record<JobName, (config: { repliesEnabled: boolean }) => boolean>> = {
  'calendar-replies': (config) => config.repliesEnabled,
};

export type SignInRefusal = 'unknown-address' | 'user-disabled' | 'invalid-token' | 'rate-limited';

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so that tests can run
 * several apps in one process). Labels are route patterns, codes and job names: never an id, a
 * URL or an address.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'thresholds_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'thresholds_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly outboxMessages = new Gauge({
    name: 'thresholds_outbox_messages',
    help: 'Outbox messages by state (read from the database at each scrape)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly outboxOldestQueuedAge = new Gauge({
    name: 'thresholds_outbox_oldest_queued_age_seconds',
    help: 'Age of the oldest message not yet sent (queued or sending); 0 when there is none',
    registers: [this.registry],
  });
  readonly mailDeliveries = new Counter({
    name: 'thresholds_mail_deliveries_total',
    help: 'Mail handed to the transport, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly mailFailures = new Counter({
    name: 'thresholds_mail_failures_total',
    help: 'Failed delivery attempts, by kind and whether the message was given up (final="true")',
    labelNames: ['kind', 'final'] as const,
    registers: [this.registry],
  });

  readonly signInAttempts = new Counter({
    name: 'thresholds_sign_in_attempts_total',
    help: 'Sign-in steps tried: link requests and token exchanges',
    labelNames: ['step'] as const,
    registers: [this.registry],
  });
  readonly signInRefusals = new Counter({
    name: 'thresholds_sign_in_refusals_total',
    help: 'Sign-in steps refused, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'thresholds_job_runs_total',
    help: 'Scheduled job runs, by job and result (success or failure)',
    labelNames: ['job', 'result'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'thresholds_job_duration_seconds',
    help: 'Scheduled job run time, by job',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  readonly jobLastSuccess = new Gauge({
    name: 'thresholds_job_last_success_timestamp_seconds',
    help: 'When each scheduled job last succeeded (Unix time); 0 before its first success in this process',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly dbPool = new Gauge({
    name: 'thresholds_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting); absent on SQLite',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly alerts = new Gauge({
    name: 'thresholds_alert_active',
    help: 'Operator alerts: 1 while the condition holds (job-overdue, mail-failed, outbox-growing)',
    labelNames: ['alert', 'subject'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'thresholds_' });
    for (const job of Object.keys(JOBS)) {
      this.jobLastSuccess.set({ job }, 0);
      for (const result of ['success', 'failure']) this.jobRuns.inc({ job, result }, 0);
    }
  }

  /** Express middleware: counts and times every request by its route pattern, when it has been answered. */
  readonly httpMiddleware = (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routePattern(req);
      const method = req.method;
      this.httpRequests.inc({ method, route, status: String(res.statusCode) });
      this.httpDuration.observe({ method, route }, Number(process.hrtime.bigint() - start) / 1e9);
      if (res.statusCode === 429 && /sign-in|auth/.test(route)) this.signInRefusals.inc({ reason: 'rate-limited' });
    });
    next();
  };
}
