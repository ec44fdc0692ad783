import { DateTime } from 'luxon';
import type { CountRowDto, ReportSummaryDto } from '../../reports/dto/report-summary.dto';
import { ChartTable, formatCount } from '../../reports/charts/svg';
import { LONDON_ZONE } from '../../scheduling/calendar-rules';

/** A table as govukTable wants it. */
export interface PageTable {
  caption: string;
  head: Array<{ text: string; format?: 'numeric' }>;
  rows: Array<Array<{ text: string; format?: 'numeric' }>>;
}

export interface PageSection {
  heading: string;
  intro?: string;
  tables: PageTable[];
}

/** Four calendar quarters: the current one (London) and the three before it. */
export function defaultRange(now: Date): { from: string; to: string } {
  const quarter = DateTime.fromJSDate(now, { zone: LONDON_ZONE }).startOf('quarter');
  return { from: quarter.minus({ quarters: 3 }).toISODate()!, to: quarter.plus({ quarters: 1 }).minus({ days: 1 }).toISODate()! };
}

export function chartTable(t: ChartTable): PageTable {
  return {
    caption: t.caption,
    head: t.head.map((text, i) => (t.numeric[i] ? { text, format: 'numeric' as const } : { text })),
    rows: t.rows.map((row) => row.map((text, i) => (t.numeric[i] ? { text, format: 'numeric' as const } : { text }))),
  };
}

/** Rows of counts by quarter as a table: a label column, one per quarter, and the total. */
function byQuarter(caption: string, summary: ReportSummaryDto, rows: CountRowDto[], firstColumn = ''): PageTable {
  const numeric = (text: string) => ({ text, format: 'numeric' as const });
  return {
    caption,
    head: [{ text: firstColumn }, ...summary.quarters.map((q) => numeric(q.clipped ? `${q.key} (part)` : q.key)), numeric('Total')],
    rows: rows.map((r) => [{ text: r.label }, ...r.byQuarter.map((v) => numeric(formatCount(v))), numeric(formatCount(r.total))]),
  };
}

/**
 * With more than one threshold document version: the level advised under each, in its own levels,
 * then all of them in the newest document's levels (the trend across the change). Pure.
 */
function thresholdVersionSections(s: ReportSummaryDto): PageSection[] {
  const tv = s.thresholdVersions;
  if (tv.versions.length < 2) return [];
  const all = (rows: CountRowDto[], total: CountRowDto) => [...rows, { ...total, label: 'All items' }];
  const newest = tv.versions.find((v) => v.id === tv.newest)?.name ?? tv.newest;
  return [
    {
      heading: 'Levels of need across threshold documents',
      intro: `Items with a level considered and a level advised: the level advised under each threshold document, in its own levels, then all of them in the levels of ${newest} through the partnership’s crosswalk. “Not mapped” counts items with a level the crosswalk has no place for.`,
      tables: [
        ...tv.versions.map((v) =>
          byQuarter(
            `Level advised under ${v.name}${v.effectiveFrom ? ` (meetings from ${DateTime.fromISO(v.effectiveFrom).setLocale('en-GB').toFormat('d MMMM yyyy')})` : ''}`,
            s,
            all(v.levelAdvised.rows, v.total),
            'Level advised',
          ),
        ),
        byQuarter(`Level advised, in the levels of ${newest}`, s, all(tv.levelAdvisedInNewest.rows, tv.total), 'Level advised'),
      ],
    },
  ];
}

/** Every figure of the summary as tables, in the order of the partnership's report. Pure. */
export function summarySections(s: ReportSummaryDto): PageSection[] {
  const totals = (rows: CountRowDto[], label: string) => [...rows, { ...s.items.total, label, code: 'total' }];
  const byWholePeriod = (caption: string, rows: Array<{ label: string; measures: CountRowDto[] }>, codes: string[], names: string[]): PageTable => ({
    caption,
    head: [{ text: 'Agency' }, ...names.map((text) => ({ text, format: 'numeric' as const }))],
    rows: rows.map((r) => [{ text: r.label }, ...codes.map((c) => ({ text: formatCount(r.measures.find((m) => m.code === c)?.total ?? 0), format: 'numeric' as const }))]),
  });
  return [
    { heading: 'Meetings', tables: [byQuarter('Meetings held and cancelled', s, s.meetings.rows)] },
    {
      heading: 'Items discussed',
      intro: 'Items on the agenda of a meeting held in the period; an item carried forward counts once, at the meeting that took it.',
      tables: [
        byQuarter('Items by kind', s, totals(s.items.byKind.rows, 'All items'), 'Kind'),
        byQuarter('Items by sector', s, totals(s.items.bySector.rows, 'All items'), 'Sector'),
        byQuarter('Items by agency', s, totals(s.items.byAgency.rows, 'All items'), 'Agency'),
        byQuarter('Items by concern category (an item can name several)', s, s.items.byConcernCategory.rows, 'Concern category'),
        byQuarter('Items by level of need considered', s, totals(s.items.byLevelConsidered.rows, 'All items'), 'Level considered'),
        byQuarter('Items by pathway advised', s, totals(s.items.byPathway.rows, 'All items'), 'Pathway'),
        byQuarter('Repeat discussions: items that follow up an earlier item', s, totals(s.items.byRepeat.rows, 'All items'), 'Discussion'),
      ],
    },
    ...thresholdVersionSections(s),
    {
      heading: 'Referral quality',
      intro: 'Feedback on referrals to the MASH: whether each referral reviewed was timely, complete and appropriately directed, and the issues found.',
      tables: [
        byQuarter('Referral-quality findings, all agencies', s, s.referralQuality.allAgencies, 'Finding'),
        ...s.referralQuality.byAgency.map((a) => byQuarter(`Referral-quality findings: ${a.agency.name}`, s, a.measures, 'Finding')),
      ],
    },
    {
      heading: 'What happened after the advice',
      intro: 'When the meeting advised a referral to the MASH, early help or another service, its presenter was asked some working days later whether it was made and whether they heard back within the expected time. Counted by the quarter of the meeting.',
      tables: [
        byQuarter('What happened next, all agencies', s, s.nextSteps.allAgencies, 'Answer'),
        ...s.nextSteps.byAgency.map((a) => byQuarter(`What happened next: ${a.agency.name}`, s, a.measures, 'Answer')),
      ],
    },
    {
      heading: 'Attendance',
      tables: [
        byWholePeriod(
          'Attendance by agency (people in the registers of meetings held, whole period)',
          s.attendance.byAgency.map((a) => ({ label: a.agency.name, measures: a.measures })),
          ['present', 'apologies', 'absent', 'meetings-attended'],
          ['Present', 'Apologies', 'Absent', 'Meetings attended'],
        ),
      ],
    },
    { heading: 'Actions', intro: 'Actions agreed at the meetings of each quarter, as they stand today.', tables: [byQuarter('Actions by state', s, s.actions.measures, 'State')] },
    { heading: 'Waiting list and carrying forward', tables: [byQuarter('Waiting list and items carried forward', s, s.waitingList.measures, 'Measure')] },
  ];
}
