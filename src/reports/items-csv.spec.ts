import { parse } from 'csv-parse/sync';
import { ITEMS_CSV_COLUMNS, ItemExportRow, itemsCsvStringifier, toItemCsvRecord } from './items-csv';

const row = (over: Partial<ItemExportRow> = {}): ItemExportRow => ({
  id: 'b1',
  reference: 'TRM-2026-0001',
  kind: 'referral-feedback',
  status: 'booked',
  age_band: '5-10',
  categories: '["neglect","mental-health"]',
  level_considered: 2,
  deferrals: 1,
  promoted_at: null,
  starts_at: '2026-06-30 23:30:00.000',
  meeting_status: 'scheduled',
  agency: 'Riverside Academy',
  sector: 'education',
  outcome_id: 'o1',
  level_advised: 3,
  pathway: 'mash-referral',
  timely: 1,
  complete: 0,
  appropriate: true,
  issues: '["missing-information"]',
  ...over,
});

async function csv(rows: ItemExportRow[]): Promise<string> {
  const s = itemsCsvStringifier();
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const done = new Promise((resolve) => s.on('end', resolve));
  for (const r of rows) s.write(toItemCsvRecord(r, new Date('2026-11-01T00:00:00Z')));
  s.end();
  await done;
  return chunks.join('');
}

describe('the items CSV', () => {
  it('maps a row to structured fields: London date and quarter, yes/no, lists', () => {
    expect(toItemCsvRecord(row(), new Date('2026-11-01T00:00:00Z'))).toMatchObject({
      meetingDate: '2026-07-01',
      meetingTime: '00:30',
      quarter: '2026-Q3',
      meetingHeld: true,
      discussed: true,
      concernCategories: 'neglect; mental-health',
      referralTimely: true,
      referralComplete: false,
      referralAppropriate: true,
      referralIssues: 'missing-information',
      timesCarriedForward: 1,
      givenFreedSlot: false,
    });
    expect(toItemCsvRecord(row({ outcome_id: null, timely: null }), new Date('2026-11-01T00:00:00Z'))).toMatchObject({ outcomeRecorded: false, levelAdvised: null, referralTimely: null });
    expect(toItemCsvRecord(row(), new Date('2026-06-01T00:00:00Z'))).toMatchObject({ meetingHeld: false, discussed: false });
  });

  it('decides held, discussed, reviewed and the freed slot at their edges', () => {
    const at = (iso: string) => new Date(iso);
    const start = '2026-06-30T23:30:00.000Z';
    // Held from the moment it starts; a cancelled meeting never is.
    expect(toItemCsvRecord(row(), at(start))).toMatchObject({ meetingHeld: true, discussed: true });
    expect(toItemCsvRecord(row(), new Date(at(start).getTime() - 1))).toMatchObject({ meetingHeld: false });
    expect(toItemCsvRecord(row({ meeting_status: 'cancelled' }), at('2026-11-01T00:00:00Z'))).toMatchObject({
      meetingHeld: false,
      discussed: false,
    });
    // Held, but the item was withdrawn: not discussed.
    expect(toItemCsvRecord(row({ status: 'withdrawn' }), at('2026-11-01T00:00:00Z'))).toMatchObject({
      meetingHeld: true,
      discussed: false,
    });
    // An outcome without a referral-quality review: no quality answers, an empty list of issues.
    const unreviewed = toItemCsvRecord(row({ timely: null, complete: null, appropriate: null, issues: null }), at(start));
    expect(unreviewed).toMatchObject({ outcomeRecorded: true, levelAdvised: 3, pathway: 'mash-referral' });
    expect(unreviewed).toMatchObject({ referralTimely: null, referralComplete: null, referralAppropriate: null, referralIssues: null });
    expect(toItemCsvRecord(row({ timely: undefined }), at(start)).referralTimely).toBeNull();
    // Two issues, joined; a level given as text (PostgreSQL) read as a number; no level at all.
    expect(toItemCsvRecord(row({ issues: '["missing-information","consent-not-recorded"]' }), at(start)).referralIssues).toBe(
      'missing-information; consent-not-recorded',
    );
    expect(toItemCsvRecord(row({ level_considered: '4' as unknown as number }), at(start)).levelConsidered).toBe(4);
    expect(toItemCsvRecord(row({ level_considered: null }), at(start)).levelConsidered).toBeNull();
    expect(toItemCsvRecord(row({ level_considered: undefined as unknown as null }), at(start)).levelConsidered).toBeNull();
    expect(toItemCsvRecord(row({ deferrals: null as unknown as number }), at(start)).timesCarriedForward).toBe(0);
    // Given a freed slot: promoted from the waiting list.
    expect(toItemCsvRecord(row({ promoted_at: '2026-06-01 09:00:00.000' }), at(start)).givenFreedSlot).toBe(true);
    expect(toItemCsvRecord(row({ promoted_at: undefined as unknown as null }), at(start)).givenFreedSlot).toBe(false);
    // A follow-up of an earlier item: whether there is one, never which.
    const followUp = toItemCsvRecord(row({ follows_booking_id: 'b0000000-0000-4000-8000-000000000001' }), at(start));
    expect(followUp.followsEarlierItem).toBe(true);
    expect(Object.values(followUp)).not.toContain('b0000000-0000-4000-8000-000000000001');
    expect(toItemCsvRecord(row({ follows_booking_id: null }), at(start)).followsEarlierItem).toBe(false);
    expect(toItemCsvRecord(row(), at(start)).followsEarlierItem).toBe(false);
  });

  it('names the threshold document version of each level, the oldest for levels recorded before versions were kept', () => {
    const at2 = new Date('2026-11-01T00:00:00Z');
    expect(toItemCsvRecord(row({ considered_version: '2024', advised_version: 'families-first' }), at2, '2024')).toMatchObject({
      levelConsideredVersion: '2024',
      levelAdvisedVersion: 'families-first',
    });
    expect(toItemCsvRecord(row({ considered_version: null, advised_version: undefined }), at2, '2024')).toMatchObject({
      levelConsideredVersion: '2024',
      levelAdvisedVersion: '2024',
    });
    expect(toItemCsvRecord(row(), at2)).toMatchObject({ levelConsideredVersion: 'current', levelAdvisedVersion: 'current' });
    // No level, no version: agency feedback, or no outcome yet.
    expect(toItemCsvRecord(row({ level_considered: null, level_advised: null }), at2, '2024')).toMatchObject({
      levelConsideredVersion: null,
      levelAdvisedVersion: null,
    });
    expect(toItemCsvRecord(row({ outcome_id: null, advised_version: 'families-first' }), at2, '2024').levelAdvisedVersion).toBeNull();
  });

  it('quotes, doubles quotes and neutralises formulas; a byte order mark first', async () => {
    const text = await csv([
      row({ agency: 'Smith, "Jones" & Partners' }),
      row({ agency: '=HYPERLINK("http://x","y")' }),
      row({ agency: '+44 line' }),
      row({ agency: '-minus' }),
      row({ agency: '@at' }),
      row({ agency: '\tTabbed' }),
      row({ agency: '\rReturn' }),
    ]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('"Smith, ""Jones"" & Partners"');
    const records = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0])).toEqual(ITEMS_CSV_COLUMNS.map((c) => c.header));
    expect(records.map((r) => r.agency)).toEqual(['Smith, "Jones" & Partners', `'=HYPERLINK("http://x","y")`, "'+44 line", "'-minus", "'@at", "'\tTabbed", "'\rReturn"]);
    expect(records[0]).toMatchObject({ referral_timely: 'yes', referral_complete: 'no', level_considered: '2', times_carried_forward: '1' });
  });
});
