import ICAL from 'ical.js';
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
