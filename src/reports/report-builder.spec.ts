import { buildReferenceData } from '../reference-data/reference-data';
import { loadConfig } from '../config/app-config';
import { buildSummary, classifyAction, ReportFacts } from './report-builder';
import { reportPeriod } from './report-period';

const referenceData = buildReferenceData(loadConfig({}));
const period = reportPeriod('2026-04-01', '2026-09-30');
const empty: ReportFacts = {
  agencies: [
    { id: 'a1', name: 'Riverside Academy', sector: 'education' },
    { id: 'a2', name: 'Hill School', sector: 'education' },
    { id: 'h1', name: 'Community Health', sector: 'health' },
  ],
  meetings: [],
  itemsByKind: [],
  itemsByAgency: [],
  itemsByConcerns: [],
  itemsByLevel: [],
  itemsByPathway: [],
  levelPairs: [],
  quality: [],
  attendance: [],
  agencyMeetings: [],
  actions: [],
  waiting: [],
  deferrals: [],
};

describe('classifyAction', () => {
  const due = '2026-07-10';
  it('done on the due date in London is on time, until midnight in London (23:00 UTC in summer)', () => {
    const done = (at: string) => classifyAction({ status: 'done', closedReason: null, dueDate: due, resolvedAt: new Date(at) }, '2026-08-01');
    expect(done('2026-07-10T22:59:00Z')).toBe('done-on-time'); // 23:59 BST on the due date
    expect(done('2026-07-10T23:00:00Z')).toBe('done-late'); // 00:00 BST the day after
    expect(done('2026-07-09T08:00:00Z')).toBe('done-on-time');
  });
  it('open is overdue only after the due date; closed keeps its reason', () => {
    expect(classifyAction({ status: 'open', closedReason: null, dueDate: due, resolvedAt: null }, '2026-07-10')).toBe('open-not-due');
    expect(classifyAction({ status: 'open', closedReason: null, dueDate: due, resolvedAt: null }, '2026-07-11')).toBe('overdue');
    expect(classifyAction({ status: 'closed', closedReason: 'circumstances-changed', dueDate: due, resolvedAt: null }, '2026-07-11')).toBe('closed-circumstances-changed');
    expect(classifyAction({ status: 'closed', closedReason: 'agency-not-completed', dueDate: due, resolvedAt: null }, '2026-07-11')).toBe('closed-agency-not-completed');
  });
});

describe('buildSummary', () => {
  const facts: ReportFacts = {
    ...empty,
    itemsByKind: [
      { q: 0, kind: 'threshold-consultation', n: 12 },
      { q: 1, kind: 'threshold-consultation', n: 9 },
      { q: 1, kind: 'agency-feedback', n: 2 },
    ],
    itemsByAgency: [
      { q: 0, agencyId: 'a1', n: 9 },
      { q: 0, agencyId: 'h1', n: 3 },
      { q: 1, agencyId: 'a1', n: 6 },
      { q: 1, agencyId: 'a2', n: 5 },
    ],
    itemsByPathway: [
      { q: 0, pathway: 'early-help', hasOutcome: true, n: 12 },
      { q: 1, pathway: null, hasOutcome: true, n: 2 },
      { q: 1, pathway: null, hasOutcome: false, n: 9 },
    ],
    itemsByConcerns: [{ q: 0, categories: ['neglect', 'neglect', 'missing'], n: 4 }],
  };

  it('adds agencies up into sectors and gives every configured pathway a row', () => {
    const s = buildSummary(facts, period, referenceData, { publication: false, generatedAt: new Date('2026-10-01T00:00:00Z') });
    expect(s.items.total).toMatchObject({ byQuarter: [12, 11], total: 23 });
    expect(s.items.bySector.rows.find((r) => r.code === 'education')).toMatchObject({ byQuarter: [9, 11], total: 20 });
    expect(s.items.byAgency.rows.map((r) => r.label)).toEqual(['Community Health', 'Hill School', 'Riverside Academy']);
    const pathways = Object.fromEntries(s.items.byPathway.rows.map((r) => [r.code, r.total]));
    expect(pathways).toMatchObject({ 'early-help': 12, 'not-applicable': 2, 'no-outcome': 9, universal: 0 });
    expect(s.items.byConcernCategory.rows.find((r) => r.code === 'neglect')!.total).toBe(4); // counted once per item
    expect(s.suppression).toBeNull();
    expect(s.items.total.suppressed).toBeUndefined();
  });

  it('in the publication view hides small counts and what would give them away, across tables', () => {
    const s = buildSummary(facts, period, referenceData, { publication: true, generatedAt: new Date('2026-10-01T00:00:00Z') });
    const health = s.items.byAgency.rows.find((r) => r.code === 'h1')!;
    expect(health).toMatchObject({ byQuarter: [null, 0], total: null, suppressed: { byQuarter: ['small', null], total: 'small' } });
    // Q1: 9 (Riverside) + 3 (health) = 12: Riverside's 9 goes too.
    expect(s.items.byAgency.rows.find((r) => r.code === 'a1')!.suppressed!.byQuarter[0]).toBe('secondary');
    // The health sector is the health agency: the same figure, hidden alike.
    expect(s.items.bySector.rows.find((r) => r.code === 'health')).toMatchObject({ byQuarter: [null, 0], total: null });
    expect(s.items.total).toMatchObject({ byQuarter: [12, 11], total: 23 });
    expect(s.suppression!.threshold).toBe(5);
  });
});
