import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Booking } from '../bookings/booking.entity';
import { CommonModule } from '../common/common.module';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { AgencyEmailDomain } from '../directory/agency-email-domain.entity';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import { Meeting } from '../meetings/meeting.entity';
import { MinutesVersion } from '../minutes/minutes-version.entity';
import { Minutes } from '../minutes/minutes.entity';
import { MeetingAction } from '../outcomes/meeting-action.entity';
import { Outcome } from '../outcomes/outcome.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { LegalHold } from './legal-hold.entity';
import { RetentionService } from './retention.service';

/**
 * Just what the retention command needs: configuration, the database and the audit log. Not the
 * AppModule: a one-off command must not start the mail worker, the scheduled jobs or the first-run
 * seeding. The entities listed are the ones the job reads and those their relations point to.
 */
@Module({
  imports: [
    ConfigModule,
    CommonModule,
    DatabaseModule,
    AuditModule,
    TypeOrmModule.forFeature([
      Booking,
      Meeting,
      MeetingSeries,
      User,
      Agency,
      AgencyEmailDomain,
      Outcome,
      Attendee,
      MeetingAction,
      Minutes,
      MinutesVersion,
      LegalHold,
    ]),
  ],
  providers: [RetentionService],
})
export class RetentionCliModule {}
