import { Module } from '@nestjs/common';
import { ReportsModule } from '../../reports/reports.module';
import { ReportsPagesController } from './reports-pages.controller';

/** The reports pages: registered on their own, beside the WebModule, over the reports' service. */
@Module({
  imports: [ReportsModule],
  controllers: [ReportsPagesController],
})
export class ReportsPagesModule {}
