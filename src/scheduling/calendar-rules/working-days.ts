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
