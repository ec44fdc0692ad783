import { formatCalendarDate, formatLondonDateTime, formatLondonDateTimeWithZone } from './london-format';

describe('formatLondonDateTimeWithZone', () => {
  it('tells the two 01:30s of the last Sunday of October apart', () => {
    const first = new Date('2027-10-31T00:30:00Z'); // 01:30 BST
    const second = new Date('2027-10-31T01:30:00Z'); // 01:30 GMT, an hour later
    expect(formatLondonDateTime(first)).toBe(formatLondonDateTime(second));
    expect(formatLondonDateTimeWithZone(first)).toBe('Sunday 31 October 2027 at 01:30 BST');
    expect(formatLondonDateTimeWithZone(second)).toBe('Sunday 31 October 2027 at 01:30 GMT');
  });

  it('says GMT in winter and BST in summer', () => {
    expect(formatLondonDateTimeWithZone(new Date('2027-01-04T10:00:00Z'))).toBe('Monday 4 January 2027 at 10:00 GMT');
    expect(formatLondonDateTimeWithZone(new Date('2027-07-05T09:00:00Z'))).toBe('Monday 5 July 2027 at 10:00 BST');
  });
});

describe('formatCalendarDate', () => {
  it('writes a calendar date as GOV.UK does, with no weekday, leading zero or time zone', () => {
    expect(formatCalendarDate('2026-12-09')).toBe('9 December 2026');
    expect(formatCalendarDate('2027-03-28')).toBe('28 March 2027'); // the day the clocks go forward
    expect(formatCalendarDate('2027-10-31')).toBe('31 October 2027'); // and back
  });
});
