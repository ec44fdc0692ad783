/**
 * Pure iCalendar (RFC 5545 / iTIP RFC 5546) builders for Thresholds meeting bookings.
 *
 * No NestJS, no database: plain inputs in, `.ics` text out. The callers own the stable UID and the
 * stored SEQUENCE; this module only renders what it is given (it never adds case text, and the
 * only text it adds itself is the labels "Join online:" / "Details:" in front of links the caller
 * passed).
 *
 * Built on ical-generator 10 with luxon `DateTime` values and @touch4it/ical-timezones, with
 * these deliberate departures from ical-generator's defaults (each one is a real defect in its
 * output that the tests in this folder pin down):
 *
 * - Times: every event carries `TZID=Europe/London` (event-level timezone) and the calendar gets
 *   the VTIMEZONE generator with `name: null`. With the README's `name: 'Europe/London'`,
 *   ical-generator formats DTSTAMP in London local time *without* the `Z` (a floating DTSTAMP).
 *   A wall-clock time that occurs twice (01:00–01:59 on the last Sunday of October) cannot be
 *   written unambiguously with a TZID (RFC 5545 says "first occurrence", ical.js picks the
 *   second), so such an event is written in UTC (`…Z`) instead. Nothing is ever floating.
 * - Text: ical-generator escapes SUMMARY/LOCATION/DESCRIPTION correctly but writes the calendar's
 *   NAME, X-WR-CALNAME, X-WR-CALDESC, PRODID and UID raw, and a quoted CN as `\"` (which lets a
 *   name inject parameters such as `ROLE=CHAIR`). All user text is therefore cleaned here first:
 *   lone surrogates become U+FFFD, every line-break form (CRLF, CR, LF, NEL, LS, PS, VT, FF)
 *   becomes one newline (written as `\n`), other control characters are dropped; values that
 *   ical-generator does not escape are escaped here. Names (CN) are kept as typed: a quoted RFC 5545
 *   param-value cannot hold DQUOTE or a line break, so those are written with RFC 6868's caret
 *   escapes (`^'`, `^n`, `^^`), which ical.js and Apple read back as typed and other clients show
 *   literally; a backslash is a plain character there and stays. ORGANIZER and ATTENDEE lines are
 *   written here, not by ical-generator, which would write `\"` and `\\` (not RFC 5545).
 * - URIs (URL, CONFERENCE) are URI values, not TEXT: ical-generator would backslash-escape commas
 *   and semicolons inside them. They are validated (absolute http/https, printable ASCII, no
 *   whitespace) and written verbatim by {@link ThresholdsEvent}.
 * - UID and e-mail addresses are validated, not escaped: anything unexpected throws
 *   {@link CalendarInputError} rather than being silently rewritten.
 * - The output ends with CRLF (RFC 5545 requires it after END:VCALENDAR; ical-generator omits it).
 *   Lines are folded at 75 octets by ical-generator (never inside a UTF-8 sequence).
 *
 * Content decisions:
 * - `onlineUrl` goes into DESCRIPTION ("Join online: <url>", shown by every client) and into an
 *   RFC 7986 `CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="Join online"` line (clients that do not
 *   know it ignore it). LOCATION is only what the caller passed.
 * - `url` goes into `URL;VALUE=URI` and, because Outlook and Google do not show URL, also into
 *   DESCRIPTION as "Details: <url>".
 * - Feeds (PUBLISH) carry ORGANIZER (RFC 5546 requires it for PUBLISH; it is the partnership's
 *   mailbox) but no ATTENDEE: a subscription URL should not hand every invitee's address to
 *   whoever holds it, and ATTENDEE/RSVP in a feed makes some clients offer reply buttons for an
 *   event the subscriber cannot answer. Cancelled events stay in the feed with STATUS:CANCELLED.
 * - An invite needs at least one attendee; a REQUEST whose status is CANCELLED is refused (a
 *   cancellation must be sent as METHOD:CANCEL, otherwise it stays in calendars).
 */
import ical, {
  ICalCalendar,
  ICalCalendarMethod,
  ICalEvent,
  ICalEventStatus,
  escape as icalEscape,
  type ICalEventData,
} from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';

export type ItipMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface CalendarPerson {
  email: string;
  name?: string;
}

export interface CalendarEventInput {
  /** Stable, e.g. `booking-<uuid>@thresholds.example.org`: never regenerated. */
  uid: string;
  /** Stored by the caller, incremented on every change and on cancel. */
  sequence: number;
  status: 'CONFIRMED' | 'CANCELLED' | 'TENTATIVE';
  /** Instants; rendered as Europe/London local times with TZID and a full VTIMEZONE. */
  start: Date;
  end: Date;
  /** e.g. 'Thresholds and Referrals Meeting: slot 3 (TRM-2027-0042)'. Never case text. */
  summary: string;
  /** Plain text; the builder adds nothing identifying. */
  description?: string;
  location?: string;
  /** A link back to the item/meeting. */
  url?: string;
  /** Online meeting link: in DESCRIPTION and as an RFC 7986 CONFERENCE property. */
  onlineUrl?: string;
  /** The partnership's meetings mailbox. */
  organizer: CalendarPerson;
  /**
   * Each becomes ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION (invites only), with `rsvp`.
   */
  attendees: CalendarPerson[];
  /**
   * RSVP=TRUE when the service reads replies (a replies mailbox is configured); otherwise
   * RSVP=FALSE, so clients do not ask for an answer nobody reads.
   */
  rsvp?: boolean;
  /** DTSTAMP; defaults to now; always written in UTC. */
  stamp?: Date;
  /**
   * One instance of a recurring series (RFC 5545 §3.8.4.4): the start the series' rule gave it,
   * written as `RECURRENCE-ID;TZID=Europe/London`. The UID is then the series'.
   */
  recurrenceId?: Date;
}

/**
 * A recurring meeting as one calendar object (RFC 5545 §3.8.5): the master VEVENT carries the
 * rule, with UNTIL and an EXDATE for each instance left out, and each instance that differs from
 * the rule (moved, another place, another chair) is a VEVENT of its own with the same UID and a
 * RECURRENCE-ID. Cancelled instances are left out (EXDATE), as a REQUEST of the whole series
 * should (ICALENDAR.md).
 */
export interface SeriesEventInput {
  /** The first instance as the rule gives it; `uid` and `sequence` are the series object's. */
  master: CalendarEventInput;
  /** The RRULE value without UNTIL or COUNT: `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO`, `FREQ=MONTHLY;BYDAY=1TU`. */
  rrule: string;
  /** The rule's start of the last instance: UNTIL, written in UTC as RFC 5545 requires beside a TZID. */
  until: Date;
  /** The rule's starts of the instances left out, each an `EXDATE;TZID=Europe/London` line. */
  exdates: Date[];
  /** The instances that differ from the rule, each with `recurrenceId`, the master's UID and SEQUENCE. */
  overrides: CalendarEventInput[];
}

export interface FeedOptions {
  name: string;
  description?: string;
  /** REFRESH-INTERVAL and X-PUBLISHED-TTL, in minutes; default 60 (PT1H). */
  refreshMinutes?: number;
  prodId?: string;
}

/** Thrown for input that cannot be rendered safely (bad UID, e-mail, URL, dates, …). */
export class CalendarInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarInputError';
  }
}

export const CALENDAR_TIMEZONE = 'Europe/London';
export const DEFAULT_PROD_ID = '-//Thresholds//Meeting booking//EN';
const DEFAULT_REFRESH_MINUTES = 60;
const MAX_INTEGER = 2147483647; // RFC 5545 INTEGER is 32-bit signed

const UID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~+@-]{0,254}$/;
// The WHATWG "valid e-mail address" grammar minus `%`, `?` and `#` (meaningful inside a mailto:
// URI). It excludes whitespace, quotes, `;`, `,`, `:`, `\` and angle brackets by construction.
const EMAIL_PATTERN =
  /^[A-Za-z0-9.!$&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface InviteOptions {
  prodId?: string;
  /**
   * With CANCEL: the message removes the listed attendees only (RFC 5546 §3.2.5 "uninvite"), so
   * the VEVENT carries no STATUS:CANCELLED (that status would cancel the event for everyone).
   */
  removesAttendees?: boolean;
}

/**
 * One iTIP message with one VEVENT: METHOD:REQUEST (new or changed) or METHOD:CANCEL (forces
 * STATUS:CANCELLED, unless it only removes its attendees). The MIME part carrying it must say the
 * same `method=`.
 */
export function buildInvite(method: 'REQUEST' | 'CANCEL', event: CalendarEventInput, opts: InviteOptions = {}): string {
  checkInvite(method, event, opts);
  const calendar = inviteCalendar(method, opts);
  addEvent(calendar, event, {
    status: inviteStatus(method, event, opts),
    withAttendees: true,
    extraLines: event.recurrenceId === undefined ? [] : [recurrenceIdLine(event.recurrenceId)],
  });
  return finish(calendar);
}

function inviteCalendar(method: 'REQUEST' | 'CANCEL', opts: InviteOptions): ICalCalendar {
  return newCalendar(method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL, opts.prodId);
}

/** What an invite of this method may carry: refused before anything is rendered. */
function checkInvite(method: 'REQUEST' | 'CANCEL', event: CalendarEventInput, opts: InviteOptions): void {
  if (method !== 'REQUEST' && method !== 'CANCEL') {
    throw new CalendarInputError(`Invite method must be REQUEST or CANCEL, not ${String(method)}`);
  }
  if (method === 'REQUEST' && event.status === 'CANCELLED') {
    throw new CalendarInputError(
      'A cancelled event must be sent with METHOD:CANCEL, not REQUEST (clients would keep it)',
    );
  }
  if (!Array.isArray(event.attendees) || event.attendees.length === 0) {
    throw new CalendarInputError('An invite needs at least one attendee');
  }
  if (opts.removesAttendees && method !== 'CANCEL') {
    throw new CalendarInputError('Only a CANCEL can remove attendees');
  }
}

/** A CANCEL forces STATUS:CANCELLED, unless it only removes its attendees (then no STATUS at all). */
function inviteStatus(
  method: 'REQUEST' | 'CANCEL',
  event: CalendarEventInput,
  opts: InviteOptions,
): CalendarEventInput['status'] | null {
  if (method === 'REQUEST') return event.status;
  return opts.removesAttendees ? null : 'CANCELLED';
}

/** The RRULE values a series may carry: weekly or monthly, with the parts the service's rules use. */
const SERIES_RULE_PATTERN =
  /^FREQ=(?:WEEKLY|MONTHLY)(?:;(?:INTERVAL=[1-9][0-9]?|BYDAY=(?:[1-4]|-1)?(?:MO|TU|WE|TH|FR)|BYSETPOS=(?:[1-4]|-1)))*$/;

/**
 * A recurring series as one iTIP message: METHOD:REQUEST with the master and every override
 * (new, changed, extended: same UID, higher SEQUENCE), or METHOD:CANCEL with the master alone,
 * which takes every instance away (with `removesAttendees`, from the listed attendees only). One
 * instance cancelled on its own is {@link buildInvite} with the instance's `recurrenceId`.
 */
export function buildSeriesInvite(
  method: 'REQUEST' | 'CANCEL',
  series: SeriesEventInput,
  opts: InviteOptions = {},
): string {
  const { master } = series;
  if (method === 'CANCEL' && series.overrides.length) {
    throw new CalendarInputError('A CANCEL of a whole series carries the master alone, with no overrides');
  }
  if (master.recurrenceId !== undefined) throw new CalendarInputError('The master of a series has no recurrenceId');
  const rrule = requireString(series.rrule, 'rrule');
  if (!SERIES_RULE_PATTERN.test(rrule)) {
    throw new CalendarInputError('rrule must be a weekly or monthly RRULE value without UNTIL or COUNT');
  }
  const start = requireDate(master.start, 'start');
  const until = requireDate(series.until, 'until');
  if (until.getTime() < start.getTime()) throw new CalendarInputError('until must not be before the first instance');
  // The rule repeats a wall-clock time, so it must be written with the TZID: never in the repeated hour.
  if (isAmbiguousLondonWallTime(start)) {
    throw new CalendarInputError('A series cannot start in the hour that repeats when the clocks go back');
  }
  const instance = (value: unknown, field: string): Date => {
    const at = requireDate(value, field);
    if (at.getTime() < start.getTime() || at.getTime() > until.getTime()) {
      throw new CalendarInputError(`${field} must fall between the first instance and until`);
    }
    return at;
  };
  const excluded = new Set<number>();
  for (const exdate of series.exdates) excluded.add(instance(exdate, 'exdate').getTime());
  const overridden = new Set<number>();
  for (const override of series.overrides) {
    if (override.uid !== master.uid) throw new CalendarInputError('Every override carries the series UID');
    if (override.sequence !== master.sequence)
      throw new CalendarInputError("Every override carries the series' SEQUENCE");
    const at = instance(override.recurrenceId, 'recurrenceId').getTime();
    if (overridden.has(at)) throw new CalendarInputError('Two overrides of the same instance');
    if (excluded.has(at)) throw new CalendarInputError('An instance cannot be both an exdate and an override');
    overridden.add(at);
  }
  checkInvite(method, master, opts);
  for (const override of series.overrides) checkInvite(method, override, opts);
  const calendar = inviteCalendar(method, opts);
  addEvent(calendar, master, {
    status: inviteStatus(method, master, opts),
    withAttendees: true,
    extraLines: [
      `RRULE:${rrule};UNTIL=${utcStamp(until)}`,
      ...[...excluded]
        .sort((a, b) => a - b)
        .map((at) => `EXDATE;TZID=${CALENDAR_TIMEZONE}:${londonWallTime(new Date(at))}`),
    ],
  });
  for (const override of series.overrides) {
    addEvent(calendar, override, {
      status: inviteStatus(method, override, opts),
      withAttendees: true,
      extraLines: [recurrenceIdLine(override.recurrenceId!)],
    });
  }
  return finish(calendar);
}

/** `RECURRENCE-ID;TZID=Europe/London:…`: the instance's start by the rule, as the master's DTSTART is written. */
function recurrenceIdLine(at: Date): string {
  const value = requireDate(at, 'recurrenceId');
  if (isAmbiguousLondonWallTime(value)) {
    throw new CalendarInputError(
      'An instance of a series cannot start in the hour that repeats when the clocks go back',
    );
  }
  return `RECURRENCE-ID;TZID=${CALENDAR_TIMEZONE}:${londonWallTime(value)}`;
}

function londonWallTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: CALENDAR_TIMEZONE }).toFormat("yyyyLLdd'T'HHmmss");
}

function utcStamp(at: Date): string {
  return DateTime.fromJSDate(at, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
}

/**
 * The MIME type for a calendar body, with the same `method=` as its METHOD line (Outlook rejects
 * a mismatch). Feeds are served with plain `text/calendar; charset=utf-8` instead.
 */
export function calendarContentType(method: ItipMethod): string {
  return `text/calendar; charset=UTF-8; method=${method}`;
}

/**
 * A subscription feed: METHOD:PUBLISH, NAME/X-WR-CALNAME, REFRESH-INTERVAL/X-PUBLISHED-TTL.
 * Cancelled events are kept with STATUS:CANCELLED; events carry ORGANIZER but no ATTENDEE.
 */
export function buildFeed(events: CalendarEventInput[], opts: FeedOptions): string {
  const name = cleanText(requireString(opts.name, 'feed name')).trim();
  if (!name) throw new CalendarInputError('The feed needs a name');

  const refreshMinutes = opts.refreshMinutes ?? DEFAULT_REFRESH_MINUTES;
  if (!Number.isSafeInteger(refreshMinutes) || refreshMinutes < 1) {
    throw new CalendarInputError('refreshMinutes must be a positive whole number');
  }

  const calendar = newCalendar(ICalCalendarMethod.PUBLISH, opts.prodId);
  // ical-generator writes NAME, X-WR-CALNAME and X-WR-CALDESC without escaping: escape here.
  calendar.name(icalEscape(name, false));
  if (opts.description !== undefined) {
    const description = cleanText(requireString(opts.description, 'feed description'));
    // Stryker disable next-line ConditionalExpression: ical-generator stores an empty description as null and writes nothing
    if (description) calendar.description(icalEscape(description, false));
  }
  calendar.ttl(refreshMinutes * 60);

  const seen = new Set<string>();
  for (const event of events) {
    const key = String(event.uid).toLowerCase();
    if (seen.has(key)) {
      throw new CalendarInputError(`Duplicate UID in feed: ${event.uid}`);
    }
    seen.add(key);
    addEvent(calendar, event, { status: event.status, withAttendees: false });
  }
  return refreshBeforeTimezones(finish(calendar));
}

/**
 * ical-generator writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONE blocks; calendar
 * properties belong before any component (RFC 5545 §3.4, RFC 7986 §5.7), so they are moved up.
 */
function refreshBeforeTimezones(text: string): string {
  const lines = text.split('\r\n');
  const moved = lines.filter((l) => /^(REFRESH-INTERVAL|X-PUBLISHED-TTL)[;:]/.test(l));
  const rest = lines.filter((l) => !moved.includes(l));
  // Stryker disable next-line ConditionalExpression: with no VTIMEZONE ical-generator already writes these lines just before the first VEVENT
  const at = rest.findIndex((l) => l === 'BEGIN:VTIMEZONE' || l === 'BEGIN:VEVENT');
  // Stryker disable next-line EqualityOperator: rest[0] is always BEGIN:VCALENDAR, so at is never 0
  if (at < 0) return text;
  rest.splice(at, 0, ...moved);
  return rest.join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// Text and value hygiene (exported for the tests)
// ---------------------------------------------------------------------------------------------

/**
 * Make user text safe to hand to an RFC 5545 TEXT escaper: well-formed UTF-16, every line-break
 * form turned into a single `\n` (which the escaper writes as the two characters `\n`), and all
 * other control characters except TAB removed.
 */
export function cleanText(value: string): string {
  return value
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g, '');
}

/**
 * A display name as typed, cleaned only of what no text may carry (control characters, lone
 * surrogates); tabs become spaces and a line break stays one newline.
 */
export function cleanName(value: string): string {
  return cleanText(value).replace(/\t/g, ' ').trim();
}

/**
 * A name as a quoted RFC 5545 param-value: DQUOTE, newline and `^` in RFC 6868's caret form
 * (`^'`, `^n`, `^^`); everything else (commas, semicolons, colons, backslashes) is safe inside
 * the quotes and is written as typed.
 */
export function quotedParam(value: string): string {
  return `"${value.replace(/\^/g, '^^').replace(/\n/g, '^n').replace(/"/g, "^'")}"`;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

/**
 * ical-generator's event with a few extra content lines written verbatim before END:VEVENT
 * (URI-valued properties that must not be TEXT-escaped, and RFC 7986 CONFERENCE, which
 * ical-generator cannot emit). The calendar folds these lines like all the others.
 */
class ThresholdsEvent extends ICalEvent {
  private readonly rawLines: string[];

  constructor(data: ICalEventData, calendar: ICalCalendar, rawLines: string[]) {
    super(data, calendar);
    // Stryker disable next-line BlockStatement: the loop only runs a check that can never fail (see below)
    for (const line of rawLines) {
      // Printable text only (names may be any language): no control character can start a new line.
      // Stryker disable next-line ConditionalExpression,Regex,BlockStatement: unreachable, URLs are printable ASCII, addresses match EMAIL_PATTERN, names pass cleanName and quotedParam
      if (!/^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]+$/.test(line)) {
        // Stryker disable next-line StringLiteral: unreachable, see above
        throw new Error('Internal error: raw iCalendar line holds a control character');
      }
    }
    this.rawLines = rawLines;
  }

  override toString(): string {
    const body = super.toString();
    const end = 'END:VEVENT\r\n';
    if (!body.endsWith(end)) {
      throw new Error('Internal error: unexpected VEVENT serialisation from ical-generator');
    }
    return body.slice(0, -end.length) + this.rawLines.map((l) => l + '\r\n').join('') + end;
  }
}

function newCalendar(method: ICalCalendarMethod, prodId: string | undefined): ICalCalendar {
  const calendar = ical({ method, prodId: prodIdForGenerator(prodId) });
  // `name: null` on purpose: a named calendar timezone makes ical-generator write DTSTAMP as a
  // floating London time. VTIMEZONE blocks are still generated for every event TZID.
  calendar.timezone({ name: null, generator: londonVtimezone });
  return calendar;
}

function londonVtimezone(tz: string): string {
  const block = getVtimezoneComponent(tz);
  if (!block || !block.includes('BEGIN:VTIMEZONE')) {
    throw new Error(`No VTIMEZONE available for ${tz}`);
  }
  return block;
}

/** ical-generator writes `PRODID:-` + this value, unescaped. */
function prodIdForGenerator(prodId: string | undefined): string {
  const value = cleanText(prodId ?? DEFAULT_PROD_ID)
    .replace(/\n/g, ' ')
    .trim();
  if (!value) throw new CalendarInputError('prodId must not be empty');
  return icalEscape(value.startsWith('-') ? value.slice(1) : value, false);
}

function finish(calendar: ICalCalendar): string {
  return calendar.toString() + '\r\n';
}

function addEvent(
  calendar: ICalCalendar,
  input: CalendarEventInput,
  opts: { status: CalendarEventInput['status'] | null; withAttendees: boolean; extraLines?: string[] },
): void {
  const uid = requireString(input.uid, 'uid');
  if (!UID_PATTERN.test(uid)) {
    throw new CalendarInputError(
      'uid must be 1–255 characters of letters, digits and . _ ~ + @ - (e.g. booking-<uuid>@host)',
    );
  }
  if (!Number.isSafeInteger(input.sequence) || input.sequence < 0 || input.sequence > MAX_INTEGER) {
    throw new CalendarInputError('sequence must be a non-negative whole number');
  }
  const start = requireDate(input.start, 'start');
  const end = requireDate(input.end, 'end');
  if (end.getTime() <= start.getTime()) {
    throw new CalendarInputError('end must be after start');
  }
  const stamp = input.stamp === undefined ? new Date() : requireDate(input.stamp, 'stamp');

  const summary = cleanText(requireString(input.summary, 'summary'));
  if (!summary.trim()) throw new CalendarInputError('summary must not be empty');

  const location = input.location === undefined ? '' : cleanText(requireString(input.location, 'location'));
  const url = input.url === undefined ? undefined : requireHttpUrl(input.url, 'url');
  const onlineUrl = input.onlineUrl === undefined ? undefined : requireHttpUrl(input.onlineUrl, 'onlineUrl');

  const descriptionParts: string[] = [];
  if (input.description !== undefined) {
    const description = cleanText(requireString(input.description, 'description'));
    if (description) descriptionParts.push(description);
  }
  if (onlineUrl) descriptionParts.push(`Join online: ${onlineUrl}`);
  if (url) descriptionParts.push(`Details: ${url}`);

  // Never floating: London wall time with TZID, or UTC when the wall time is ambiguous.
  const timezone = isAmbiguousLondonWallTime(start) || isAmbiguousLondonWallTime(end) ? null : CALENDAR_TIMEZONE;

  const data: ICalEventData = {
    id: uid,
    sequence: input.sequence,
    // Stryker disable next-line ObjectLiteral: ical-generator sets the zone itself (TZID or UTC) before writing a luxon DateTime
    stamp: DateTime.fromJSDate(stamp, { zone: 'utc' }),
    // Stryker disable next-line ObjectLiteral: ical-generator sets the zone itself (TZID or UTC) before writing a luxon DateTime
    start: DateTime.fromJSDate(start, { zone: 'utc' }),
    // Stryker disable next-line ObjectLiteral: ical-generator sets the zone itself (TZID or UTC) before writing a luxon DateTime
    end: DateTime.fromJSDate(end, { zone: 'utc' }),
    timezone,
    summary,
    status: opts.status === null ? null : toEventStatus(opts.status),
  };
  // Stryker disable next-line ConditionalExpression: ical-generator writes no LOCATION for an empty title
  if (location) data.location = location;
  if (descriptionParts.length) data.description = descriptionParts.join('\n\n');

  const rawLines: string[] = [];
  if (url) rawLines.push(`URL;VALUE=URI:${url}`);
  if (onlineUrl) rawLines.push(`CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="Join online":${onlineUrl}`);
  rawLines.push(organizerLine(input.organizer));
  if (opts.withAttendees) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: unreachable, buildInvite refuses a non-array first and feeds pass withAttendees false
    if (!Array.isArray(input.attendees)) {
      // Stryker disable next-line StringLiteral: unreachable, see above
      throw new CalendarInputError('attendees must be an array');
    }
    const seen = new Set<string>();
    for (const person of input.attendees) {
      const email = requireEmail(person?.email, 'attendee email');
      if (seen.has(email.toLowerCase())) continue;
      seen.add(email.toLowerCase());
      const name = person.name === undefined ? '' : cleanName(requireString(person.name, 'attendee name'));
      const rsvp = input.rsvp === true ? 'TRUE' : 'FALSE';
      rawLines.push(
        `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=${rsvp}${name ? `;CN=${quotedParam(name)}` : ''}:mailto:${email}`,
      );
    }
  }
  rawLines.push(...(opts.extraLines ?? []));
  calendar.createEvent(new ThresholdsEvent(data, calendar, rawLines));
}

function organizerLine(person: CalendarPerson): string {
  if (!person || typeof person !== 'object') {
    throw new CalendarInputError('organizer is required');
  }
  const email = requireEmail(person.email, 'organizer email');
  const name = person.name === undefined ? '' : cleanName(requireString(person.name, 'organizer name'));
  // Clients show the CN; fall back to the address itself.
  return `ORGANIZER;CN=${quotedParam(name || email)}:mailto:${email}`;
}

function toEventStatus(status: CalendarEventInput['status']): ICalEventStatus {
  switch (status) {
    case 'CONFIRMED':
      return ICalEventStatus.CONFIRMED;
    case 'TENTATIVE':
      return ICalEventStatus.TENTATIVE;
    case 'CANCELLED':
      return ICalEventStatus.CANCELLED;
    default:
      throw new CalendarInputError(`Unknown status: ${String(status)}`);
  }
}

/**
 * True when the instant's Europe/London wall-clock time also occurs an hour earlier or later,
 * i.e. it falls in the repeated hour on the last Sunday of October and a TZID form would be
 * read differently by different clients.
 */
function isAmbiguousLondonWallTime(instant: Date): boolean {
  const format = "yyyyLLdd'T'HHmmss";
  const local = DateTime.fromJSDate(instant, { zone: CALENDAR_TIMEZONE });
  const wall = local.toFormat(format);
  return [-1, 1].some((hours) => local.plus({ hours }).toFormat(format) === wall);
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new CalendarInputError(`${field} must be a string`);
  return value;
}

function requireDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new CalendarInputError(`${field} must be a valid Date`);
  }
  return value;
}

/** Whether `email` can be an ATTENDEE or ORGANIZER (`mailto:`) as it is: callers skip people it cannot. */
export function isCalendarAddress(email: unknown): email is string {
  return typeof email === 'string' && email.trim().length <= 254 && EMAIL_PATTERN.test(email.trim());
}

function requireEmail(value: unknown, field: string): string {
  const email = requireString(value, field).trim();
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
    throw new CalendarInputError(`${field} is not a plain e-mail address`);
  }
  return email;
}

/**
 * An absolute http(s) URL, returned in WHATWG-normalised form. Input containing whitespace or
 * control characters is refused (the URL parser would silently strip CR/LF/TAB).
 */
function requireHttpUrl(value: unknown, field: string): string {
  const raw = requireString(value, field);
  if (/[\s\u0000-\u001F\u007F-\u009F]/.test(raw)) {
    throw new CalendarInputError(`${field} must not contain whitespace or control characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CalendarInputError(`${field} is not an absolute URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CalendarInputError(`${field} must be an http(s) URL`);
  }
  const href = parsed.href;
  // Defence in depth: the WHATWG parser already percent-encodes quotes, spaces and anything
  // outside printable ASCII, so no input reaches this refusal (its mutants are equivalent).
  // Stryker disable next-line ConditionalExpression,LogicalOperator,Regex,BlockStatement: unreachable, see above
  if (!/^[\x21-\x7E]+$/.test(href) || href.includes('"')) {
    // Stryker disable next-line StringLiteral: unreachable, see above
    throw new CalendarInputError(`${field} cannot be written safely`);
  }
  return href;
}
