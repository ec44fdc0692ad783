import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttendanceReply } from './attendance-reply.entity';
import { CalendarRepliesService } from './calendar-replies.service';
import { ExpectedAttendance, ExpectedAttendanceController } from './expected-attendance';
import { RepliesMailbox } from './replies-mailbox';
import { ReplyMessage } from './reply-message.entity';

/** Calendar replies (iMIP) read from the replies mailbox, and who is expected at each meeting. */
@Module({
  imports: [TypeOrmModule.forFeature([AttendanceReply, ReplyMessage])],
  controllers: [ExpectedAttendanceController],
  providers: [CalendarRepliesService, RepliesMailbox, ExpectedAttendance],
  exports: [CalendarRepliesService, RepliesMailbox, ExpectedAttendance],
})
export class CalendarRepliesModule {}
