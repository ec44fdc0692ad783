import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { JobMonitor } from './job-monitor';
import { CONFIGURED_JOBS, JOBS, JobName, Metrics } from './metrics';
import { readOutboxStats } from './outbox-stats';

/** How often the conditions are looked at. */
export const ALERT_CHECK_MS = 60_000;

export type AlertName = 'job-overdue' | 'mail-failed' | 'outbox-growing';

export interface ActiveAlert {
  alert: AlertName;
  subject: string;
  message: string;
}

/**
 * What an operator must hear about, each logged at error level once when it begins (and at log
 * level when it ends), not at every check, and shown while it lasts as
 * `thresholds_alert_active{alert,subject} 1`:
 * - job-overdue: a scheduled job has not succeeded in twice its interval (in this instance);
 * - mail-failed: messages were given up in the last 24 hours (a coordinator can retry them on the
 *   outbox page, and the alert ends when none is left failed, or a day after); logged again only
 *   when the number grows;
 * - outbox-growing: more than OUTBOX_ALERT_DEPTH messages wait, or the oldest has waited more
 *   than OUTBOX_ALERT_AGE_MINUTES.
 */
@Injectable()
export class OperatorAlerts implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private readonly active = new Map<string, ActiveAlert>();
  private failedSeen = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly jobs: JobMonitor,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.check().catch((err) => this.logger.warn(`Alert check failed: ${(err as Error).message}`));
    }, ALERT_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The alerts now in force. */
  current(): ActiveAlert[] {
    return [...this.active.values()];
  }

  /** Looks at every condition once; logs the changes. Returns the alerts in force. */
  async check(): Promise<ActiveAlert[]> {
    const now = this.clock.now();
    const found: ActiveAlert[] = [];
    if (this.config.SCHEDULED_JOBS_ENABLED) {
      for (const [job, interval] of Object.entries(JOBS) as Array<[JobName, number]>) {
        if (CONFIGURED_JOBS[job]?.(this.config) === false) continue;
        const since = now.getTime() - this.jobs.lastSuccessOrStart(job);
        if (since > 2 * interval) {
          found.push({
            alert: 'job-overdue',
            subject: job,
            message: `Scheduled job ${job} has not succeeded for ${minutes(since)} (it runs every ${minutes(interval)}).`,
          });
        }
      }
    }
    const outbox = await readOutboxStats(this.tx, now);
    const waiting = outbox.byState.queued + outbox.byState.sending;
    const tooOld = outbox.oldestUnsentAgeSeconds > this.config.OUTBOX_ALERT_AGE_MINUTES * 60;
    if (waiting > this.config.OUTBOX_ALERT_DEPTH || tooOld) {
      found.push({
        alert: 'outbox-growing',
        subject: 'outbox',
        message: `The outbox is not draining: ${waiting} message(s) waiting, the oldest for ${minutes(outbox.oldestUnsentAgeSeconds * 1000)}.`,
      });
    }
    const failed = outbox.failedRecently;
    if (failed > 0) {
      found.push({
        alert: 'mail-failed',
        subject: 'outbox',
        message: `${failed} mail message(s) could not be delivered in the last 24 hours and were given up; retry them from the outbox page.`,
      });
    }
    this.apply(found, failed);
    return this.current();
  }

  private apply(found: ActiveAlert[], failed: number): void {
    const key = (a: ActiveAlert) => `${a.alert}:${a.subject}`;
    const now = new Map(found.map((a) => [key(a), a]));
    for (const [k, alert] of now) {
      const isNew = !this.active.has(k);
      const moreFailed = alert.alert === 'mail-failed' && failed > this.failedSeen;
      if (isNew || moreFailed) this.logger.error(`ALERT ${alert.alert}: ${alert.message}`);
      this.metrics.alerts.set({ alert: alert.alert, subject: alert.subject }, 1);
      this.active.set(k, alert);
    }
    for (const [k, alert] of this.active) {
      if (now.has(k)) continue;
      this.logger.log(`Alert over: ${alert.alert} (${alert.subject}).`);
      this.metrics.alerts.set({ alert: alert.alert, subject: alert.subject }, 0);
      this.active.delete(k);
    }
    this.failedSeen = failed;
  }
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 120 ? `${Math.round(m / 60)} h` : `${m} min`;
}
