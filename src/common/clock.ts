import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';

/** How far `Clock.at` has moved the clock for the work running inside it (ms). */
const SHIFT = new AsyncLocalStorage<number>();

/** The current instant, injectable so that tests can move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date(this.instant() + (SHIFT.getStore() ?? 0));
  }

  /**
   * Runs `work` as if it were `at` (and time runs on from there), for that work only: requests,
   * jobs and the outbox running meanwhile still read the real time. The demo seed uses it to hold
   * a meeting in the past through the same services the API uses.
   */
  at<T>(at: Date, work: () => Promise<T>): Promise<T> {
    return SHIFT.run(at.getTime() - this.instant(), work);
  }

  /** The unshifted instant, in ms (a test clock overrides this). */
  protected instant(): number {
    return Date.now();
  }
}
