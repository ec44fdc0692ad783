import { DateTime } from 'luxon';
import {
  BankHolidayPolicy,
  PlannedOccurrence,
  bookingClosesAt,
  deriveSlots,
  horizonEnd,
  instantToLondon,
  londonToday,
  planOccurrences,
  wallClockToInstant,
} from './meeting-dates';
import { isWorkingDay } from './working-days';

/** Calendar days between two 'YYYY-MM-DD' dates (UTC so DST cannot skew it). */
function daysBetween(a: string, b: string): number {
  return DateTime.fromISO(b, { zone: 'utc' }).diff(DateTime.fromISO(a, { zone: 'utc' }), 'days').days;
}

function keys(occurrences: PlannedOccurrence[]): string[] {
  return occurrences.map((o) => o.occurrenceDate);
}

// Fortnightly Mondays fall into two "parities"; between them they hit every
// Monday bank holiday of the year, so test both.
// Series A hits Easter Monday, the August bank holiday and the 2028 New Year substitute.
const SERIES_A = { firstMeetingDate: '2027-01-04', intervalWeeks: 2, until: '2028-01-10' };
// Series B hits the Boxing Day substitute 2026, both May bank holidays and the
// Christmas substitute 2027 (followed by the Boxing Day substitute on Tuesday).
const SERIES_B = { firstMeetingDate: '2026-12-14', intervalWeeks: 2, until: '2027-12-31' };

const A_HOLIDAYS = { '2027-03-29': '2027-03-30', '2027-08-30': '2027-08-31', '2028-01-03': '2028-01-04' };
const B_HOLIDAYS = {
  '2026-12-28': '2026-12-29',
  '2027-05-03': '2027-05-04',
  '2027-05-31': '2027-06-01',
  '2027-12-27': '2027-12-29',
};

describe('planOccurrences over a year of fortnightly Mondays', () => {
  describe.each([
    ['A', SERIES_A, A_HOLIDAYS, 27],
    ['B', SERIES_B, B_HOLIDAYS, 28],
  ])('series %s', (_name, series, holidays, nominalCount) => {
    const plan = (policy: BankHolidayPolicy, from?: string) => planOccurrences({ ...series, policy, from });

    it('keeps the fortnightly rhythm from the first meeting date', () => {
      const all = keys(plan('next-working-day'));
      expect(all).toHaveLength(nominalCount);
      expect(all[0]).toBe(series.firstMeetingDate);
      all.slice(1).forEach((date, i) => expect(daysBetween(all[i], date)).toBe(14));
      expect(all[all.length - 1] <= series.until).toBe(true);
    });

    it("'skip' leaves out bank-holiday occurrences and moves nothing", () => {
      const occurrences = plan('skip');
      expect(occurrences).toHaveLength(nominalCount - Object.keys(holidays).length);
      for (const holiday of Object.keys(holidays)) {
        expect(keys(occurrences)).not.toContain(holiday);
        expect(occurrences.map((o) => o.date)).not.toContain(holiday);
      }
      for (const o of occurrences) {
        expect(o).toEqual({ occurrenceDate: o.occurrenceDate, date: o.occurrenceDate, moved: false });
        expect(isWorkingDay(o.date)).toBe(true);
      }
    });

    it("'next-working-day' moves bank-holiday occurrences to the next working day", () => {
      const occurrences = plan('next-working-day');
      const moved = occurrences.filter((o) => o.moved);
      expect(Object.fromEntries(moved.map((o) => [o.occurrenceDate, o.date]))).toEqual(holidays);
      for (const o of occurrences) {
        expect(isWorkingDay(o.date)).toBe(true);
        expect(o.moved).toBe(o.date !== o.occurrenceDate);
      }
    });

    it.each<BankHolidayPolicy>(['skip', 'next-working-day'])('has no duplicate keys or dates (%s)', (policy) => {
      const occurrences = plan(policy);
      expect(new Set(keys(occurrences)).size).toBe(occurrences.length);
      expect(new Set(occurrences.map((o) => o.date)).size).toBe(occurrences.length);
    });

    it.each<BankHolidayPolicy>(['skip', 'next-working-day'])(
      'gives the same occurrences when regenerated over an overlapping range (%s)',
      (policy) => {
        const full = plan(policy);
        const firstHalf = planOccurrences({ ...series, policy, until: '2027-07-15' });
        const secondHalf = plan(policy, '2027-06-01');
        const merged = new Map([...firstHalf, ...secondHalf].map((o) => [o.occurrenceDate, o]));
        expect([...merged.values()]).toEqual(full);
        // The overlap is identical in both runs.
        const overlap = (list: PlannedOccurrence[]) =>
          list.filter((o) => o.occurrenceDate >= '2027-06-01' && o.occurrenceDate <= '2027-07-15');
        expect(overlap(secondHalf)).toEqual(overlap(firstHalf));
        expect(overlap(firstHalf).length).toBeGreaterThan(0);
      },
    );
  });

  it('moves the Christmas 2027 meeting past both substitute days to Wednesday', () => {
    const christmas = planOccurrences({ ...SERIES_B, policy: 'next-working-day', from: '2027-12-20' });
    expect(christmas).toEqual([{ occurrenceDate: '2027-12-27', date: '2027-12-29', moved: true }]);
  });

  it('only returns occurrences with occurrenceDate >= from (a moved date may pass until)', () => {
    const result = planOccurrences({
      ...SERIES_A,
      until: '2028-01-03',
      from: '2027-12-21',
      policy: 'next-working-day',
    });
    expect(result).toEqual([{ occurrenceDate: '2028-01-03', date: '2028-01-04', moved: true }]);
  });

  it('returns nothing when the range is empty', () => {
    expect(planOccurrences({ ...SERIES_A, until: '2027-01-03', policy: 'skip' })).toEqual([]);
    expect(planOccurrences({ ...SERIES_A, from: '2028-02-01', policy: 'skip' })).toEqual([]);
  });

  it('supports other intervals (weekly over Easter 2027)', () => {
    const weekly = planOccurrences({
      firstMeetingDate: '2027-03-15',
      intervalWeeks: 1,
      until: '2027-04-05',
      policy: 'next-working-day',
    });
    expect(weekly).toEqual([
      { occurrenceDate: '2027-03-15', date: '2027-03-15', moved: false },
      { occurrenceDate: '2027-03-22', date: '2027-03-22', moved: false },
      { occurrenceDate: '2027-03-29', date: '2027-03-30', moved: true },
      { occurrenceDate: '2027-04-05', date: '2027-04-05', moved: false },
    ]);
  });

  describe('validation', () => {
    const valid = { ...SERIES_A, policy: 'skip' as BankHolidayPolicy };
    it.each([
      ['intervalWeeks 0', { intervalWeeks: 0 }],
      ['intervalWeeks 9', { intervalWeeks: 9 }],
      ['intervalWeeks 1.5', { intervalWeeks: 1.5 }],
      ['unknown policy', { policy: 'cancel' as BankHolidayPolicy }],
      ['unreal firstMeetingDate', { firstMeetingDate: '2027-02-29' }],
      ['malformed until', { until: '2027/12/31' }],
      ['malformed from', { from: 'yesterday' }],
      ['weekend firstMeetingDate', { firstMeetingDate: '2027-01-02' }],
    ])('rejects %s', (_label, override) => {
      expect(() => planOccurrences({ ...valid, ...override })).toThrow(RangeError);
    });
  });
});

describe('wallClockToInstant / instantToLondon across the 2027 clock changes', () => {
  // Clocks go forward on Sun 28 Mar 2027 and back on Sun 31 Oct 2027.
  it.each([
    ['2027-03-26', '2027-03-26T10:00:00.000Z'], // Friday before: GMT
    ['2027-03-28', '2027-03-28T09:00:00.000Z'], // the Sunday itself, after 01:00: BST
    ['2027-03-29', '2027-03-29T09:00:00.000Z'], // Monday after: BST
    ['2027-10-29', '2027-10-29T09:00:00.000Z'], // Friday before: BST
    ['2027-10-31', '2027-10-31T10:00:00.000Z'], // the Sunday itself, after 02:00: GMT
    ['2027-11-01', '2027-11-01T10:00:00.000Z'], // Monday after: GMT
  ])('10:00 London on %s is %s', (date, iso) => {
    const instant = wallClockToInstant(date, '10:00');
    expect(instant.toISOString()).toBe(iso);
    expect(instantToLondon(instant)).toEqual({ date, time: '10:00' });
  });

  it('keeps every meeting of a year-long series at 10:00 wall-clock', () => {
    const occurrences = planOccurrences({ ...SERIES_A, policy: 'next-working-day' });
    for (const { date } of occurrences) {
      const instant = wallClockToInstant(date, '10:00');
      expect(instantToLondon(instant)).toEqual({ date, time: '10:00' });
      const summer = date > '2027-03-28' && date < '2027-10-31';
      expect(instant.toISOString()).toBe(`${date}T${summer ? '09' : '10'}:00:00.000Z`);
    }
  });

  it("spring-forward gap: a non-existent 01:30 follows luxon's default and becomes 02:30 BST", () => {
    const instant = wallClockToInstant('2027-03-28', '01:30');
    expect(instant.toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(instantToLondon(instant)).toEqual({ date: '2027-03-28', time: '02:30' });
  });

  it("fall-back overlap: an ambiguous 01:30 follows luxon's default and is read as GMT", () => {
    expect(wallClockToInstant('2027-10-31', '01:30').toISOString()).toBe('2027-10-31T01:30:00.000Z');
  });

  it('handles midnight and the last minute of the day', () => {
    expect(wallClockToInstant('2027-07-01', '00:00').toISOString()).toBe('2027-06-30T23:00:00.000Z');
    expect(wallClockToInstant('2027-01-01', '23:59').toISOString()).toBe('2027-01-01T23:59:00.000Z');
  });

  it('accepts another zone explicitly', () => {
    // US daylight time started on 14 Mar 2027, so New York is UTC-4.
    expect(wallClockToInstant('2027-03-29', '10:00', 'America/New_York').toISOString()).toBe(
      '2027-03-29T14:00:00.000Z',
    );
  });

  it.each([
    ['2027-03-29', '24:00', undefined],
    ['2027-03-29', '9:00', undefined],
    ['2027-03-29', '10:60', undefined],
    ['2027-03-29', '10:00:00', undefined],
    ['2027-03-29', 'ten', undefined],
    ['2027-02-29', '10:00', undefined],
    ['29/03/2027', '10:00', undefined],
    ['2027-03-29', '10:00', 'Mars/Olympus_Mons'],
  ])('rejects %p %p in zone %p', (date, time, zone) => {
    expect(() => wallClockToInstant(date, time, zone)).toThrow(RangeError);
  });

  it('rejects an invalid Date', () => {
    expect(() => instantToLondon(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('deriveSlots', () => {
  it('splits 120 minutes into 8 contiguous 15-minute slots', () => {
    const start = wallClockToInstant('2027-06-14', '10:00');
    const slots = deriveSlots(start, 120, 15);
    expect(slots).toHaveLength(8);
    expect(slots.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(slots[0].startsAt.toISOString()).toBe('2027-06-14T09:00:00.000Z');
    expect(slots[7].endsAt.toISOString()).toBe('2027-06-14T11:00:00.000Z');
    slots.forEach((slot, i) => {
      expect(slot.endsAt.getTime() - slot.startsAt.getTime()).toBe(15 * 60_000);
      if (i > 0) expect(slot.startsAt.getTime()).toBe(slots[i - 1].endsAt.getTime());
    });
  });

  it('drops a trailing partial slot', () => {
    const slots = deriveSlots(wallClockToInstant('2027-06-14', '10:00'), 50, 15);
    expect(slots).toHaveLength(3);
    expect(instantToLondon(slots[2].endsAt).time).toBe('10:45');
  });

  it('allows a single slot as long as the meeting', () => {
    expect(deriveSlots(wallClockToInstant('2027-06-14', '10:00'), 30, 30)).toHaveLength(1);
  });

  it('stays contiguous in elapsed time across a clock change', () => {
    const start = wallClockToInstant('2027-03-28', '00:30');
    const slots = deriveSlots(start, 120, 30);
    expect(slots.map((s) => instantToLondon(s.startsAt).time)).toEqual(['00:30', '02:00', '02:30', '03:00']);
    slots.slice(1).forEach((slot, i) => expect(slot.startsAt.getTime()).toBe(slots[i].endsAt.getTime()));
    expect(slots[3].endsAt.getTime() - start.getTime()).toBe(120 * 60_000);
  });

  it('returns new Date objects, leaving the input untouched', () => {
    const start = wallClockToInstant('2027-06-14', '10:00');
    const before = start.getTime();
    const slots = deriveSlots(start, 30, 15);
    expect(slots[0].startsAt).not.toBe(start);
    expect(start.getTime()).toBe(before);
  });

  it.each([
    [0, 15],
    [-60, 15],
    [120, 0],
    [120, -15],
    [60, 90],
    [90.5, 15],
    [120, 7.5],
  ])('rejects duration %p / slot %p', (duration, slot) => {
    expect(() => deriveSlots(wallClockToInstant('2027-06-14', '10:00'), duration, slot)).toThrow(RangeError);
  });

  it('rejects an invalid start', () => {
    expect(() => deriveSlots(new Date('nope'), 120, 15)).toThrow(RangeError);
  });
});

describe('bookingClosesAt', () => {
  it('counts back over Christmas bank holidays (Tue 29 Dec 2026, 2 days -> Wed 23 Dec 17:00 GMT)', () => {
    expect(bookingClosesAt('2026-12-29', 2, '17:00').toISOString()).toBe('2026-12-23T17:00:00.000Z');
  });

  it('counts back over Easter and uses BST after the clocks change', () => {
    // Tue 6 Apr 2027, 3 working days back: Mon 5, Fri 2, Thu 1 Apr (BST).
    expect(bookingClosesAt('2027-04-06', 3, '17:00').toISOString()).toBe('2027-04-01T16:00:00.000Z');
    // Tue 30 Mar 2027, 1 working day back: Thu 25 Mar, still GMT.
    expect(bookingClosesAt('2027-03-30', 1, '17:00').toISOString()).toBe('2027-03-25T17:00:00.000Z');
  });

  it('uses the meeting day itself when workingDaysBefore is 0', () => {
    expect(bookingClosesAt('2027-06-14', 0, '09:00').toISOString()).toBe('2027-06-14T08:00:00.000Z');
  });

  it.each([
    ['2027-06-31', 1, '17:00'],
    ['2027-06-14', -1, '17:00'],
    ['2027-06-14', 1.5, '17:00'],
    ['2027-06-14', 1, '5pm'],
  ])('rejects %p, %p, %p', (date, n, time) => {
    expect(() => bookingClosesAt(date, n, time)).toThrow(RangeError);
  });
});

describe('horizonEnd', () => {
  it('adds whole weeks of calendar days', () => {
    expect(horizonEnd('2027-01-04', 12)).toBe('2027-03-29');
    expect(horizonEnd('2027-03-22', 1)).toBe('2027-03-29'); // across the clock change
    expect(horizonEnd('2027-12-20', 2)).toBe('2028-01-03'); // across the year end
  });

  it.each([0, -1, 2.5])('rejects horizonWeeks %p', (weeks) => {
    expect(() => horizonEnd('2027-01-04', weeks)).toThrow(RangeError);
  });

  it('rejects a malformed date', () => {
    expect(() => horizonEnd('2027-1-4', 4)).toThrow(RangeError);
  });
});

describe('londonToday (host-TZ independent)', () => {
  // Each case gives a different calendar date in UTC, New York or Auckland,
  // so a host-local implementation would fail under at least one TZ.
  it.each([
    ['2027-06-30T23:30:00.000Z', '2027-07-01'], // 00:30 BST; still 30 June in UTC and New York
    ['2027-01-01T00:30:00.000Z', '2027-01-01'], // New York is still on 31 December
    ['2027-12-31T23:59:00.000Z', '2027-12-31'], // Auckland is already in 2028
    ['2027-03-28T00:59:00.000Z', '2027-03-28'], // a minute before the spring change
    ['2027-10-30T23:00:00.000Z', '2027-10-31'], // midnight BST on the autumn change day
  ])('%s is %s in London', (instant, expected) => {
    expect(londonToday(new Date(instant))).toBe(expected);
  });

  it('rejects an invalid Date', () => {
    expect(() => londonToday(new Date(Number.NaN))).toThrow(RangeError);
  });
});
