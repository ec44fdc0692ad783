import { loadConfig } from '../../config/app-config';
import { buildReferenceData } from '../../reference-data/reference-data';
import { buildSummary, ReportFacts } from '../report-builder';
import { reportPeriod } from '../report-period';
import { reportCharts } from './report-charts';

const facts: ReportFacts = {
  agencies: [
    { id: 'a', name: 'Riverside <Academy>', sector: 'education' },
    { id: 'b', name: 'Community Health', sector: 'health' },
  ],
  meetings: [],
  itemsByKind: [
    { q: 0, kind: 'referral-feedback', n: 11 },
    { q: 1, kind: 'referral-feedback', n: 12 },
  ],
  itemsByAgency: [
    { q: 0, agencyId: 'a', n: 8 },
    { q: 0, agencyId: 'b', n: 3 },
    { q: 1, agencyId: 'a', n: 12 },
  ],
  itemsByConcerns: [],
  itemsByLevel: [],
  itemsByPathway: [],
  itemsByRepeat: [],
  nextSteps: [],
  levelPairs: [
    { q: 0, considered: 2, advised: 2, n: 15 },
    { q: 0, considered: 2, advised: 3, n: 2 },
  ],
  quality: [
    { q: 0, agencyId: 'a', timely: true, complete: true, appropriate: true, issues: [], n: 6 },
    { q: 0, agencyId: 'a', timely: false, complete: true, appropriate: true, issues: [], n: 2 },
  ],
  attendance: [],
  agencyMeetings: [],
  actions: [],
  waiting: [],
  deferrals: [],
};
const summary = (publication: boolean) =>
  buildSummary(facts, reportPeriod('2026-01-01', '2026-06-30'), buildReferenceData(loadConfig({})), { publication, generatedAt: new Date('2026-07-01T00:00:00Z') });

describe('reportCharts', () => {
  it('words each chart for a screen reader: title, description with the headline figures, and its table', () => {
    const [items, quality, levels] = reportCharts(summary(false));
    const desc = (svg: string) => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1];
    expect(items.id).toBe('chart-items');
    expect(items.title).toBe('Items discussed per quarter, by agency');
    expect(desc(items.svg)).toBe(
      'Stacked bars, one for each quarter from 2026-01-01 to 2026-06-30, each divided by the agency that brought the items. ' +
        'Items per quarter: 2026-Q1 11; 2026-Q2 12. Riverside &lt;Academy&gt; brought the most (20). ' +
        'The table after the chart gives every value.',
    );
    expect(items.table).toMatchObject({
      caption: 'Items discussed per quarter, by agency',
      head: ['Agency', '2026-Q1', '2026-Q2', 'Total'],
      numeric: [false, true, true, true],
    });

    expect(quality.id).toBe('chart-quality');
    expect(quality.title).toBe('Referral quality by agency');
    expect(desc(quality.svg)).toBe(
      'Horizontal bars: for each agency, the per cent of its referrals to the MASH reviewed at the meeting from 2026-01-01 to 2026-06-30 ' +
        'that were timely, complete and appropriately directed. ' +
        'All agencies: Timely 75% (6 of 8); Complete 100% (8 of 8); Appropriately directed 100% (8 of 8). ' +
        'The table after the chart gives every count, including each issue found.',
    );
    expect(quality.svg).toContain('Per cent of referrals reviewed');
    expect(quality.table).toMatchObject({
      caption: 'Referral quality by agency (whole period)',
      head: [
        'Agency',
        'Reviewed',
        'Timely',
        'Complete',
        'Appropriately directed',
        'Missing information',
        'Unclear safeguarding concern',
        'Consent not recorded',
        'Other',
      ],
      numeric: [false, true, true, true, true, true, true, true, true],
    });

    expect(levels.id).toBe('chart-levels');
    expect(levels.title).toBe('Level considered and level advised');
    expect(desc(levels.svg)).toBe(
      'A table of shaded cells: rows are the level of need the presenter considered, columns the level the meeting advised, ' +
        'each cell the number of items from 2026-01-01 to 2026-06-30. 17 items had both; 15 were advised at the level considered. ' +
        'Levels: 1 Universal; 2 Early help (additional needs); 3 Targeted / complex (child in need); 4 Specialist / acute (child protection).',
    );
    for (const words of ['Considered', 'Level advised', 'Level 1', 'Level 4']) expect(levels.svg).toContain(words);
    expect(levels.table).toMatchObject({
      caption: 'Level considered and level advised: items by level considered (rows) and level advised (columns)',
      head: ['Level considered', 'Advised 1', 'Advised 2', 'Advised 3', 'Advised 4', 'Total'],
      numeric: [false, true, true, true, true, true],
    });
    // Ids follow the prefix asked for.
    expect(reportCharts(summary(false), 'q3').map((c) => c.id)).toEqual(['q3-items', 'q3-quality', 'q3-levels']);
  });

  // Drawn inside each test, not when the file loads: mutation testing switches a mutant on per test.
  it('draws accessible SVG: role img, named by its title, described by its desc', () => {
    const [items, quality, levels] = reportCharts(summary(false));
    for (const chart of [items, quality, levels]) {
      expect(chart.svg).toMatch(new RegExp(`^<svg [^>]*id="${chart.id}" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc"`));
      expect(chart.svg).toContain(`<title id="${chart.id}-title">${chart.title}</title>`);
      expect(chart.svg).toMatch(new RegExp(`<desc id="${chart.id}-desc">[^<]{40,}</desc>`));
      expect(chart.table.rows.length).toBeGreaterThan(0);
    }
    expect(items.svg).toContain('Riverside &lt;Academy&gt;');
    expect(items.svg).not.toContain('Riverside <Academy>');
  });

  it('tells series apart by pattern and name, not colour alone, and writes the values', () => {
    const [items, quality, levels] = reportCharts(summary(false));
    expect(items.svg).toContain('Riverside &lt;Academy&gt; (solid)');
    expect(items.svg).toContain('Community Health (diagonal hatching)');
    expect(items.svg).toContain('<pattern id="chart-items-p1"');
    expect(items.svg).toMatch(/>12</); // the Q2 bar's value
    expect(quality.svg).toContain('Timely: 75% (6 of 8)');
    expect(levels.svg).toMatch(/>15</);
    expect(items.table.rows[items.table.rows.length - 1]).toEqual(['All agencies', '11', '12', '23']);
  });

  it('in the publication view draws no suppressed value, and gives no percentage of one', () => {
    const [pubItems, pubQuality, pubLevels] = reportCharts(summary(true));
    expect(pubItems.table.rows.find((r) => r[0] === 'Community Health')).toEqual(['Community Health', 'suppressed', '0', 'suppressed']);
    expect(pubQuality.svg).toContain('Timely: suppressed'); // 6 of 8: the 2 not timely are small
    expect(pubQuality.svg).not.toContain('75%');
    expect(pubLevels.svg).toContain('>suppressed<');
  });
});

describe('reportCharts with many agencies, a part quarter and suppression', () => {
  // Nine agencies: 12, 11 and 10 items in turn, so ties are ordered by name.
  const agencies = Array.from({ length: 9 }, (_, i) => ({
    id: `a${i}`,
    name: `Agency ${String.fromCharCode(65 + i)}`,
    sector: 'education',
  }));
  const many: ReportFacts = {
    ...facts,
    agencies,
    itemsByKind: [],
    itemsByAgency: agencies.map((a, i) => ({ q: 0, agencyId: a.id, n: 10 + (i % 3) })),
    quality: [
      { q: 0, agencyId: 'a0', timely: true, complete: true, appropriate: true, issues: [], n: 6 },
      { q: 0, agencyId: 'a0', timely: false, complete: false, appropriate: true, issues: ['missing-information'], n: 2 },
    ],
  };
  // To 15 May: the second quarter is only part-way through.
  const charts = (publication: boolean) =>
    reportCharts(
      buildSummary(many, reportPeriod('2026-01-01', '2026-05-15'), buildReferenceData(loadConfig({})), {
        publication,
        generatedAt: new Date('2026-07-01T00:00:00Z'),
      }),
      'x',
    );

  it('orders agencies by items then name, draws seven and adds the rest up as "Other agencies"', () => {
    const [items] = charts(false);
    expect(items.id).toBe('x-items');
    expect(items.table.head).toEqual(['Agency', '2026-Q1', '2026-Q2 (part)', 'Total']);
    expect(items.table.rows.map((r) => r[0])).toEqual([
      'Agency C',
      'Agency F',
      'Agency I',
      'Agency B',
      'Agency E',
      'Agency H',
      'Agency A',
      'Agency D',
      'Agency G',
      'All agencies',
    ]);
    expect(items.table.rows[0]).toEqual(['Agency C', '12', '0', '12']);
    expect(items.table.numeric).toEqual([false, true, true, true]);
    // The two not drawn on their own (D and G, 10 each) make one series.
    expect(items.svg).toContain('Other agencies (2): 20');
    expect(items.svg).not.toContain('Agency D (');
    expect(items.svg).toContain('Agency C brought the most (12).');
    expect(items.svg).toContain('Items per quarter: 2026-Q1 0; 2026-Q2 (part) 0.');
  });

  it('gives each share of referrals reviewed, and every issue, in the table', () => {
    const [, quality, levels] = charts(false);
    expect(quality.id).toBe('x-quality');
    expect(quality.svg).toContain(
      'All agencies: Timely 75% (6 of 8); Complete 75% (6 of 8); Appropriately directed 100% (8 of 8).',
    );
    expect(quality.table.head).toEqual([
      'Agency',
      'Reviewed',
      'Timely',
      'Complete',
      'Appropriately directed',
      'Missing information',
      'Unclear safeguarding concern',
      'Consent not recorded',
      'Other',
    ]);
    expect(quality.table.rows).toEqual([
      ['Agency A', '8', '6', '6', '8', '2', '0', '0', '0'],
      ['All agencies', '8', '6', '6', '8', '2', '0', '0', '0'],
    ]);
    expect(quality.table.caption).toBe('Referral quality by agency (whole period)');
    expect(levels.svg).toContain('17 items had both; 15 were advised at the level considered.');
    expect(levels.table.rows[1]).toEqual(['2: Early help (additional needs)', '0', '15', '2', '0', '17']);
    expect(levels.table.rows.at(-1)).toEqual(['Total', '0', '15', '2', '0', '17']);
  });

  it('in the publication view says "suppressed" for a suppressed count, in the table too (never 0)', () => {
    const [, quality, levels] = charts(true);
    expect(quality.svg).toContain('All agencies: Timely suppressed; Complete suppressed; Appropriately directed 100% (8 of 8).');
    // 6 timely of 8: the 2 not timely are a small number, so both are suppressed, in the chart and the table.
    expect(quality.table.rows[0].slice(0, 5)).toEqual(['Agency A', '8', 'suppressed', 'suppressed', '8']);
    expect(levels.svg).toContain('17 items had both; the number advised at the level considered is suppressed.');
  });
});

describe('reportCharts, the edge cases of the words', () => {
  const referenceData = () => buildReferenceData(loadConfig({}));
  const generatedAt = new Date('2026-07-01T00:00:00Z');
  const none: ReportFacts = { ...facts, agencies: [], itemsByKind: [], itemsByAgency: [], levelPairs: [], quality: [] };
  const desc = (svg: string) => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1];

  it('with no quarters and no agency, names neither a quarter nor a busiest agency', () => {
    const period = { ...reportPeriod('2026-01-01', '2026-03-31'), quarters: [] };
    const [items] = reportCharts(buildSummary(none, period, referenceData(), { publication: false, generatedAt }));
    expect(desc(items.svg)).toBe(
      'Stacked bars, one for each quarter from 2026-01-01 to 2026-03-31, each divided by the agency that brought the items. ' +
        'The table after the chart gives every value.',
    );
  });

  it('names no busiest agency when its total is suppressed, and adds no "Other agencies" for seven or fewer', () => {
    const few: ReportFacts = {
      ...none,
      agencies: [{ id: 'a', name: 'Riverside Academy', sector: 'education' }],
      itemsByKind: [{ q: 0, kind: 'referral-feedback', n: 3 }],
      itemsByAgency: [{ q: 0, agencyId: 'a', n: 3 }],
    };
    const [items] = reportCharts(buildSummary(few, reportPeriod('2026-01-01', '2026-03-31'), referenceData(), { publication: true, generatedAt }));
    expect(desc(items.svg)).toBe(
      'Stacked bars, one for each quarter from 2026-01-01 to 2026-03-31, each divided by the agency that brought the items. ' +
        'Items per quarter: 2026-Q1 suppressed. The table after the chart gives every value.',
    );
    expect(items.svg).not.toContain('Other agencies');
    expect(items.svg).toContain('>Items discussed</text>');
  });

  it('gives no sum for "Other agencies" in a quarter where one of them is suppressed', () => {
    const agencies = Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, name: `Agency ${String.fromCharCode(65 + i)}`, sector: 'education' }));
    // The first seven bring 30 each in Q1; H, I and J (drawn together) bring 2, 6 and 7 in Q2.
    const itemsByAgency = [
      ...agencies.slice(0, 7).map((a) => ({ q: 0, agencyId: a.id, n: 30 })),
      ...[2, 6, 7].map((n, i) => ({ q: 1, agencyId: agencies[7 + i].id, n })),
    ];
    const many: ReportFacts = {
      ...none,
      agencies,
      itemsByAgency,
      itemsByKind: [
        { q: 0, kind: 'referral-feedback', n: 210 },
        { q: 1, kind: 'referral-feedback', n: 15 },
      ],
    };
    const draw = (publication: boolean) =>
      reportCharts(buildSummary(many, reportPeriod('2026-01-01', '2026-06-30'), referenceData(), { publication, generatedAt }))[0];
    expect(draw(false).svg).toContain('<title>2026-Q2, Other agencies (3): 15</title>');
    const pub = draw(true);
    // Agency H's 2 is small, so the sum of the three would give it away.
    expect(pub.table.rows.find((r) => r[0] === 'Agency H')).toEqual(['Agency H', '0', 'suppressed', 'suppressed']);
    expect(pub.table.rows.find((r) => r[0] === 'Agency J')).toEqual(['Agency J', '0', '7', '7']);
    expect(pub.svg).not.toContain('2026-Q2, Other agencies (3)');
  });

  it('says "none reviewed" rather than a percentage of nothing', () => {
    const [, quality] = reportCharts(buildSummary(none, reportPeriod('2026-01-01', '2026-03-31'), referenceData(), { publication: false, generatedAt }));
    expect(quality.svg).toContain('All agencies: Timely none reviewed; Complete none reviewed; Appropriately directed none reviewed.');
    expect(quality.svg).toContain('Timely: none reviewed');
    expect(quality.svg).not.toContain('NaN');
  });

  it('takes "Issue: " off the start of an issue label only', () => {
    const s = summary(false);
    s.referralQuality.allAgencies = s.referralQuality.allAgencies.map((m) => (m.code === 'issue:other' ? { ...m, label: 'Other Issue: see notes' } : m));
    const [, quality] = reportCharts(s);
    expect(quality.table.head.slice(5)).toEqual(['Missing information', 'Unclear safeguarding concern', 'Consent not recorded', 'Other Issue: see notes']);
  });

  it('labels the rows and columns of the level table by level, in each cell too', () => {
    const [, , levels] = reportCharts(summary(false));
    expect(levels.svg).toContain('<title>Considered Level 2, Level advised Level 3: 2</title>');
    expect(levels.svg).toContain('<title>Considered Level 4, Level advised Level 1: 0</title>');
  });
});
