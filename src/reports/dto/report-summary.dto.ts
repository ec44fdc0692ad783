import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { SuppressionMark } from '../suppression';

/** OpenAPI cannot infer arrays of nullable numbers or marks from the types: said explicitly. */
const COUNTS: ApiPropertyOptions = { type: 'array', items: { type: 'number', nullable: true } };
const MARKS: ApiPropertyOptions = { type: 'array', items: { type: 'string', enum: ['small', 'secondary'], nullable: true } };
const MARK: ApiPropertyOptions = { type: 'string', enum: ['small', 'secondary'], nullable: true };

/**
 * The answer of GET /api/reports/summary. Every figure is a count; every count row has the same
 * shape: one value per quarter of the range (`byQuarter`, in the order of `quarters`) and the
 * whole range (`total`).
 *
 * In the publication view (`?publication=true`) a suppressed count is `null` and the row's
 * `suppressed` says why, cell by cell: `small` (1 to 4) or `secondary` (hidden so that a small
 * one cannot be worked out from a total). See `suppression.rule` in the answer for the rule.
 */

export class ReportQuarterDto {
  /** `2026-Q3`: a calendar quarter in Europe/London (January to March is Q1). */
  key: string;
  /** `July to September 2026`. */
  label: string;
  /** First London date covered ('YYYY-MM-DD'): later than the quarter's first day when the range starts inside it. */
  from: string;
  /** Last London date covered, inclusive. */
  to: string;
  /** True when the range covers only part of the quarter. */
  clipped: boolean;
}

export class SuppressionFlagsDto {
  @ApiProperty({ ...MARKS, description: 'Per quarter: null (shown), `small` or `secondary`.' })
  byQuarter: Array<SuppressionMark | null>;
  @ApiProperty(MARK)
  total: SuppressionMark | null;
}

export class CountRowDto {
  /** A stable code: a kind, sector, category or pathway code, a level ('1'…), an agency id, or a measure. */
  code: string;
  label: string;
  @ApiProperty({ ...COUNTS, description: 'One count per quarter, in the order of `quarters`; null when suppressed (publication view only).' })
  byQuarter: Array<number | null>;
  /** The whole range. */
  total: number | null;
  /** Publication view only: which counts were suppressed and why. */
  suppressed?: SuppressionFlagsDto;
}

export class AgencyCountRowDto extends CountRowDto {
  /** The agency's sector code (GET /api/reference-data `sectors`). */
  sector: string;
}

export class BreakdownDto {
  rows: CountRowDto[];
}

export class AgencyBreakdownDto {
  /** Agencies with at least one item in the range, by name; `code` is the agency id. */
  rows: AgencyCountRowDto[];
}

export class ItemsSectionDto {
  /**
   * Items discussed: on the agenda (booked) of a meeting held in the quarter (not cancelled, and
   * started by now). An item carried forward counts once, at the meeting it was finally taken at.
   */
  total: CountRowDto;
  /** Every kind; adds up to `total`. */
  byKind: BreakdownDto;
  /** The agency that brought the item (when it was booked); adds up to `total`. */
  byAgency: AgencyBreakdownDto;
  /** Every sector; adds up to `total`, and each sector is the sum of its agencies. */
  bySector: BreakdownDto;
  /** Items naming each concern category: an item may name several, so the rows do not add up to `total`. */
  byConcernCategory: BreakdownDto;
  /** Each configured level, then `not-applicable` (agency feedback); adds up to `total`. */
  byLevelConsidered: BreakdownDto;
  /** Each pathway advised, then `not-applicable` (an outcome without a pathway) and `no-outcome`; adds up to `total`. */
  byPathway: BreakdownDto;
  /** `first` and `follow-up` (the item follows up an earlier item of its agency: a repeat discussion); adds up to `total`. */
  byRepeat: BreakdownDto;
}

export class LevelDto {
  value: number;
  label: string;
}

export class MatrixSuppressionDto {
  @ApiProperty({ ...MARKS, description: 'Per level advised: null (shown), `small` or `secondary`.' })
  byLevelAdvised: Array<SuppressionMark | null>;
  @ApiProperty(MARK)
  total: SuppressionMark | null;
}

export class MatrixRowDto {
  /** The level considered by the presenter. */
  levelConsidered: number;
  label: string;
  @ApiProperty({ ...COUNTS, description: 'Items advised at each level, in the order of `levels`.' })
  byLevelAdvised: Array<number | null>;
  total: number | null;
  /** Publication view only. */
  suppressed?: MatrixSuppressionDto;
}

export class MatrixTotalsDto {
  @ApiProperty({ ...COUNTS, description: 'Items advised at each level (column totals).' })
  byLevelAdvised: Array<number | null>;
  /** Items with both levels. */
  total: number | null;
  /** Publication view only. */
  suppressed?: MatrixSuppressionDto;
}

export class LevelMatrixDto {
  /** The levels, lowest first (the matrix's rows and columns). */
  levels: LevelDto[];
  /** Items discussed in the whole range with both a level considered and a level advised: one row per level considered. */
  rows: MatrixRowDto[];
  /** Column totals (items advised at each level) and the grand total. */
  totals: MatrixTotalsDto;
  /**
   * With several threshold document versions: items advised at each level whose level considered
   * has no place in the newest version (not in the matrix). A column total plus this cell is that
   * level's total in `thresholdVersions.levelAdvisedInNewest`.
   */
  consideredNotMapped?: MatrixTotalsDto;
}

export class ThresholdVersionFiguresDto {
  /** The version's id (GET /api/reference-data `thresholdVersions`); a version no longer configured keeps its id. */
  id: string;
  name: string;
  /** London date from which meetings use it; null for a version no longer configured. */
  @ApiProperty({ type: 'string', nullable: true })
  effectiveFrom: string | null;
  /** Items whose outcome was recorded in this version, with a level considered and a level advised. */
  total: CountRowDto;
  /** The level advised, in this version's own levels. */
  levelAdvised: BreakdownDto;
}

export class ThresholdVersionsSectionDto {
  /** The newest version: the terms of `levelAdvisedInNewest`, `levels` and `items.byLevelConsidered`. */
  newest: string;
  /** Every item with a level considered and a level advised (the matrix's items, and those not mapped). */
  total: CountRowDto;
  /** The level advised, by the threshold document version each outcome was recorded in, oldest first. */
  versions: ThresholdVersionFiguresDto[];
  /**
   * The same items by the level advised in the newest version's levels, through the configured
   * crosswalk: a trend across a change of document. `not-mapped` (with several versions): the
   * crosswalk has no place for the level advised. Each row is the sum of the version rows the
   * crosswalk maps onto it.
   */
  levelAdvisedInNewest: BreakdownDto;
}

export class ReportAgencyDto {
  id: string;
  name: string;
  /** The sector code. */
  sector: string;
}

export class AgencyMeasuresDto {
  agency: ReportAgencyDto;
  measures: CountRowDto[];
}

export class NextStepsSectionDto {
  /**
   * What happened after advice to refer (MASH, early help, another service), by the quarter of
   * the meeting that advised it: `asked` = `awaiting` + `no-answer` + `answered`; `answered` =
   * `not-made` + `made`; `made` = `made-not-heard-back` + `heard-back-in-time` + `heard-back-late`
   * (in time: within the configured working days for the advice).
   */
  allAgencies: CountRowDto[];
  /** The same measures for each agency whose presenters were asked (they add up to `allAgencies`). */
  byAgency: AgencyMeasuresDto[];
}

export class ReferralQualitySectionDto {
  /**
   * Measures, for referral-feedback items discussed whose referral quality was recorded:
   * `reviewed`, `timely` / `not-timely`, `complete` / `incomplete`, `appropriate` / `misdirected`
   * (each pair adds up to `reviewed`), then one row per issue code (`issue:missing-information`, …).
   */
  allAgencies: CountRowDto[];
  /** The same measures for each agency whose referrals were reviewed (they add up to `allAgencies`). */
  byAgency: AgencyMeasuresDto[];
}

export class AttendanceSectionDto {
  /**
   * People in the attendance registers of meetings held: `present`, `apologies`, `absent`; and
   * `meetings-attended`, the meetings at which the agency had someone present (not additive
   * across agencies, so absent from `allAgencies`).
   */
  allAgencies: CountRowDto[];
  byAgency: AgencyMeasuresDto[];
}

export class ActionsSectionDto {
  /**
   * Actions agreed at meetings held in each quarter, in their state today: `opened` = `done-on-time`
   * (done on or before the due date, London) + `done-late` + `open-not-due` + `overdue` (open after
   * the due date) + `closed-circumstances-changed` + `closed-agency-not-completed`; `closed-undone`
   * is the sum of the two closed rows.
   */
  measures: CountRowDto[];
}

export class WaitingListSectionDto {
  /**
   * For meetings held in each quarter: `joined-waiting-list` (items that waited for a slot) =
   * `promoted` (given a slot that was freed) + `not-reached` (still waiting when the meeting was
   * held); `carried-forward` (items the meeting did not reach, carried to a later one) and
   * `carried-forward-to-waiting-list` (of those, the ones that landed on the next meeting's list).
   */
  measures: CountRowDto[];
}

export class SuppressionDto {
  /** Counts below this (and above 0) are suppressed. */
  threshold: number;
  rule: string;
}

export class ReportSummaryDto {
  /** The range asked for: London dates, both inclusive. */
  from: string;
  to: string;
  timeZone: 'Europe/London';
  /** `full` for the partnership's own use; `publication` with small numbers suppressed. */
  view: 'full' | 'publication';
  generatedAt: string;
  /** The calendar quarters the range touches; each row's `byQuarter` follows this order. */
  quarters: ReportQuarterDto[];
  /** Publication view only. */
  suppression: SuppressionDto | null;
  /** `held` (not cancelled and started by now) and `cancelled`, by the quarter of their date. */
  meetings: BreakdownDto;
  items: ItemsSectionDto;
  /** Levels considered and advised in the newest threshold document's terms (earlier versions through the crosswalk). */
  levels: LevelMatrixDto;
  thresholdVersions: ThresholdVersionsSectionDto;
  referralQuality: ReferralQualitySectionDto;
  nextSteps: NextStepsSectionDto;
  attendance: AttendanceSectionDto;
  actions: ActionsSectionDto;
  waitingList: WaitingListSectionDto;
}
