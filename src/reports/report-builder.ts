import { DateTime } from 'luxon';
import type { ActionStatus, ClosedReason } from '../outcomes/meeting-action.entity';
import { QUALITY_ISSUE_LABELS, QUALITY_ISSUES } from '../outcomes/outcome.entity';
import type { ReferenceData } from '../reference-data/reference-data';
import { DEFAULT_PATHWAY_LABELS, PATHWAYS, ThresholdVocabulary } from '../reference-data/threshold-versions';
import { LONDON_ZONE } from '../scheduling/calendar-rules';
import type { AgencyMeasuresDto, CountRowDto, LevelMatrixDto, ReportSummaryDto } from './dto/report-summary.dto';
import { countedAs, NextStepState } from '../next-steps/next-step-rules';
import type { ReportPeriod } from './report-period';
import { CountCell, SMALL_NUMBER_LIMIT, SUPPRESSION_RULE, SuppressionGrid } from './suppression';

/** How an action stands today. */
export type ActionState = 'done-on-time' | 'done-late' | 'open-not-due' | 'overdue' | 'closed-circumstances-changed' | 'closed-agency-not-completed';

/**
 * The counts the database gives (report-queries.ts), each grouped by quarter index `q` (the
 * position in `period.quarters`) and one or two structured values. Nothing here is case text.
 */
export interface ReportFacts {
  agencies: Array<{ id: string; name: string; sector: string }>;
  meetings: Array<{ q: number; held: boolean; cancelled: boolean; n: number }>;
  itemsByKind: Array<{ q: number; kind: string; n: number }>;
  itemsByAgency: Array<{ q: number; agencyId: string; n: number }>;
  itemsByConcerns: Array<{ q: number; categories: string[]; n: number }>;
  /** The level considered, in the threshold document version the item was booked under (null: the oldest). */
  itemsByLevel: Array<{ q: number; level: number | null; version?: string | null; n: number }>;
  itemsByPathway: Array<{ q: number; pathway: string | null; hasOutcome: boolean; n: number }>;
  /** Items that follow up an earlier item of their agency (`followsBookingId`), and the rest. */
  itemsByRepeat: Array<{ q: number; followUp: boolean; n: number }>;
  levelPairs: Array<{
    q: number;
    considered: number;
    consideredVersion?: string | null;
    advised: number;
    advisedVersion?: string | null;
    n: number;
  }>;
  quality: Array<{ q: number; agencyId: string; timely: boolean; complete: boolean; appropriate: boolean; issues: string[]; n: number }>;
  /** What happened after advice to refer, by the state of its question (next-step-rules.ts). */
  nextSteps: Array<{ q: number; agencyId: string; state: NextStepState; n: number }>;
  attendance: Array<{ q: number; agencyId: string; status: string; n: number }>;
  agencyMeetings: Array<{ q: number; agencyId: string; n: number }>;
  actions: Array<{ q: number; state: ActionState; n: number }>;
  /** Items that waited for a slot: promoted (not `notReached`) or still waiting. */
  waiting: Array<{ q: number; notReached: boolean; n: number }>;
  deferrals: Array<{ q: number; placement: string; n: number }>;
}

/** Done on time means resolved on or before the due date, both as London dates. Pure. */
export function classifyAction(
  a: { status: ActionStatus; closedReason: ClosedReason | null; dueDate: string; resolvedAt: Date | null },
  today: string,
): ActionState {
  if (a.status === 'closed') return a.closedReason === 'circumstances-changed' ? 'closed-circumstances-changed' : 'closed-agency-not-completed';
  if (a.status === 'done') {
    const resolved = a.resolvedAt ? DateTime.fromJSDate(a.resolvedAt, { zone: LONDON_ZONE }).toISODate()! : today;
    return resolved <= a.dueDate ? 'done-on-time' : 'done-late';
  }
  return a.dueDate < today ? 'overdue' : 'open-not-due';
}

interface Series {
  byQuarter: CountCell[];
  total: CountCell;
}

interface Row {
  code: string;
  label: string;
  series: Series;
}

/**
 * Turns the facts into the summary. Every count is a cell of one SuppressionGrid, and every
 * additive relation between published counts is a line of it; in the publication view the grid
 * suppresses small counts and whatever would give them away. A figure that appears in several
 * tables (the items of a quarter, a sector's items) is one cell, so it is shown or hidden alike
 * everywhere. Pure.
 */
export function buildSummary(
  facts: ReportFacts,
  period: ReportPeriod,
  referenceData: ReferenceData,
  options: { publication: boolean; generatedAt: Date },
): ReportSummaryDto {
  const grid = new SuppressionGrid();
  const n = period.quarters.length;
  const series = (isTotal = false): Series => {
    const s = { byQuarter: Array.from({ length: n }, () => grid.cell(0, isTotal)), total: grid.cell(0, true) };
    grid.line([...s.byQuarter, s.total]);
    return s;
  };
  const add = (s: Series, q: number, count: number) => {
    s.byQuarter[q].add(count);
    s.total.add(count);
  };
  /** The parts add up to the whole, quarter by quarter and over the range. */
  const sumsTo = (parts: Series[], whole: Series) => {
    for (let q = 0; q < n; q++) grid.line([...parts.map((p) => p.byQuarter[q]), whole.byQuarter[q]]);
    grid.line([...parts.map((p) => p.total), whole.total]);
  };
  /** Rows for a fixed vocabulary, plus any code found in the data but no longer configured. */
  const rowsFor = (vocabulary: Array<{ code: string; label: string }>, seen: string[]): Map<string, Row> => {
    const rows = new Map<string, Row>();
    for (const v of vocabulary) rows.set(v.code, { code: v.code, label: v.label, series: series() });
    for (const code of seen) if (!rows.has(code)) rows.set(code, { code, label: code, series: series() });
    return rows;
  };
  const agencyById = new Map(facts.agencies.map((a) => [a.id, a]));
  const agencyLabel = (id: string) => agencyById.get(id)?.name ?? 'Unknown agency';
  const byAgencyName = (a: string, b: string) => agencyLabel(a).localeCompare(agencyLabel(b), 'en-GB') || a.localeCompare(b);

  // --- meetings ---
  const meetingRows = rowsFor(
    [
      { code: 'held', label: 'Meetings held' },
      { code: 'cancelled', label: 'Meetings cancelled' },
    ],
    [],
  );
  for (const r of facts.meetings) {
    if (r.held) add(meetingRows.get('held')!.series, r.q, r.n);
    if (r.cancelled) add(meetingRows.get('cancelled')!.series, r.q, r.n);
  }

  // --- items ---
  const itemsTotal: Row = { code: 'items', label: 'Items discussed', series: series(true) };
  for (const r of facts.itemsByKind) add(itemsTotal.series, r.q, r.n);

  const kinds = rowsFor(referenceData.kinds, facts.itemsByKind.map((r) => r.kind));
  for (const r of facts.itemsByKind) add(kinds.get(r.kind)!.series, r.q, r.n);
  sumsTo([...kinds.values()].map((r) => r.series), itemsTotal.series);

  const agencyIds = [...new Set(facts.itemsByAgency.map((r) => r.agencyId))].sort(byAgencyName);
  const agencies = new Map<string, Row & { sector: string }>(
    agencyIds.map((id) => [id, { code: id, label: agencyLabel(id), sector: agencyById.get(id)?.sector ?? 'other', series: series() }]),
  );
  for (const r of facts.itemsByAgency) add(agencies.get(r.agencyId)!.series, r.q, r.n);
  sumsTo([...agencies.values()].map((r) => r.series), itemsTotal.series);

  const sectors = rowsFor(referenceData.sectors, [...agencies.values()].map((a) => a.sector));
  for (const agency of agencies.values()) {
    agency.series.byQuarter.forEach((cell, q) => add(sectors.get(agency.sector)!.series, q, cell.value));
  }
  sumsTo([...sectors.values()].map((r) => r.series), itemsTotal.series);
  for (const sector of sectors.values()) {
    const members = [...agencies.values()].filter((a) => a.sector === sector.code);
    // Stryker disable next-line ConditionalExpression: with no members sumsTo only makes one-cell lines, which grid.line drops
    if (members.length) sumsTo(members.map((a) => a.series), sector.series);
  }

  const categories = rowsFor(referenceData.concernCategories, facts.itemsByConcerns.flatMap((r) => r.categories));
  for (const r of facts.itemsByConcerns) for (const code of new Set(r.categories)) add(categories.get(code)!.series, r.q, r.n);

  // Levels of every version are counted in the newest version's terms, through the crosswalk.
  const thresholds = new ThresholdVocabulary(referenceData.thresholdVersions);
  const notMapped = { code: 'not-mapped', label: `Not mapped to ${thresholds.newest.name}` };
  const levelVocabulary = [
    ...referenceData.levels.map((l) => ({ code: String(l.value), label: `${l.value}: ${l.label}` })),
    { code: 'not-applicable', label: 'Not applicable (agency feedback)' },
    ...(thresholds.versions.length > 1 ? [notMapped] : []),
  ];
  const levelCode = (r: { level: number | null; version?: string | null }) => {
    if (r.level === null) return 'not-applicable';
    const mapped = thresholds.toNewest(r.level, r.version ?? null);
    return mapped === null ? notMapped.code : String(mapped);
  };
  const levels = rowsFor(levelVocabulary, facts.itemsByLevel.map(levelCode));
  for (const r of facts.itemsByLevel) add(levels.get(levelCode(r))!.series, r.q, r.n);
  sumsTo([...levels.values()].map((r) => r.series), itemsTotal.series);

  // The newest version's pathways; a pathway an earlier version offered and the newest dropped
  // keeps its standard label (pathway codes are stable across versions).
  const seenPathways = new Set(facts.itemsByPathway.map((r) => r.pathway));
  const pathwayVocabulary = [
    ...referenceData.pathways,
    ...PATHWAYS.filter((code) => seenPathways.has(code) && !referenceData.pathways.some((p) => p.code === code)).map((code) => ({
      code,
      label: DEFAULT_PATHWAY_LABELS[code],
    })),
    { code: 'not-applicable', label: 'Not applicable (agency feedback)' },
    { code: 'no-outcome', label: 'No outcome recorded yet' },
  ];
  const pathwayCode = (r: { pathway: string | null; hasOutcome: boolean }) => (!r.hasOutcome ? 'no-outcome' : (r.pathway ?? 'not-applicable'));
  const pathways = rowsFor(pathwayVocabulary, facts.itemsByPathway.map(pathwayCode));
  for (const r of facts.itemsByPathway) add(pathways.get(pathwayCode(r))!.series, r.q, r.n);
  sumsTo([...pathways.values()].map((r) => r.series), itemsTotal.series);

  const repeats = rowsFor(
    [
      { code: 'first', label: 'First discussion of the case' },
      { code: 'follow-up', label: 'Follows up an earlier item' },
    ],
    [],
  );
  for (const r of facts.itemsByRepeat) add(repeats.get(r.followUp ? 'follow-up' : 'first')!.series, r.q, r.n);
  sumsTo([...repeats.values()].map((r) => r.series), itemsTotal.series);

  // --- level considered vs level advised (whole range), and the level advised by version ---
  // Items with both levels. Each version's table is in its own levels; the trend and the matrix
  // are in the newest version's levels (earlier versions through the crosswalks). Every relation
  // between them is exact and a line of the grid: a trend row is the sum of the version rows the
  // crosswalk maps onto it, and a matrix column with its "level considered not mapped" cell is
  // that trend row.
  const pairs = facts.levelPairs.map((p) => ({
    ...p,
    advisedVersion: thresholds.idOf(p.advisedVersion ?? null),
    consideredInNewest: thresholds.toNewest(p.considered, p.consideredVersion ?? null),
    advisedInNewest: thresholds.toNewest(p.advised, p.advisedVersion ?? null),
  }));
  const maxLevel = Math.max(
    referenceData.levels.length,
    ...pairs.flatMap((p) => [p.consideredInNewest ?? 0, p.advisedInNewest ?? 0]),
  );
  const levelList = Array.from({ length: maxLevel }, (_, i) => ({ value: i + 1, label: referenceData.levels[i]?.label ?? `Level ${i + 1}` }));
  const several = thresholds.versions.length > 1 || pairs.some((p) => p.advisedInNewest === null || p.consideredInNewest === null);
  const inNewestCode = (level: number | null) => (level === null ? notMapped.code : String(level));

  const pairsTotal: Row = { code: 'total', label: 'Items with a level considered and a level advised', series: series(true) };
  for (const p of pairs) add(pairsTotal.series, p.q, p.n);
  const trend = rowsFor(
    [...levelList.map((l) => ({ code: String(l.value), label: `${l.value}: ${l.label}` })), ...(several ? [notMapped] : [])],
    [],
  );
  for (const p of pairs) add(trend.get(inNewestCode(p.advisedInNewest))!.series, p.q, p.n);
  sumsTo([...trend.values()].map((r) => r.series), pairsTotal.series);

  const versionIds = [...new Set([...thresholds.versions.map((v) => v.id), ...pairs.map((p) => p.advisedVersion)])];
  const mappedOnto = new Map<string, Series[]>();
  const byVersion = versionIds.map((id) => {
    const version = thresholds.byId(id);
    const own = pairs.filter((p) => p.advisedVersion === id);
    const rows = rowsFor(
      (version?.levels ?? []).map((l) => ({ code: String(l.value), label: `${l.value}: ${l.label}` })),
      own.map((p) => String(p.advised)),
    );
    const total: Row = { code: 'total', label: 'Items with a level considered and a level advised', series: series(true) };
    for (const p of own) {
      add(rows.get(String(p.advised))!.series, p.q, p.n);
      add(total.series, p.q, p.n);
    }
    sumsTo([...rows.values()].map((r) => r.series), total.series);
    for (const row of rows.values()) {
      const onto = inNewestCode(thresholds.toNewest(Number(row.code), id));
      mappedOnto.set(onto, [...(mappedOnto.get(onto) ?? []), row.series]);
    }
    return { id, name: version?.name ?? id, effectiveFrom: version?.effectiveFrom ?? null, total, rows };
  });
  sumsTo(byVersion.map((v) => v.total.series), pairsTotal.series);
  for (const [code, parts] of mappedOnto) {
    const row = trend.get(code);
    if (row) sumsTo(parts, row.series);
  }

  const matrix = levelList.map(() => levelList.map(() => grid.cell()));
  const matrixRowTotals = levelList.map(() => grid.cell(0, true));
  const matrixColTotals = levelList.map(() => grid.cell(0, true));
  const matrixTotal = grid.cell(0, true);
  /** Level advised onto the newest level j, level considered with no place in the newest version. */
  const consideredNotMapped = levelList.map(() => grid.cell());
  const consideredNotMappedTotal = grid.cell(0, true);
  for (const p of pairs) {
    if (p.advisedInNewest === null) continue;
    if (p.consideredInNewest === null) {
      consideredNotMapped[p.advisedInNewest - 1].add(p.n);
      consideredNotMappedTotal.add(p.n);
      continue;
    }
    matrix[p.consideredInNewest - 1][p.advisedInNewest - 1].add(p.n);
    matrixRowTotals[p.consideredInNewest - 1].add(p.n);
    matrixColTotals[p.advisedInNewest - 1].add(p.n);
    matrixTotal.add(p.n);
  }
  matrix.forEach((row, i) => grid.line([...row, matrixRowTotals[i]]));
  levelList.forEach((_, j) => grid.line([...matrix.map((row) => row[j]), matrixColTotals[j]]));
  grid.line([...matrixRowTotals, matrixTotal]);
  grid.line([...matrixColTotals, matrixTotal]);
  grid.line([...consideredNotMapped, consideredNotMappedTotal]);
  levelList.forEach((l, j) => grid.line([matrixColTotals[j], consideredNotMapped[j], trend.get(String(l.value))!.series.total]));
  const advisedNotMapped = trend.get(notMapped.code);
  grid.line([
    matrixTotal,
    consideredNotMappedTotal,
    ...(advisedNotMapped ? [advisedNotMapped.series.total] : []),
    pairsTotal.series.total,
  ]);

  // --- referral quality, by agency ---
  // Stryker disable next-line MethodExpression: without the filter configured codes repeat; rowsFor keeps one row per code and the extra zero series hide nothing
  const issueCodes = [...QUALITY_ISSUES, ...new Set(facts.quality.flatMap((r) => r.issues).filter((c) => !(QUALITY_ISSUES as readonly string[]).includes(c)))];
  const qualityMeasures = [
    { code: 'reviewed', label: 'Referrals reviewed' },
    { code: 'timely', label: 'Timely' },
    { code: 'not-timely', label: 'Not timely' },
    { code: 'complete', label: 'Complete' },
    { code: 'incomplete', label: 'Incomplete' },
    { code: 'appropriate', label: 'Appropriately directed' },
    { code: 'misdirected', label: 'Misdirected' },
    ...issueCodes.map((code) => ({ code: `issue:${code}`, label: `Issue: ${(QUALITY_ISSUE_LABELS as Record<string, string>)[code] ?? code}` })),
  ];
  const qualitySet = () => {
    const rows = rowsFor(qualityMeasures, []);
    const m = (code: string) => rows.get(code)!.series;
    for (const [yes, no] of [
      ['timely', 'not-timely'],
      ['complete', 'incomplete'],
      ['appropriate', 'misdirected'],
    ]) {
      sumsTo([m(yes), m(no)], m('reviewed'));
    }
    return rows;
  };
  const qualityAll = qualitySet();
  const qualityByAgency = new Map<string, Map<string, Row>>();
  for (const id of [...new Set(facts.quality.map((r) => r.agencyId))].sort(byAgencyName)) qualityByAgency.set(id, qualitySet());
  for (const r of facts.quality) {
    for (const rows of [qualityAll, qualityByAgency.get(r.agencyId)!]) {
      const m = (code: string) => rows.get(code)!.series;
      add(m('reviewed'), r.q, r.n);
      add(m(r.timely ? 'timely' : 'not-timely'), r.q, r.n);
      add(m(r.complete ? 'complete' : 'incomplete'), r.q, r.n);
      add(m(r.appropriate ? 'appropriate' : 'misdirected'), r.q, r.n);
      for (const issue of new Set(r.issues)) add(m(`issue:${issue}`), r.q, r.n);
    }
  }
  for (const measure of qualityMeasures) {
    sumsTo([...qualityByAgency.values()].map((rows) => rows.get(measure.code)!.series), qualityAll.get(measure.code)!.series);
  }

  // --- what happened after the advice, by agency ---
  const nextStepMeasures = [
    { code: 'asked', label: 'Asked what happened next' },
    { code: 'awaiting', label: 'Not answered yet' },
    { code: 'no-answer', label: 'No answer' },
    { code: 'answered', label: 'Answered' },
    { code: 'not-made', label: 'Referral or request not made' },
    { code: 'made', label: 'Referral or request made' },
    { code: 'made-not-heard-back', label: 'Made, not heard back yet' },
    { code: 'heard-back-in-time', label: 'Heard back within the expected time' },
    { code: 'heard-back-late', label: 'Heard back later than expected' },
  ];
  const nextStepSet = () => {
    const rows = rowsFor(nextStepMeasures, []);
    const m = (code: string) => rows.get(code)!.series;
    sumsTo([m('awaiting'), m('no-answer'), m('answered')], m('asked'));
    sumsTo([m('not-made'), m('made')], m('answered'));
    sumsTo([m('made-not-heard-back'), m('heard-back-in-time'), m('heard-back-late')], m('made'));
    return rows;
  };
  const nextStepsAll = nextStepSet();
  const nextStepsByAgency = new Map<string, Map<string, Row>>();
  for (const id of [...new Set(facts.nextSteps.map((r) => r.agencyId))].sort(byAgencyName)) nextStepsByAgency.set(id, nextStepSet());
  for (const r of facts.nextSteps) {
    for (const rows of [nextStepsAll, nextStepsByAgency.get(r.agencyId)!]) for (const code of countedAs(r.state)) add(rows.get(code)!.series, r.q, r.n);
  }
  for (const measure of nextStepMeasures) {
    sumsTo([...nextStepsByAgency.values()].map((rows) => rows.get(measure.code)!.series), nextStepsAll.get(measure.code)!.series);
  }

  // --- attendance, by agency ---
  const attendanceMeasures = [
    { code: 'present', label: 'Present' },
    { code: 'apologies', label: 'Apologies' },
    { code: 'absent', label: 'Absent' },
  ];
  const attendanceAll = rowsFor(attendanceMeasures, []);
  const attendanceByAgency = new Map<string, Map<string, Row>>();
  const attendanceAgencies = [...new Set([...facts.attendance, ...facts.agencyMeetings].map((r) => r.agencyId))].sort(byAgencyName);
  for (const id of attendanceAgencies) attendanceByAgency.set(id, rowsFor([...attendanceMeasures, { code: 'meetings-attended', label: 'Meetings attended' }], []));
  for (const r of facts.attendance) {
    if (!attendanceAll.has(r.status)) continue;
    add(attendanceAll.get(r.status)!.series, r.q, r.n);
    add(attendanceByAgency.get(r.agencyId)!.get(r.status)!.series, r.q, r.n);
  }
  for (const r of facts.agencyMeetings) add(attendanceByAgency.get(r.agencyId)!.get('meetings-attended')!.series, r.q, r.n);
  for (const measure of attendanceMeasures) {
    sumsTo([...attendanceByAgency.values()].map((rows) => rows.get(measure.code)!.series), attendanceAll.get(measure.code)!.series);
  }

  // --- actions ---
  const actionRows = rowsFor(
    [
      { code: 'opened', label: 'Actions agreed' },
      { code: 'done-on-time', label: 'Done on time' },
      { code: 'done-late', label: 'Done late' },
      { code: 'open-not-due', label: 'Open, not yet due' },
      { code: 'overdue', label: 'Open and overdue' },
      { code: 'closed-circumstances-changed', label: 'Closed undone: circumstances changed' },
      { code: 'closed-agency-not-completed', label: 'Closed undone: the agency has not completed it' },
      { code: 'closed-undone', label: 'Closed undone' },
    ],
    [],
  );
  const action = (code: string) => actionRows.get(code)!.series;
  for (const r of facts.actions) {
    add(action('opened'), r.q, r.n);
    add(action(r.state), r.q, r.n);
    if (r.state.startsWith('closed-')) add(action('closed-undone'), r.q, r.n);
  }
  sumsTo(
    ['done-on-time', 'done-late', 'open-not-due', 'overdue', 'closed-circumstances-changed', 'closed-agency-not-completed'].map(action),
    action('opened'),
  );
  sumsTo([action('closed-circumstances-changed'), action('closed-agency-not-completed')], action('closed-undone'));

  // --- waiting list and carrying forward ---
  const waitingRows = rowsFor(
    [
      { code: 'joined-waiting-list', label: 'Items that waited for a slot' },
      { code: 'promoted', label: 'Given a freed slot' },
      { code: 'not-reached', label: 'Still waiting at the meeting' },
      { code: 'carried-forward', label: 'Carried forward to a later meeting' },
      { code: 'carried-forward-to-waiting-list', label: 'Carried forward onto a waiting list' },
    ],
    [],
  );
  const waiting = (code: string) => waitingRows.get(code)!.series;
  for (const r of facts.waiting) {
    add(waiting('joined-waiting-list'), r.q, r.n);
    add(waiting(r.notReached ? 'not-reached' : 'promoted'), r.q, r.n);
  }
  sumsTo([waiting('promoted'), waiting('not-reached')], waiting('joined-waiting-list'));
  for (const r of facts.deferrals) {
    add(waiting('carried-forward'), r.q, r.n);
    if (r.placement === 'waitlisted') add(waiting('carried-forward-to-waiting-list'), r.q, r.n);
  }

  if (options.publication) grid.apply(SMALL_NUMBER_LIMIT);

  // --- the answer ---
  const out = (row: Row): CountRowDto => ({
    code: row.code,
    label: row.label,
    byQuarter: row.series.byQuarter.map((c) => c.shown),
    total: row.series.total.shown,
    ...(options.publication ? { suppressed: { byQuarter: row.series.byQuarter.map((c) => c.suppressed), total: row.series.total.suppressed } } : {}),
  });
  const measuresOf = (rows: Map<string, Row>) => [...rows.values()].map(out);
  const agencyMeasures = (byAgency: Map<string, Map<string, Row>>): AgencyMeasuresDto[] =>
    [...byAgency.entries()].map(([id, rows]) => ({ agency: { id, name: agencyLabel(id), sector: agencyById.get(id)?.sector ?? 'other' }, measures: measuresOf(rows) }));
  const flags = (cells: CountCell[]) => cells.map((c) => c.suppressed);
  const levelsOut: LevelMatrixDto = {
    levels: levelList,
    rows: levelList.map((l, i) => ({
      levelConsidered: l.value,
      label: l.label,
      byLevelAdvised: matrix[i].map((c) => c.shown),
      total: matrixRowTotals[i].shown,
      ...(options.publication ? { suppressed: { byLevelAdvised: flags(matrix[i]), total: matrixRowTotals[i].suppressed } } : {}),
    })),
    totals: {
      byLevelAdvised: matrixColTotals.map((c) => c.shown),
      total: matrixTotal.shown,
      ...(options.publication ? { suppressed: { byLevelAdvised: flags(matrixColTotals), total: matrixTotal.suppressed } } : {}),
    },
    ...(several
      ? {
          consideredNotMapped: {
            byLevelAdvised: consideredNotMapped.map((c) => c.shown),
            total: consideredNotMappedTotal.shown,
            ...(options.publication
              ? { suppressed: { byLevelAdvised: flags(consideredNotMapped), total: consideredNotMappedTotal.suppressed } }
              : {}),
          },
        }
      : {}),
  };

  return {
    from: period.from,
    to: period.to,
    timeZone: 'Europe/London',
    view: options.publication ? 'publication' : 'full',
    generatedAt: options.generatedAt.toISOString(),
    quarters: period.quarters.map((q) => ({ key: q.key, label: q.label, from: q.from, to: q.to, clipped: q.clipped })),
    suppression: options.publication ? { threshold: SMALL_NUMBER_LIMIT, rule: SUPPRESSION_RULE } : null,
    meetings: { rows: measuresOf(meetingRows) },
    items: {
      total: out(itemsTotal),
      byKind: { rows: measuresOf(kinds) },
      byAgency: { rows: [...agencies.values()].map((a) => ({ ...out(a), sector: a.sector })) },
      bySector: { rows: measuresOf(sectors) },
      byConcernCategory: { rows: measuresOf(categories) },
      byLevelConsidered: { rows: measuresOf(levels) },
      byPathway: { rows: measuresOf(pathways) },
      byRepeat: { rows: measuresOf(repeats) },
    },
    levels: levelsOut,
    thresholdVersions: {
      newest: thresholds.newest.id,
      total: out(pairsTotal),
      versions: byVersion.map((v) => ({
        id: v.id,
        name: v.name,
        effectiveFrom: v.effectiveFrom,
        total: out(v.total),
        levelAdvised: { rows: measuresOf(v.rows) },
      })),
      levelAdvisedInNewest: { rows: measuresOf(trend) },
    },
    referralQuality: { allAgencies: measuresOf(qualityAll), byAgency: agencyMeasures(qualityByAgency) },
    nextSteps: { allAgencies: measuresOf(nextStepsAll), byAgency: agencyMeasures(nextStepsByAgency) },
    attendance: { allAgencies: measuresOf(attendanceAll), byAgency: agencyMeasures(attendanceByAgency) },
    actions: { measures: measuresOf(actionRows) },
    waitingList: { measures: measuresOf(waitingRows) },
  };
}
