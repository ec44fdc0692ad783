import {
  addWorkingDays,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  subtractWorkingDays,
  workingDaysBetween,
} from './working-days';

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

describe('addWorkingDays and workingDaysBetween', () => {
  it.each([
    ['2027-03-25', 1, '2027-03-30'], // Thursday before Easter: Good Friday, the weekend and Easter Monday are off
    ['2027-03-25', 2, '2027-03-31'],
    ['2027-06-11', 1, '2027-06-14'], // Friday to Monday
    ['2027-06-14', 5, '2027-06-21'],
    ['2026-12-24', 1, '2026-12-29'], // Christmas Eve 2026 to the Tuesday after the Boxing Day substitute
    ['2027-03-27', 0, '2027-03-27'], // 0 is the date itself, working day or not
  ])('%s plus %i working days is %s, and back', (from, n, to) => {
    expect(addWorkingDays(from, n)).toBe(to);
    expect(workingDaysBetween(from, to)).toBe(n);
    if (n > 0 && isWorkingDay(from)) expect(subtractWorkingDays(to, n)).toBe(from);
  });

  it('counts a weekend or bank holiday start as reaching the next working day in one', () => {
    expect(workingDaysBetween('2027-03-26', '2027-03-30')).toBe(1); // Good Friday to Tuesday
    expect(workingDaysBetween('2027-03-26', '2027-03-29')).toBe(0); // Good Friday to Easter Monday
    expect(workingDaysBetween('2027-06-14', '2027-06-14')).toBe(0);
  });

  it('refuses a negative n, a later start and a bad date', () => {
    expect(() => addWorkingDays('2027-06-14', -1)).toThrow(/^n /);
    expect(() => workingDaysBetween('2027-06-15', '2027-06-14')).toThrow(
      'to (2027-06-14) must not be before from (2027-06-15)',
    );
    expect(() => workingDaysBetween('2027-6-14', '2027-06-14')).toThrow(/^from /);
    expect(() => workingDaysBetween('2027-06-14', '2028-12-31')).toThrow(/more than 366 working days/);
    expect(() => workingDaysBetween('2027-06-14', '2027-6-15')).toThrow(/^to /);
    expect(() => addWorkingDays('2027-6-14', 1)).toThrow(/^isoDate /);
  });

  it('counts up to 366 working days apart, and refuses one more', () => {
    const last = addWorkingDays('2027-01-04', 366);
    expect(workingDaysBetween('2027-01-04', last)).toBe(366);
    expect(() => workingDaysBetween('2027-01-04', addWorkingDays(last, 1))).toThrow(/more than 366 working days/);
  });
});
