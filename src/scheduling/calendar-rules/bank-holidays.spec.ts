import { bankHolidaysInYear, isBankHoliday } from './bank-holidays';

// GOV.UK "UK bank holidays" for England and Wales, typed out independently of
// the library. Easter Sunday: 2026-04-05, 2027-03-28, 2028-04-16.
const GOV_UK_ENGLAND_AND_WALES: Record<number, string[]> = {
  2026: [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
  ],
  2027: [
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ],
  2028: [
    '2028-01-03',
    '2028-04-14',
    '2028-04-17',
    '2028-05-01',
    '2028-05-29',
    '2028-08-28',
    '2028-12-25',
    '2028-12-26',
  ],
};

describe('bankHolidaysInYear', () => {
  it.each([2026, 2027, 2028])('matches the GOV.UK England & Wales list for %i', (year) => {
    expect(bankHolidaysInYear(year)).toEqual(GOV_UK_ENGLAND_AND_WALES[year]);
  });

  it('drops weekend originals that the library lists alongside their substitutes', () => {
    // Boxing Day 2026 and Christmas/Boxing Day 2027 and New Year 2028 fall at weekends.
    expect(bankHolidaysInYear(2026)).not.toContain('2026-12-26');
    expect(bankHolidaysInYear(2027)).not.toContain('2027-12-25');
    expect(bankHolidaysInYear(2027)).not.toContain('2027-12-26');
    expect(bankHolidaysInYear(2028)).not.toContain('2028-01-01');
  });

  it('returns a sorted copy that callers cannot use to corrupt the cache', () => {
    const first = bankHolidaysInYear(2027);
    expect([...first].sort()).toEqual(first);
    first.push('2027-07-04');
    expect(bankHolidaysInYear(2027)).toEqual(GOV_UK_ENGLAND_AND_WALES[2027]);
  });

  it.each([2025.5, Number.NaN, 1800, 3000])('rejects an unusable year %p', (year) => {
    expect(() => bankHolidaysInYear(year)).toThrow(RangeError);
  });
});

describe('isBankHoliday', () => {
  it.each(Object.values(GOV_UK_ENGLAND_AND_WALES).flat())('%s is a bank holiday', (date) => {
    expect(isBankHoliday(date)).toBe(true);
  });

  it.each(['2026-12-24', '2026-12-26', '2027-03-28', '2027-03-30', '2028-01-01', '2028-01-04'])(
    '%s is not a bank holiday',
    (date) => {
      expect(isBankHoliday(date)).toBe(false);
    },
  );

  it.each(['2026-02-30', '2026-13-01', '26-12-25', '2026-12-25T00:00:00Z', '2026-W52-5', ''])(
    'rejects malformed date %p',
    (date) => {
      expect(() => isBankHoliday(date)).toThrow(RangeError);
    },
  );
});

describe('bad input names the argument', () => {
  it('says which value was wrong', () => {
    expect(() => bankHolidaysInYear(1800)).toThrow(/^year /);
    expect(() => isBankHoliday('2027-13-01')).toThrow(/^isoDate /);
    expect(() => isBankHoliday('1800-01-01')).toThrow(/^year /);
  });
});
