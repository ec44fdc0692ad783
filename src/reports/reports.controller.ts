import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { User } from '../directory/user.entity';
import { ReportRangeQuery, ReportSummaryQuery } from './dto/report-query.dto';
import { ReportSummaryDto } from './dto/report-summary.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
@Roles('coordinator', 'chair')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /**
   * The partnership's figures over a range of London dates (both inclusive), by calendar quarter
   * (Europe/London; a range that starts or ends inside a quarter covers only that part of it):
   * meetings held and cancelled; items discussed by kind, agency, sector, concern category, level
   * considered and pathway; level considered against level advised; referral-quality findings by
   * agency; attendance by agency; actions; the waiting list and items carried forward. No case text.
   *
   * `publication=true`: counts from 1 to 4 are suppressed (null, marked `small`), 0 is shown, and
   * wherever cells are published with the total they add up to, a lone suppressed cell is joined by
   * the next-smallest one (marked `secondary`) so that it cannot be worked out; the rule is repeated
   * in the answer. 400 VALIDATION_FAILED for an unreal date, `to` before `from`, or more than 40 quarters.
   */
  @Get('summary')
  @Header('Cache-Control', 'no-store')
  summary(@Query() query: ReportSummaryQuery): Promise<ReportSummaryDto> {
    return this.reports.summary(this.reports.period(query.from, query.to), query.publication === 'true');
  }

  /**
   * One CSV row per item of a meeting in the range (any status), structured fields only: never
   * the question, summary, agency or MASH reference, advice or any other free text. Streamed from
   * the database; cells that a spreadsheet would run as a formula are neutralised with a leading
   * apostrophe. UTF-8 with a byte order mark. Audited (who, range, row count).
   */
  @Get('items.csv')
  @ApiProduces('text/csv')
  async itemsCsv(@Query() query: ReportRangeQuery, @CurrentUser() user: User, @Res() res: Response): Promise<void> {
    await this.reports.exportItems(this.reports.period(query.from, query.to), user, res);
  }
}
