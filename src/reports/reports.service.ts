import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { ReportSummaryDto } from './dto/report-summary.dto';
import { ItemCsvRecord, ItemExportRow, itemsCsvStringifier, toItemCsvRecord } from './items-csv';
import { buildSummary } from './report-builder';
import { ReportPeriod, reportPeriod } from './report-period';
import { ItemCursor, ReportQueries } from './report-queries';

/**
 * Rows per page of the CSV export. Measured with `npm run bench:csv-memory` (100,000 items): at
 * 1,000 a page lives long enough, while the client drains it, to be promoted to V8's old space,
 * and RSS grew by about 70 MB before a full collection; at 500 it grows by about 10 MB.
 */
export const EXPORT_PAGE_SIZE = 500;

export interface CsvResponse extends Writable {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly queries: ReportQueries,
    private readonly referenceData: ReferenceDataService,
  ) {}

  /** Checks a range (400 VALIDATION_FAILED) and cuts it into London calendar quarters. */
  period(from: string, to: string): ReportPeriod {
    return reportPeriod(from, to);
  }

  /**
   * The summary over a range. All its counts come from one snapshot of the database (one
   * transaction; REPEATABLE READ on PostgreSQL), so the breakdowns add up to the totals even
   * while meetings are being recorded, which the suppression rule relies on.
   */
  async summary(period: ReportPeriod, publication: boolean): Promise<ReportSummaryDto> {
    const now = this.clock.now();
    const facts = await this.tx.readSnapshot((m) => this.queries.collect(m, period, now));
    return buildSummary(facts, period, this.referenceData.data, { publication, generatedAt: now });
  }

  /**
   * Streams the items CSV to `out`: page by page from the database (keyset pagination), through
   * csv-stringify, with backpressure, so memory stays flat however many items there are. The
   * export is audited (who, range, rows, and whether it was sent in full) before the response ends.
   */
  async exportItems(period: ReportPeriod, user: User, out: CsvResponse): Promise<void> {
    const now = this.clock.now();
    let rows = 0;
    const records = async function* (this: ReportsService): AsyncGenerator<ItemCsvRecord> {
      for (let after: ItemCursor | null = null; ; ) {
        const cursor: ItemCursor | null = after;
        // One read per page, of committed data; nothing is held open while the client is slow to read.
        const page: ItemExportRow[] = await this.tx.read((m) => this.queries.itemPage(m, period, cursor, EXPORT_PAGE_SIZE));
        for (const row of page) {
          rows += 1;
          yield toItemCsvRecord(row, now, this.referenceData.thresholds.oldest.id);
        }
        if (page.length < EXPORT_PAGE_SIZE) return;
        const last = page[page.length - 1];
        after = { startsAt: last.starts_at, id: last.id };
      }
    };
    out.setHeader('Content-Type', 'text/csv; charset=utf-8');
    out.setHeader('Content-Disposition', `attachment; filename="items-${period.from}-to-${period.to}.csv"`);
    out.setHeader('Cache-Control', 'no-store');
    try {
      // `end: false`: the response is ended only once the export is audited, so a client that has
      // the whole file can rely on the audit log already showing it.
      await pipeline(Readable.from(records.call(this)), itemsCsvStringifier(), out, { end: false });
    } catch (err) {
      // Before the first byte the error filter can still answer; after it, only the connection can be cut.
      await this.auditExport(period, user, rows, false);
      if (!out.headersSent) throw err;
      out.destroy(err as Error);
      return;
    }
    await this.auditExport(period, user, rows, true);
    out.end();
  }

  private auditExport(period: ReportPeriod, user: User, rows: number, completed: boolean): Promise<void> {
    return this.tx.write((m) =>
      this.audit.record(m, { action: 'reports.items-exported', actorUserId: user.id, details: { from: period.from, to: period.to, rows, completed } }),
    );
  }

  /** PostgreSQL: every query of the summary sees the same committed state. SQLite: one transaction already does. */
}
