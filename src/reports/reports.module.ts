import { Module } from '@nestjs/common';
import { ReportQueries } from './report-queries';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** The partnership's figures (JSON summary, CSV export) and the charts drawn from them. Reads only. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsService, ReportQueries],
  exports: [ReportsService],
})
export class ReportsModule {}
