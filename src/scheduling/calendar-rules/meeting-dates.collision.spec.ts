/**
 * The "moved meeting must not reach the next nominal occurrence" rule cannot
 * trigger with real England & Wales holidays (the longest closure is four
 * days), so this file swaps in a synthetic closure to prove it.
 */
jest.mock('./bank-holidays', () => {
  // Mon 7 – Fri 11 and Mon 14 Jan 2030: a long closure, purely hypothetical.
  const closure = new Set(['2030-01-07', '2030-01-08', '2030-01-09', '2030-01-10', '2030-01-11', '2030-01-14']);
  return {
    isBankHoliday: (isoDate: string) => closure.has(isoDate),
    bankHolidaysInYear: () => [...closure],
  };
});

import { planOccurrences } from './meeting-dates';

describe('planOccurrences moved-meeting collision rule', () => {
  it('skips an occurrence whose next working day would be on or after the next nominal date', () => {
    const weekly = planOccurrences({
      firstMeetingDate: '2029-12-31',
      intervalWeeks: 1,
      until: '2030-01-21',
      policy: 'next-working-day',
    });
    expect(weekly).toEqual([
      { occurrenceDate: '2029-12-31', date: '2029-12-31', moved: false },
      // 7 Jan would move to Tue 15 Jan, after the next nominal (14 Jan): skipped.
      // 14 Jan moves to Tue 15 Jan, before the next nominal (21 Jan): kept.
      { occurrenceDate: '2030-01-14', date: '2030-01-15', moved: true },
      { occurrenceDate: '2030-01-21', date: '2030-01-21', moved: false },
    ]);
  });

  it('skips when the next working day is exactly the next nominal date', () => {
    // Tuesdays: 8 Jan closes through Mon 14, next working day Tue 15 = next nominal.
    const weekly = planOccurrences({
      firstMeetingDate: '2030-01-08',
      intervalWeeks: 1,
      until: '2030-01-15',
      policy: 'next-working-day',
    });
    expect(weekly).toEqual([{ occurrenceDate: '2030-01-15', date: '2030-01-15', moved: false }]);
  });

  it('keeps a moved meeting when a longer interval leaves room', () => {
    const fortnightly = planOccurrences({
      firstMeetingDate: '2030-01-07',
      intervalWeeks: 2,
      until: '2030-01-21',
      policy: 'next-working-day',
    });
    expect(fortnightly).toEqual([
      { occurrenceDate: '2030-01-07', date: '2030-01-15', moved: true },
      { occurrenceDate: '2030-01-21', date: '2030-01-21', moved: false },
    ]);
  });
});
