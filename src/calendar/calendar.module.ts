import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { CalendarController } from './calendar.controller';
import { CalendarEvents } from './calendar-events';
import { CalendarFeed } from './calendar-feed.entity';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarInvites } from './calendar-invites';
import { MeetingAudience } from './meeting-audience';
import { FeedVersion } from './feed-version.entity';
import { ReminderSent } from './reminder-sent.entity';
import { RemindersService } from './reminders.service';
import { SeriesInvites } from './series-invites';

/** iCalendar for bookings and meetings: invites by e-mail, subscription feeds, reminders. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CalendarFeed, ReminderSent, FeedVersion]), DirectoryModule],
  controllers: [CalendarController],
  providers: [MeetingAudience, CalendarEvents, SeriesInvites, CalendarInvites, CalendarFeedsService, RemindersService],
  exports: [MeetingAudience, CalendarEvents, CalendarInvites, CalendarFeedsService, RemindersService],
})
export class CalendarModule {}
