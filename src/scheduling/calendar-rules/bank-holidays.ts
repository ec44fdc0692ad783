import Holidays from 'date-holidays';
import { assertIntegerInRange, isWeekend, parseIsoDate } from './iso-date';

/**
 * Bank holidays in England and Wales, sourced from `date-holidays` (never a
 * hand-typed list) so new years keep working without code changes.
 *
 * Recipe verified against GOV.UK for 2026–2028 with date-holidays 3.37:
 * - GB / ENG with only 'public' types (GB 'public' = England & Wales bank holidays);
 * - the library lists the original weekend date (e.g. Boxing Day on a
 *   Saturday) as well as the weekday substitute, so weekend entries are
 *   dropped — GOV.UK lists only the substitute, and weekends are never
 *   working days anyway;
 * - `date` is the local 'YYYY-MM-DD hh:mm:ss' string, so slicing it is
 *   independent of the host TZ (unlike the `start`/`end` Date fields).
 */

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

// Building a Holidays instance parses the country data, so do it once, lazily.
let holidays: Holidays | undefined;
const cache = new Map<number, { list: readonly string[]; set: ReadonlySet<string> }>();

function englandAndWales(): Holidays {
  // Stryker disable next-line ObjectLiteral,ArrayDeclaration: equivalent, loadYear keeps only type 'public' whatever the options
  holidays ??= new Holidays('GB', 'ENG', { types: ['public'] });
  return holidays;
}

/** A second guard: the instance is already built with types ['public'] only. */
function isPublicHoliday(holiday: { type: string }): boolean {
  // Stryker disable next-line ConditionalExpression: equivalent, the instance lists public holidays only
  return holiday.type === 'public';
}

function loadYear(year: number): { list: readonly string[]; set: ReadonlySet<string> } {
  let entry = cache.get(year);
  // Stryker disable next-line ConditionalExpression: equivalent, without the cache each year is only computed again, to the same list
  if (!entry) {
    // Stryker disable next-line MethodExpression: dropping the type filter is equivalent (the instance is built with types ['public'] only)
    const dates = englandAndWales()
      .getHolidays(year)
      .filter(isPublicHoliday)
      .map((h) => h.date.slice(0, 10))
      .filter((date) => !isWeekend(date));
    // Stryker disable next-line MethodExpression: equivalent, date-holidays lists a year in date order; the sort only guarantees it
    const list = Object.freeze([...new Set(dates)].sort());
    entry = { list, set: new Set(list) };
    cache.set(year, entry);
  }
  return entry;
}

/** England & Wales bank holidays in `year`, sorted 'YYYY-MM-DD' strings. */
export function bankHolidaysInYear(year: number): string[] {
  assertIntegerInRange(year, MIN_YEAR, MAX_YEAR, 'year');
  // Return a copy so callers cannot mutate the cache.
  return [...loadYear(year).list];
}

/** True if the 'YYYY-MM-DD' date is an England & Wales bank holiday. */
export function isBankHoliday(isoDate: string): boolean {
  const year = parseIsoDate(isoDate, 'isoDate').year;
  assertIntegerInRange(year, MIN_YEAR, MAX_YEAR, 'year');
  return loadYear(year).set.has(isoDate);
}
