import { IsIn, IsOptional, Matches } from 'class-validator';
import { ISO_DATE } from '../../common/input-rules';

/** `?from=2026-07-01&to=2026-09-30`: London calendar dates, both inclusive. */
export class ReportRangeQuery {
  /** First day, 'YYYY-MM-DD' (Europe/London). */
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  from: string;

  /** Last day, inclusive, 'YYYY-MM-DD' (Europe/London). */
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  to: string;
}

export class ReportSummaryQuery extends ReportRangeQuery {
  /** `true`: the publication view, with counts from 1 to 4 suppressed (and what would give them away). */
  @IsOptional() @IsIn(['true', 'false'])
  publication?: 'true' | 'false';
}
