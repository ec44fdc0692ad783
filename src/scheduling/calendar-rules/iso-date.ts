import { DateTime } from 'luxon';

/**
 * Internal helpers shared by the calendar rules.
 *
 * Every calendar date in this module is a plain 'YYYY-MM-DD' string and every
 * conversion goes through luxon with an explicit zone, so results never depend
 * on the host's TZ. We deliberately avoid `new Date(y, m, d)` and other
 * host-local Date APIs.
 */

/** The partnership's zone: all wall-clock times are Europe/London. */
export const LONDON_ZONE = 'Europe/London';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Parses a strict 'YYYY-MM-DD' string to midnight in Europe/London.
 * The regex is needed because luxon's fromISO also accepts week dates,
 * ordinals and timestamps, which are not valid inputs here.
 * (London midnight always exists: UK clocks change at 01:00/02:00.)
 */
export function parseIsoDate(isoDate: string, label = 'date'): DateTime {
  const match = typeof isoDate === 'string' ? ISO_DATE.exec(isoDate) : null;
  if (!match) {
    throw new RangeError(`${label} must be a 'YYYY-MM-DD' string, got ${JSON.stringify(isoDate)}`);
  }
  const dt = DateTime.fromObject(
    { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
    { zone: LONDON_ZONE },
  );
  if (!dt.isValid) {
    throw new RangeError(`${label} is not a real calendar date: ${isoDate}`);
  }
  return dt;
}

/** Formats a DateTime's calendar date (in its own zone) as 'YYYY-MM-DD'. */
export function formatIsoDate(dt: DateTime): string {
  return dt.toFormat('yyyy-MM-dd');
}

/** Adds (or with a negative value subtracts) whole calendar days. */
export function addDays(isoDate: string, days: number): string {
  return formatIsoDate(parseIsoDate(isoDate).plus({ days }));
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(isoDate: string): number {
  return parseIsoDate(isoDate).weekday;
}

export function isWeekend(isoDate: string): boolean {
  return isoWeekday(isoDate) >= 6;
}

/** Parses 'HH:mm' (00:00–23:59) into hour and minute. */
export function parseHhmm(hhmm: string, label = 'time'): { hour: number; minute: number } {
  const match = typeof hhmm === 'string' ? HH_MM.exec(hhmm) : null;
  if (!match) {
    throw new RangeError(`${label} must be 'HH:mm' between 00:00 and 23:59, got ${JSON.stringify(hhmm)}`);
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Throws unless value is an integer within [min, max]. */
export function assertIntegerInRange(value: number, min: number, max: number, label: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${label} must be an integer between ${min} and ${max}, got ${String(value)}`);
  }
}

/** Throws unless d is a Date holding a real instant. */
export function assertValidDate(d: Date, label: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`${label} must be a valid Date`);
  }
}
