import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';

/**
 * One carrying-forward of an item that a meeting did not reach. The booking row itself moves
 * (same id, reference and content); this keeps the history, so that the minutes of the meeting
 * it left can list it however many times it moves on.
 */
@Entity('item_deferral')
@Index('IDX_item_deferral_from', ['fromMeetingId'])
@Index('IDX_item_deferral_booking', ['bookingId'])
export class ItemDeferral extends BaseEntity {
  @ForeignKey(() => Booking, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  bookingId: string;

  @ForeignKey(() => Meeting, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  fromMeetingId: string;

  @ForeignKey(() => Meeting, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  toMeetingId: string;

  /** Where it landed: a slot, or the next meeting's waiting list when that was full. */
  @Column({ type: 'varchar', length: 20 })
  placement: 'booked' | 'waitlisted';

  @Column({ type: 'integer', nullable: true })
  slotIndex: number | null;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  deferredByUserId: string;
}
