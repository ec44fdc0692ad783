import { DateTime } from 'luxon';
import { LONDON_ZONE } from './calendar-rules';
import { parseIsoDate } from './calendar-rules/iso-date';

/** "Monday 7 December 2026 at 10:00" in Europe/London, for e-mails and pages. */
export function formatLondonDateTime(d: Date): string {
  return DateTime.fromJSDate(d, { zone: LONDON_ZONE }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm");
}

/** "10:00" in Europe/London. */
export function formatLondonTime(d: Date): string {
  return DateTime.fromJSDate(d, { zone: LONDON_ZONE }).toFormat('HH:mm');
}

/** A calendar date ('YYYY-MM-DD', no time) as GOV.UK writes dates: "9 December 2026". */
export function formatCalendarDate(isoDate: string): string {
  return parseIsoDate(isoDate).setLocale('en-GB').toFormat('d LLLL yyyy');
}

/** "Monday 7 December 2026" in Europe/London. */
export function formatLondonDate(d: Date): string {
  return DateTime.fromJSDate(d, { zone: LONDON_ZONE }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/**
 * "Monday 7 December 2026 at 10:00 GMT": with the zone abbreviation, so that a time in the
 * repeated October hour (01:00–01:59 happens twice) is unambiguous. For subjects and invites.
 */
export function formatLondonDateTimeWithZone(d: Date): string {
  const local = DateTime.fromJSDate(d, { zone: LONDON_ZONE });
  return `${formatLondonDateTime(d)} ${local.isInDST ? 'BST' : 'GMT'}`;
}
