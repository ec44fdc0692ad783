import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { JobMonitor } from '../observability/job-monitor';
import { RetentionService } from './retention.service';

/**
 * The retention job, every night at 03:30 London time (after the meeting top-up at 02:15, and
 * clear of the hour the clocks change). On demand: `npm run retention:run`; preview:
 * `npm run retention:dry-run`.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly config: AppConfig,
    private readonly retention: RetentionService,
    private readonly jobs: JobMonitor,
  ) {}

  /** The nightly trigger: only where scheduled jobs are enabled (SCHEDULED_JOBS_ENABLED). */
  @Cron('0 30 3 * * *', { name: 'retention', timeZone: 'Europe/London' })
  async scheduled(): Promise<void> {
    if (this.config.SCHEDULED_JOBS_ENABLED) await this.run();
  }

  /** One run, logged if it fails (the next night tries again). */
  async run(): Promise<void> {
    try {
      await this.jobs.run('retention', () => this.retention.run());
    } catch (err) {
      // Logged without detail beyond the message: it never holds case text (queries are not logged).
      this.logger.error(`Retention job failed: ${(err as Error).message}`);
    }
  }
}
