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
