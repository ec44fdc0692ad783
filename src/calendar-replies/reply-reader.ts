import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { CALENDAR_TIMEZONE } from '../calendar/ical/calendar-event';

/** What an attendee said (RFC 5545 PARTSTAT), the three this service records. */
export const REPLY_ANSWERS = { ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentative' } as const;
export type ReplyAnswer = (typeof REPLY_ANSWERS)[keyof typeof REPLY_ANSWERS];

/** Why a message in the replies mailbox is left alone: a code, never its content. */
export type IgnoredReason =
  'unreadable' | 'not-a-reply' | 'no-sender' | 'sender-not-attendee' | 'no-answer' | 'several-objects';

/** One answer in a reply: to the whole object (`recurrenceId` null) or to one instance of a series. */
export interface ReplyPart {
  recurrenceId: Date | null;
  answer: ReplyAnswer;
}

/** An iMIP REPLY (RFC 6047) as read from a message: who answered which calendar object, and when. */
export interface CalendarReply {
  /** The attendee who answered, lower-cased: the ATTENDEE that is also the message's sender. */
  attendee: string;
  uid: string;
  sequence: number;
  /** The reply's DTSTAMP: a later reply wins over an earlier one, whatever order they arrive in. */
  stamp: Date;
  parts: ReplyPart[];
}

/** A message read: its Message-ID (null without one), and the reply in it or why there is none. */
export type ReadReply = { messageId: string | null } & ({ reply: CalendarReply } | { ignored: IgnoredReason });

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics']);

/**
 * Reads a raw e-mail from the replies mailbox as an iMIP REPLY. Only the ATTENDEE that is also the
 * message's From address counts (RFC 6047 §3.2: the reply comes from the attendee), so one person
 * cannot answer for another by naming them; the From header itself is as trustworthy as the
 * mailbox's own checks (SPF, DKIM, DMARC) make it.
 *
 * Outlook sends a `text/calendar; method=REPLY` part, Google attaches it as `invite.ics`
 * (`application/ics`) as well, Apple sends it alone: any calendar part with METHOD:REPLY is read.
 */
export async function readReply(raw: Buffer | string): Promise<ReadReply> {
  // Loaded with the first reply, not at start-up: only a service with a replies mailbox needs it.
  const { simpleParser } = await import('mailparser');
  let parsed;
  try {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: speed only, no HTML or links are wanted from a reply
    parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  } catch {
    return { messageId: null, ignored: 'unreadable' };
  }
  const messageId = parsed.messageId ?? null;
  // Stryker disable next-line OptionalChaining,MethodExpression: mailparser gives a trimmed address or none
  const sender = parsed.from?.value[0]?.address?.trim().toLowerCase();
  const calendars = parsed.attachments
    .filter(isCalendarPart)
    .map((a) => parseCalendar(a.content.toString('utf8')))
    .filter((c): c is Component => c !== null && String(c.getFirstPropertyValue('method')).toUpperCase() === 'REPLY');
  if (calendars.length === 0) return { messageId, ignored: 'not-a-reply' };
  if (!sender) return { messageId, ignored: 'no-sender' };
  const result = replyOf(calendars[0], sender);
  return 'ignored' in result ? { messageId, ...result } : { messageId, reply: result };
}

type Component = InstanceType<typeof ICAL.Component>;

/** A text/calendar or application/ics part, or any attachment named `.ics`. */
function isCalendarPart(part: { contentType: string; filename?: string }): boolean {
  // Stryker disable next-line LogicalOperator,StringLiteral: equivalent, mailparser names every attachment
  return CALENDAR_TYPES.has(part.contentType) || /\.ics$/i.test(part.filename ?? '');
}

function parseCalendar(text: string): Component | null {
  try {
    return new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch {
    return null;
  }
}

/** The answers in one REPLY calendar from `sender`; every VEVENT must be of one calendar object. */
export function replyOf(calendar: Component, sender: string): CalendarReply | { ignored: IgnoredReason } {
  const vevents = calendar.getAllSubcomponents('vevent');
  const uids = new Set(vevents.map((e) => String(e.getFirstPropertyValue('uid') ?? '')));
  if (vevents.length === 0 || uids.has('')) return { ignored: 'not-a-reply' };
  if (uids.size > 1) return { ignored: 'several-objects' };
  const parts: ReplyPart[] = [];
  let stamp = 0;
  let sequence = 0;
  for (const vevent of vevents) {
    const mine = vevent.getAllProperties('attendee').find((a) => addressOf(String(a.getFirstValue())) === sender);
    if (!mine) return { ignored: 'sender-not-attendee' };
    const answer =
      REPLY_ANSWERS[String(mine.getParameter('partstat') ?? '').toUpperCase() as keyof typeof REPLY_ANSWERS];
    if (!answer) continue;
    parts.push({ recurrenceId: timeOf(vevent, 'recurrence-id'), answer });
    stamp = Math.max(stamp, timeOf(vevent, 'dtstamp')?.getTime() ?? 0);
    sequence = Math.max(sequence, Number(vevent.getFirstPropertyValue('sequence') ?? 0) || 0);
  }
  if (parts.length === 0) return { ignored: 'no-answer' };
  return { attendee: sender, uid: [...uids][0], sequence, stamp: new Date(stamp), parts };
}

function addressOf(calAddress: string): string {
  // Stryker disable next-line Regex: equivalent, a calendar address holds `mailto:` only at its start
  const address = calAddress.replace(/^mailto:/i, '');
  return address.trim().toLowerCase();
}

function timeOf(vevent: Component, property: string): Date | null {
  const prop = vevent.getFirstProperty(property);
  const value = prop?.getFirstValue();
  // Stryker disable next-line LogicalOperator: equivalent, a value is only read from a property that exists
  if (!prop || !(value instanceof ICAL.Time)) return null;
  if (value.zone === ICAL.Timezone.utcTimezone) return new Date(value.toUnixTime() * 1000);
  // A REPLY seldom carries the VTIMEZONE its TZID names, and Outlook writes Windows names ("GMT
  // Standard Time"): a zone luxon does not know, or none, is read as London's, the meetings' own.
  const wall = {
    year: value.year,
    month: value.month,
    day: value.day,
    hour: value.hour,
    minute: value.minute,
    second: value.second,
  };
  const zoned = DateTime.fromObject(wall, { zone: String(prop.getParameter('tzid') ?? CALENDAR_TIMEZONE) });
  return (zoned.isValid ? zoned : DateTime.fromObject(wall, { zone: CALENDAR_TIMEZONE })).toJSDate();
}
