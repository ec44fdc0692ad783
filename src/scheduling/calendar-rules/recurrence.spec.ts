import { DateTime } from 'luxon';
import { planOccurrences } from './meeting-dates';
import {
  describeRecurrence,
  formatRecurrence,
  nominalDates,
  parseRecurrence,
  Recurrence,
  seriesRecurrence,
} from './recurrence';

/** The n-th (or last, -1) ISO weekday of each month from `from` through `until`, by counting days. */
function byCounting(weekday: number, ordinal: number, from: string, until: string, everyMonths = 1): string[] {
  const out: string[] = [];
  for (
    let month = DateTime.fromISO(from).startOf('month');
    month.toISODate()! <= until;
    month = month.plus({ months: everyMonths })
  ) {
    const days = Array.from({ length: month.daysInMonth! }, (_, i) => month.plus({ days: i })).filter(
      (d) => d.weekday === weekday,
    );
    const day = ordinal === -1 ? days[days.length - 1] : days[ordinal - 1];
    const iso = day.toISODate()!;
    if (iso >= from && iso <= until) out.push(iso);
  }
  return out;
}

describe('parseRecurrence', () => {
  it.each<[string, Recurrence]>([
    ['FREQ=MONTHLY;BYDAY=1TU', { freq: 'monthly', interval: 1, ordinal: 1, weekday: 'TU' }],
    ['RRULE:freq=monthly;byday=+2we', { freq: 'monthly', interval: 1, ordinal: 2, weekday: 'WE' }],
    ['FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=2', { freq: 'monthly', interval: 2, ordinal: -1, weekday: 'FR' }],
    ['FREQ=MONTHLY;BYDAY=TH;BYSETPOS=3', { freq: 'monthly', interval: 1, ordinal: 3, weekday: 'TH' }],
    ['FREQ=MONTHLY;INTERVAL=12;BYDAY=4MO', { freq: 'monthly', interval: 12, ordinal: 4, weekday: 'MO' }],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', { freq: 'weekly', interval: 2, weekday: 'MO' }],
    ['FREQ=WEEKLY', { freq: 'weekly', interval: 1 }],
    ['FREQ=WEEKLY;INTERVAL=8', { freq: 'weekly', interval: 8 }],
    ['  FREQ=MONTHLY;BYDAY=1TU  ', { freq: 'monthly', interval: 1, ordinal: 1, weekday: 'TU' }],
  ])('reads %s', (value, expected) => {
    expect(parseRecurrence(value)).toStrictEqual(expected);
  });

  it.each([
    ['FREQ=MONTHLY;BYDAY=1TU;COUNT=10', /not COUNT/],
    ['FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231', /not UNTIL/],
    ['FREQ=MONTHLY;BYMONTHDAY=5', /not BYMONTHDAY/],
    ['FREQ=MONTHLY;BYDAY=5TU', /first, second, third, fourth or last/],
    ['FREQ=MONTHLY;BYDAY=-2TU', /first, second, third, fourth or last/],
    ['FREQ=MONTHLY;BYDAY=TU', /first, second, third, fourth or last/],
    ['FREQ=MONTHLY;BYDAY=1SA', /weekday \(Monday to Friday\)/],
    ['FREQ=MONTHLY;BYDAY=1MO,1TU', /one weekday/],
    ['FREQ=MONTHLY', /BYDAY must say which weekday/],
    ['FREQ=MONTHLY;BYDAY=1TU;BYSETPOS=1', /not both/],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1,2', /one BYSETPOS/],
    ['FREQ=MONTHLY;INTERVAL=13;BYDAY=1TU', /at most 12 months/],
    ['FREQ=WEEKLY;INTERVAL=9', /at most 8 weeks/],
    ['FREQ=WEEKLY;INTERVAL=0', /INTERVAL of 1 or more/],
    ['FREQ=WEEKLY;BYDAY=1MO', /no number/],
    ['FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1', /there is no BYSETPOS/],
    ['FREQ=MONTHLY;BYDAY=', /RRULE value like/],
    ['FREQ=MONTHLY;BYDAY=1TURRULE:', /RRULE value like/],
    ['FREQ=DAILY', /FREQ=WEEKLY or FREQ=MONTHLY/],
    ['FREQ=YEARLY;BYDAY=1TU', /FREQ=WEEKLY or FREQ=MONTHLY/],
    ['FREQ=MONTHLY;FREQ=WEEKLY;BYDAY=1TU', /FREQ twice/],
    ['FREQ=MONTHLY;BYDAY', /RRULE value like/],
    ['FREQ=MONTHLY;;BYDAY=1TU', /RRULE value like/],
    ['FREQ=MONTHLY;BYDAY=1TU=2', /RRULE value like/],
    ['FREQ=MONTHLY;BYDAY=1XX', /RRULE value like/],
    ['first tuesday', /RRULE value like/],
    ['', /RRULE value like/],
  ])('refuses %s', (value, message) => {
    expect(() => parseRecurrence(value)).toThrow(RangeError);
    expect(() => parseRecurrence(value)).toThrow(message);
  });
});

describe('formatRecurrence and describeRecurrence', () => {
  it.each<[Recurrence, string | undefined, string, string]>([
    [
      { freq: 'monthly', interval: 1, ordinal: 1, weekday: 'TU' },
      undefined,
      'FREQ=MONTHLY;BYDAY=1TU',
      'First Tuesday of every month',
    ],
    [
      { freq: 'monthly', interval: 3, ordinal: -1, weekday: 'FR' },
      undefined,
      'FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR',
      'Last Friday of every 3 months',
    ],
    [
      { freq: 'monthly', interval: 1, ordinal: 4, weekday: 'TH' },
      undefined,
      'FREQ=MONTHLY;BYDAY=4TH',
      'Fourth Thursday of every month',
    ],
    [{ freq: 'weekly', interval: 2 }, '2027-01-04', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'Every 2 weeks'],
    [{ freq: 'weekly', interval: 1 }, '2027-01-08', 'FREQ=WEEKLY;BYDAY=FR', 'Every week'],
    [{ freq: 'weekly', interval: 3 }, undefined, 'FREQ=WEEKLY;INTERVAL=3', 'Every 3 weeks'],
  ])('%j from %s is %s, "%s"', (rule, first, rrule, words) => {
    expect(formatRecurrence(rule, first)).toBe(rrule);
    expect(describeRecurrence(rule)).toBe(words);
    // The canonical value reads back as the same rule, and is its own canonical value.
    expect(parseRecurrence(rrule)).toMatchObject(rule);
    expect(formatRecurrence(parseRecurrence(rrule))).toBe(rrule);
  });

  it('a series without a rule is every intervalWeeks weeks; with one, its rule', () => {
    expect(seriesRecurrence({ recurrence: null, intervalWeeks: 3 })).toEqual({ freq: 'weekly', interval: 3 });
    expect(seriesRecurrence({ recurrence: 'FREQ=MONTHLY;BYDAY=2WE', intervalWeeks: 2 })).toEqual({
      freq: 'monthly',
      interval: 1,
      ordinal: 2,
      weekday: 'WE',
    });
  });
});

describe('nominalDates of a monthly rule', () => {
  it.each([
    ['first Tuesday', 'FREQ=MONTHLY;BYDAY=1TU', '2029-06-05', 2, 1, 1],
    ['last Friday', 'FREQ=MONTHLY;BYDAY=-1FR', '2027-01-29', 5, -1, 1],
    ['third Wednesday every 2 months', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE', '2027-02-17', 3, 3, 2],
    ['fourth Monday', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=4', '2027-01-25', 1, 4, 1],
  ])(
    '%s over two years agrees with counting the days of each month',
    (_name, rrule, first, weekday, ordinal, every) => {
      const until = DateTime.fromISO(first).plus({ years: 2 }).toISODate()!;
      const { dates, next } = nominalDates(first, parseRecurrence(rrule), until);
      expect(dates).toEqual(byCounting(weekday, ordinal, first, until, every));
      const after = byCounting(
        weekday,
        ordinal,
        DateTime.fromISO(until).plus({ days: 1 }).toISODate()!,
        '2040-01-01',
        every,
      );
      expect(next).toBe(after[0]);
    },
  );

  it('refuses a first date that is not a date of the rule, and says which is', () => {
    const rule = parseRecurrence('FREQ=MONTHLY;BYDAY=1TU');
    expect(() => nominalDates('2027-01-12', rule, '2027-12-31')).toThrow(
      'firstMeetingDate must be the first Tuesday of its month, got 2027-01-12 (the next is 2027-02-02)',
    );
    expect(() => nominalDates('2027-01-05', rule, '2026-12-31')).not.toThrow();
    expect(nominalDates('2027-01-05', rule, '2026-12-31').dates).toEqual([]);
    expect(nominalDates('2027-01-05', rule, '2027-01-05')).toEqual({ dates: ['2027-01-05'], next: '2027-02-02' });
    // An end long before the start: nothing, and still no complaint about the first date.
    expect(nominalDates('2027-01-05', rule, '2024-06-30')).toEqual({ dates: [], next: '2027-01-05' });
    expect(() => nominalDates('2027-1-05', rule, '2027-12-31')).toThrow(/^firstMeetingDate /);
    expect(() => nominalDates('2027-01-05', rule, '2027-12-1')).toThrow(/^until /);
  });

  it('weekly rules step whole weeks, and say the one after', () => {
    expect(nominalDates('2027-01-04', { freq: 'weekly', interval: 2 }, '2027-02-01')).toEqual({
      dates: ['2027-01-04', '2027-01-18', '2027-02-01'],
      next: '2027-02-15',
    });
    expect(() => nominalDates('2027-01-04', { freq: 'weekly', interval: 9 }, '2027-02-01')).toThrow(/intervalWeeks/);
    // A weekday in the rule must be the first meeting's: 4 January 2027 is a Monday.
    expect(nominalDates('2027-01-04', parseRecurrence('FREQ=WEEKLY;BYDAY=MO'), '2027-01-11').dates).toEqual([
      '2027-01-04',
      '2027-01-11',
    ]);
    expect(() => nominalDates('2027-01-04', parseRecurrence('FREQ=WEEKLY;BYDAY=TU'), '2027-01-11')).toThrow(
      'firstMeetingDate must be a Tuesday, as the rule says, got 2027-01-04',
    );
  });
});

describe('planOccurrences with a monthly rule', () => {
  const firstTuesday = parseRecurrence('FREQ=MONTHLY;BYDAY=1TU');
  // 1 January 2030 is a Tuesday and New Year's Day.
  const plan = (policy: 'skip' | 'next-working-day', from?: string) =>
    planOccurrences({
      firstMeetingDate: '2029-06-05',
      intervalWeeks: 2,
      recurrence: firstTuesday,
      until: '2030-06-30',
      policy,
      from,
    });

  it("moves the bank holiday to the next working day and keeps its key ('next-working-day')", () => {
    const all = plan('next-working-day');
    expect(all.map((o) => o.occurrenceDate)).toEqual(byCounting(2, 1, '2029-06-05', '2030-06-30'));
    expect(all.filter((o) => o.moved)).toEqual([{ occurrenceDate: '2030-01-01', date: '2030-01-02', moved: true }]);
  });

  it("leaves out the bank holiday ('skip'), and `from` bounds the nominal date", () => {
    expect(plan('skip').map((o) => o.occurrenceDate)).not.toContain('2030-01-01');
    expect(plan('skip')).toHaveLength(12);
    expect(plan('skip', '2030-01-01')[0].occurrenceDate).toBe('2030-02-05');
    expect(plan('next-working-day', '2030-01-01')[0]).toEqual({
      occurrenceDate: '2030-01-01',
      date: '2030-01-02',
      moved: true,
    });
  });

  it('a move never reaches the next meeting of the rule', () => {
    // The last Monday of May is the Spring bank holiday; the first Monday of June is a week on.
    const lastMonday = parseRecurrence('FREQ=MONTHLY;BYDAY=-1MO');
    const plan2 = planOccurrences({
      firstMeetingDate: '2027-05-31',
      intervalWeeks: 2,
      recurrence: lastMonday,
      until: '2027-06-30',
      policy: 'next-working-day',
    });
    expect(plan2[0]).toEqual({ occurrenceDate: '2027-05-31', date: '2027-06-01', moved: true });
    expect(plan2[1]).toEqual({ occurrenceDate: '2027-06-28', date: '2027-06-28', moved: false });
  });

  it('needs a valid intervalWeeks only without a rule', () => {
    expect(() =>
      planOccurrences({
        firstMeetingDate: '2029-06-05',
        intervalWeeks: 0,
        recurrence: firstTuesday,
        until: '2029-07-31',
        policy: 'skip',
      }),
    ).not.toThrow();
    expect(() =>
      planOccurrences({ firstMeetingDate: '2029-06-05', intervalWeeks: 0, until: '2029-07-31', policy: 'skip' }),
    ).toThrow(/intervalWeeks/);
  });
});
