import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import {
  bookingClosesAt,
  horizonEnd,
  londonToday,
  planOccurrences,
  seriesRecurrence,
  wallClockToInstant,
} from '../scheduling/calendar-rules';
import { MeetingSeries } from './meeting-series.entity';
import { Meeting } from './meeting.entity';

/**
 * Turns a series into meetings from today through its horizon. Safe to run any number of times,
 * by any number of app instances: each meeting's (series, occurrence date) is unique, and rows
 * that already exist (including cancelled or rescheduled ones) are left exactly as they are.
 */
@Injectable()
export class MeetingGenerator {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Inserts the meetings the series is missing; returns the ones this call added. */
  async topUp(m: EntityManager, series: MeetingSeries): Promise<Meeting[]> {
    const today = londonToday(this.clock.now());
    const occurrences = planOccurrences({
      firstMeetingDate: series.firstMeetingDate,
      intervalWeeks: series.intervalWeeks,
      recurrence: seriesRecurrence(series),
      until: horizonEnd(today, series.horizonWeeks),
      policy: series.bankHolidayPolicy,
      from: today,
    });
    if (occurrences.length === 0) return [];
    const rows = occurrences.map((o) => {
      const startsAt = wallClockToInstant(o.date, series.startTime);
      return {
        id: randomUUID(),
        seriesId: series.id,
        occurrenceDate: o.occurrenceDate,
        title: series.title,
        startsAt,
        endsAt: new Date(startsAt.getTime() + series.durationMinutes * 60_000),
        slotMinutes: series.slotMinutes,
        bookingClosesAt: bookingClosesAt(
          o.date,
          series.bookingClosesWorkingDaysBefore,
          this.config.BOOKING_CLOSING_TIME,
        ),
        status: 'scheduled' as const,
        location: series.location,
        onlineUrl: series.onlineUrl,
        chairUserId: series.chairUserId,
        movedForBankHoliday: o.moved,
        cancelledAt: null,
        cancelledByUserId: null,
        cancelReason: null,
        sequence: 0,
      };
    });
    const existing = new Set(
      (await m.find(Meeting, { where: { seriesId: series.id }, select: { occurrenceDate: true } })).map(
        (x) => x.occurrenceDate,
      ),
    );
    const missing = rows.filter((r) => !existing.has(r.occurrenceDate));
    // In chunks: SQLite allows a limited number of bound parameters per statement. `orIgnore`
    // leaves alone a meeting that another instance inserted since the read above.
    for (let i = 0; i < missing.length; i += 20) {
      await m
        .createQueryBuilder()
        .insert()
        .into(Meeting)
        .values(missing.slice(i, i + 20))
        .orIgnore()
        .execute();
    }
    if (missing.length === 0) return [];
    return m.find(Meeting, { where: { id: In(missing.map((r) => r.id)) }, order: { startsAt: 'ASC' } });
  }
}
