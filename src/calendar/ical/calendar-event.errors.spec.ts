/**
 * What the iCalendar builders refuse, and the words they refuse it with: each message names the
 * field, so that a caller's bug is found from the log line alone. The limits are checked on both
 * sides (the last value accepted, the first refused).
 */
import {
  buildFeed,
  buildInvite,
  CalendarInputError,
  isCalendarAddress,
  type CalendarEventInput,
} from './calendar-event';

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
});
