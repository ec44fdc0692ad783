/**
 * Tests for the iCalendar builders. Every output is parsed back with ical.js (an independent
 * parser) as well as checked as text.
 *
 * Golden files: golden/{invite,update,cancel,feed}.ics are compared byte for byte. After a
 * deliberate change to the output, regenerate them from /work/main with
 *
 *     UPDATE_GOLDEN=1 npx jest src/calendar/ical
 *
 * then review the diff by eye (times, TZID, SEQUENCE, METHOD, escaping) before accepting it.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ICAL from 'ical.js';
import {
  buildFeed,
  buildInvite,
  buildSeriesInvite,
  calendarContentType,
  CalendarInputError,
  cleanName,
  cleanText,
  type CalendarEventInput,
  type SeriesEventInput,
} from './calendar-event';

type Component = InstanceType<typeof ICAL.Component>;

const ORGANIZER = { email: 'meetings@thresholds.example.org', name: 'Thresholds Meetings' };

const ATTENDEES = [
  { email: 'asha.patel@health.example.nhs.uk', name: 'Patel, Asha (Health)' },
  { email: 'duty.team@police.example.gov.uk' },
];

const BOOKING_UID = 'booking-5f0c6a52-3d7e-4c1b-9a57-0b7f4e2c9d11@thresholds.example.org';

/** The original booking: Monday 5 April 2027, 10:00–10:30 London (BST, 09:00Z). */
const INVITE_EVENT: CalendarEventInput = {
  uid: BOOKING_UID,
  sequence: 0,
  status: 'CONFIRMED',
  start: new Date('2027-04-05T09:00:00Z'),
  end: new Date('2027-04-05T09:30:00Z'),
  summary: 'Thresholds and Referrals Meeting: slot 3 (TRM-2027-0042)',
  description: 'Please join a few minutes early.',
  location: 'Civic Centre, Room 2.14',
  url: 'https://thresholds.example.org/meetings/TRM-2027-0042',
  onlineUrl: 'https://meet.example.org/j/8372-1150-4471',
  organizer: ORGANIZER,
  attendees: ATTENDEES,
  stamp: new Date('2027-03-01T12:00:00Z'),
};

/**
 * Moved to Monday 1 November 2027, 14:00–14:30 London (GMT, 14:00Z; clocks go back on Sunday
 * 31 October 2027): same UID, SEQUENCE 1.
 */
const UPDATE_EVENT: CalendarEventInput = {
  ...INVITE_EVENT,
  sequence: 1,
  start: new Date('2027-11-01T14:00:00Z'),
  end: new Date('2027-11-01T14:30:00Z'),
  location: 'Civic Centre, Room 1.02',
  stamp: new Date('2027-03-08T09:15:00Z'),
};

/** Cancelled: same UID, SEQUENCE 2. */
const CANCEL_EVENT: CalendarEventInput = {
  ...UPDATE_EVENT,
  sequence: 2,
  status: 'CANCELLED',
  stamp: new Date('2027-03-15T16:45:30Z'),
};

const FEED_EVENTS: CalendarEventInput[] = [
  {
    uid: 'booking-0b7d2d4e-8a0e-4f55-bb43-3c2a4f1f6e01@thresholds.example.org',
    sequence: 0,
    status: 'CONFIRMED',
    start: new Date('2027-03-22T10:00:00Z'), // 10:00 GMT
    end: new Date('2027-03-22T10:30:00Z'),
    summary: 'Thresholds and Referrals Meeting: slot 1 (TRM-2027-0031)',
    url: 'https://thresholds.example.org/meetings/TRM-2027-0031',
    organizer: ORGANIZER,
    attendees: ATTENDEES,
    stamp: new Date('2027-03-01T12:00:00Z'),
  },
  { ...INVITE_EVENT },
  {
    ...CANCEL_EVENT,
    uid: 'booking-9c1e4b7a-2f6d-4d0a-8e3b-5a6c7d8e9f02@thresholds.example.org',
    summary: 'Thresholds and Referrals Meeting: slot 2 (TRM-2027-0077)',
    url: 'https://thresholds.example.org/meetings/TRM-2027-0077',
    onlineUrl: undefined,
    description: undefined,
  },
];

const FEED_OPTIONS = {
  name: 'Thresholds – my meetings',
  description: 'Your Thresholds and Referrals Meeting bookings',
};

// ---------------------------------------------------------------------------------------------
// Parsing helpers (ical.js)
// ---------------------------------------------------------------------------------------------

function parse(text: string): Component {
  return new ICAL.Component(ICAL.parse(text) as unknown[]);
}

/**
 * Parse, then register the document's own VTIMEZONE(s) with ical.js (after clearing anything
 * registered before) and parse again, so date-time values are converted with our VTIMEZONE only.
 */
function parseWithTimezones(text: string): Component {
  ICAL.TimezoneService.reset();
  for (const vtimezone of parse(text).getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(vtimezone);
  }
  return parse(text);
}

function onlyEvent(calendar: Component): Component {
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return events[0];
}

/** The absolute instant ical.js computes for a DATE-TIME property. */
function instantOf(component: Component, property: string): string {
  const value = component.getFirstPropertyValue(property);
  if (!(value instanceof ICAL.Time)) throw new Error(`${property} is not a date-time`);
  return new Date(value.toUnixTime() * 1000).toISOString();
}

function textOf(component: Component, property: string): string {
  const value = component.getFirstPropertyValue(property);
  if (typeof value !== 'string') throw new Error(`${property} is not text`);
  return value;
}

/**
 * ical.js knows neither NAME (RFC 7986) nor X-WR-*, and hands their raw value back: decode it
 * with ical.js's own TEXT decoder.
 */
function unknownTextOf(component: Component, property: string): string {
  const raw = textOf(component, property);
  const textType = (ICAL.design.icalendar.value as Record<string, { fromICAL(v: string): string }>).text;
  return textType.fromICAL(raw);
}

/** Property names of a component, in order (lower case, as ical.js reports them). */
function propertyNames(component: Component): string[] {
  return component.getAllProperties().map((p) => p.name);
}

/** Physical lines of the text (CRLF-separated; the text ends with CRLF). */
function physicalLines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

/** Content lines after RFC 5545 unfolding. */
function contentLines(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .slice(0, -2)
    .split('\r\n');
}

const VEVENT_INVITE_PROPS = [
  'uid',
  'sequence',
  'dtstamp',
  'dtstart',
  'dtend',
  'summary',
  'location',
  'description',
  'status',
  'url',
  'conference',
  'organizer',
  'attendee',
  'attendee',
];

/** A minimal event: no description, location or links. */
function plainEvent(overrides: Partial<CalendarEventInput> = {}): CalendarEventInput {
  return {
    uid: 'booking-00000000-0000-4000-8000-000000000001@thresholds.example.org',
    sequence: 0,
    status: 'CONFIRMED',
    start: new Date('2027-04-05T09:00:00Z'),
    end: new Date('2027-04-05T10:00:00Z'),
    summary: 'Thresholds and Referrals Meeting: slot 1 (TRM-2027-0001)',
    organizer: ORGANIZER,
    attendees: [{ email: 'a.worker@example.org', name: 'A Worker' }],
    stamp: new Date('2027-03-01T12:00:00Z'),
    ...overrides,
  };
}

/** Property names every content line of our output may start with. */
const KNOWN_LINE_STARTS = new Set([
  'BEGIN',
  'END',
  'VERSION',
  'PRODID',
  'METHOD',
  'NAME',
  'X-WR-CALNAME',
  'X-WR-CALDESC',
  'REFRESH-INTERVAL',
  'X-PUBLISHED-TTL',
  'TZID',
  'TZURL',
  'X-LIC-LOCATION',
  'TZOFFSETFROM',
  'TZOFFSETTO',
  'TZNAME',
  'DTSTART',
  'RRULE',
  'UID',
  'SEQUENCE',
  'DTSTAMP',
  'DTEND',
  'SUMMARY',
  'LOCATION',
  'DESCRIPTION',
  'ORGANIZER',
  'ATTENDEE',
  'STATUS',
  'URL',
  'CONFERENCE',
]);

/** Structural checks that hold for every document we produce. */
function expectWellFormed(text: string): void {
  // Only CRLF line ends, no bare CR or LF anywhere.
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of physicalLines(text)) {
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // never split inside a surrogate pair
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  }
  for (const line of contentLines(text)) {
    const name = /^[A-Z0-9-]+/.exec(line)?.[0] ?? '';
    expect(KNOWN_LINE_STARTS.has(name) ? name : line).toBe(name);
  }
  const unfolded = contentLines(text);
  expect(unfolded[0]).toBe('BEGIN:VCALENDAR');
  expect(unfolded[unfolded.length - 1]).toBe('END:VCALENDAR');
  // No floating date-times: every DTSTART/DTEND/DTSTAMP in a VEVENT is UTC or has a TZID.
  let inEvent = false;
  for (const line of unfolded) {
    if (line === 'BEGIN:VEVENT') inEvent = true;
    if (line === 'END:VEVENT') inEvent = false;
    if (inEvent && /^(DTSTART|DTEND|DTSTAMP)[;:]/.test(line)) {
      expect(line).toMatch(/^(DTSTAMP:\d{8}T\d{6}Z|(DTSTART|DTEND)(;TZID=Europe\/London:\d{8}T\d{6}|:\d{8}T\d{6}Z))$/);
    }
  }
}

afterEach(() => {
  ICAL.TimezoneService.reset();
});

describe('buildInvite REQUEST', () => {
  const text = buildInvite('REQUEST', INVITE_EVENT, {});
  const lines = contentLines(text);

  it('is well formed, with CRLF line ends and a final CRLF', () => {
    expectWellFormed(text);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('says METHOD:REQUEST and holds exactly one VEVENT and one VTIMEZONE', () => {
    const cal = parse(text);
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//Thresholds//Meeting booking//EN');
    expect(cal.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone', 'vevent']);
    expect(lines.filter((l) => l.startsWith('METHOD'))).toEqual(['METHOD:REQUEST']);
  });

  it('carries the stable UID, the given SEQUENCE and STATUS:CONFIRMED', () => {
    const event = onlyEvent(parse(text));
    expect(event.getFirstPropertyValue('uid')).toBe(BOOKING_UID);
    expect(event.getFirstPropertyValue('sequence')).toBe(0);
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('writes DTSTAMP in UTC', () => {
    expect(lines).toContain('DTSTAMP:20270301T120000Z');
    const event = onlyEvent(parse(text));
    const stamp = event.getFirstPropertyValue('dtstamp');
    expect(stamp).toBeInstanceOf(ICAL.Time);
    expect((stamp as InstanceType<typeof ICAL.Time>).zone.tzid).toBe('UTC');
    expect(instantOf(event, 'dtstamp')).toBe('2027-03-01T12:00:00.000Z');
  });

  it('defaults DTSTAMP to now, in UTC', () => {
    jest.useFakeTimers({ now: new Date('2027-10-31T01:30:45.678Z'), doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const fresh = buildInvite('REQUEST', { ...INVITE_EVENT, stamp: undefined }, {});
      expect(contentLines(fresh)).toContain('DTSTAMP:20271031T013045Z');
      expect(instantOf(onlyEvent(parse(fresh)), 'dtstamp')).toBe('2027-10-31T01:30:45.000Z');
    } finally {
      jest.useRealTimers();
    }
  });

  it('has one ORGANIZER as a mailto URI with a quoted CN', () => {
    expect(lines.filter((l) => l.startsWith('ORGANIZER'))).toEqual([
      'ORGANIZER;CN="Thresholds Meetings":mailto:meetings@thresholds.example.org',
    ]);
    const organizer = onlyEvent(parse(text)).getAllProperties('organizer');
    expect(organizer).toHaveLength(1);
    expect(organizer[0].getFirstValue()).toBe('mailto:meetings@thresholds.example.org');
    expect(organizer[0].getParameter('cn')).toBe('Thresholds Meetings');
  });

  it('has one ATTENDEE per invitee with ROLE, PARTSTAT and RSVP=FALSE (no replies are read)', () => {
    const attendees = onlyEvent(parse(text)).getAllProperties('attendee');
    expect(attendees).toHaveLength(2);
    expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
      'mailto:asha.patel@health.example.nhs.uk',
      'mailto:duty.team@police.example.gov.uk',
    ]);
    for (const attendee of attendees) {
      expect(attendee.getParameter('role')).toBe('REQ-PARTICIPANT');
      expect(attendee.getParameter('partstat')).toBe('NEEDS-ACTION');
      expect(attendee.getParameter('rsvp')).toBe('FALSE');
    }
    // A comma in a name is safe inside the quoted CN.
    expect(attendees[0].getParameter('cn')).toBe('Patel, Asha (Health)');
    expect(attendees[1].getParameter('cn')).toBeUndefined();
  });

  it('asks for replies (RSVP=TRUE) only when told that replies are read, in a one-off and a series invite', () => {
    const asking = buildInvite('REQUEST', { ...INVITE_EVENT, rsvp: true }, {});
    const rsvps = (ics: string) =>
      onlyEvent(parse(ics))
        .getAllProperties('attendee')
        .map((a) => a.getParameter('rsvp'));
    expect(rsvps(asking)).toEqual(['TRUE', 'TRUE']);
    expect(rsvps(buildInvite('REQUEST', { ...INVITE_EVENT, rsvp: false }, {}))).toEqual(['FALSE', 'FALSE']);
    const start = new Date('2027-03-08T10:00:00Z');
    const master = { ...INVITE_EVENT, rsvp: true, start, end: new Date('2027-03-08T12:00:00Z') };
    const series = buildSeriesInvite('REQUEST', {
      master,
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
      until: new Date('2027-04-05T10:00:00Z'),
      exdates: [],
      overrides: [
        {
          ...master,
          recurrenceId: new Date('2027-03-22T10:00:00Z'),
          start: new Date('2027-03-23T10:00:00Z'),
          end: new Date('2027-03-23T12:00:00Z'),
        },
      ],
    });
    const vevents = parse(series).getAllSubcomponents('vevent');
    expect(vevents).toHaveLength(2);
    for (const vevent of vevents)
      expect(vevent.getAllProperties('attendee').map((a) => a.getParameter('rsvp'))).toEqual(['TRUE', 'TRUE']);
  });

  it('writes DTSTART/DTEND as London wall time with TZID, backed by a full VTIMEZONE', () => {
    expect(lines).toContain('DTSTART;TZID=Europe/London:20270405T100000');
    expect(lines).toContain('DTEND;TZID=Europe/London:20270405T103000');

    const vtimezones = parse(text).getAllSubcomponents('vtimezone');
    expect(vtimezones).toHaveLength(1);
    const vtz = vtimezones[0];
    expect(vtz.getFirstPropertyValue('tzid')).toBe('Europe/London');
    const daylight = vtz.getAllSubcomponents('daylight');
    const standard = vtz.getAllSubcomponents('standard');
    expect(daylight).toHaveLength(1);
    expect(standard).toHaveLength(1);
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU');
    expect(String(daylight[0].getFirstPropertyValue('rrule'))).toBe('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    expect(String(standard[0].getFirstPropertyValue('rrule'))).toBe('FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU');
    expect(String(daylight[0].getFirstPropertyValue('tzoffsetto'))).toBe('+01:00');
    expect(String(standard[0].getFirstPropertyValue('tzoffsetto'))).toBe('+00:00');

    const event = onlyEvent(parseWithTimezones(text));
    expect(instantOf(event, 'dtstart')).toBe('2027-04-05T09:00:00.000Z');
    expect(instantOf(event, 'dtend')).toBe('2027-04-05T09:30:00.000Z');
  });

  it('puts the online link in DESCRIPTION and CONFERENCE, and the link back in URL and DESCRIPTION', () => {
    const event = onlyEvent(parse(text));
    expect(textOf(event, 'description')).toBe(
      'Please join a few minutes early.\n\n' +
        'Join online: https://meet.example.org/j/8372-1150-4471\n\n' +
        'Details: https://thresholds.example.org/meetings/TRM-2027-0042',
    );
    expect(event.getFirstPropertyValue('url')).toBe('https://thresholds.example.org/meetings/TRM-2027-0042');
    const conference = event.getFirstProperty('conference');
    expect(conference?.type).toBe('uri');
    expect(conference?.getFirstValue()).toBe('https://meet.example.org/j/8372-1150-4471');
    expect(conference?.getParameter('feature')).toBe('VIDEO');
    expect(conference?.getParameter('label')).toBe('Join online');
    expect(textOf(event, 'location')).toBe('Civic Centre, Room 2.14');
  });

  it('emits exactly the expected properties and no alarms or other components', () => {
    const event = onlyEvent(parse(text));
    expect(propertyNames(event)).toEqual(VEVENT_INVITE_PROPS);
    expect(event.getAllSubcomponents()).toHaveLength(0);
    expect(propertyNames(parse(text))).toEqual(['version', 'prodid', 'method']);
  });

  it('uses a custom PRODID when given', () => {
    const custom = buildInvite('REQUEST', plainEvent(), { prodId: '-//Example SCP//Thresholds 1.0//EN' });
    expect(parse(custom).getFirstPropertyValue('prodid')).toBe('-//Example SCP//Thresholds 1.0//EN');
    expect(contentLines(custom)).toContain('PRODID:-//Example SCP//Thresholds 1.0//EN');
  });

  it('keeps STATUS:TENTATIVE on a REQUEST', () => {
    const tentative = buildInvite('REQUEST', plainEvent({ status: 'TENTATIVE' }), {});
    expect(onlyEvent(parse(tentative)).getFirstPropertyValue('status')).toBe('TENTATIVE');
  });

  it('gives the matching MIME type', () => {
    expect(calendarContentType('REQUEST')).toBe('text/calendar; charset=UTF-8; method=REQUEST');
    expect(calendarContentType('CANCEL')).toBe('text/calendar; charset=UTF-8; method=CANCEL');
  });
});

describe('update and cancel', () => {
  const invite = onlyEvent(parse(buildInvite('REQUEST', INVITE_EVENT, {})));
  const updateText = buildInvite('REQUEST', UPDATE_EVENT, {});
  const cancelText = buildInvite('CANCEL', CANCEL_EVENT, {});

  it('an update keeps the UID, raises SEQUENCE and stays a REQUEST', () => {
    expectWellFormed(updateText);
    const cal = parseWithTimezones(updateText);
    const update = onlyEvent(cal);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(update.getFirstPropertyValue('uid')).toBe(invite.getFirstPropertyValue('uid'));
    expect(update.getFirstPropertyValue('sequence')).toBe(1);
    expect(update.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(textOf(update, 'location')).toBe('Civic Centre, Room 1.02');
    expect(contentLines(updateText)).toContain('DTSTART;TZID=Europe/London:20271101T140000');
    expect(instantOf(update, 'dtstart')).toBe('2027-11-01T14:00:00.000Z');
    expect(update.getAllProperties('attendee')).toHaveLength(2);
  });

  it('a cancel keeps the UID, raises SEQUENCE again and says CANCEL/CANCELLED', () => {
    expectWellFormed(cancelText);
    const cal = parseWithTimezones(cancelText);
    const cancel = onlyEvent(cal);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(contentLines(cancelText).filter((l) => l.startsWith('METHOD'))).toEqual(['METHOD:CANCEL']);
    expect(cancel.getFirstPropertyValue('uid')).toBe(BOOKING_UID);
    expect(cancel.getFirstPropertyValue('sequence')).toBe(2);
    expect(cancel.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(instantOf(cancel, 'dtstart')).toBe('2027-11-01T14:00:00.000Z');
    expect(cancel.getAllProperties('organizer')).toHaveLength(1);
    const attendees = cancel.getAllProperties('attendee');
    expect(attendees).toHaveLength(2);
    for (const attendee of attendees) {
      expect(attendee.getParameter('role')).toBe('REQ-PARTICIPANT');
      expect(attendee.getParameter('partstat')).toBe('NEEDS-ACTION');
      expect(attendee.getParameter('rsvp')).toBe('FALSE');
    }
    expect(cal.getAllSubcomponents('vtimezone')).toHaveLength(1);
  });

  it('CANCEL forces STATUS:CANCELLED whatever status it is given', () => {
    const forced = buildInvite('CANCEL', { ...CANCEL_EVENT, status: 'CONFIRMED' }, {});
    expect(onlyEvent(parse(forced)).getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(forced).toBe(cancelText);
  });

  it('refuses a REQUEST carrying STATUS:CANCELLED', () => {
    expect(() => buildInvite('REQUEST', CANCEL_EVENT, {})).toThrow(CalendarInputError);
  });
});

describe('London local times around the clock changes', () => {
  // Last Sunday of March 2027 is the 28th, of October 2027 the 31st: Monday 25 October 2027 is
  // still BST (09:00Z); the first GMT Monday is 1 November.
  const cases: Array<[string, string, string]> = [
    ['2027-03-22 (GMT)', '2027-03-22T10:00:00.000Z', '20270322T100000'],
    ['2027-03-28 (BST from 01:00 UTC)', '2027-03-28T09:00:00.000Z', '20270328T100000'],
    ['2027-04-05 (BST)', '2027-04-05T09:00:00.000Z', '20270405T100000'],
    ['2027-10-18 (BST)', '2027-10-18T09:00:00.000Z', '20271018T100000'],
    ['2027-10-25 (still BST)', '2027-10-25T09:00:00.000Z', '20271025T100000'],
    ['2027-10-31 (GMT from 01:00 UTC)', '2027-10-31T10:00:00.000Z', '20271031T100000'],
    ['2027-11-01 (GMT)', '2027-11-01T10:00:00.000Z', '20271101T100000'],
    ['2028-03-20 (GMT)', '2028-03-20T10:00:00.000Z', '20280320T100000'],
  ];

  it.each(cases)('a 10:00 London meeting on %s', (_label, instant, wall) => {
    const start = new Date(instant);
    const end = new Date(start.getTime() + 60 * 60 * 1000);
    const text = buildInvite('REQUEST', plainEvent({ start, end }), {});
    expectWellFormed(text);
    expect(contentLines(text)).toContain(`DTSTART;TZID=Europe/London:${wall}`);
    expect(contentLines(text)).toContain(`DTEND;TZID=Europe/London:${wall.slice(0, 9)}110000`);
    const event = onlyEvent(parseWithTimezones(text));
    expect(instantOf(event, 'dtstart')).toBe(instant);
    expect(instantOf(event, 'dtend')).toBe(end.toISOString());
  });

  it('ical.js gets the BST instant from our VTIMEZONE (and not without it)', () => {
    const text = buildInvite('REQUEST', plainEvent(), {});
    expect(instantOf(onlyEvent(parseWithTimezones(text)), 'dtstart')).toBe('2027-04-05T09:00:00.000Z');
    // The same event with the VTIMEZONE cut out: ical.js has no other source for London's rules.
    const withoutVtimezone = text.replace(/BEGIN:VTIMEZONE\r\n[\s\S]*?END:VTIMEZONE\r\n/, '');
    expect(withoutVtimezone).not.toContain('VTIMEZONE');
    expect(instantOf(onlyEvent(parseWithTimezones(withoutVtimezone)), 'dtstart')).not.toBe('2027-04-05T09:00:00.000Z');
  });

  it('crosses the spring gap: 01:00 UTC on 28 March 2027 is 02:00 BST', () => {
    const start = new Date('2027-03-28T01:00:00Z');
    const text = buildInvite('REQUEST', plainEvent({ start, end: new Date('2027-03-28T02:00:00Z') }), {});
    expect(contentLines(text)).toContain('DTSTART;TZID=Europe/London:20270328T020000');
    expect(contentLines(text)).toContain('DTEND;TZID=Europe/London:20270328T030000');
    expect(instantOf(onlyEvent(parseWithTimezones(text)), 'dtstart')).toBe(start.toISOString());
  });

  // 01:00–01:59 on 31 October 2027 happens twice (BST, then GMT). RFC 5545 reads such a TZID
  // time as the first occurrence, ical.js as the second: such events are written in UTC.
  it.each([
    ['first (BST) occurrence', '2027-10-31T00:30:00.000Z', '20271031T003000Z'],
    ['second (GMT) occurrence', '2027-10-31T01:30:00.000Z', '20271031T013000Z'],
  ])('writes an ambiguous 01:30 London time (%s) in UTC', (_label, instant, utc) => {
    const start = new Date(instant);
    const end = new Date(start.getTime() + 30 * 60 * 1000);
    const text = buildInvite('REQUEST', plainEvent({ start, end }), {});
    expectWellFormed(text);
    expect(contentLines(text)).toContain(`DTSTART:${utc}`);
    expect(text).not.toContain('TZID=Europe/London:20271031T01');
    const event = onlyEvent(parseWithTimezones(text));
    expect(instantOf(event, 'dtstart')).toBe(instant);
    expect(instantOf(event, 'dtend')).toBe(end.toISOString());
  });

  it('keeps TZID for 02:00 GMT on 31 October 2027, which is not ambiguous', () => {
    const start = new Date('2027-10-31T02:00:00Z');
    const text = buildInvite('REQUEST', plainEvent({ start, end: new Date('2027-10-31T03:00:00Z') }), {});
    expect(contentLines(text)).toContain('DTSTART;TZID=Europe/London:20271031T020000');
    expect(instantOf(onlyEvent(parseWithTimezones(text)), 'dtstart')).toBe(start.toISOString());
  });
});

describe('buildFeed', () => {
  const text = buildFeed(FEED_EVENTS, FEED_OPTIONS);
  const lines = contentLines(text);

  it('is a well-formed PUBLISH calendar with name, description, refresh and TTL', () => {
    expectWellFormed(text);
    const cal = parse(text);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(unknownTextOf(cal, 'name')).toBe('Thresholds – my meetings');
    expect(unknownTextOf(cal, 'x-wr-calname')).toBe('Thresholds – my meetings');
    expect(unknownTextOf(cal, 'x-wr-caldesc')).toBe('Your Thresholds and Referrals Meeting bookings');
    expect(lines).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(lines).toContain('X-PUBLISHED-TTL:PT1H');
    expect(String(cal.getFirstPropertyValue('refresh-interval'))).toBe('PT1H');
    expect(cal.getFirstProperty('refresh-interval')?.type).toBe('duration');
  });

  it('keeps every event, the cancelled one with STATUS:CANCELLED', () => {
    const events = parseWithTimezones(text).getAllSubcomponents('vevent');
    expect(events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(FEED_EVENTS.map((e) => e.uid));
    expect(events.map((e) => e.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CONFIRMED', 'CANCELLED']);
    expect(events.map((e) => e.getFirstPropertyValue('sequence'))).toEqual([0, 0, 2]);
    expect(events.map((e) => instantOf(e, 'dtstart'))).toEqual([
      '2027-03-22T10:00:00.000Z',
      '2027-04-05T09:00:00.000Z',
      '2027-11-01T14:00:00.000Z',
    ]);
  });

  it('carries ORGANIZER but no ATTENDEE, and one VTIMEZONE for all events', () => {
    const cal = parse(text);
    for (const event of cal.getAllSubcomponents('vevent')) {
      expect(event.getAllProperties('attendee')).toHaveLength(0);
      expect(event.getFirstProperty('organizer')?.getFirstValue()).toBe('mailto:meetings@thresholds.example.org');
    }
    expect(text).not.toContain('ATTENDEE');
    expect(text).not.toContain('RSVP');
    expect(cal.getAllSubcomponents('vtimezone')).toHaveLength(1);
  });

  it('never says REQUEST or CANCEL', () => {
    expect(lines.filter((l) => l.startsWith('METHOD'))).toEqual(['METHOD:PUBLISH']);
  });

  it.each([
    [30, 'PT30M'],
    [90, 'PT1H30M'],
    [1440, 'P1D'],
  ])('refreshMinutes %d gives %s', (minutes, duration) => {
    const feed = buildFeed([], { name: 'x', refreshMinutes: minutes });
    expect(contentLines(feed)).toContain(`REFRESH-INTERVAL;VALUE=DURATION:${duration}`);
    expect(contentLines(feed)).toContain(`X-PUBLISHED-TTL:${duration}`);
  });

  it('an empty feed is still a valid calendar', () => {
    const feed = buildFeed([], { name: 'Empty' });
    expectWellFormed(feed);
    const cal = parse(feed);
    expect(cal.getAllSubcomponents()).toHaveLength(0);
    expect(unknownTextOf(cal, 'x-wr-calname')).toBe('Empty');
  });

  it('refuses duplicate UIDs and a bad refresh interval or name', () => {
    expect(() => buildFeed([plainEvent(), plainEvent()], { name: 'x' })).toThrow(CalendarInputError);
    expect(() => buildFeed([], { name: 'x', refreshMinutes: 0 })).toThrow(CalendarInputError);
    expect(() => buildFeed([], { name: 'x', refreshMinutes: 1.5 })).toThrow(CalendarInputError);
    expect(() => buildFeed([], { name: ' \r\n ' })).toThrow(CalendarInputError);
  });
});

describe('escaping and injection', () => {
  const payloads = [
    'Room 1\r\nEND:VEVENT\r\nBEGIN:VEVENT',
    'A;B,C\\D',
    'x\rATTENDEE:mailto:evil@example.com',
    'x\nORGANIZER:mailto:evil@example.com',
    'x\r\n STATUS:CANCELLED',
    'x\u2028STATUS:CANCELLED\u2029URL:https://evil.example\u0085DTSTART:20000101T000000Z',
    'x\u000bSUMMARY:y\u000cSUMMARY:z\u0000\u0007\u001b[0m',
    'semi;colon, comma\\n not a newline: colon "quote" \t tab',
    '\\',
    ';',
  ];
  // What a compliant reader must get back: line breaks normalised to \n, other controls gone.
  const expectedText = (value: string): string => cleanText(value);

  it('cleanText normalises line breaks and drops control characters', () => {
    expect(cleanText('a\r\nb\rc\nd\u2028e\u2029f\u0085g\u000bh\u000ci')).toBe('a\nb\nc\nd\ne\nf\ng\nh\ni');
    expect(cleanText('a\u0000b\u0007c\u007fd\u009be\tf')).toBe('abcde\tf');
    expect(cleanText('A;B,C\\D')).toBe('A;B,C\\D');
    expect(cleanText('lone \uD800 surrogate \uDC00 😀')).toBe('lone \uFFFD surrogate \uFFFD 😀');
  });

  it.each(payloads.map((p) => [JSON.stringify(p), p]))(
    'SUMMARY, LOCATION and DESCRIPTION round-trip %s as text',
    (_label, payload) => {
      const text = buildInvite(
        'REQUEST',
        plainEvent({ summary: `S ${payload}`, location: payload, description: payload }),
        {},
      );
      expectWellFormed(text);
      const cal = parse(text);
      expect(cal.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone', 'vevent']);
      const event = onlyEvent(cal);
      expect(propertyNames(event)).toEqual([
        'uid',
        'sequence',
        'dtstamp',
        'dtstart',
        'dtend',
        'summary',
        'location',
        'description',
        'status',
        'organizer',
        'attendee',
      ]);
      expect(textOf(event, 'summary')).toBe(expectedText(`S ${payload}`));
      expect(textOf(event, 'location')).toBe(expectedText(payload));
      expect(textOf(event, 'description')).toBe(expectedText(payload));
      expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(event.getFirstPropertyValue('uid')).toBe(plainEvent().uid);
    },
  );

  it('escapes the TEXT specials exactly as RFC 5545 says', () => {
    const text = buildInvite(
      'REQUEST',
      plainEvent({ summary: 'A;B,C\\D', location: 'Room 1\r\nEND:VEVENT\r\nBEGIN:VEVENT' }),
      {},
    );
    expect(contentLines(text)).toContain('SUMMARY:A\\;B\\,C\\\\D');
    expect(contentLines(text)).toContain('LOCATION:Room 1\\nEND:VEVENT\\nBEGIN:VEVENT');
    expect(contentLines(text).filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(contentLines(text).filter((l) => l === 'END:VEVENT')).toHaveLength(1);
  });

  it.each(payloads.map((p) => [JSON.stringify(p), p]))(
    'feed NAME and description round-trip %s as text',
    (_label, payload) => {
      const text = buildFeed([plainEvent()], { name: `N ${payload}`, description: payload });
      expectWellFormed(text);
      const cal = parse(text);
      expect(propertyNames(cal)).toEqual([
        'version',
        'prodid',
        'method',
        'name',
        'x-wr-calname',
        'x-wr-caldesc',
        'refresh-interval',
        'x-published-ttl',
      ]);
      expect(unknownTextOf(cal, 'name')).toBe(expectedText(`N ${payload}`));
      expect(unknownTextOf(cal, 'x-wr-calname')).toBe(expectedText(`N ${payload}`));
      expect(unknownTextOf(cal, 'x-wr-caldesc')).toBe(expectedText(payload));
      expect(cal.getAllSubcomponents('vevent')).toHaveLength(1);
    },
  );

  const namePayloads = [
    ...payloads,
    'x";ROLE=CHAIR;X="',
    'x\\";ROLE=NON-PARTICIPANT;RSVP=FALSE:mailto:evil@example.com',
    'Smith, Jo; Dr: "JJ" \\ Ltd',
  ];

  it.each(namePayloads.map((p) => [JSON.stringify(p), p]))(
    'ORGANIZER and ATTENDEE CN stay one safely quoted parameter for %s',
    (_label, payload) => {
      const text = buildInvite(
        'REQUEST',
        plainEvent({
          organizer: { email: 'meetings@thresholds.example.org', name: payload },
          attendees: [
            { email: 'a.worker@example.org', name: payload },
            { email: 'b.worker@example.org', name: 'B Worker' },
          ],
        }),
        {},
      );
      expectWellFormed(text);
      const event = onlyEvent(parse(text));
      const organizers = event.getAllProperties('organizer');
      expect(organizers).toHaveLength(1);
      expect(organizers[0].getFirstValue()).toBe('mailto:meetings@thresholds.example.org');
      expect(Object.keys(organizers[0].toJSON()[1] as object)).toEqual(['cn']);

      const attendees = event.getAllProperties('attendee');
      expect(attendees).toHaveLength(2);
      expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
        'mailto:a.worker@example.org',
        'mailto:b.worker@example.org',
      ]);
      for (const attendee of attendees) {
        expect(attendee.toJSON()[1]).toEqual({
          role: 'REQ-PARTICIPANT',
          partstat: 'NEEDS-ACTION',
          rsvp: 'FALSE',
          cn: expect.any(String),
        });
      }
      // Read back as typed (ical.js decodes RFC 6868), minus only what no text may carry.
      const cleaned = cleanName(payload);
      expect(cleaned).not.toMatch(/[\r\u0000-\u0009\u000b-\u001f]/);
      // RFC 5545 has no backslash escapes in parameters, but ical.js reads a typed "\n" there as a newline.
      const asRead = cleaned.replace(/\\n/g, '\n');
      expect(organizers[0].getParameter('cn')).toBe(asRead);
      expect(attendees[0].getParameter('cn')).toBe(asRead);
      expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
    },
  );

  it('keeps names as typed: quoted, with RFC 6868 carets for DQUOTE, newline and ^', () => {
    expect(cleanName('Patel, Asha; Health: Team')).toBe('Patel, Asha; Health: Team');
    expect(cleanName('Jo "JJ" O\'Neil')).toBe('Jo "JJ" O\'Neil');
    expect(cleanName('DOMAIN\\user')).toBe('DOMAIN\\user');
    expect(cleanName('Room 1\r\nEND:VEVENT')).toBe('Room 1\nEND:VEVENT');
    const text = buildInvite(
      'REQUEST',
      plainEvent({ attendees: [{ email: 'a.worker@example.org', name: 'Jo "JJ" Smith^2, DOMAIN\\jo' }] }),
      {},
    );
    expect(text.replace(/\r\n /g, '')).toContain(
      `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE;CN="Jo ^'JJ^' Smith^^2, DOMAIN\\jo":mailto:a.worker@example.org`,
    );
    const attendee = onlyEvent(parse(text)).getFirstProperty('attendee')!;
    expect(attendee.getParameter('cn')).toBe('Jo "JJ" Smith^2, DOMAIN\\jo');
  });

  it('organizer without a name falls back to the address as CN', () => {
    const text = buildInvite('REQUEST', plainEvent({ organizer: { email: 'meetings@thresholds.example.org' } }), {});
    expect(contentLines(text)).toContain(
      'ORGANIZER;CN="meetings@thresholds.example.org":mailto:meetings@thresholds.example.org',
    );
  });

  it('writes URIs verbatim (no TEXT escaping) and TEXT-escapes them inside DESCRIPTION', () => {
    const url = 'https://thresholds.example.org/meetings/1?a=1,2;3';
    const text = buildInvite('REQUEST', plainEvent({ url, onlineUrl: `${url}&b=4` }), {});
    expect(contentLines(text)).toContain(`URL;VALUE=URI:${url}`);
    const event = onlyEvent(parse(text));
    expect(event.getFirstPropertyValue('url')).toBe(url);
    expect(event.getFirstProperty('conference')?.getFirstValue()).toBe(`${url}&b=4`);
    expect(textOf(event, 'description')).toBe(`Join online: ${url}&b=4\n\nDetails: ${url}`);
  });

  it('folds long UTF-8 lines at 75 octets without splitting characters, and they round-trip', () => {
    const summary =
      'Thresholds and Referrals Meeting: slot 3 (TRM-2027-0042) — ' +
      'Zoë Ångström, Łódź, 会議室, Ελληνικά, 🚸🧒🏽👨‍👩‍👧, ; , \\ '.repeat(8);
    const description = 'é'.repeat(200) + '\n' + '😀'.repeat(100);
    const text = buildInvite('REQUEST', plainEvent({ summary, description }), {});
    expectWellFormed(text);
    const physical = physicalLines(text);
    expect(physical.some((l) => l.startsWith(' '))).toBe(true);
    expect(Math.max(...physical.map((l) => Buffer.byteLength(l, 'utf8')))).toBeGreaterThan(70);
    const event = onlyEvent(parse(text));
    expect(textOf(event, 'summary')).toBe(summary);
    expect(textOf(event, 'description')).toBe(description);
  });

  it('outputs only what it is given: no invented text or properties', () => {
    const summary = 'Thresholds and Referrals Meeting: slot 4 (TRM-2027-0099)';
    const description = 'Agenda to follow.';
    const location = 'Civic Centre, Room 2.14';
    const text = buildInvite('REQUEST', plainEvent({ summary, description, location }), {});
    const event = onlyEvent(parse(text));
    expect(textOf(event, 'summary')).toBe(summary);
    expect(textOf(event, 'description')).toBe(description);
    expect(textOf(event, 'location')).toBe(location);
    expect(propertyNames(event)).toEqual([
      'uid',
      'sequence',
      'dtstamp',
      'dtstart',
      'dtend',
      'summary',
      'location',
      'description',
      'status',
      'organizer',
      'attendee',
    ]);
    // Every TEXT value in the VEVENT is one of the inputs.
    const eventLines = contentLines(text);
    const texts = eventLines
      .slice(eventLines.indexOf('BEGIN:VEVENT'), eventLines.indexOf('END:VEVENT'))
      .filter((l) => /^(SUMMARY|DESCRIPTION|LOCATION|COMMENT|CATEGORIES|X-)/.test(l))
      .map((l) => l.slice(l.indexOf(':') + 1));
    expect(texts.sort()).toEqual([summary, description, location.replace(',', '\\,')].sort());

    const bare = buildInvite('REQUEST', plainEvent(), {});
    const bareEvent = onlyEvent(parse(bare));
    expect(bareEvent.getFirstProperty('description')).toBeNull();
    expect(bareEvent.getFirstProperty('location')).toBeNull();
    expect(textOf(bareEvent, 'summary')).toBe(plainEvent().summary);
  });
});

describe('input validation', () => {
  it.each([
    ['uid with CRLF', { uid: 'booking-1@x.org\r\nSTATUS:CANCELLED' }],
    ['uid with a space', { uid: 'booking 1@x.org' }],
    ['uid with a semicolon', { uid: 'booking;1@x.org' }],
    ['empty uid', { uid: '' }],
    ['negative sequence', { sequence: -1 }],
    ['fractional sequence', { sequence: 1.5 }],
    ['invalid start', { start: new Date('nope') }],
    ['end before start', { end: new Date('2027-04-05T08:00:00Z') }],
    ['end equal to start', { end: new Date('2027-04-05T09:00:00Z') }],
    ['empty summary', { summary: ' \r\n ' }],
    ['organizer e-mail with CRLF', { organizer: { email: 'a@x.org\r\nATTENDEE:mailto:b@x.org' } }],
    ['attendee e-mail with a quote', { attendees: [{ email: '"a"@x.org' }] }],
    ['attendee e-mail with a semicolon', { attendees: [{ email: 'a;b@x.org' }] }],
    ['attendee e-mail with a query', { attendees: [{ email: 'a?cc=b@x.org' }] }],
    ['no attendees', { attendees: [] }],
    ['javascript: url', { url: 'javascript:alert(1)' }],
    ['relative url', { url: '/meetings/1' }],
    ['url with CRLF', { url: 'https://x.org/a\r\nEND:VEVENT' }],
    ['online url with a space', { onlineUrl: 'https://x.org/a b' }],
  ])('refuses %s', (_label, overrides) => {
    expect(() => buildInvite('REQUEST', plainEvent(overrides as Partial<CalendarEventInput>), {})).toThrow(
      CalendarInputError,
    );
  });

  it('refuses an unknown method', () => {
    expect(() => buildInvite('PUBLISH' as 'REQUEST', plainEvent(), {})).toThrow(CalendarInputError);
  });

  it('writes each attendee address once', () => {
    const text = buildInvite(
      'REQUEST',
      plainEvent({
        attendees: [
          { email: 'a.worker@example.org', name: 'A' },
          { email: 'A.Worker@example.org', name: 'A again' },
        ],
      }),
      {},
    );
    expect(onlyEvent(parse(text)).getAllProperties('attendee')).toHaveLength(1);
  });
});

const SERIES_UID = 'series-7d1e0c52-5a9b-4c11-8e0f-2b6f4a9c1d33@thresholds.example.org';

/**
 * Fortnightly on Mondays, 10:00–12:00 London, from 15 March 2027 (GMT) to 26 July 2027 (BST):
 * Easter Monday (29 March) is skipped, 26 April is moved to the afternoon in another room.
 */
const SERIES: SeriesEventInput = {
  master: {
    uid: SERIES_UID,
    sequence: 2,
    status: 'CONFIRMED',
    start: new Date('2027-03-15T10:00:00Z'),
    end: new Date('2027-03-15T12:00:00Z'),
    summary: 'Thresholds and Referrals Meeting',
    description: 'The Thresholds and Referrals Meeting. The agenda is in the service.',
    location: 'Civic Centre, Room 2.14',
    url: 'https://thresholds.example.org/series/7d1e0c52',
    organizer: ORGANIZER,
    attendees: ATTENDEES,
    stamp: new Date('2027-03-01T12:00:00Z'),
  },
  rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
  until: new Date('2027-07-26T09:00:00Z'),
  exdates: [new Date('2027-03-29T09:00:00Z')],
  overrides: [],
};
const SERIES_OVERRIDE: CalendarEventInput = {
  ...SERIES.master,
  recurrenceId: new Date('2027-04-26T09:00:00Z'),
  start: new Date('2027-04-26T13:00:00Z'),
  end: new Date('2027-04-26T14:30:00Z'),
  location: 'Police station, Room 1',
};
const SERIES_WITH_OVERRIDE: SeriesEventInput = { ...SERIES, overrides: [SERIES_OVERRIDE] };
/** One instance cancelled on its own: a CANCEL of the series' UID with that RECURRENCE-ID. */
const INSTANCE_CANCEL: CalendarEventInput = {
  ...SERIES.master,
  sequence: 3,
  recurrenceId: new Date('2027-05-10T09:00:00Z'),
  start: new Date('2027-05-10T09:00:00Z'),
  end: new Date('2027-05-10T11:00:00Z'),
};

describe('host time zone independence', () => {
  // Jest's global setup pins TZ=America/New_York for the whole run and the test sandbox cannot
  // change the zone of its own process, so render the golden inputs in child processes that
  // really run in other zones and compare with this process's output.
  const zones = ['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Europe/London', 'UTC'];
  const root = path.resolve(__dirname, '..', '..', '..');
  const script = `
    const m = require(${JSON.stringify(path.join(__dirname, 'calendar-event.ts'))});
    const revive = (k, v) =>
      ['start', 'end', 'stamp', 'until', 'recurrenceId'].includes(k) ? new Date(v) : k === 'exdates' ? v.map((d) => new Date(d)) : v;
    const input = JSON.parse(process.env.ICAL_TEST_INPUT, revive);
    process.stdout.write(JSON.stringify({
      offset: new Date('2027-01-15T12:00:00Z').getTimezoneOffset(),
      outputs: [
        m.buildInvite('REQUEST', input.invite, {}),
        m.buildInvite('REQUEST', input.update, {}),
        m.buildInvite('CANCEL', input.cancel, {}),
        m.buildFeed(input.feed, input.feedOptions),
        m.buildSeriesInvite('REQUEST', input.series),
      ],
    }));
  `;
  const input = JSON.stringify({
    invite: INVITE_EVENT,
    update: UPDATE_EVENT,
    cancel: CANCEL_EVENT,
    feed: FEED_EVENTS,
    feedOptions: FEED_OPTIONS,
    series: SERIES_WITH_OVERRIDE,
  });

  it('produces the same bytes whatever TZ the host runs in', async () => {
    // Rendered in this process; the golden-file tests pin these to the committed bytes.
    const expected = [
      buildInvite('REQUEST', INVITE_EVENT, {}),
      buildInvite('REQUEST', UPDATE_EVENT, {}),
      buildInvite('CANCEL', CANCEL_EVENT, {}),
      buildFeed(FEED_EVENTS, FEED_OPTIONS),
      buildSeriesInvite('REQUEST', SERIES_WITH_OVERRIDE),
    ];
    const results = await Promise.all(
      zones.map(
        (zone) =>
          new Promise<{ offset: number; outputs: string[] }>((resolve, reject) => {
            execFile(
              process.execPath,
              ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script],
              { cwd: root, env: { ...process.env, TZ: zone, ICAL_TEST_INPUT: input }, timeout: 30000 },
              (error, stdout, stderr) =>
                error ? reject(new Error(`${zone}: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
            );
          }),
      ),
    );
    for (const result of results) {
      expect(result.outputs).toEqual(expected);
    }
    // The children really ran in different zones (New York, Kolkata, Chatham, London/UTC).
    expect(new Set(results.map((r) => r.offset)).size).toBe(4);
  }, 60000);
});

const UNINVITE_EVENT: CalendarEventInput = { ...CANCEL_EVENT, attendees: CANCEL_EVENT.attendees.slice(0, 1) };

describe('un-invite (RFC 5546 §3.2.5)', () => {
  const text = buildInvite('CANCEL', UNINVITE_EVENT, { removesAttendees: true });
  it('is a CANCEL listing only the removed attendee, with the same UID and no STATUS:CANCELLED', () => {
    const cal = parse(text);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    const event = onlyEvent(cal);
    expect(event.getFirstPropertyValue('uid')).toBe(CANCEL_EVENT.uid);
    expect(event.getAllProperties('attendee').map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
      `mailto:${CANCEL_EVENT.attendees[0].email.toLowerCase()}`,
    ]);
    expect(event.getFirstProperty('status')).toBeNull();
  });
  it('is refused on a REQUEST', () => {
    expect(() => buildInvite('REQUEST', INVITE_EVENT, { removesAttendees: true })).toThrow(CalendarInputError);
  });
});

describe('a recurring series (buildSeriesInvite)', () => {
  it('is one master with RRULE, UNTIL in UTC and EXDATE in London time, and each override under the same UID', () => {
    const cal = parseWithTimezones(buildSeriesInvite('REQUEST', SERIES_WITH_OVERRIDE));
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const [master, override, ...more] = cal.getAllSubcomponents('vevent');
    expect(more).toHaveLength(0);
    expect(master.getFirstPropertyValue('uid')).toBe(SERIES_UID);
    expect(override.getFirstPropertyValue('uid')).toBe(SERIES_UID);
    expect(String(master.getFirstPropertyValue('rrule'))).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20270726T090000Z',
    );
    expect(master.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/London');
    expect(master.getFirstProperty('exdate')!.getParameter('tzid')).toBe('Europe/London');
    expect(instantOf(master, 'exdate')).toBe('2027-03-29T09:00:00.000Z');
    expect(master.getFirstProperty('recurrence-id')).toBeNull();
    expect(override.getFirstProperty('recurrence-id')!.getParameter('tzid')).toBe('Europe/London');
    expect(instantOf(override, 'recurrence-id')).toBe('2027-04-26T09:00:00.000Z');
    expect(instantOf(override, 'dtstart')).toBe('2027-04-26T13:00:00.000Z');
    expect(override.getFirstPropertyValue('sequence')).toBe(2);
    expect(override.getFirstProperty('rrule')).toBeNull();
  });

  it('writes one EXDATE line per date, in order', () => {
    const text = buildSeriesInvite('REQUEST', {
      ...SERIES,
      exdates: [new Date('2027-05-24T09:00:00Z'), new Date('2027-03-29T09:00:00Z')],
    });
    expect(contentLines(text).filter((l) => l.startsWith('EXDATE'))).toEqual([
      'EXDATE;TZID=Europe/London:20270329T100000',
      'EXDATE;TZID=Europe/London:20270524T100000',
    ]);
  });

  it('a CANCEL of the whole series is the master alone; with removesAttendees it has no STATUS', () => {
    const all = onlyEvent(parse(buildSeriesInvite('CANCEL', SERIES)));
    expect(all.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(String(all.getFirstPropertyValue('rrule'))).toContain('FREQ=WEEKLY');
    const one = onlyEvent(parse(buildSeriesInvite('CANCEL', SERIES, { removesAttendees: true })));
    expect(one.getFirstProperty('status')).toBeNull();
  });

  it('one instance cancelled on its own is a CANCEL with its RECURRENCE-ID and no rule', () => {
    const event = onlyEvent(parseWithTimezones(buildInvite('CANCEL', INSTANCE_CANCEL)));
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(instantOf(event, 'recurrence-id')).toBe('2027-05-10T09:00:00.000Z');
    expect(event.getFirstProperty('rrule')).toBeNull();
  });

  /** Each refusal's own message, so a test cannot pass on another check's error. */
  const REFUSALS: Record<string, string> = {
    'overrides in a CANCEL': 'A CANCEL of a whole series carries the master alone, with no overrides',
    'a master with a recurrenceId': 'The master of a series has no recurrenceId',
    'a rule with UNTIL': 'rrule must be a weekly or monthly RRULE value without UNTIL or COUNT',
    'a rule with COUNT': 'rrule must be a weekly or monthly RRULE value without UNTIL or COUNT',
    'a daily rule': 'rrule must be a weekly or monthly RRULE value without UNTIL or COUNT',
    'a rule with a line break': 'rrule must be a weekly or monthly RRULE value without UNTIL or COUNT',
    'until before the first instance': 'until must not be before the first instance',
    'an EXDATE before the first instance': 'exdate must fall between the first instance and until',
    'an EXDATE after until': 'exdate must fall between the first instance and until',
    'an EXDATE that is no date': 'exdate must be a valid Date',
    'an override of another UID': 'Every override carries the series UID',
    'an override of another SEQUENCE': "Every override carries the series' SEQUENCE",
    'an override with no recurrenceId': 'recurrenceId must be a valid Date',
    'two overrides of one instance': 'Two overrides of the same instance',
    'an instance both excluded and overridden': 'An instance cannot be both an exdate and an override',
    'a cancelled override in a REQUEST':
      'A cancelled event must be sent with METHOD:CANCEL, not REQUEST (clients would keep it)',
    'an override with no attendee': 'An invite needs at least one attendee',
    'a master with no attendee': 'An invite needs at least one attendee',
    'a series starting in the repeated hour of October':
      'A series cannot start in the hour that repeats when the clocks go back',
    'an instance in the repeated hour':
      'An instance of a series cannot start in the hour that repeats when the clocks go back',
  };
  const refused: Array<[string, () => string]> = [
    ['overrides in a CANCEL', () => buildSeriesInvite('CANCEL', SERIES_WITH_OVERRIDE)],
    ['a master with a recurrenceId', () => buildSeriesInvite('REQUEST', { ...SERIES, master: SERIES_OVERRIDE })],
    [
      'a rule with UNTIL',
      () => buildSeriesInvite('REQUEST', { ...SERIES, rrule: 'FREQ=WEEKLY;UNTIL=20271231T000000Z' }),
    ],
    ['a rule with COUNT', () => buildSeriesInvite('REQUEST', { ...SERIES, rrule: 'FREQ=WEEKLY;COUNT=5' })],
    ['a daily rule', () => buildSeriesInvite('REQUEST', { ...SERIES, rrule: 'FREQ=DAILY' })],
    ['a rule with a line break', () => buildSeriesInvite('REQUEST', { ...SERIES, rrule: 'FREQ=WEEKLY\r\nX:1' })],
    [
      'until before the first instance',
      () => buildSeriesInvite('REQUEST', { ...SERIES, until: new Date('2027-03-14T10:00:00Z') }),
    ],
    [
      'an EXDATE before the first instance',
      () => buildSeriesInvite('REQUEST', { ...SERIES, exdates: [new Date('2027-03-01T10:00:00Z')] }),
    ],
    [
      'an EXDATE after until',
      () => buildSeriesInvite('REQUEST', { ...SERIES, exdates: [new Date('2027-08-09T09:00:00Z')] }),
    ],
    ['an EXDATE that is no date', () => buildSeriesInvite('REQUEST', { ...SERIES, exdates: [new Date('x')] })],
    [
      'an override of another UID',
      () => buildSeriesInvite('REQUEST', { ...SERIES, overrides: [{ ...SERIES_OVERRIDE, uid: BOOKING_UID }] }),
    ],
    [
      'an override of another SEQUENCE',
      () => buildSeriesInvite('REQUEST', { ...SERIES, overrides: [{ ...SERIES_OVERRIDE, sequence: 1 }] }),
    ],
    [
      'an override with no recurrenceId',
      () => buildSeriesInvite('REQUEST', { ...SERIES, overrides: [{ ...SERIES_OVERRIDE, recurrenceId: undefined }] }),
    ],
    [
      'two overrides of one instance',
      () => buildSeriesInvite('REQUEST', { ...SERIES, overrides: [SERIES_OVERRIDE, SERIES_OVERRIDE] }),
    ],
    [
      'an instance both excluded and overridden',
      () => buildSeriesInvite('REQUEST', { ...SERIES_WITH_OVERRIDE, exdates: [SERIES_OVERRIDE.recurrenceId!] }),
    ],
    [
      'a cancelled override in a REQUEST',
      () => buildSeriesInvite('REQUEST', { ...SERIES, overrides: [{ ...SERIES_OVERRIDE, status: 'CANCELLED' }] }),
    ],
    [
      'an override with no attendee',
      () => buildSeriesInvite('REQUEST', { ...SERIES, overrides: [{ ...SERIES_OVERRIDE, attendees: [] }] }),
    ],
    [
      'a master with no attendee',
      () => buildSeriesInvite('REQUEST', { ...SERIES, master: { ...SERIES.master, attendees: [] } }),
    ],
    [
      'a series starting in the repeated hour of October',
      () =>
        buildSeriesInvite('REQUEST', {
          ...SERIES,
          master: { ...SERIES.master, start: new Date('2027-10-31T00:30:00Z'), end: new Date('2027-10-31T02:00:00Z') },
          until: new Date('2027-12-26T01:30:00Z'),
          exdates: [],
        }),
    ],
    [
      'an instance in the repeated hour',
      () => buildInvite('CANCEL', { ...INSTANCE_CANCEL, recurrenceId: new Date('2027-10-31T01:30:00Z') }),
    ],
  ];
  it.each(refused)('refuses %s', (what, render) => {
    expect(render).toThrow(CalendarInputError);
    expect(render).toThrow(REFUSALS[what]);
  });
});

const UNINVITE_SERIES_MASTER: CalendarEventInput = { ...SERIES.master, sequence: 3, attendees: ATTENDEES.slice(1) };

describe('golden files', () => {
  const dir = path.join(__dirname, 'golden');
  const update = process.env.UPDATE_GOLDEN === '1';
  const goldens: Array<[string, () => string]> = [
    ['invite.ics', () => buildInvite('REQUEST', INVITE_EVENT, {})],
    ['update.ics', () => buildInvite('REQUEST', UPDATE_EVENT, {})],
    ['cancel.ics', () => buildInvite('CANCEL', CANCEL_EVENT, {})],
    ['uninvite.ics', () => buildInvite('CANCEL', UNINVITE_EVENT, { removesAttendees: true })],
    ['feed.ics', () => buildFeed(FEED_EVENTS, FEED_OPTIONS)],
    ['series.ics', () => buildSeriesInvite('REQUEST', SERIES_WITH_OVERRIDE)],
    [
      'series-uninvite.ics',
      () => buildSeriesInvite('CANCEL', { ...SERIES, master: UNINVITE_SERIES_MASTER }, { removesAttendees: true }),
    ],
    ['instance-cancel.ics', () => buildInvite('CANCEL', INSTANCE_CANCEL)],
  ];

  it.each(goldens)('%s matches byte for byte', (file, render) => {
    const actual = Buffer.from(render(), 'utf8');
    const target = path.join(dir, file);
    if (update) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(target, actual);
    }
    const expected = fs.readFileSync(target);
    expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
    expect(actual.equals(expected)).toBe(true);
  });
});

describe('details, each rendered inside its test', () => {
  it('cleanName turns tabs into spaces and trims, and the CN is written trimmed', () => {
    expect(cleanName('  Jo\tSmith \t')).toBe('Jo Smith');
    const text = buildInvite(
      'REQUEST',
      plainEvent({
        organizer: { email: 'meetings@thresholds.example.org', name: ' Meetings\tTeam ' },
        attendees: [{ email: 'a.worker@example.org', name: '  A Worker  ' }],
      }),
      {},
    );
    expect(contentLines(text)).toContain('ORGANIZER;CN="Meetings Team":mailto:meetings@thresholds.example.org');
    expect(contentLines(text)).toContain(
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE;CN="A Worker":mailto:a.worker@example.org',
    );
  });

  it('an empty description adds nothing in front of the links', () => {
    const onlineUrl = 'https://meet.example.org/j/1';
    for (const description of ['', '\u0007']) {
      const event = onlyEvent(parse(buildInvite('REQUEST', plainEvent({ description, onlineUrl }), {})));
      expect(textOf(event, 'description')).toBe(`Join online: ${onlineUrl}`);
    }
  });

  it('writes a PRODID with one leading hyphen, TEXT-escaped (quotes are plain text there)', () => {
    expect(contentLines(buildInvite('REQUEST', plainEvent(), { prodId: 'Example//EN' }))).toContain(
      'PRODID:-Example//EN',
    );
    expect(contentLines(buildInvite('REQUEST', plainEvent(), { prodId: '-//Smith, "Jo"; Ltd//EN' }))).toContain(
      'PRODID:-//Smith\\, "Jo"\\; Ltd//EN',
    );
  });

  it('moves only the REFRESH-INTERVAL and X-PUBLISHED-TTL properties, not text that mentions them', () => {
    const summary = 'Slot X-PUBLISHED-TTL:PT1M and REFRESH-INTERVAL:PT1M';
    const feed = buildFeed([plainEvent({ summary })], { name: 'Feed' });
    const lines = contentLines(feed);
    const beginEvent = lines.indexOf('BEGIN:VEVENT');
    expect(lines.indexOf(`SUMMARY:${summary}`)).toBeGreaterThan(beginEvent);
    expect(lines.indexOf('X-PUBLISHED-TTL:PT1H')).toBeLessThan(lines.indexOf('BEGIN:VTIMEZONE'));
    expect(textOf(onlyEvent(parse(feed)), 'summary')).toBe(summary);
  });
});
