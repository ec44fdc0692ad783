import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module';
import { SingleSignOnModule } from './single-sign-on/single-sign-on.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { DemoStory } from './first-run/demo-story';
import { FirstRunService } from './first-run/first-run.service';
import { HealthController } from './health/health.controller';
import { MailModule } from './mail/mail.module';
import { BookingsModule } from './bookings/bookings.module';
import { CalendarModule } from './calendar/calendar.module';
import { CalendarRepliesModule } from './calendar-replies/calendar-replies.module';
import { IdentifyingDetailsModule } from './identifying-details/identifying-details.module';
import { MeetingsModule } from './meetings/meetings.module';
import { MinutesModule } from './minutes/minutes.module';
import { NeedToKnowModule } from './need-to-know/need-to-know.module';
import { CaseTextModule } from './case-text/case-text.module';
import { OutcomesModule } from './outcomes/outcomes.module';
import { NextStepsModule } from './next-steps/next-steps.module';
import { ReferenceDataModule } from './reference-data/reference-data.module';
import { ReportsModule } from './reports/reports.module';
import { RetentionModule } from './retention/retention.module';
import { ObservabilityModule } from './observability/observability.module';
import { WebModule } from './web/web.module';
import { ReportsPagesModule } from './web/reports/reports-pages.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    CommonModule,
    DatabaseModule,
    ScheduleModule.forRoot(),
    AuditModule,
    MailModule,
    DirectoryModule,
    AuthModule,
    SingleSignOnModule,
    ReferenceDataModule,
    IdentifyingDetailsModule,
    NeedToKnowModule,
    CaseTextModule,
    CalendarModule,
    CalendarRepliesModule,
    BookingsModule,
    MeetingsModule,
    OutcomesModule,
    NextStepsModule,
    MinutesModule,
    ReportsModule,
    RetentionModule,
    WebModule,
    ReportsPagesModule,
  ],
  controllers: [HealthController],
  providers: [FirstRunService, DemoStory],
})
export class AppModule {}
