import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingsModule } from '../bookings/bookings.module';
import { MeetingGenerator } from './meeting-generator';
import { MeetingScheduleJob } from './meeting-schedule.job';
import { MeetingSeries } from './meeting-series.entity';
import { Meeting } from './meeting.entity';
import { SeriesCoreMember } from './series-core-member.entity';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [TypeOrmModule.forFeature([MeetingSeries, Meeting, SeriesCoreMember]), BookingsModule],
  controllers: [MeetingsController],
  providers: [MeetingsService, MeetingGenerator, MeetingScheduleJob],
  exports: [MeetingsService],
})
export class MeetingsModule {}
