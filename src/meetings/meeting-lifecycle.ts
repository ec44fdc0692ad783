import type { BookingStatus } from '../bookings/booking.entity';
import type { MeetingStatus } from './meeting.entity';

/**
 * A meeting's life as people see it: `scheduled` until it starts, then `held`, then
 * `minutes-approved` once its minutes are approved; or `cancelled`. Only `scheduled` and
 * `cancelled` are stored (meeting.status): the rest follow from the time and the minutes. Pure.
 */
export type MeetingState = 'scheduled' | 'held' | 'minutes-approved' | 'cancelled';

export function meetingState(
  meeting: { status: MeetingStatus; startsAt: Date },
  now: Date,
  minutesApproved: boolean,
): MeetingState {
  if (meeting.status === 'cancelled') return 'cancelled';
  if (minutesApproved) return 'minutes-approved';
  return now >= meeting.startsAt ? 'held' : 'scheduled';
}

/**
 * An item's life as people see it. Before its meeting starts: `booked` or `waitlisted`. Once it
 * has started, an item on the agenda is `discussed` when it has an outcome, else `not-reached`
 * (so is one still on the waiting list); carried forward, it is on the next meeting's agenda
 * again. `withdrawn` and `meeting-cancelled` as stored. Pure.
 */
export type ItemState = 'booked' | 'waitlisted' | 'discussed' | 'not-reached' | 'withdrawn' | 'meeting-cancelled';

export function itemState(
  item: { status: BookingStatus },
  meeting: { startsAt: Date },
  now: Date,
  hasOutcome: boolean,
): ItemState {
  if (item.status === 'withdrawn' || item.status === 'meeting-cancelled') return item.status;
  if (now < meeting.startsAt) return item.status;
  return item.status === 'booked' && hasOutcome ? 'discussed' : 'not-reached';
}
