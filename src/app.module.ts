import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { FirstRunService } from './first-run/first-run.service';
import { HealthController } from './health/health.controller';
import { MailModule } from './mail/mail.module';
import { BookingsModule } from './bookings/bookings.module';
import { IdentifyingDetailsModule } from './identifying-details/identifying-details.module';
import { MeetingsModule } from './meetings/meetings.module';
import { ReferenceDataModule } from './reference-data/reference-data.module';

@Module({
  imports: [
    ConfigModule,
    CommonModule,
    DatabaseModule,
    ScheduleModule.forRoot(),
    AuditModule,
    MailModule,
    DirectoryModule,
    AuthModule,
    ReferenceDataModule,
    IdentifyingDetailsModule,
    BookingsModule,
    MeetingsModule,
  ],
  controllers: [HealthController],
  providers: [FirstRunService],
})
export class AppModule {}
