import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingsModule } from '../bookings/bookings.module';
import { Minutes } from '../minutes/minutes.entity';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { AttendanceController } from './attendance.controller';
import { AttendanceService } from './attendance.service';
import { Attendee } from './attendee.entity';
import { DeferralService } from './deferral.service';
import { ItemDeferral } from './item-deferral.entity';
import { MeetingAction } from './meeting-action.entity';
import { OutcomeNotifier } from './outcome-notifier';
import { Outcome } from './outcome.entity';
import { OutcomesController } from './outcomes.controller';
import { OutcomesService } from './outcomes.service';

/** What the chair records at and after a meeting: attendance, outcomes, actions, deferrals. */
@Module({
  // Minutes is read here only to refuse changes once the minutes are approved (minutes-lock.ts).
  imports: [TypeOrmModule.forFeature([Attendee, Outcome, MeetingAction, ItemDeferral, Minutes]), BookingsModule],
  controllers: [AttendanceController, OutcomesController, ActionsController],
  providers: [AttendanceService, OutcomesService, OutcomeNotifier, ActionsService, DeferralService],
  exports: [AttendanceService, OutcomesService, ActionsService, DeferralService],
})
export class OutcomesModule {}
