import { isWorkingDay, nextWorkingDayOnOrAfter, subtractWorkingDays } from './working-days';

describe('isWorkingDay', () => {
  it.each([
    ['2027-03-25', true], // Thu before Easter
    ['2027-03-26', false], // Good Friday
    ['2027-03-27', false], // Saturday
    ['2027-03-28', false], // Easter Sunday
    ['2027-03-29', false], // Easter Monday
    ['2027-03-30', true], // Tuesday after Easter
    ['2026-12-24', true], // Christmas Eve (Thursday) is not a bank holiday
    ['2026-12-25', false], // Christmas Day
    ['2026-12-28', false], // Boxing Day substitute
    ['2026-12-29', true],
  ])('%s -> %p', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('rejects an invalid date', () => {
    expect(() => isWorkingDay('2027-02-29')).toThrow(RangeError);
  });
});

describe('nextWorkingDayOnOrAfter', () => {
  it('returns the date itself when it is a working day', () => {
    expect(nextWorkingDayOnOrAfter('2027-03-25')).toBe('2027-03-25');
  });

  it('skips the whole Easter weekend', () => {
    expect(nextWorkingDayOnOrAfter('2027-03-26')).toBe('2027-03-30');
    expect(nextWorkingDayOnOrAfter('2027-03-29')).toBe('2027-03-30');
  });

  it('skips both Christmas substitutes in 2027', () => {
    expect(nextWorkingDayOnOrAfter('2027-12-25')).toBe('2027-12-29');
    expect(nextWorkingDayOnOrAfter('2027-12-27')).toBe('2027-12-29');
  });

  it('skips the New Year substitute in 2028, crossing the year end', () => {
    expect(nextWorkingDayOnOrAfter('2027-12-31')).toBe('2027-12-31');
    expect(nextWorkingDayOnOrAfter('2028-01-01')).toBe('2028-01-04');
  });
});

describe('subtractWorkingDays', () => {
  it('returns the date itself for n = 0, even on a non-working day', () => {
    expect(subtractWorkingDays('2027-03-29', 0)).toBe('2027-03-29');
  });

  it('does not count the start date and skips Easter', () => {
    // Tue 30 Mar 2027 -> previous working day is Thu 25 Mar (Fri, weekend, Mon off).
    expect(subtractWorkingDays('2027-03-30', 1)).toBe('2027-03-25');
    expect(subtractWorkingDays('2027-03-30', 2)).toBe('2027-03-24');
  });

  it('skips Christmas 2026', () => {
    // Tue 29 Dec 2026: Mon 28 (substitute), Sun, Sat, Fri 25 are all off.
    expect(subtractWorkingDays('2026-12-29', 1)).toBe('2026-12-24');
    expect(subtractWorkingDays('2026-12-29', 2)).toBe('2026-12-23');
  });

  it('counts back over an ordinary weekend', () => {
    expect(subtractWorkingDays('2027-06-14', 1)).toBe('2027-06-11');
    expect(subtractWorkingDays('2027-06-14', 5)).toBe('2027-06-07');
  });

  it.each([-1, 1.5, Number.NaN])('rejects n = %p', (n) => {
    expect(() => subtractWorkingDays('2027-06-14', n)).toThrow(RangeError);
  });
});

describe('bad input names the argument', () => {
  it('says which value was wrong', () => {
    expect(() => isWorkingDay('27-01-04')).toThrow(/^isoDate /);
    expect(() => subtractWorkingDays('27-01-04', 1)).toThrow(/^isoDate /);
    expect(() => subtractWorkingDays('2027-01-04', -1)).toThrow(/^n /);
  });
});
