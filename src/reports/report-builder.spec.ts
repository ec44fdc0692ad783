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
  itemsByRepeat: [],
  nextSteps: [],
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

describe('buildSummary, repeat discussions', () => {
  const facts: ReportFacts = {
    ...empty,
    itemsByKind: [
      { q: 0, kind: 'threshold-consultation', n: 14 },
      { q: 1, kind: 'threshold-consultation', n: 10 },
    ],
    itemsByRepeat: [
      { q: 0, followUp: false, n: 11 },
      { q: 0, followUp: true, n: 3 },
      { q: 1, followUp: false, n: 4 },
      { q: 1, followUp: true, n: 6 },
    ],
  };
  const at = { generatedAt: new Date('2026-10-01T00:00:00Z') };

  it('counts follow-ups and first discussions by quarter; they add up to the items', () => {
    const s = buildSummary(facts, period, referenceData, { publication: false, ...at });
    expect(s.items.byRepeat.rows.map((r) => [r.code, r.label, ...r.byQuarter, r.total])).toEqual([
      ['first', 'First discussion of the case', 11, 4, 15],
      ['follow-up', 'Follows up an earlier item', 3, 6, 9],
    ]);
    expect(s.items.total).toMatchObject({ byQuarter: [14, 10], total: 24 });
  });

  it('in the publication view hides a small count and the one that would give it away', () => {
    const s = buildSummary(facts, period, referenceData, { publication: true, ...at });
    const [first, followUp] = s.items.byRepeat.rows;
    // Q1: 3 follow-ups is small; 11 first discussions would give it away (14 - 11). Q2: 4 is small, and 6 goes with it.
    expect(followUp).toMatchObject({ byQuarter: [null, null], total: 9, suppressed: { byQuarter: ['small', 'secondary'], total: null } });
    expect(first).toMatchObject({ byQuarter: [null, null], total: 15, suppressed: { byQuarter: ['secondary', 'small'], total: null } });
    expect(s.items.total).toMatchObject({ byQuarter: [14, 10], total: 24 });
  });
});

describe('buildSummary, what happened next', () => {
  const facts: ReportFacts = {
    ...empty,
    nextSteps: [
      { q: 0, agencyId: 'a1', state: 'heard-back-in-time', n: 6 },
      { q: 0, agencyId: 'a1', state: 'heard-back-late', n: 2 },
      { q: 0, agencyId: 'h1', state: 'no-answer', n: 3 },
      { q: 1, agencyId: 'h1', state: 'not-made', n: 1 },
      { q: 1, agencyId: 'h1', state: 'made-not-heard-back', n: 4 },
      { q: 1, agencyId: 'a1', state: 'awaiting', n: 5 },
    ],
  };

  it('counts each state and the totals it adds to, by quarter and agency', () => {
    const s = buildSummary(facts, period, referenceData, { publication: false, generatedAt: new Date('2026-10-01T00:00:00Z') });
    expect(s.nextSteps.allAgencies.map((r) => [r.code, r.label, ...r.byQuarter, r.total])).toEqual([
      ['asked', 'Asked what happened next', 11, 10, 21],
      ['awaiting', 'Not answered yet', 0, 5, 5],
      ['no-answer', 'No answer', 3, 0, 3],
      ['answered', 'Answered', 8, 5, 13],
      ['not-made', 'Referral or request not made', 0, 1, 1],
      ['made', 'Referral or request made', 8, 4, 12],
      ['made-not-heard-back', 'Made, not heard back yet', 0, 4, 4],
      ['heard-back-in-time', 'Heard back within the expected time', 6, 0, 6],
      ['heard-back-late', 'Heard back later than expected', 2, 0, 2],
    ]);
    expect(s.nextSteps.byAgency.map((a) => [a.agency.name, a.measures.find((m) => m.code === 'asked')!.total])).toEqual([
      ['Community Health', 8],
      ['Riverside Academy', 13],
    ]);
  });

  it('in the publication view hides the small counts and those that would give them away', () => {
    const s = buildSummary(facts, period, referenceData, { publication: true, generatedAt: new Date('2026-10-01T00:00:00Z') });
    const all = Object.fromEntries(s.nextSteps.allAgencies.map((r) => [r.code, r]));
    // 2 late is small; 6 in time would give it away (8 made - 6).
    expect(all['heard-back-late'].suppressed!.byQuarter[0]).toBe('small');
    expect(all['heard-back-late'].byQuarter[0]).toBeNull();
    expect(all['heard-back-in-time'].byQuarter[0]).toBeNull();
    // Nothing shown is from 1 to 4.
    for (const row of [...s.nextSteps.allAgencies, ...s.nextSteps.byAgency.flatMap((a) => a.measures)])
      for (const v of [...row.byQuarter, row.total]) expect(v === null || v === 0 || v >= 5).toBe(true);
  });
});

describe('buildSummary, every table of the full view', () => {
  const generatedAt = new Date('2026-10-01T09:00:00Z');
  const facts: ReportFacts = {
    ...empty,
    meetings: [
      { q: 0, held: true, cancelled: false, n: 6 },
      { q: 1, held: true, cancelled: false, n: 5 },
      { q: 1, held: false, cancelled: true, n: 1 },
      { q: 1, held: false, cancelled: false, n: 2 }, // still to come: neither
    ],
    itemsByKind: [
      { q: 0, kind: 'referral-feedback', n: 7 },
      { q: 1, kind: 'retired-kind', n: 1 },
    ],
    itemsByAgency: [
      { q: 0, agencyId: 'a1', n: 7 },
      { q: 1, agencyId: 'gone', n: 1 },
    ],
    itemsByLevel: [
      { q: 0, level: 3, n: 7 },
      { q: 1, level: null, n: 1 },
    ],
    levelPairs: [
      { q: 0, considered: 2, advised: 3, n: 4 },
      { q: 0, considered: 3, advised: 3, n: 2 },
      { q: 1, considered: 5, advised: 1, n: 1 }, // a level no longer configured
    ],
    quality: [
      { q: 0, agencyId: 'h1', timely: true, complete: false, appropriate: true, issues: ['missing-information', 'missing-information'], n: 3 },
      { q: 0, agencyId: 'a1', timely: false, complete: true, appropriate: false, issues: ['retired-issue'], n: 2 },
      { q: 1, agencyId: 'a1', timely: true, complete: true, appropriate: true, issues: [], n: 4 },
    ],
    attendance: [
      { q: 0, agencyId: 'a1', status: 'present', n: 5 },
      { q: 0, agencyId: 'h1', status: 'apologies', n: 2 },
      { q: 1, agencyId: 'h1', status: 'absent', n: 1 },
      { q: 1, agencyId: 'h1', status: 'unknown-status', n: 9 },
    ],
    agencyMeetings: [
      { q: 0, agencyId: 'a1', n: 4 },
      { q: 1, agencyId: 'a2', n: 1 },
    ],
    actions: [
      { q: 0, state: 'done-on-time', n: 3 },
      { q: 0, state: 'done-late', n: 1 },
      { q: 1, state: 'overdue', n: 2 },
      { q: 1, state: 'open-not-due', n: 1 },
      { q: 1, state: 'closed-circumstances-changed', n: 1 },
      { q: 1, state: 'closed-agency-not-completed', n: 2 },
    ],
    waiting: [
      { q: 0, notReached: false, n: 3 },
      { q: 1, notReached: true, n: 2 },
    ],
    deferrals: [
      { q: 0, placement: 'slot', n: 2 },
      { q: 1, placement: 'waitlisted', n: 1 },
    ],
  };
  const s = () => buildSummary(facts, period, referenceData, { publication: false, generatedAt });
  const rows = (list: Array<{ code: string; label: string; byQuarter: Array<number | null>; total: number | null }>) =>
    Object.fromEntries(list.map((r) => [r.code, [r.label, ...r.byQuarter, r.total]]));

  it('says what it covers: the range, its quarters, when and which view', () => {
    expect(s()).toMatchObject({
      from: '2026-04-01',
      to: '2026-09-30',
      timeZone: 'Europe/London',
      view: 'full',
      generatedAt: '2026-10-01T09:00:00.000Z',
      suppression: null,
    });
    expect(s().quarters.map((q) => [q.key, q.from, q.to, q.clipped])).toEqual(
      period.quarters.map((q) => [q.key, q.from, q.to, q.clipped]),
    );
    expect(s().quarters).toHaveLength(2);
  });

  it('counts meetings held and cancelled, not those still to come', () => {
    expect(rows(s().meetings.rows)).toEqual({
      held: ['Meetings held', 6, 5, 11],
      cancelled: ['Meetings cancelled', 0, 1, 1],
    });
  });

  it('keeps a kind, an agency or a level no longer configured as a row of its own', () => {
    const summary = s();
    expect(rows(summary.items.byKind.rows)).toMatchObject({
      'referral-feedback': ['Feedback on a referral to the MASH', 7, 0, 7],
      'retired-kind': ['retired-kind', 0, 1, 1],
      'threshold-consultation': [expect.any(String), 0, 0, 0],
    });
    expect(summary.items.byAgency.rows.map((r) => [r.code, r.label, r.sector, r.total])).toEqual([
      ['a1', 'Riverside Academy', 'education', 7],
      ['gone', 'Unknown agency', 'other', 1],
    ]);
    expect(rows(summary.items.bySector.rows)).toMatchObject({ education: [expect.any(String), 7, 0, 7], other: [expect.any(String), 0, 1, 1] });
    expect(rows(summary.items.byLevelConsidered.rows)).toMatchObject({
      '3': ['3: Targeted / complex (child in need)', 7, 0, 7],
      'not-applicable': ['Not applicable (agency feedback)', 0, 1, 1],
      '1': ['1: Universal', 0, 0, 0],
    });
  });

  it('crosses the level considered with the level advised, naming a level no longer configured', () => {
    const { levels } = s();
    expect(levels.levels.map((l) => [l.value, l.label])).toEqual([
      [1, 'Universal'],
      [2, 'Early help (additional needs)'],
      [3, 'Targeted / complex (child in need)'],
      [4, 'Specialist / acute (child protection)'],
      [5, 'Level 5'],
    ]);
    const row = (considered: number) => levels.rows.find((r) => r.levelConsidered === considered)!;
    expect(row(2)).toMatchObject({ label: 'Early help (additional needs)', byLevelAdvised: [0, 0, 4, 0, 0], total: 4 });
    expect(row(3)).toMatchObject({ byLevelAdvised: [0, 0, 2, 0, 0], total: 2 });
    expect(row(5)).toMatchObject({ byLevelAdvised: [1, 0, 0, 0, 0], total: 1 });
    expect(levels.totals).toEqual({ byLevelAdvised: [1, 0, 6, 0, 0], total: 7 });
    expect(row(2).suppressed).toBeUndefined();
  });

  it('measures referral quality for all agencies and for each, with every issue once per referral', () => {
    const { referralQuality } = s();
    const measures = (list: typeof referralQuality.allAgencies) => rows(list);
    expect(measures(referralQuality.allAgencies)).toEqual({
      reviewed: ['Referrals reviewed', 5, 4, 9],
      timely: ['Timely', 3, 4, 7],
      'not-timely': ['Not timely', 2, 0, 2],
      complete: ['Complete', 2, 4, 6],
      incomplete: ['Incomplete', 3, 0, 3],
      appropriate: ['Appropriately directed', 3, 4, 7],
      misdirected: ['Misdirected', 2, 0, 2],
      'issue:missing-information': ['Issue: Missing information', 3, 0, 3],
      'issue:unclear-safeguarding-concern': ['Issue: Unclear safeguarding concern', 0, 0, 0],
      'issue:consent-not-recorded': ['Issue: Consent not recorded', 0, 0, 0],
      'issue:other': ['Issue: Other', 0, 0, 0],
      'issue:retired-issue': ['Issue: retired-issue', 2, 0, 2],
    });
    expect(referralQuality.byAgency.map((a) => [a.agency, a.measures[0].total])).toEqual([
      [{ id: 'h1', name: 'Community Health', sector: 'health' }, 3],
      [{ id: 'a1', name: 'Riverside Academy', sector: 'education' }, 6],
    ]);
    expect(measures(referralQuality.byAgency[1].measures)).toMatchObject({
      timely: ['Timely', 0, 4, 4],
      misdirected: ['Misdirected', 2, 0, 2],
      'issue:missing-information': ['Issue: Missing information', 0, 0, 0],
    });
  });

  it('counts attendance by status and the meetings each agency came to, ignoring an unknown status', () => {
    const { attendance } = s();
    expect(rows(attendance.allAgencies)).toEqual({
      present: ['Present', 5, 0, 5],
      apologies: ['Apologies', 2, 0, 2],
      absent: ['Absent', 0, 1, 1],
    });
    expect(attendance.byAgency.map((a) => [a.agency.name, rows(a.measures)])).toEqual([
      [
        'Community Health',
        {
          present: ['Present', 0, 0, 0],
          apologies: ['Apologies', 2, 0, 2],
          absent: ['Absent', 0, 1, 1],
          'meetings-attended': ['Meetings attended', 0, 0, 0],
        },
      ],
      [
        'Hill School',
        {
          present: ['Present', 0, 0, 0],
          apologies: ['Apologies', 0, 0, 0],
          absent: ['Absent', 0, 0, 0],
          'meetings-attended': ['Meetings attended', 0, 1, 1],
        },
      ],
      [
        'Riverside Academy',
        {
          present: ['Present', 5, 0, 5],
          apologies: ['Apologies', 0, 0, 0],
          absent: ['Absent', 0, 0, 0],
          'meetings-attended': ['Meetings attended', 4, 0, 4],
        },
      ],
    ]);
  });

  it('follows the actions agreed to how each stands, closed undone in both its reasons and together', () => {
    expect(rows(s().actions.measures)).toEqual({
      opened: ['Actions agreed', 4, 6, 10],
      'done-on-time': ['Done on time', 3, 0, 3],
      'done-late': ['Done late', 1, 0, 1],
      'open-not-due': ['Open, not yet due', 0, 1, 1],
      overdue: ['Open and overdue', 0, 2, 2],
      'closed-circumstances-changed': ['Closed undone: circumstances changed', 0, 1, 1],
      'closed-agency-not-completed': ['Closed undone: the agency has not completed it', 0, 2, 2],
      'closed-undone': ['Closed undone', 0, 3, 3],
    });
  });

  it('counts the waiting list and what was carried forward, and onto a waiting list', () => {
    expect(rows(s().waitingList.measures)).toEqual({
      'joined-waiting-list': ['Items that waited for a slot', 3, 2, 5],
      promoted: ['Given a freed slot', 3, 0, 3],
      'not-reached': ['Still waiting at the meeting', 0, 2, 2],
      'carried-forward': ['Carried forward to a later meeting', 2, 1, 3],
      'carried-forward-to-waiting-list': ['Carried forward onto a waiting list', 0, 1, 1],
    });
  });

  it('in the publication view flags every table’s cells, the level matrix too, and names its rule', () => {
    const pub = buildSummary(facts, period, referenceData, { publication: true, generatedAt });
    expect(pub.view).toBe('publication');
    expect(pub.suppression).toEqual({ threshold: 5, rule: expect.stringMatching(/\S/) });
    const row3 = pub.levels.rows.find((r) => r.levelConsidered === 3)!;
    expect(row3.suppressed).toEqual({ byLevelAdvised: [null, null, 'small', null, null], total: 'small' });
    expect(row3.byLevelAdvised[2]).toBeNull();
    expect(pub.levels.totals.suppressed!.byLevelAdvised).toHaveLength(5);
    expect(pub.meetings.rows[0].suppressed).toEqual({ byQuarter: [null, null], total: null });
    expect(pub.meetings.rows[0]).toMatchObject({ byQuarter: [6, 5], total: 11 });
    expect(pub.waitingList.measures.find((m) => m.code === 'not-reached')!.suppressed!.byQuarter[1]).toBe('small');
  });
});

describe('buildSummary, across threshold document versions', () => {
  const generatedAt = new Date('2026-10-01T09:00:00Z');
  const versions = buildReferenceData(
    loadConfig({
      THRESHOLD_VERSIONS: JSON.stringify([
        { id: '2024', name: 'Threshold document 2024', effectiveFrom: '2024-04-01', levels: ['U', 'E', 'C', 'P'] },
        {
          id: 'ff',
          name: 'Families First',
          effectiveFrom: '2026-07-01',
          levels: ['U', 'F', 'P'],
          pathways: { universal: 'Universal', 'early-help': 'Family help', 'mash-referral': 'MASH' },
          crosswalk: { '1': 1, '2': 2, '3': 2 },
        },
      ]),
    }),
  );
  const build = (facts: Partial<ReportFacts>) => buildSummary({ ...empty, ...facts }, period, versions, { publication: false, generatedAt });

  it('a pathway only an earlier version offered keeps its standard label', () => {
    const s = build({ itemsByPathway: [{ q: 0, pathway: 'other-service', hasOutcome: true, n: 2 }] });
    expect(s.items.byPathway.rows.map((r) => [r.code, r.label, r.total])).toEqual([
      ['universal', 'Universal', 0],
      ['early-help', 'Family help', 0],
      ['mash-referral', 'MASH', 0],
      ['other-service', 'Another service', 2],
      ['not-applicable', 'Not applicable (agency feedback)', 0],
      ['no-outcome', 'No outcome recorded yet', 0],
    ]);
  });

  it('puts each pair in the matrix, its "considered not mapped" row, or the trend’s not-mapped row', () => {
    const s = build({
      levelPairs: [
        { q: 0, considered: 3, consideredVersion: '2024', advised: 3, advisedVersion: '2024', n: 2 }, // → 2, 2
        { q: 0, considered: 4, consideredVersion: '2024', advised: 2, advisedVersion: 'ff', n: 3 }, // considered not mapped
        { q: 1, considered: 1, consideredVersion: 'ff', advised: 4, advisedVersion: '2024', n: 1 }, // advised not mapped
        { q: 1, considered: 2, consideredVersion: null, advised: 3, advisedVersion: 'ff', n: 4 }, // null: 2024's 2 → 2
      ],
    });
    const trend = Object.fromEntries(s.thresholdVersions.levelAdvisedInNewest.rows.map((r) => [r.code, [...r.byQuarter, r.total]]));
    expect(trend).toEqual({ '1': [0, 0, 0], '2': [5, 0, 5], '3': [0, 4, 4], 'not-mapped': [0, 1, 1] });
    expect(s.levels.totals).toEqual({ byLevelAdvised: [0, 2, 4], total: 6 });
    expect(s.levels.consideredNotMapped).toEqual({ byLevelAdvised: [0, 3, 0], total: 3 });
    expect(s.levels.rows.map((r) => r.byLevelAdvised)).toEqual([
      [0, 0, 0],
      [0, 2, 4],
      [0, 0, 0],
    ]);
    expect(s.thresholdVersions.versions.map((v) => [v.id, v.total.total, v.levelAdvised.rows.map((r) => r.total)])).toEqual([
      ['2024', 3, [0, 0, 2, 1]],
      ['ff', 7, [0, 3, 4]],
    ]);
    expect(s.thresholdVersions.total.total).toBe(10);
  });
});

describe('buildSummary, rows and labels', () => {
  const generatedAt = new Date('2026-10-01T09:00:00Z');
  const build = (facts: Partial<ReportFacts>, publication = false) =>
    buildSummary({ ...empty, ...facts }, period, referenceData, { publication, generatedAt });

  it('names the items total', () => {
    const s = build({ itemsByKind: [{ q: 0, kind: 'referral-feedback', n: 7 }] });
    expect(s.items.total).toEqual({ code: 'items', label: 'Items discussed', byQuarter: [7, 0], total: 7 });
  });

  it('gives each configured level a row, then not applicable, then any level no longer configured', () => {
    const s = build({
      itemsByLevel: [
        { q: 0, level: 6, n: 2 },
        { q: 1, level: null, n: 3 },
        { q: 0, level: 1, n: 1 },
      ],
    });
    expect(s.items.byLevelConsidered.rows.map((r) => [r.code, r.label, ...r.byQuarter, r.total])).toEqual([
      ['1', '1: Universal', 1, 0, 1],
      ['2', '2: Early help (additional needs)', 0, 0, 0],
      ['3', '3: Targeted / complex (child in need)', 0, 0, 0],
      ['4', '4: Specialist / acute (child protection)', 0, 0, 0],
      ['not-applicable', 'Not applicable (agency feedback)', 0, 3, 3],
      ['6', '6', 2, 0, 2],
    ]);
  });

  it('ends the pathways with not applicable and no outcome yet, in words', () => {
    const s = build({
      itemsByPathway: [
        { q: 0, pathway: 'universal', hasOutcome: true, n: 6 },
        { q: 1, pathway: null, hasOutcome: true, n: 2 },
        { q: 1, pathway: null, hasOutcome: false, n: 9 },
      ],
    });
    expect(s.items.byPathway.rows.map((r) => [r.code, r.label, r.total])).toEqual([
      ...referenceData.pathways.map((p) => [p.code, p.label, p.code === 'universal' ? 6 : 0]),
      ['not-applicable', 'Not applicable (agency feedback)', 2],
      ['no-outcome', 'No outcome recorded yet', 9],
    ]);
  });

  it('orders the agencies of referral quality by name, not by the order of the facts, and names an unknown one', () => {
    const s = build({
      quality: [
        { q: 0, agencyId: 'a1', timely: true, complete: true, appropriate: true, issues: [], n: 2 },
        { q: 0, agencyId: 'gone', timely: true, complete: true, appropriate: true, issues: [], n: 1 },
        { q: 1, agencyId: 'h1', timely: true, complete: true, appropriate: true, issues: [], n: 4 },
      ],
      attendance: [{ q: 0, agencyId: 'gone', status: 'present', n: 1 }],
    });
    expect(s.referralQuality.byAgency.map((a) => [a.agency, a.measures[0].total])).toEqual([
      [{ id: 'h1', name: 'Community Health', sector: 'health' }, 4],
      [{ id: 'a1', name: 'Riverside Academy', sector: 'education' }, 2],
      [{ id: 'gone', name: 'Unknown agency', sector: 'other' }, 1],
    ]);
    expect(s.attendance.byAgency.map((a) => a.agency)).toEqual([{ id: 'gone', name: 'Unknown agency', sector: 'other' }]);
  });
});

describe('buildSummary, publication view: totals are kept before inner cells', () => {
  const generatedAt = new Date('2026-10-01T09:00:00Z');

  it('in the level matrix hides inner cells before the row, column and overall totals', () => {
    const s = buildSummary(
      {
        ...empty,
        levelPairs: [
          { q: 0, considered: 4, advised: 3, n: 3 },
          { q: 0, considered: 2, advised: 4, n: 4 },
          { q: 0, considered: 4, advised: 4, n: 4 },
          { q: 0, considered: 4, advised: 2, n: 15 },
          { q: 0, considered: 3, advised: 3, n: 5 },
          { q: 0, considered: 2, advised: 1, n: 4 },
        ],
      },
      reportPeriod('2026-01-01', '2026-03-31'),
      referenceData,
      { publication: true, generatedAt },
    );
    expect(s.levels.rows.map((r) => [r.suppressed!.byLevelAdvised, r.suppressed!.total])).toEqual([
      [[null, null, null, null], null],
      [['small', null, null, 'small'], 'secondary'],
      [[null, null, 'secondary', null], 'secondary'],
      [[null, 'secondary', 'small', 'small'], null],
    ]);
    expect(s.levels.totals.suppressed).toEqual({ byLevelAdvised: ['small', 'secondary', 'secondary', 'secondary'], total: null });
    expect(s.levels.rows[3].total).toBe(22);
    expect(s.levels.totals.total).toBe(35);
  });

  it('treats the items of each quarter as a total when choosing what else to hide', () => {
    const s = buildSummary(
      {
        ...empty,
        agencies: [
          { id: 'a1', name: 'Riverside Academy', sector: 'education' },
          { id: 'h1', name: 'Community Health', sector: 'health' },
        ],
        itemsByKind: [
          { q: 0, kind: 'referral-feedback', n: 3 },
          { q: 0, kind: 'threshold-consultation', n: 6 },
          { q: 1, kind: 'threshold-consultation', n: 3 },
          { q: 1, kind: 'referral-feedback', n: 5 },
        ],
        itemsByAgency: [
          { q: 0, agencyId: 'h1', n: 5 },
          { q: 0, agencyId: 'a1', n: 4 },
          { q: 1, agencyId: 'h1', n: 4 },
          { q: 1, agencyId: 'a1', n: 4 },
        ],
        itemsByLevel: [
          { q: 0, level: 2, n: 4 },
          { q: 0, level: 3, n: 5 },
          { q: 1, level: 3, n: 2 },
          { q: 1, level: 2, n: 6 },
        ],
        itemsByPathway: [
          { q: 0, pathway: 'early-help', hasOutcome: true, n: 8 },
          { q: 1, pathway: 'universal', hasOutcome: true, n: 4 },
          { q: 1, pathway: 'early-help', hasOutcome: true, n: 4 },
          { q: 0, pathway: 'universal', hasOutcome: true, n: 1 },
        ],
      },
      reportPeriod('2026-01-01', '2026-06-30'),
      referenceData,
      { publication: true, generatedAt },
    );
    expect(s.items.total).toMatchObject({ byQuarter: [null, null], total: 17, suppressed: { byQuarter: ['secondary', 'secondary'], total: null } });
    const pathway = (code: string) => s.items.byPathway.rows.find((r) => r.code === code)!;
    expect(pathway('universal')).toMatchObject({ byQuarter: [null, null], total: null, suppressed: { byQuarter: ['small', 'small'], total: 'secondary' } });
    expect(pathway('early-help')).toMatchObject({ byQuarter: [null, null], total: null, suppressed: { byQuarter: ['secondary', 'small'], total: 'secondary' } });
  });
});
