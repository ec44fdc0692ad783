import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { JobMonitor } from '../observability/job-monitor';
import { MeetingsService } from './meetings.service';

/** Keeps every series generated through its horizon: at start-up and every night. */
@Injectable()
export class MeetingScheduleJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('MeetingSchedule');

  constructor(
    private readonly config: AppConfig,
    private readonly meetings: MeetingsService,
    private readonly jobs: JobMonitor,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.run();
  }

  @Cron('0 15 2 * * *', { name: 'meeting-top-up', timeZone: 'Europe/London' })
  async run(): Promise<void> {
    if (!this.config.SCHEDULED_JOBS_ENABLED) return;
    try {
      const added = await this.jobs.run('meeting-top-up', () => this.meetings.topUpAll());
      if (added > 0) this.logger.log(`Generated ${added} meeting(s) to keep series topped up.`);
    } catch (err) {
      this.logger.error(`Meeting top-up failed: ${(err as Error).message}`);
    }
  }
}
