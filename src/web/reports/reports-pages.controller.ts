import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { Clock } from '../../common/clock';
import { DomainError, FieldError } from '../../common/domain-error';
import { reportCharts } from '../../reports/charts/report-charts';
import { ReportsService } from '../../reports/reports.service';
import { FormErrors } from '../forms/form-errors';
import { dateFromParts, dateParts, FormBody, text } from '../forms/form-input';
import { renderPage } from '../render';
import { WebPages } from '../web-pages.decorator';
import { chartTable, defaultRange, summarySections } from './report-page';

const FIELD_WORDS: Record<string, { id: string; words: string }> = {
  from: { id: 'from-day', words: 'The start date must be a real date, like 1 4 2026' },
  to: { id: 'to-day', words: 'The end date must be a real date on or after the start date, like 31 3 2027' },
};

/**
 * The partnership's figures as a page (chairs and coordinators): a range of dates, the full or
 * the publication view, the charts with the table of each beside it, every figure as a table,
 * and links to the CSV and the JSON. `/reports/print` is the same without the service's header,
 * navigation and form, laid out for printing. The figures are the API's (ReportsService).
 */
@WebPages()
@Controller('reports')
@Roles('chair', 'coordinator')
export class ReportsPagesController {
  constructor(
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  page(@Query() query: FormBody, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.render(query, req, res, 'reports/index');
  }

  @Get('print')
  print(@Query() query: FormBody, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.render(query, req, res, 'reports/print');
  }

  private async render(query: FormBody, req: AuthenticatedRequest, res: Response, view: string): Promise<void> {
    const defaults = defaultRange(this.clock.now());
    const from = dateFromParts(query, 'from') ?? defaults.from;
    const to = dateFromParts(query, 'to') ?? defaults.to;
    const publication = text(query, 'view') === 'publication';
    const form = { from: dateParts(from), to: dateParts(to), view: publication ? 'publication' : 'full' };
    let period;
    try {
      period = this.reports.period(from, to);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED') throw err;
      const fields = [...new Set((err.details as FieldError[]).map((d) => d.field))];
      const errors = new FormErrors(fields.map((field) => ({ field, text: FIELD_WORDS[field]?.words ?? 'Check the dates', href: `#${FIELD_WORDS[field]?.id ?? 'from-day'}` })));
      return renderPage(req, res, view, { title: 'Reports', form, errors }, 400);
    }
    const summary = await this.reports.summary(period, publication);
    const range = new URLSearchParams({ from: period.from, to: period.to });
    const pageQuery = new URLSearchParams({
      'from-day': form.from.day,
      'from-month': form.from.month,
      'from-year': form.from.year,
      'to-day': form.to.day,
      'to-month': form.to.month,
      'to-year': form.to.year,
      view: form.view,
    });
    renderPage(req, res, view, {
      title: 'Reports',
      form,
      summary,
      charts: reportCharts(summary).map((c) => ({ ...c, table: chartTable(c.table) })),
      sections: summarySections(summary),
      links: {
        csv: `/api/reports/items.csv?${range}`,
        json: `/api/reports/summary?${range}${publication ? '&publication=true' : ''}`,
        print: `/reports/print?${pageQuery}`,
        page: `/reports?${pageQuery}`,
      },
    });
  }
}
