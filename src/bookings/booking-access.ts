import { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { Booking } from './booking.entity';

/** An item's case text: its presenter, the chair of its meeting, coordinators. */
export function canReadBooking(user: User, booking: Booking, meeting: Pick<Meeting, 'chairUserId'>): boolean {
  return booking.presenterUserId === user.id || chairsMeeting(user, meeting);
}

/** Withdrawing and rebooking: the presenter or a coordinator. */
export function canWithdrawBooking(user: User, booking: Booking): boolean {
  return booking.presenterUserId === user.id || user.hasRole('coordinator');
}
