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
