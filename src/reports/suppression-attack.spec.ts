import { NEXT_STEP_STATES } from '../next-steps/next-step-rules';
import { loadConfig } from '../config/app-config';
import { buildReferenceData } from '../reference-data/reference-data';
import { ThresholdVocabulary } from '../reference-data/threshold-versions';
import type { CountRowDto, ReportSummaryDto } from './dto/report-summary.dto';
import { buildSummary, ReportFacts } from './report-builder';
import { reportPeriod } from './report-period';
import { CountCell, determinedCells, SuppressionGrid } from './suppression';

/**
 * The publication view from the attacker's side. The attacker sees only the published summary,
 * and knows every additive relation it publishes, written out here from the tables themselves
 * (not from the builder's own grid): each row's quarters add up to its total; kinds, agencies,
 * sectors, levels and pathways each add up to the items discussed; the agencies of a sector add
 * up to the sector; the level matrix's rows and columns; the referral-quality pairs and the
 * agencies' measures; attendance; actions; the waiting list. With those and the bounds of a
 * suppressed count (at least 1; a "small" one at most 4), no suppressed count may be worked out.
 */
const referenceData = buildReferenceData(loadConfig({ THRESHOLD_VERSIONS: JSON.stringify([{ id: '2024', name: 'Threshold document 2024', effectiveFrom: '2024-04-01', levels: ['Universal', 'Early help', 'Child in need', 'Child protection'] }]) }));
/** The same change of document with a crosswalk that has a place for every level of 2024. */
const twoVersionsAllMapped = buildReferenceData(
  loadConfig({
    THRESHOLD_VERSIONS: JSON.stringify([
      { id: '2024', name: 'Threshold document 2024', effectiveFrom: '2024-04-01', levels: ['Universal', 'Early help', 'Child in need', 'Child protection'] },
      { id: 'families-first', name: 'Families First', effectiveFrom: '2026-07-01', levels: ['Universal', 'Family help', 'Child protection'], crosswalk: { '1': 1, '2': 2, '3': 2, '4': 3 } },
    ]),
  }),
);
/** The 2024 document's four levels, then Families First's three, with level 4 of 2024 not mapped. */
const twoVersions = buildReferenceData(
  loadConfig({
    THRESHOLD_VERSIONS: JSON.stringify([
      { id: '2024', name: 'Threshold document 2024', effectiveFrom: '2024-04-01', levels: ['Universal', 'Early help', 'Child in need', 'Child protection'] },
      { id: 'families-first', name: 'Families First', effectiveFrom: '2026-07-01', levels: ['Universal', 'Family help', 'Child protection'], crosswalk: { '1': 1, '2': 2, '3': 2 } },
    ]),
  }),
);
const period = reportPeriod('2026-04-01', '2026-09-30'); // two quarters

/** Deterministic pseudo-random numbers (mulberry32), so every run tries the same partnerships. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A partnership's quarter of items, each item's facts consistent with the others. */
function randomFacts(seed: number, versions = false): ReportFacts {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const sectors = ['education', 'health', 'police', 'voluntary'];
  const agencies = Array.from({ length: 3 + Math.floor(rnd() * 5) }, (_, i) => ({
    id: `ag${i}`,
    name: `Agency ${i}`,
    sector: pick(sectors),
  }));
  const items = Array.from({ length: Math.floor(rnd() * 40) }, () => {
    const kind = pick(['threshold-consultation', 'referral-feedback', 'agency-feedback']);
    const feedback = kind === 'agency-feedback';
    const hasOutcome = rnd() < 0.8;
    // With two threshold document versions, each item was booked and advised under one of them.
    const consideredVersion = versions && rnd() < 0.5 ? 'families-first' : '2024';
    const advisedVersion = consideredVersion === 'families-first' || (versions && rnd() < 0.3) ? 'families-first' : '2024';
    const levels = (v: string) => (v === 'families-first' ? 3 : 4);
    return {
      consideredVersion,
      advisedVersion,
      q: Math.floor(rnd() * 2),
      kind,
      agencyId: pick(agencies).id,
      level: feedback ? null : 1 + Math.floor(rnd() * levels(consideredVersion)),
      advised: 1 + Math.floor(rnd() * levels(advisedVersion)),
      pathway: feedback ? null : pick(['early-help', 'mash-referral', 'universal']),
      hasOutcome,
      followUp: rnd() < 0.3,
    };
  });
  const count = <K extends string>(rows: Array<Record<K, unknown> & { q: number }>, keys: K[]) => {
    const out = new Map<string, Record<string, unknown> & { q: number; n: number }>();
    for (const r of rows) {
      const key = JSON.stringify([r.q, ...keys.map((k) => r[k])]);
      const row = out.get(key) ?? { ...Object.fromEntries(keys.map((k) => [k, r[k]])), q: r.q, n: 0 };
      row.n += 1;
      out.set(key, row);
    }
    return [...out.values()];
  };
  const quality = items
    .filter((i) => i.kind === 'referral-feedback' && i.hasOutcome)
    .map((i) => ({ q: i.q, agencyId: i.agencyId, timely: rnd() < 0.6, complete: rnd() < 0.5, appropriate: rnd() < 0.7, issues: [] }));
  const attendance = agencies.flatMap((a) =>
    [0, 1].map((q) => ({ q, agencyId: a.id, status: pick(['present', 'apologies', 'absent']) })),
  );
  const states = ['done-on-time', 'done-late', 'open-not-due', 'overdue', 'closed-circumstances-changed', 'closed-agency-not-completed'] as const;
  const actions = Array.from({ length: Math.floor(rnd() * 15) }, () => ({ q: Math.floor(rnd() * 2), state: pick(states) }));
  const waiting = Array.from({ length: Math.floor(rnd() * 8) }, () => ({ q: Math.floor(rnd() * 2), notReached: rnd() < 0.4 }));
  const nextSteps = items
    .filter((i) => i.hasOutcome && (i.pathway === 'early-help' || i.pathway === 'mash-referral'))
    .map((i) => ({ q: i.q, agencyId: i.agencyId, state: pick(NEXT_STEP_STATES) }));
  return {
    agencies,
    meetings: [
      { q: 0, held: true, cancelled: false, n: 6 },
      { q: 1, held: true, cancelled: false, n: 5 + Math.floor(rnd() * 2) },
    ],
    itemsByKind: count(items, ['kind']) as ReportFacts['itemsByKind'],
    itemsByAgency: count(items, ['agencyId']) as ReportFacts['itemsByAgency'],
    itemsByConcerns: [],
    itemsByLevel: count(
      items.map((i) => ({ ...i, version: i.consideredVersion })),
      ['level', 'version'],
    ) as ReportFacts['itemsByLevel'],
    itemsByPathway: count(
      items.map((i) => ({ ...i, pathway: i.hasOutcome ? i.pathway : null })),
      ['pathway', 'hasOutcome'],
    ) as ReportFacts['itemsByPathway'],
    itemsByRepeat: count(items, ['followUp']) as ReportFacts['itemsByRepeat'],
    levelPairs: count(
      items
        .filter((i) => i.level !== null && i.hasOutcome)
        .map((i) => ({ q: i.q, considered: i.level!, consideredVersion: i.consideredVersion, advised: i.advised, advisedVersion: i.advisedVersion })),
      ['considered', 'consideredVersion', 'advised', 'advisedVersion'],
    ) as ReportFacts['levelPairs'],
    quality: count(quality, ['agencyId', 'timely', 'complete', 'appropriate', 'issues']) as ReportFacts['quality'],
    nextSteps: count(nextSteps, ['agencyId', 'state']) as ReportFacts['nextSteps'],
    attendance: count(attendance, ['agencyId', 'status']) as ReportFacts['attendance'],
    agencyMeetings: [],
    actions: count(actions, ['state']) as ReportFacts['actions'],
    waiting: count(waiting, ['notReached']) as ReportFacts['waiting'],
    deferrals: [],
  };
}

/** The attacker's system: every published figure a cell, every relation the tables publish a line (total last). */
function attackerLines(s: ReportSummaryDto, vocabulary: ThresholdVocabulary): CountCell[][] {
  const lines: CountCell[][] = [];
  const n = s.quarters.length;
  const cellsOf = new Map<CountRowDto, CountCell[]>();
  /** A row's cells: one per quarter, then the total; each row's quarters add up to its total. */
  const cells = (row: CountRowDto): CountCell[] => {
    let c = cellsOf.get(row);
    if (!c) {
      const marks = row.suppressed;
      c = [...row.byQuarter.map((v, q) => cell(v, marks?.byQuarter[q] ?? null)), cell(row.total, marks?.total ?? null)];
      cellsOf.set(row, c);
      lines.push(c);
    }
    return c;
  };
  const cell = (value: number | null, mark: CountCell['suppressed']) => {
    const c = new CountCell(value ?? 0);
    c.suppressed = value === null ? (mark ?? 'secondary') : null;
    return c;
  };
  /** These rows add up to that row, quarter by quarter and in total. */
  const sumsTo = (parts: CountRowDto[], whole: CountRowDto) => {
    if (parts.length === 0) return;
    for (let q = 0; q <= n; q++) lines.push([...parts.map((p) => cells(p)[q]), cells(whole)[q]]);
  };
  const byCode = (rows: CountRowDto[], code: string) => rows.find((r) => r.code === code)!;

  for (const row of s.meetings.rows) cells(row);
  const items = s.items;
  for (const breakdown of [items.byKind, items.byAgency, items.bySector, items.byLevelConsidered, items.byPathway, items.byRepeat]) {
    sumsTo(breakdown.rows, items.total);
  }
  for (const sector of items.bySector.rows) {
    sumsTo(
      items.byAgency.rows.filter((a) => a.sector === sector.code),
      sector,
    );
  }
  for (const row of items.byConcernCategory.rows) cells(row);

  // The level advised by version and in the newest version's terms: the crosswalk is published
  // (GET /api/reference-data), so each trend row is known to be the sum of the version rows mapped
  // onto it.
  const tv = s.thresholdVersions;
  for (const v of tv.versions) sumsTo(v.levelAdvised.rows, v.total);
  sumsTo(
    tv.versions.map((v) => v.total),
    tv.total,
  );
  sumsTo(tv.levelAdvisedInNewest.rows, tv.total);
  for (const target of tv.levelAdvisedInNewest.rows) {
    const onto = tv.versions.flatMap((v) =>
      v.levelAdvised.rows.filter((r) => {
        const mapped = vocabulary.toNewest(Number(r.code), v.id);
        return (mapped === null ? 'not-mapped' : String(mapped)) === target.code;
      }),
    );
    sumsTo(onto, target);
  }

  // The level matrix: rows, columns, totals.
  const m = s.levels;
  const matrixCell = new Map<string, CountCell>();
  const mc = (key: string, value: number | null, mark: CountCell['suppressed']) => {
    if (!matrixCell.has(key)) matrixCell.set(key, cell(value, mark));
    return matrixCell.get(key)!;
  };
  m.rows.forEach((row, i) =>
    lines.push([
      ...row.byLevelAdvised.map((v, j) => mc(`${i},${j}`, v, row.suppressed?.byLevelAdvised[j] ?? null)),
      mc(`${i},t`, row.total, row.suppressed?.total ?? null),
    ]),
  );
  m.levels.forEach((_, j) =>
    lines.push([
      ...m.rows.map((row, i) => mc(`${i},${j}`, row.byLevelAdvised[j], row.suppressed?.byLevelAdvised[j] ?? null)),
      mc(`t,${j}`, m.totals.byLevelAdvised[j], m.totals.suppressed?.byLevelAdvised[j] ?? null),
    ]),
  );
  lines.push([...m.rows.map((row, i) => mc(`${i},t`, row.total, null)), mc('t,t', m.totals.total, m.totals.suppressed?.total ?? null)]);
  lines.push([
    ...m.levels.map((_, j) => mc(`t,${j}`, m.totals.byLevelAdvised[j], null)),
    mc('t,t', m.totals.total, null),
  ]);
  // A column with its "level considered not mapped" cell is that level's trend total; the matrix,
  // that row and the advised-not-mapped items make every item with both levels.
  const u = m.consideredNotMapped;
  const uCells = m.levels.map((_, j) => cell(u ? u.byLevelAdvised[j] : 0, u?.suppressed?.byLevelAdvised[j] ?? null));
  const uTotal = cell(u ? u.total : 0, u?.suppressed?.total ?? null);
  lines.push([...uCells, uTotal]);
  m.levels.forEach((l, j) =>
    lines.push([
      mc(`t,${j}`, m.totals.byLevelAdvised[j], null),
      uCells[j],
      cells(byCode(tv.levelAdvisedInNewest.rows, String(l.value)))[n],
    ]),
  );
  const notMapped = tv.levelAdvisedInNewest.rows.find((r) => r.code === 'not-mapped');
  lines.push([mc('t,t', m.totals.total, null), uTotal, ...(notMapped ? [cells(notMapped)[n]] : []), cells(tv.total)[n]]);

  // Referral quality: the pairs, and the agencies adding up to all agencies.
  const qualityPairs = [
    ['timely', 'not-timely'],
    ['complete', 'incomplete'],
    ['appropriate', 'misdirected'],
  ];
  for (const measures of [s.referralQuality.allAgencies, ...s.referralQuality.byAgency.map((a) => a.measures)]) {
    for (const [yes, no] of qualityPairs) sumsTo([byCode(measures, yes), byCode(measures, no)], byCode(measures, 'reviewed'));
  }
  for (const whole of s.referralQuality.allAgencies) {
    sumsTo(
      s.referralQuality.byAgency.map((a) => byCode(a.measures, whole.code)),
      whole,
    );
  }
  // What happened next: the three relations, and the agencies adding up to all agencies.
  for (const measures of [s.nextSteps.allAgencies, ...s.nextSteps.byAgency.map((a) => a.measures)]) {
    const ns = (code: string) => byCode(measures, code);
    sumsTo([ns('awaiting'), ns('no-answer'), ns('answered')], ns('asked'));
    sumsTo([ns('not-made'), ns('made')], ns('answered'));
    sumsTo([ns('made-not-heard-back'), ns('heard-back-in-time'), ns('heard-back-late')], ns('made'));
  }
  for (const whole of s.nextSteps.allAgencies) {
    sumsTo(
      s.nextSteps.byAgency.map((a) => byCode(a.measures, whole.code)),
      whole,
    );
  }
  for (const whole of s.attendance.allAgencies) {
    sumsTo(
      s.attendance.byAgency.map((a) => byCode(a.measures, whole.code)),
      whole,
    );
  }
  for (const a of s.attendance.byAgency) for (const row of a.measures) cells(row);

  const act = (code: string) => byCode(s.actions.measures, code);
  sumsTo(
    ['done-on-time', 'done-late', 'open-not-due', 'overdue', 'closed-circumstances-changed', 'closed-agency-not-completed'].map(act),
    act('opened'),
  );
  sumsTo([act('closed-circumstances-changed'), act('closed-agency-not-completed')], act('closed-undone'));
  const wait = (code: string) => byCode(s.waitingList.measures, code);
  sumsTo([wait('promoted'), wait('not-reached')], wait('joined-waiting-list'));
  for (const row of s.waitingList.measures) cells(row);
  return lines;
}

describe('suppression from the attacker’s side', () => {
  it('the grid’s own audit finds combined lines and bounds that two-per-line misses', () => {
    // a + b = 5, a + c = 4, b + c = 5: each line has two hidden cells, yet a = 2.
    const grid = new SuppressionGrid();
    const [a, b, c] = [grid.cell(2), grid.cell(3), grid.cell(2)];
    const lines = [
      [a, b, grid.cell(5, true)],
      [a, c, grid.cell(4, true)],
      [b, c, grid.cell(5, true)],
    ];
    for (const line of lines) grid.line(line);
    for (const x of [a, b, c]) x.suppressed = 'small';
    expect(determinedCells(lines)).toHaveLength(3);
    grid.apply();
    expect(determinedCells(lines)).toEqual([]);
  });

  it('two small counts that add up to 2 are both 1: the audit hides more', () => {
    const grid = new SuppressionGrid();
    const parts = [grid.cell(1), grid.cell(1), grid.cell(9)];
    const total = grid.cell(11, true);
    grid.line([...parts, total]);
    grid.apply();
    expect(determinedCells([[...parts, total]])).toEqual([]);
    expect(parts[2].suppressed).toBe('secondary');
  });

  it.each(Array.from({ length: 150 }, (_, i) => i + 1))('partnership %i: no suppressed count can be worked out', (seed) => {
    const summary = buildSummary(randomFacts(seed), period, referenceData, {
      publication: true,
      generatedAt: new Date('2026-10-01T00:00:00Z'),
    });
    const exposed = determinedCells(attackerLines(summary, new ThresholdVocabulary(referenceData.thresholdVersions)));
    expect(exposed.length).toBe(0);
  });

  it.each(Array.from({ length: 150 }, (_, i) => i + 1))(
    'partnership %i across a change of threshold document whose crosswalk maps every level: no suppressed count can be worked out',
    (seed) => {
      const summary = buildSummary(randomFacts(seed, true), period, twoVersionsAllMapped, {
        publication: true,
        generatedAt: new Date('2026-10-01T00:00:00Z'),
      });
      const exposed = determinedCells(attackerLines(summary, new ThresholdVocabulary(twoVersionsAllMapped.thresholdVersions)));
      expect(exposed.length).toBe(0);
    },
  );

  it.each(Array.from({ length: 150 }, (_, i) => i + 1))(
    'partnership %i across a change of threshold document: no suppressed count can be worked out',
    (seed) => {
      const summary = buildSummary(randomFacts(seed, true), period, twoVersions, {
        publication: true,
        generatedAt: new Date('2026-10-01T00:00:00Z'),
      });
      expect(summary.thresholdVersions.versions.map((v) => v.id)).toEqual(['2024', 'families-first']);
      const exposed = determinedCells(attackerLines(summary, new ThresholdVocabulary(twoVersions.thresholdVersions)));
      expect(exposed.length).toBe(0);
    },
  );
});
