import { quarterIndexOf, quarterKeyOf, reportPeriod } from './report-period';

describe('reportPeriod', () => {
  it('cuts a range into London calendar quarters, clipping the first and last', () => {
    const p = reportPeriod('2026-02-15', '2026-08-10');
    expect(p.quarters.map((q) => [q.key, q.from, q.to, q.clipped])).toEqual([
      ['2026-Q1', '2026-02-15', '2026-03-31', true],
      ['2026-Q2', '2026-04-01', '2026-06-30', false],
      ['2026-Q3', '2026-07-01', '2026-08-10', true],
    ]);
    expect(p.quarters[1].label).toBe('April to June 2026');
  });

  it('starts and ends quarters at London midnight, in summer time and in winter', () => {
    const p = reportPeriod('2026-01-01', '2026-12-31');
    // 1 April and 1 July are in BST (UTC+1): the quarter starts at 23:00 UTC the day before.
    expect(p.quarters[1].startsAt.toISOString()).toBe('2026-03-31T23:00:00.000Z');
    expect(p.quarters[2].startsAt.toISOString()).toBe('2026-06-30T23:00:00.000Z');
    // 1 January is in GMT.
    expect(p.quarters[0].startsAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(p.endsBefore.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(quarterIndexOf(p, new Date('2026-06-30T23:30:00Z'))).toBe(2); // 00:30 BST on 1 July
    expect(quarterIndexOf(p, new Date('2026-06-30T22:59:59Z'))).toBe(1); // 23:59 BST on 30 June
    expect(quarterIndexOf(p, new Date('2027-01-01T00:00:00Z'))).toBe(-1);
    expect(quarterKeyOf(new Date('2026-09-30T23:00:00Z'))).toBe('2026-Q4');
  });

  it('covers a single day as a clipped quarter', () => {
    const p = reportPeriod('2026-10-01', '2026-10-01');
    expect(p.quarters).toHaveLength(1);
    expect(p.quarters[0]).toMatchObject({ key: '2026-Q4', from: '2026-10-01', to: '2026-10-01', clipped: true });
  });

  it('refuses unreal dates, a reversed range and more than forty quarters', () => {
    const fields = (from: string, to: string) => {
      try {
        reportPeriod(from, to);
        return [];
      } catch (err) {
        return (err as { details: Array<{ field: string }> }).details.map((d) => d.field);
      }
    };
    expect(fields('2026-02-30', '2026-03-01')).toEqual(['from']);
    expect(fields('2026-03-01', '2026-13-01')).toEqual(['to']);
    expect(fields('2026-03-02', '2026-03-01')).toEqual(['to']);
    expect(fields('2016-01-01', '2026-01-01')).toEqual(['to']);
    expect(fields('2016-04-01', '2026-03-31')).toEqual([]);
  });

  it('says what is wrong with each date, in words', () => {
    const details = (from: string, to: string) => {
      try {
        reportPeriod(from, to);
        return [];
      } catch (err) {
        return (err as { details: Array<{ field: string; messages: string[] }> }).details;
      }
    };
    expect(details('2026-02-30', 'soon')).toEqual([
      { field: 'from', messages: ['must be a real date YYYY-MM-DD'] },
      { field: 'to', messages: ['must be a real date YYYY-MM-DD'] },
    ]);
    expect(details('2026-03-02', '2026-03-01')).toEqual([{ field: 'to', messages: ['must be on or after from'] }]);
    expect(details('2016-01-01', '2026-01-01')).toEqual([
      { field: 'to', messages: ['the range can cover at most 40 quarters'] },
    ]);
    // Only a whole date: nothing before it, nothing after, not a date-time.
    for (const bad of ['x2026-03-01', '2026-03-01x', '2026-03-01T00:00', ' 2026-03-01', '2026-3-1'])
      expect(details(bad, '2026-03-31').map((d) => d.field)).toEqual(['from']);
    expect(details(7 as unknown as string, '2026-03-31').map((d) => d.field)).toEqual(['from']);
  });

  it('starts a quarter that begins on the first day of the range at that day, unclipped', () => {
    const p = reportPeriod('2026-04-01', '2026-06-30');
    expect(p.quarters).toHaveLength(1);
    expect(p.quarters[0]).toMatchObject({ from: '2026-04-01', to: '2026-06-30', clipped: false });
    expect(p.quarters[0].startsAt.toISOString()).toBe('2026-03-31T23:00:00.000Z');
    expect(p.quarters[0].endsBefore.toISOString()).toBe('2026-06-30T23:00:00.000Z');
  });

  it('puts an instant in the quarter it falls in, the first instant of a quarter in that quarter', () => {
    const p = reportPeriod('2026-01-01', '2026-12-31');
    const [, q2, q3] = p.quarters;
    expect(quarterIndexOf(p, q2.startsAt)).toBe(1);
    expect(quarterIndexOf(p, new Date(q3.startsAt.getTime() - 1))).toBe(1);
    expect(quarterIndexOf(p, q3.startsAt)).toBe(2);
    expect(quarterIndexOf(p, new Date('2025-12-31T23:59:59Z'))).toBe(-1);
    expect(quarterIndexOf(p, p.endsBefore)).toBe(-1);
  });

  it('refuses a year past 9999 written with a sign and six digits, and anything that is not text, before reading it', () => {
    const fields = (from: unknown, to: unknown) => {
      try {
        reportPeriod(from as string, to as string);
        return [];
      } catch (err) {
        return (err as { details: Array<{ field: string }> }).details.map((d) => d.field);
      }
    };
    // Luxon reads and writes these extended years, so only the pattern refuses them.
    expect(fields('+012026-01-01', '+012026-03-31')).toEqual(['from', 'to']);
    expect(fields('2026-01-01', '+012026-03-31')).toEqual(['to']);
    // A symbol cannot even be turned into text: it is refused by its type, not by the pattern.
    expect(fields(Symbol('from'), '2026-03-31')).toEqual(['from']);
  });
});
