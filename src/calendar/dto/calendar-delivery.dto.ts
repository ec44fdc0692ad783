import { IsIn } from 'class-validator';
import { CALENDAR_DELIVERIES, type CalendarDelivery, type InvitationsChange } from '../calendar-delivery';

export class SetCalendarDeliveryDto {
  /** `invites` (e-mailed invitations, the default), `feed` (only your calendar link) or `both`. */
  @IsIn(CALENDAR_DELIVERIES)
  calendarDelivery: CalendarDelivery;
}

/** The choice as saved, and what it did to the invitations already in the calendar. */
export class CalendarDeliveryView {
  calendarDelivery: CalendarDelivery;
  /**
   * `start`: invitations begin again, so each upcoming meeting and slot is sent as one; `stop`:
   * each invitation copy is taken out (a CANCEL for that person only); null: neither.
   */
  invitations: InvitationsChange | null;
  /** How many e-mails that queued: one per upcoming meeting and slot. */
  messages: number;
}
