import { User } from '../directory/user.entity';
import { Booking } from './booking.entity';

/** Withdrawing and rebooking: the presenter or a coordinator. */
export function canWithdrawBooking(user: User, booking: Booking): boolean {
  return booking.presenterUserId === user.id || user.hasRole('coordinator');
}
