import { Frequency, RRule, Weekday as RRuleWeekday } from 'rrule';
import { addDays, assertIntegerInRange, isoWeekday, parseIsoDate } from './iso-date';

/**
 * How a series recurs: every N weeks on the first meeting's weekday, or on the n-th (or last)
 * weekday of every N months ("first Tuesday"). The RFC 5545 RRULE value is the interface (the
 * API's `recurrence` field, and what a recurring invite carries); `rrule` expands the monthly
 * rule, so "the first Tuesday" is the library's reading of RFC 5545, not a hand-written one.
 */
export type Recurrence =
  | { freq: 'weekly'; interval: number; weekday?: RuleWeekday }
  | { freq: 'monthly'; interval: number; ordinal: MonthlyOrdinal; weekday: RuleWeekday };

/** Which of the month's weekdays: the first to the fourth, or the last (-1). */
export type MonthlyOrdinal = 1 | 2 | 3 | 4 | -1;
export type RuleWeekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR';

export const MONTHLY_ORDINALS: readonly MonthlyOrdinal[] = [1, 2, 3, 4, -1];
export const RULE_WEEKDAYS: readonly RuleWeekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
export const ORDINAL_WORDS: Record<MonthlyOrdinal, string> = {
  1: 'first',
  2: 'second',
  3: 'third',
  4: 'fourth',
  [-1]: 'last',
};
export const WEEKDAY_WORDS: Record<RuleWeekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
};

const MAX_INTERVAL_WEEKS = 8;
const MAX_INTERVAL_MONTHS = 12;
/** rrule's weekday numbers (0 = Monday) by RFC 5545 code, and back. */
const RRULE_WEEKDAY: Record<RuleWeekday, RRuleWeekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
};
const ISO_WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** The parts of an RRULE this service honours; anything else would change dates it cannot keep. */
const ALLOWED_PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYSETPOS']);
/** Longer than any gap between two nominal dates (12 months and a week), for "the next one". */
const LOOK_AHEAD_DAYS = 400;

/**
 * Reads an RRULE value (`FREQ=MONTHLY;BYDAY=1TU`, `FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1`,
 * `FREQ=WEEKLY;INTERVAL=2`; an `RRULE:` prefix and any letter case are accepted). Throws
 * RangeError, worded to follow the field's name ("recurrence must …"), for anything else: a
 * count or end date (the horizon decides how far meetings go), a fifth weekday (not in every
 * month), weekends, several days.
 */
export function parseRecurrence(value: string): Recurrence {
  const text = String(value)
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, '');
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const [key, val, ...rest] = part.split('=');
    if (!key || val === undefined || val === '' || rest.length)
      throw new RangeError(`must be an RRULE value like FREQ=MONTHLY;BYDAY=1TU`);
    if (!ALLOWED_PARTS.has(key)) throw new RangeError(`may only use FREQ, INTERVAL, BYDAY and BYSETPOS, not ${key}`);
    if (parts.has(key)) throw new RangeError(`gives ${key} twice`);
    parts.set(key, val);
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch {
    throw new RangeError(`must be an RRULE value like FREQ=MONTHLY;BYDAY=1TU`);
  }
  const interval = options.interval ?? 1;
  // Stryker disable next-line ArrayDeclaration: equivalent, a stray string has no weekday and no n, as no BYDAY
  const days = ([] as Array<RRuleWeekday | number | string>).concat(options.byweekday ?? []);
  if (!Number.isInteger(interval) || interval < 1) throw new RangeError('must have a whole INTERVAL of 1 or more');
  if (days.length > 1) throw new RangeError('must name one weekday in BYDAY');
  const day = days[0] as RRuleWeekday | undefined;
  const weekday = day === undefined ? undefined : ISO_WEEKDAY_CODES[day.weekday];
  if (weekday === 'SA' || weekday === 'SU') throw new RangeError('must fall on a weekday (Monday to Friday)');

  if (options.freq === Frequency.WEEKLY) {
    if (interval > MAX_INTERVAL_WEEKS)
      throw new RangeError(`must have an INTERVAL of at most ${MAX_INTERVAL_WEEKS} weeks`);
    if (day?.n !== undefined || parts.has('BYSETPOS'))
      throw new RangeError('is weekly, so BYDAY takes no number and there is no BYSETPOS');
    return weekday === undefined ? { freq: 'weekly', interval } : { freq: 'weekly', interval, weekday };
  }
  if (options.freq === Frequency.MONTHLY) {
    if (interval > MAX_INTERVAL_MONTHS)
      throw new RangeError(`must have an INTERVAL of at most ${MAX_INTERVAL_MONTHS} months`);
    if (weekday === undefined) throw new RangeError('is monthly, so BYDAY must say which weekday, like 1TU');
    const setpos = [options.bysetpos ?? []].flat();
    if (setpos.length > 1) throw new RangeError('must give one BYSETPOS');
    if (day?.n !== undefined && setpos.length)
      throw new RangeError('must give the week in BYDAY or BYSETPOS, not both');
    const ordinal = day?.n ?? setpos[0];
    if (!MONTHLY_ORDINALS.includes(ordinal as MonthlyOrdinal)) {
      throw new RangeError('must be the first, second, third, fourth or last weekday of the month (1 to 4, or -1)');
    }
    return { freq: 'monthly', interval, ordinal: ordinal as MonthlyOrdinal, weekday };
  }
  throw new RangeError('must be FREQ=WEEKLY or FREQ=MONTHLY');
}

/**
 * The canonical RRULE value. A weekly rule names the first meeting's weekday when it is given,
 * as calendar clients expect (`FREQ=WEEKLY;INTERVAL=2;BYDAY=MO`).
 */
export function formatRecurrence(r: Recurrence, firstMeetingDate?: string): string {
  const interval = r.interval > 1 ? `;INTERVAL=${r.interval}` : '';
  if (r.freq === 'monthly') return `FREQ=MONTHLY${interval};BYDAY=${r.ordinal}${r.weekday}`;
  const day = r.weekday ?? (firstMeetingDate ? ISO_WEEKDAY_CODES[isoWeekday(firstMeetingDate) - 1] : undefined);
  const byday = day ? `;BYDAY=${day}` : '';
  return `FREQ=WEEKLY${interval}${byday}`;
}

/** In words, for pages and e-mails: "Every 2 weeks", "First Tuesday of every month". */
export function describeRecurrence(r: Recurrence): string {
  if (r.freq === 'weekly') return r.interval === 1 ? 'Every week' : `Every ${r.interval} weeks`;
  const day = `${ORDINAL_WORDS[r.ordinal]} ${WEEKDAY_WORDS[r.weekday]}`;
  const text = r.interval === 1 ? `${day} of every month` : `${day} of every ${r.interval} months`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A series' rule: its stored monthly RRULE, or every `intervalWeeks` weeks. */
export function seriesRecurrence(series: { recurrence: string | null; intervalWeeks: number }): Recurrence {
  return series.recurrence ? parseRecurrence(series.recurrence) : { freq: 'weekly', interval: series.intervalWeeks };
}

/**
 * The rule's nominal dates from `firstMeetingDate` through `until` (inclusive), and the one after
 * (so that a bank-holiday move can be kept short of it). `firstMeetingDate` must itself be a date
 * of the rule: RFC 5545 counts DTSTART as the first instance whatever the rule says, so a first
 * date off the rule would be a meeting no calendar client agrees on.
 */
export function nominalDates(
  firstMeetingDate: string,
  r: Recurrence,
  until: string,
): { dates: string[]; next: string } {
  parseIsoDate(firstMeetingDate, 'firstMeetingDate');
  parseIsoDate(until, 'until');
  if (r.freq === 'weekly') {
    assertIntegerInRange(r.interval, 1, MAX_INTERVAL_WEEKS, 'intervalWeeks');
    if (r.weekday && ISO_WEEKDAY_CODES[isoWeekday(firstMeetingDate) - 1] !== r.weekday) {
      throw new RangeError(
        `firstMeetingDate must be a ${WEEKDAY_WORDS[r.weekday]}, as the rule says, got ${firstMeetingDate}`,
      );
    }
    const dates: string[] = [];
    let d = firstMeetingDate;
    for (; d <= until; d = addDays(d, r.interval * 7)) dates.push(d);
    return { dates, next: d };
  }
  // Far enough past `until` (or the first date) for the next date of any rule allowed.
  // Stryker disable next-line EqualityOperator: equivalent, when they are equal either is the same date
  const rule = monthlyRule(
    firstMeetingDate,
    r,
    addDays(until > firstMeetingDate ? until : firstMeetingDate, LOOK_AHEAD_DAYS),
  );
  const all = rule.all().map(toIsoDate);
  if (all[0] !== firstMeetingDate) {
    throw new RangeError(
      // The look-ahead always holds a date of the rule: there is a next one to name.
      `firstMeetingDate must be the ${ORDINAL_WORDS[r.ordinal]} ${WEEKDAY_WORDS[r.weekday]} of its month, got ${firstMeetingDate} (the next is ${all[0]})`,
    );
  }
  const dates = all.filter((d) => d <= until);
  return { dates, next: all[dates.length] };
}

function monthlyRule(firstMeetingDate: string, r: Extract<Recurrence, { freq: 'monthly' }>, until: string): RRule {
  // rrule works in UTC "floating" dates: midnight UTC of each calendar date, never the host's zone.
  return new RRule({
    freq: RRule.MONTHLY,
    interval: r.interval,
    byweekday: [RRULE_WEEKDAY[r.weekday].nth(r.ordinal)],
    dtstart: utcMidnight(firstMeetingDate),
    until: utcMidnight(until),
  });
}

function utcMidnight(isoDate: string): Date {
  const d = parseIsoDate(isoDate);
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

function toIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
