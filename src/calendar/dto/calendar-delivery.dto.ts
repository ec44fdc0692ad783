import { IsIn } from 'class-validator';
import { CALENDAR_DELIVERIES, type CalendarDelivery } from '../calendar-delivery';

export class SetCalendarDeliveryDto {
  /** `invites` (e-mailed invitations, the default), `feed` (only your calendar link) or `both`. */
  @IsIn(CALENDAR_DELIVERIES)
  calendarDelivery: CalendarDelivery;
}
