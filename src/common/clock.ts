import { Injectable } from '@nestjs/common';

/** The current instant, injectable so that tests can move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
