import { User } from '../directory/user.entity';
import { Booking } from './booking.entity';

/** Withdrawing and rebooking: the presenter or a coordinator. */
export function canWithdrawBooking(user: User, booking: Booking): boolean {
  return booking.presenterUserId === user.id || user.hasRole('coordinator');
}

/**
 * Who may be made an item's presenter by whom: oneself; an active colleague of one's own agency;
 * anyone active with an agency, for a coordinator. The API and the booking pages both ask this.
 */
export function mayBookFor(booker: User, presenter: User): boolean {
  if (presenter.id === booker.id) return true;
  if (!presenter.active || presenter.agencyId === null) return false;
  if (booker.hasRole('coordinator')) return true;
  return booker.agencyId !== null && presenter.agencyId === booker.agencyId;
}
