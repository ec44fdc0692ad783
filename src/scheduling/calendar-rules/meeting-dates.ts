import { DateTime } from 'luxon';
import { isBankHoliday } from './bank-holidays';
import {
  LONDON_ZONE,
  addDays,
  assertIntegerInRange,
  assertValidDate,
  formatIsoDate,
  isWeekend,
  parseHhmm,
  parseIsoDate,
} from './iso-date';
import { nominalDates, Recurrence } from './recurrence';
import { nextWorkingDayOnOrAfter, subtractWorkingDays } from './working-days';

/** What to do with a nominal occurrence that falls on a bank holiday. */
export type BankHolidayPolicy = 'skip' | 'next-working-day';

export interface PlannedOccurrence {
  /** The nominal date in the fixed rhythm; a stable key for idempotent generation. */
  occurrenceDate: string;
  /** The date the meeting actually takes place. */
  date: string;
  /** True when `date` differs from `occurrenceDate` because of a bank holiday. */
  moved: boolean;
}

export interface PlanOccurrencesOptions {
  firstMeetingDate: string;
  intervalWeeks: number;
  /** A monthly (or weekly) rule instead of every `intervalWeeks` weeks. */
  recurrence?: Recurrence;
  /** Inclusive upper bound on occurrenceDate ('YYYY-MM-DD'). */
  until: string;
  policy: BankHolidayPolicy;
  /** Inclusive lower bound on occurrenceDate ('YYYY-MM-DD'). */
  from?: string;
}

export interface SlotTimes {
  index: number;
  startsAt: Date;
  endsAt: Date;
}

const POLICIES: readonly BankHolidayPolicy[] = ['skip', 'next-working-day'];
const MIN_INTERVAL_WEEKS = 1;
const MAX_INTERVAL_WEEKS = 8;
const MAX_MEETING_MINUTES = 24 * 60;
const MAX_HORIZON_WEEKS = 520;
const MAX_WORKING_DAYS_BEFORE = 366;

/**
 * Nominal dates follow a fixed rhythm counted from firstMeetingDate (every N weeks, or a monthly
 * rule such as the first Tuesday), so a moved meeting never shifts later ones and occurrenceDate
 * is a stable key: planning an overlapping range again yields the same keys.
 *
 * Both `from` and `until` bound occurrenceDate (not the actual date), again so
 * keys are stable; a moved meeting may therefore fall a few days after `until`.
 *
 * Policy 'skip' leaves out bank-holiday occurrences. Policy 'next-working-day'
 * moves them to the next working day, unless that would land on or after the
 * next nominal occurrence (e.g. weekly meetings over a long closure), in which
 * case the occurrence is skipped rather than doubling up.
 *
 * firstMeetingDate must be a weekday (and, for a monthly rule, a date of the rule): every
 * nominal date shares its weekday, and the policies only cater for bank holidays.
 */
export function planOccurrences(opts: PlanOccurrencesOptions): PlannedOccurrence[] {
  const { firstMeetingDate, intervalWeeks, until, policy, from } = opts;
  parseIsoDate(firstMeetingDate, 'firstMeetingDate');
  parseIsoDate(until, 'until');
  if (from !== undefined) parseIsoDate(from, 'from');
  if (!opts.recurrence) assertIntegerInRange(intervalWeeks, MIN_INTERVAL_WEEKS, MAX_INTERVAL_WEEKS, 'intervalWeeks');
  if (!POLICIES.includes(policy)) {
    throw new RangeError(`policy must be one of ${POLICIES.join(', ')}, got ${JSON.stringify(policy)}`);
  }
  if (isWeekend(firstMeetingDate)) {
    throw new RangeError(`firstMeetingDate must be a weekday (Mon–Fri), got ${firstMeetingDate}`);
  }

  const rule = opts.recurrence ?? { freq: 'weekly', interval: intervalWeeks };
  const { dates, next } = nominalDates(firstMeetingDate, rule, until);
  const planned: PlannedOccurrence[] = [];
  // 'YYYY-MM-DD' strings compare correctly as strings.
  dates.forEach((nominal, i) => {
    if (from !== undefined && nominal < from) return;
    const occurrence = resolveOccurrence(nominal, dates[i + 1] ?? next, policy);
    if (occurrence) planned.push(occurrence);
  });
  return planned;
}

/** Applies the bank-holiday policy to one nominal date; null means "no meeting". */
function resolveOccurrence(nominal: string, nextNominal: string, policy: BankHolidayPolicy): PlannedOccurrence | null {
  if (!isBankHoliday(nominal)) {
    return { occurrenceDate: nominal, date: nominal, moved: false };
  }
  if (policy === 'skip') return null;
  const movedTo = nextWorkingDayOnOrAfter(nominal);
  if (movedTo >= nextNominal) return null;
  return { occurrenceDate: nominal, date: movedTo, moved: true };
}

/**
 * The instant at which the wall clock in `zone` shows `hhmm` on `isoDate`.
 *
 * DST is handled by the zone rules, so 10:00 London is 10:00Z in winter and
 * 09:00Z in summer. Edge cases follow luxon's defaults (documented, not
 * rejected, since meetings are never scheduled at 01:00–02:00):
 * - spring-forward gap (e.g. 01:30 on 2027-03-28 does not exist): luxon moves
 *   it forward by the gap, giving 02:30 BST (01:30Z);
 * - fall-back overlap (01:30 on 2027-10-31 happens twice): luxon picks the
 *   later, GMT, reading (01:30Z).
 */
export function wallClockToInstant(isoDate: string, hhmm: string, zone: string = LONDON_ZONE): Date {
  const day = parseIsoDate(isoDate, 'isoDate');
  const { hour, minute } = parseHhmm(hhmm, 'time');
  const dt = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
  if (!dt.isValid) {
    throw new RangeError(`cannot resolve ${isoDate} ${hhmm} in zone ${JSON.stringify(zone)}: ${dt.invalidReason}`);
  }
  return dt.toJSDate();
}

/** The Europe/London wall-clock date ('YYYY-MM-DD') and time ('HH:mm') of an instant. */
export function instantToLondon(d: Date): { date: string; time: string } {
  assertValidDate(d, 'instant');
  const london = DateTime.fromJSDate(d, { zone: LONDON_ZONE });
  return { date: formatIsoDate(london), time: london.toFormat('HH:mm') };
}

/**
 * Splits a meeting into floor(duration / slot) contiguous slots from the start.
 * Slots are measured in elapsed minutes (absolute time), so each slot really
 * lasts `slotMinutes` even if a clock change fell inside the meeting.
 */
export function deriveSlots(startsAt: Date, durationMinutes: number, slotMinutes: number): SlotTimes[] {
  assertValidDate(startsAt, 'startsAt');
  assertIntegerInRange(durationMinutes, 1, MAX_MEETING_MINUTES, 'durationMinutes');
  assertIntegerInRange(slotMinutes, 1, durationMinutes, 'slotMinutes (must not exceed durationMinutes)');
  const slotMs = slotMinutes * 60_000;
  const count = Math.floor(durationMinutes / slotMinutes);
  return Array.from({ length: count }, (_, index) => {
    const start = startsAt.getTime() + index * slotMs;
    return { index, startsAt: new Date(start), endsAt: new Date(start + slotMs) };
  });
}

/**
 * When booking closes: `closingTime` (Europe/London) on the date that is
 * `workingDaysBefore` working days before the meeting date (0 = the meeting
 * day itself). Bank holidays and weekends in between are not counted.
 */
export function bookingClosesAt(meetingDate: string, workingDaysBefore: number, closingTime: string): Date {
  parseIsoDate(meetingDate, 'meetingDate');
  assertIntegerInRange(workingDaysBefore, 0, MAX_WORKING_DAYS_BEFORE, 'workingDaysBefore');
  parseHhmm(closingTime, 'closingTime');
  return wallClockToInstant(subtractWorkingDays(meetingDate, workingDaysBefore), closingTime);
}

/** The last date ('YYYY-MM-DD', inclusive) of a planning horizon of whole weeks from today. */
export function horizonEnd(today: string, horizonWeeks: number): string {
  parseIsoDate(today, 'today');
  assertIntegerInRange(horizonWeeks, 1, MAX_HORIZON_WEEKS, 'horizonWeeks');
  return addDays(today, horizonWeeks * 7);
}

/** Today's date in Europe/London at instant `now` (not the host's local date). */
export function londonToday(now: Date): string {
  assertValidDate(now, 'now');
  return formatIsoDate(DateTime.fromJSDate(now, { zone: LONDON_ZONE }));
}
