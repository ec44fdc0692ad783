import type { CountRowDto, ReportSummaryDto } from '../dto/report-summary.dto';
import { renderGroupedBarChart } from './grouped-bar-chart';
import { renderHeatTable } from './heat-table';
import { renderStackedBarChart } from './stacked-bar-chart';
import { ChartFigure, formatCount } from './svg';

/** Agencies drawn separately in the items chart; the rest are added up as "Other agencies". */
const MAX_AGENCY_SERIES = 7;

/**
 * The charts of the reports page, drawn from the summary (in whichever view it was asked for:
 * in the publication view suppressed counts are not drawn and read "suppressed"). Each comes
 * with the table of its data. Pure.
 */
export function reportCharts(summary: ReportSummaryDto, idPrefix = 'chart'): ChartFigure[] {
  return [itemsByAgencyChart(summary, `${idPrefix}-items`), referralQualityChart(summary, `${idPrefix}-quality`), levelsChart(summary, `${idPrefix}-levels`)];
}

/** Items discussed per quarter, each bar divided by the agency that brought them. */
export function itemsByAgencyChart(summary: ReportSummaryDto, id: string): ChartFigure {
  const quarters = summary.quarters.map((q) => (q.clipped ? `${q.key} (part)` : q.key));
  const rows = [...summary.items.byAgency.rows].sort((a, b) => (b.total ?? 0) - (a.total ?? 0) || a.label.localeCompare(b.label, 'en-GB'));
  const shown = rows.slice(0, MAX_AGENCY_SERIES);
  const rest = rows.slice(MAX_AGENCY_SERIES);
  const series = shown.map((r) => ({ label: r.label, values: r.byQuarter }));
  if (rest.length) {
    // A sum that includes a suppressed count cannot be given.
    const other = quarters.map((_, q) => (rest.some((r) => r.byQuarter[q] === null) ? null : rest.reduce((n, r) => n + (r.byQuarter[q] ?? 0), 0)));
    series.push({ label: `Other agencies (${rest.length})`, values: other });
  }
  const totals = summary.items.total.byQuarter;
  const title = 'Items discussed per quarter, by agency';
  const busiest = shown[0];
  const description =
    `Stacked bars, one for each quarter from ${summary.from} to ${summary.to}, each divided by the agency that brought the items. ` +
    (totals.length ? `Items per quarter: ${quarters.map((q, i) => `${q} ${formatCount(totals[i])}`).join('; ')}. ` : '') +
    (busiest && busiest.total !== null ? `${busiest.label} brought the most (${formatCount(busiest.total)}). ` : '') +
    'The table after the chart gives every value.';
  return {
    id,
    title,
    svg: renderStackedBarChart({ id, title, description, categories: quarters, series, totals, valueLabel: 'Items discussed' }),
    table: {
      caption: title,
      head: ['Agency', ...quarters, 'Total'],
      rows: [
        ...rows.map((r) => [r.label, ...r.byQuarter.map(formatCount), formatCount(r.total)]),
        ['All agencies', ...totals.map(formatCount), formatCount(summary.items.total.total)],
      ],
      numeric: [false, ...quarters.map(() => true), true],
    },
  };
}

/** For each agency, the share of its referrals reviewed that were timely, complete and appropriately directed. */
export function referralQualityChart(summary: ReportSummaryDto, id: string): ChartFigure {
  const measures = ['timely', 'complete', 'appropriate'] as const;
  const names = { timely: 'Timely', complete: 'Complete', appropriate: 'Appropriately directed' };
  const find = (list: CountRowDto[], code: string) => list.find((m) => m.code === code);
  // No row is none; a row whose count is suppressed stays suppressed (never shown as 0).
  const countIn = (list: CountRowDto[], code: string) => {
    const row = find(list, code);
    return row ? row.total : 0;
  };
  const share = (list: CountRowDto[], code: string) => {
    const reviewed = find(list, 'reviewed')?.total ?? null;
    const count = find(list, code)?.total ?? null;
    // A percentage of a suppressed count (or of a suppressed total) would give it away.
    if (reviewed === null || count === null) return { value: null, text: 'suppressed' };
    if (reviewed === 0) return { value: null, text: 'none reviewed' };
    const pct = Math.round((count / reviewed) * 100);
    return { value: pct, text: `${pct}% (${count} of ${reviewed})` };
  };
  const groups = [
    ...summary.referralQuality.byAgency.map((a) => ({ label: a.agency.name, measures: a.measures })),
    { label: 'All agencies', measures: summary.referralQuality.allAgencies },
  ];
  const title = 'Referral quality by agency';
  const all = summary.referralQuality.allAgencies;
  const description =
    `Horizontal bars: for each agency, the per cent of its referrals to the MASH reviewed at the meeting from ${summary.from} to ${summary.to} ` +
    `that were timely, complete and appropriately directed. All agencies: ${measures.map((m) => `${names[m]} ${share(all, m).text}`).join('; ')}. ` +
    'The table after the chart gives every count, including each issue found.';
  const issueRows = all.filter((m) => m.code.startsWith('issue:'));
  return {
    id,
    title,
    svg: renderGroupedBarChart({
      id,
      title,
      description,
      series: measures.map((m) => names[m]),
      groups: groups.map((g) => ({ label: g.label, bars: measures.map((m) => share(g.measures, m)) })),
      max: 100,
      valueLabel: 'Per cent of referrals reviewed',
    }),
    table: {
      caption: `${title} (whole period)`,
      head: ['Agency', 'Reviewed', 'Timely', 'Complete', 'Appropriately directed', ...issueRows.map((m) => m.label.replace(/^Issue: /, ''))],
      rows: groups.map((g) => [
        g.label,
        formatCount(countIn(g.measures, 'reviewed')),
        ...measures.map((m) => formatCount(countIn(g.measures, m))),
        ...issueRows.map((m) => formatCount(countIn(g.measures, m.code))),
      ]),
      numeric: [false, true, true, true, true, ...issueRows.map(() => true)],
    },
  };
}

/** Level considered by the presenter against level advised by the meeting. */
export function levelsChart(summary: ReportSummaryDto, id: string): ChartFigure {
  const m = summary.levels;
  const labels = m.levels.map((l) => `${l.value}`);
  const title = 'Level considered and level advised';
  const diagonal = m.rows.map((r, i) => r.byLevelAdvised[i]);
  const same = diagonal.some((v) => v === null) ? null : diagonal.reduce<number>((n, v) => n + (v ?? 0), 0);
  const description =
    `A table of shaded cells: rows are the level of need the presenter considered, columns the level the meeting advised, ` +
    `each cell the number of items from ${summary.from} to ${summary.to}. ` +
    `${formatCount(m.totals.total)} items had both; ${same === null ? 'the number advised at the level considered is suppressed' : `${formatCount(same)} were advised at the level considered`}. ` +
    `Levels: ${m.levels.map((l) => `${l.value} ${l.label}`).join('; ')}.`;
  return {
    id,
    title,
    svg: renderHeatTable({
      id,
      title,
      description,
      rowTitle: 'Considered',
      columnTitle: 'Level advised',
      rowLabels: m.levels.map((l) => `Level ${l.value}`),
      columnLabels: labels.map((l) => `Level ${l}`),
      values: m.rows.map((r) => r.byLevelAdvised),
    }),
    table: {
      caption: `${title}: items by level considered (rows) and level advised (columns)`,
      head: ['Level considered', ...m.levels.map((l) => `Advised ${l.value}`), 'Total'],
      rows: [
        ...m.rows.map((r) => [`${r.levelConsidered}: ${r.label}`, ...r.byLevelAdvised.map(formatCount), formatCount(r.total)]),
        ['Total', ...m.totals.byLevelAdvised.map(formatCount), formatCount(m.totals.total)],
      ],
      numeric: [false, ...m.levels.map(() => true), true],
    },
  };
}
