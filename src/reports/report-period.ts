import { DateTime } from 'luxon';
import { FieldError, validationFailed } from '../common/domain-error';
import { LONDON_ZONE } from '../scheduling/calendar-rules';

/** A report covers at most this many calendar quarters (ten years): it keeps answers bounded. */
export const MAX_QUARTERS = 40;

/**
 * One calendar quarter of the report (Europe/London: January–March is Q1), clipped to the
 * report's range: a range that starts or ends inside a quarter covers only its part of it.
 */
export interface QuarterBucket {
  /** `2026-Q3`. */
  key: string;
  /** `July to September 2026`. */
  label: string;
  /** First and last London date covered, inclusive ('YYYY-MM-DD'). */
  from: string;
  to: string;
  /** True when the range covers only part of the quarter. */
  clipped: boolean;
  /** The instants the bucket spans: [startsAt, endsBefore). */
  startsAt: Date;
  endsBefore: Date;
}

/** The London dates `from`–`to` (both inclusive) as instants, cut into calendar quarters. */
export interface ReportPeriod {
  from: string;
  to: string;
  startsAt: Date;
  endsBefore: Date;
  quarters: QuarterBucket[];
}

const QUARTER_MONTHS = ['January to March', 'April to June', 'July to September', 'October to December'];

/**
 * Checks and cuts a range. `from` and `to` are London calendar dates: an event belongs to the
 * range when it starts at or after `from` 00:00 London and before the midnight that ends `to`.
 * Quarter edges are London midnights too, so a meeting at 00:30 BST on 1 July (23:30 UTC on
 * 30 June) is in Q3. Pure.
 */
export function reportPeriod(from: string, to: string): ReportPeriod {
  const errors: FieldError[] = [];
  const start = londonDate(from);
  const end = londonDate(to);
  if (!start) errors.push({ field: 'from', messages: ['must be a real date YYYY-MM-DD'] });
  if (!end) errors.push({ field: 'to', messages: ['must be a real date YYYY-MM-DD'] });
  if (start && end && end < start) errors.push({ field: 'to', messages: ['must be on or after from'] });
  if (errors.length) throw validationFailed(errors);

  const endsBefore = end!.plus({ days: 1 });
  const quarters: QuarterBucket[] = [];
  for (let q = start!.startOf('quarter'); q < endsBefore; q = q.plus({ quarters: 1 })) {
    const qEnd = q.plus({ quarters: 1 });
    // Stryker disable next-line EqualityOperator: when q equals start both branches are the same instant in the same zone
    const bucketStart = q < start! ? start! : q;
    // Stryker disable next-line EqualityOperator: when qEnd equals endsBefore both branches are the same instant in the same zone
    const bucketEnd = qEnd > endsBefore ? endsBefore : qEnd;
    quarters.push({
      key: `${q.year}-Q${q.quarter}`,
      label: `${QUARTER_MONTHS[q.quarter - 1]} ${q.year}`,
      from: bucketStart.toISODate()!,
      to: bucketEnd.minus({ days: 1 }).toISODate()!,
      clipped: bucketStart > q || bucketEnd < qEnd,
      startsAt: bucketStart.toJSDate(),
      endsBefore: bucketEnd.toJSDate(),
    });
    if (quarters.length > MAX_QUARTERS) {
      throw validationFailed([{ field: 'to', messages: [`the range can cover at most ${MAX_QUARTERS} quarters`] }]);
    }
  }
  return { from, to, startsAt: start!.toJSDate(), endsBefore: endsBefore.toJSDate(), quarters };
}

/** The index of the bucket holding `instant`, or -1 outside the range. */
export function quarterIndexOf(period: ReportPeriod, instant: Date): number {
  const t = instant.getTime();
  return period.quarters.findIndex((q) => t >= q.startsAt.getTime() && t < q.endsBefore.getTime());
}

/** `2026-Q3`: the London calendar quarter of an instant. */
export function quarterKeyOf(instant: Date): string {
  const d = DateTime.fromJSDate(instant, { zone: LONDON_ZONE });
  return `${d.year}-Q${d.quarter}`;
}

function londonDate(value: string): DateTime | null {
  // Stryker disable next-line Regex: dropping $ is equivalent, toISODate() === value below refuses any trailing text (the ^ mutant is killed by the spec)
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = DateTime.fromISO(value, { zone: LONDON_ZONE });
  // Stryker disable next-line LogicalOperator,ConditionalExpression: after the pattern, a valid d always gives back value (checked for every year 0000-9999) and an invalid one gives null
  return d.isValid && d.toISODate() === value ? d.startOf('day') : null;
}
