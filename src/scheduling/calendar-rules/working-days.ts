import { isBankHoliday } from './bank-holidays';
import { addDays, assertIntegerInRange, isWeekend, parseIsoDate } from './iso-date';

// Generous upper bound so a bad input cannot spin for ever.
const MAX_WORKING_DAYS = 366;

/** Monday–Friday and not an England & Wales bank holiday. */
export function isWorkingDay(isoDate: string): boolean {
  parseIsoDate(isoDate, 'isoDate');
  return !isWeekend(isoDate) && !isBankHoliday(isoDate);
}

/** The date itself if it is a working day, otherwise the next working day after it. */
export function nextWorkingDayOnOrAfter(isoDate: string): string {
  let date = isoDate;
  while (!isWorkingDay(date)) {
    date = addDays(date, 1);
  }
  return date;
}

/**
 * The date `n` working days before `isoDate`, not counting `isoDate` itself
 * (so n = 1 from a Tuesday is the Monday, or the Friday before if that Monday
 * is a bank holiday). n = 0 returns `isoDate` unchanged, even if it is not a
 * working day.
 */
export function subtractWorkingDays(isoDate: string, n: number): string {
  parseIsoDate(isoDate, 'isoDate');
  assertIntegerInRange(n, 0, MAX_WORKING_DAYS, 'n');
  let date = isoDate;
  let remaining = n;
  while (remaining > 0) {
    date = addDays(date, -1);
    if (isWorkingDay(date)) {
      remaining -= 1;
    }
  }
  return date;
}

/**
 * The date `n` working days after `isoDate`, not counting `isoDate` itself (n = 1 from a Friday
 * is the Monday, or the Tuesday when that Monday is a bank holiday). n = 0 returns `isoDate`.
 */
export function addWorkingDays(isoDate: string, n: number): string {
  parseIsoDate(isoDate, 'isoDate');
  assertIntegerInRange(n, 0, MAX_WORKING_DAYS, 'n');
  let date = isoDate;
  for (let remaining = n; remaining > 0;) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) remaining -= 1;
  }
  return date;
}

/**
 * Working days from `from` to `to`: how many working days after `from` (not counting it) up to
 * and including `to` (a Friday to the next Monday is 1; the same day is 0). `to` before `from`
 * is a RangeError.
 */
export function workingDaysBetween(from: string, to: string): number {
  parseIsoDate(from, 'from');
  parseIsoDate(to, 'to');
  if (to < from) throw new RangeError(`to (${to}) must not be before from (${from})`);
  let count = 0;
  for (let date = from; date < to;) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) count += 1;
    if (count > MAX_WORKING_DAYS) throw new RangeError(`more than ${MAX_WORKING_DAYS} working days apart`);
  }
  return count;
}
