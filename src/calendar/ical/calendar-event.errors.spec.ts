/**
 * What the iCalendar builders refuse, and the words they refuse it with: each message names the
 * field, so that a caller's bug is found from the log line alone. The limits are checked on both
 * sides (the last value accepted, the first refused).
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalEvent } from 'ical-generator';
import {
  buildFeed,
  buildInvite,
  CalendarInputError,
  isCalendarAddress,
  type CalendarEventInput,
} from './calendar-event';

// The real time zone data, behind a mock a test can make fail once.
jest.mock('@touch4it/ical-timezones', () => {
  const actual = jest.requireActual<typeof import('@touch4it/ical-timezones')>('@touch4it/ical-timezones');
  return { ...actual, getVtimezoneComponent: jest.fn(actual.getVtimezoneComponent) };
});

const EVENT: CalendarEventInput = {
  uid: 'booking-1@thresholds.example.org',
  sequence: 0,
  status: 'CONFIRMED',
  start: new Date('2027-04-05T09:00:00Z'),
  end: new Date('2027-04-05T09:30:00Z'),
  summary: 'Thresholds and Referrals Meeting: slot 3 (TRM-2027-0042)',
  organizer: { email: 'meetings@thresholds.example.org', name: 'Meetings' },
  attendees: [{ email: 'dsl@riverside.sch.uk', name: 'Dee Lead' }],
  stamp: new Date('2027-03-01T12:00:00Z'),
};

const request = (changes: Record<string, unknown>) => () =>
  buildInvite('REQUEST', { ...EVENT, ...changes } as CalendarEventInput);

/** The error thrown, which must be a CalendarInputError. */
function refusal(build: () => unknown): CalendarInputError {
  try {
    build();
  } catch (err) {
    expect(err).toBeInstanceOf(CalendarInputError);
    return err as CalendarInputError;
  }
  throw new Error('expected a CalendarInputError');
}

describe('what the builders refuse, in words that name the field', () => {
  it('calls its error CalendarInputError', () => {
    expect(refusal(request({ uid: 'has space' })).name).toBe('CalendarInputError');
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a method other than REQUEST or CANCEL',
      () => buildInvite('PUBLISH' as 'REQUEST', EVENT),
      /REQUEST or CANCEL, not PUBLISH/,
    ],
    ['a cancelled event as a REQUEST', request({ status: 'CANCELLED' }), /METHOD:CANCEL, not REQUEST/],
    ['an invite with nobody', request({ attendees: [] }), /at least one attendee/],
    [
      'attendees that are not a list',
      request({ attendees: 'dsl@riverside.sch.uk' }),
      /at least one attendee|attendees must be an array/,
    ],
    [
      'removing attendees with a REQUEST',
      () => buildInvite('REQUEST', EVENT, { removesAttendees: true }),
      /Only a CANCEL can remove attendees/,
    ],
    ['a UID with a space', request({ uid: 'booking 1' }), /^uid must be 1–255 characters/],
    ['a UID that is not text', request({ uid: 7 }), /^uid must be a string/],
    ['a negative SEQUENCE', request({ sequence: -1 }), /^sequence must be a non-negative whole number/],
    ['a SEQUENCE past RFC 5545 INTEGER', request({ sequence: 2147483648 }), /^sequence must be/],
    ['a SEQUENCE that is not whole', request({ sequence: 1.5 }), /^sequence must be/],
    ['a start that is not a date', request({ start: '2027-04-05' }), /^start must be a valid Date/],
    ['an invalid end', request({ end: new Date('nonsense') }), /^end must be a valid Date/],
    ['an end before the start', request({ end: new Date('2027-04-05T08:00:00Z') }), /^end must be after start/],
    ['an invalid stamp', request({ stamp: new Date('nonsense') }), /^stamp must be a valid Date/],
    ['a summary that is not text', request({ summary: 42 }), /^summary must be a string/],
    ['an empty summary', request({ summary: ' \n ' }), /^summary must not be empty/],
    ['a location that is not text', request({ location: 42 }), /^location must be a string/],
    ['a description that is not text', request({ description: 42 }), /^description must be a string/],
    ['a url that is not absolute', request({ url: '/meetings/1' }), /^url is not an absolute URL/],
    ['a url that is not http(s)', request({ url: 'javascript:alert(1)' }), /^url must be an http\(s\) URL/],
    ['a url with a space', request({ url: 'https://example.org/a b' }), /^url must not contain whitespace/],
    [
      'an online link that is not http(s)',
      request({ onlineUrl: 'ftp://meet.example.org/1' }),
      /^onlineUrl must be an http\(s\) URL/,
    ],
    ['an attendee without an address', request({ attendees: [{ name: 'Dee' }] }), /^attendee email must be a string/],
    [
      'an attendee address that is not plain',
      request({ attendees: [{ email: 'Dee <dsl@riverside.sch.uk>' }] }),
      /^attendee email is not a plain e-mail address/,
    ],
    [
      'an attendee name that is not text',
      request({ attendees: [{ email: 'dsl@riverside.sch.uk', name: 7 }] }),
      /^attendee name must be a string/,
    ],
    ['no organizer', request({ organizer: undefined }), /^organizer is required/],
    [
      'an organizer that is not an object',
      request({ organizer: 'meetings@thresholds.example.org' }),
      /^organizer is required/,
    ],
    [
      'an organizer address that is not plain',
      request({ organizer: { email: 'meetings' } }),
      /^organizer email is not a plain e-mail address/,
    ],
    [
      'an organizer name that is not text',
      request({ organizer: { email: 'meetings@thresholds.example.org', name: 1 } }),
      /^organizer name must be a string/,
    ],
    ['a feed without a name', () => buildFeed([EVENT], { name: '  ' }), /The feed needs a name/],
    [
      'a feed name that is not text',
      () => buildFeed([EVENT], { name: 7 as unknown as string }),
      /^feed name must be a string/,
    ],
    [
      'a feed description that is not text',
      () => buildFeed([EVENT], { name: 'Feed', description: 7 as unknown as string }),
      /^feed description must be a string/,
    ],
    [
      'a refresh interval of zero',
      () => buildFeed([EVENT], { name: 'Feed', refreshMinutes: 0 }),
      /^refreshMinutes must be a positive whole number/,
    ],
    [
      'the same UID twice in a feed, in another case',
      () => buildFeed([EVENT, { ...EVENT, uid: EVENT.uid.toUpperCase() }], { name: 'Feed' }),
      /^Duplicate UID in feed: BOOKING-1@/,
    ],
    ['an empty PRODID', () => buildInvite('REQUEST', EVENT, { prodId: ' \n ' }), /^prodId must not be empty/],
  ])('refuses %s', (_what, build, message) => {
    expect(refusal(build).message).toMatch(message);
  });

  it('writes a quote in a link percent-encoded, as the URL parser gives it', () => {
    expect(request({ onlineUrl: 'https://meet.example.org/"1"' })()).toContain('https://meet.example.org/%221%22');
  });

  it('accepts the edges: SEQUENCE 2147483647, a refresh of one minute, a 254-character address', () => {
    expect(request({ sequence: 2147483647 })()).toContain('SEQUENCE:2147483647');
    expect(buildFeed([EVENT], { name: 'Feed', refreshMinutes: 1 })).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1M');
    const domain = '@riverside.sch.uk';
    const longest = `${'a'.repeat(254 - domain.length)}${domain}`;
    expect(longest).toHaveLength(254);
    expect(isCalendarAddress(longest)).toBe(true);
    expect(isCalendarAddress(`a${longest}`)).toBe(false);
    expect(request({ attendees: [{ email: longest }] })()).toContain('mailto:');
    expect(refusal(request({ attendees: [{ email: `a${longest}` }] })).message).toMatch(
      /^attendee email is not a plain/,
    );
    // An address with spaces around it is the address.
    expect(isCalendarAddress('  dsl@riverside.sch.uk ')).toBe(true);
    expect(isCalendarAddress(7)).toBe(false);
  });

  it('writes a feed description only when there is one, and a PRODID without its leading hyphen doubled', () => {
    const withDescription = buildFeed([EVENT], { name: 'Feed', description: 'Your meetings' });
    expect(withDescription).toContain('X-WR-CALDESC:Your meetings');
    expect(buildFeed([EVENT], { name: 'Feed', description: '' })).not.toContain('X-WR-CALDESC');
    expect(buildInvite('REQUEST', EVENT, { prodId: '-//Partner\nship//EN' })).toContain('PRODID:-//Partner ship//EN');
  });

  it('names an unknown status', () => {
    expect(refusal(request({ status: 'BOGUS' })).message).toBe('Unknown status: BOGUS');
    expect(
      refusal(() => buildFeed([{ ...EVENT, status: 'DONE' } as unknown as CalendarEventInput], { name: 'Feed' }))
        .message,
    ).toBe('Unknown status: DONE');
  });

  it('refuses a missing attendee as a missing address, not with a TypeError', () => {
    expect(refusal(request({ attendees: [null] })).message).toBe('attendee email must be a string');
  });

  it('takes an address with spaces around it as the address', () => {
    const text = request({
      organizer: { email: ' meetings@thresholds.example.org ' },
      attendees: [{ email: '\tdsl@riverside.sch.uk  ' }],
    })();
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain(
      'ORGANIZER;CN="meetings@thresholds.example.org":mailto:meetings@thresholds.example.org\r\n',
    );
    expect(unfolded).toContain(
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:dsl@riverside.sch.uk\r\n',
    );
    // The 254-octet limit applies to the address, not to the spaces around it.
    const domain = '@riverside.sch.uk';
    const longest = `${'a'.repeat(254 - domain.length)}${domain}`;
    expect(isCalendarAddress(`  ${longest}  `)).toBe(true);
    expect(request({ attendees: [{ email: `  ${longest} ` }] })()).toContain('mailto:');
  });

  it('finds a duplicate UID in a feed by lower-casing it, as the UID is compared (K is the Kelvin sign)', () => {
    const kelvin = { ...EVENT, uid: 'booking-\u212A@thresholds.example.org' };
    const ascii = { ...EVENT, uid: 'booking-k@thresholds.example.org' };
    expect(refusal(() => buildFeed([ascii, kelvin], { name: 'Feed' })).message).toBe(
      'Duplicate UID in feed: booking-\u212A@thresholds.example.org',
    );
  });

  it('accepts an http link as well as an https one', () => {
    const text = request({ url: 'http://thresholds.example.org/m/1', onlineUrl: 'http://meet.example.org/j/2' })();
    expect(text).toContain('URL;VALUE=URI:http://thresholds.example.org/m/1\r\n');
    expect(text.replace(/\r\n /g, '')).toContain(
      'CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="Join online":http://meet.example.org/j/2\r\n',
    );
  });
});

describe('what goes wrong inside the libraries', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    ['no VTIMEZONE', null],
    ['something that is not a VTIMEZONE', 'BEGIN:STANDARD\r\nEND:STANDARD\r\n'],
  ])('refuses to write a calendar when the time zone data gives %s', (_what, block) => {
    jest.mocked(getVtimezoneComponent).mockReturnValueOnce(block);
    expect(() => buildInvite('REQUEST', EVENT)).toThrow(new Error('No VTIMEZONE available for Europe/London'));
    expect(getVtimezoneComponent).toHaveBeenLastCalledWith('Europe/London');
  });

  it('refuses a VEVENT from ical-generator that does not end with END:VEVENT', () => {
    jest.spyOn(ICalEvent.prototype, 'toString').mockReturnValue('BEGIN:VEVENT\r\nUID:x\r\n');
    expect(() => buildInvite('REQUEST', EVENT)).toThrow(
      new Error('Internal error: unexpected VEVENT serialisation from ical-generator'),
    );
  });
});
