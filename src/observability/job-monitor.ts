import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JobName, Metrics } from './metrics';

/** Runs a scheduled job under watch: its runs, duration, failures and last success go to the metrics. */
@Injectable()
export class JobMonitor {
  private readonly lastSuccess = new Map<JobName, number>();
  private readonly startedAt: number;

  constructor(
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now().getTime();
  }

  async run<T>(job: JobName, work: () => Promise<T>): Promise<T> {
    const end = this.metrics.jobDuration.startTimer({ job });
    try {
      const result = await work();
      this.metrics.jobRuns.inc({ job, result: 'success' });
      const now = this.clock.now().getTime();
      this.lastSuccess.set(job, now);
      this.metrics.jobLastSuccess.set({ job }, now / 1000);
      return result;
    } catch (err) {
      this.metrics.jobRuns.inc({ job, result: 'failure' });
      throw err;
    } finally {
      end();
    }
  }

  /** When the job last succeeded in this process, or when the process started if it has not yet. */
  lastSuccessOrStart(job: JobName): number {
    return this.lastSuccess.get(job) ?? this.startedAt;
  }
}
