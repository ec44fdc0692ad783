import ICAL from 'ical.js';
import * as nodeIcal from 'node-ical';
import type { ParsedMail } from 'mailparser';

export type Component = InstanceType<typeof ICAL.Component>;

/** Parses with ical.js (an independent parser), converting times with the document's own VTIMEZONE only. */
export function parseIcs(text: string): Component {
  const parse = () => new ICAL.Component(ICAL.parse(text) as unknown[]);
  ICAL.TimezoneService.reset();
  for (const tz of parse().getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return parse();
}

export function events(calendar: Component): Component[] {
  return calendar.getAllSubcomponents('vevent');
}

export function instantOf(component: Component, property: string): string {
  const value = component.getFirstPropertyValue(property);
  if (!(value instanceof ICAL.Time)) throw new Error(`${property} is not a date-time`);
  return new Date(value.toUnixTime() * 1000).toISOString();
}

export function prop(component: Component, name: string): string {
  return String(component.getFirstPropertyValue(name));
}

/** The text/calendar MIME parts of a received message: their Content-Type `method` parameter and body. */
export function calendarParts(mail: ParsedMail): Array<{ method: string | undefined; content: string }> {
  return mail.attachments
    .filter((a) => a.contentType === 'text/calendar')
    .map((a) => {
      const contentType = a.headers.get('content-type') as { params?: Record<string, string> } | undefined;
      return { method: contentType?.params?.method, content: a.content.toString('utf8') };
    });
}

/** What a second, independent parser (node-ical) reads from a calendar object. */
export interface SecondParse {
  method: string | undefined;
  events: Array<{
    uid: string;
    sequence: number;
    status: string | undefined;
    attendees: string[];
    start: string;
    summary: string;
  }>;
}

/** Parses with node-ical, so that every assertion on an invite holds for two parsers. */
export function parseWithNodeIcal(text: string): SecondParse {
  const parsed = nodeIcal.sync.parseICS(text) as Record<string, Record<string, unknown> & { type?: string }>;
  const all = Object.values(parsed);
  const calendar = all.find((c) => c.type === 'VCALENDAR');
  const people = (value: unknown) =>
    (Array.isArray(value) ? value : value ? [value] : []).map((a: { val?: string } | string) =>
      String(typeof a === 'string' ? a : a.val).toLowerCase(),
    );
  return {
    method: (calendar?.method as string | undefined) ?? (all.find((c) => c.type === 'VEVENT')?.method as string),
    events: all
      .filter((c) => c.type === 'VEVENT')
      .map((e) => ({
        uid: String(e.uid),
        sequence: Number(e.sequence),
        status: e.status as string | undefined,
        attendees: people(e.attendee),
        start: (e.start as Date).toISOString(),
        summary: typeof e.summary === 'string' ? e.summary : String((e.summary as { val?: string } | undefined)?.val),
      })),
  };
}

/** One instance of a recurring calendar object, as ical.js expands it. */
export interface ExpandedInstance {
  start: string;
  end: string;
  /** The start the rule gave it (RECURRENCE-ID), for an override; null for an instance of the master. */
  recurrenceId: string | null;
  attendees: string[];
}

/**
 * Every instance ical.js expands from a recurring object: the master's RRULE less its EXDATEs,
 * with each override (same UID, RECURRENCE-ID) in place of the instance it replaces.
 */
export function expandSeries(text: string): ExpandedInstance[] {
  const vevents = events(parseIcs(text));
  const masterComponent = vevents.find((v) => !v.hasProperty('recurrence-id'));
  if (!masterComponent) throw new Error('no master VEVENT');
  const master = new ICAL.Event(masterComponent);
  for (const v of vevents) if (v !== masterComponent) master.relateException(v);
  const out: ExpandedInstance[] = [];
  const it = master.iterator();
  for (let next = it.next(); next && out.length < 1000; next = it.next()) {
    const details = master.getOccurrenceDetails(next);
    const overridden = details.item !== master;
    out.push({
      start: details.startDate.toJSDate().toISOString(),
      end: details.endDate.toJSDate().toISOString(),
      recurrenceId: overridden ? details.recurrenceId.toJSDate().toISOString() : null,
      attendees: details.item.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort(),
    });
  }
  return out;
}

/** What node-ical reads of a recurring object: one event with its rule, its EXDATEs and its overrides. */
export function seriesWithNodeIcal(text: string): {
  uid: string;
  rrule: string;
  exdates: string[];
  overrides: Array<{ recurrenceId: string; start: string }>;
} {
  const parsed = nodeIcal.sync.parseICS(text) as Record<string, Record<string, unknown> & { type?: string }>;
  const vevents = Object.values(parsed).filter((c) => c.type === 'VEVENT');
  if (vevents.length !== 1) throw new Error(`node-ical read ${vevents.length} events`);
  const e = vevents[0] as {
    uid: string;
    rrule?: { toString(): string };
    exdate?: Record<string, Date>;
    recurrences?: Record<string, { start: Date; recurrenceid: Date }>;
  };
  const unique = (dates: Date[]) => [...new Set(dates.map((d) => d.toISOString()))].sort();
  const overrides = new Map(
    Object.values(e.recurrences ?? {}).map((r) => [r.recurrenceid.toISOString(), r.start.toISOString()] as const),
  );
  return {
    uid: e.uid,
    rrule: String(e.rrule ?? ''),
    exdates: unique(Object.values(e.exdate ?? {})),
    overrides: [...overrides]
      .map(([recurrenceId, start]) => ({ recurrenceId, start }))
      .sort((a, b) => a.recurrenceId.localeCompare(b.recurrenceId)),
  };
}
