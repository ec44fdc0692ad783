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
  const [items, quality, levels] = reportCharts(summary(false));

  it('draws accessible SVG: role img, named by its title, described by its desc', () => {
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
