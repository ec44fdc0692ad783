import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';

/**
 * A coordinator's legal hold on an item: while it is in force (not lifted) the retention job
 * keeps the item's case text, its outcome's, its actions' and its sections of the minutes. Holds
 * are never deleted: lifting one records who, when and why, so the history stays. The partial
 * unique index allows one hold in force per item (see the ReportsAndRetention migration).
 */
@Entity('legal_hold')
@Index('UQ_legal_hold_in_force', ['bookingId'], { unique: true, where: '"liftedAt" IS NULL' })
@Index('IDX_legal_hold_booking', ['bookingId'])
export class LegalHold extends BaseEntity {
  @ForeignKey(() => Booking, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  bookingId: string;

  /** Why the item must be kept (e.g. a practice review or proceedings): no identifying details. */
  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: Date })
  placedAt: Date;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  placedByUserId: string;

  @Column({ type: Date, nullable: true })
  liftedAt: Date | null;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  liftedByUserId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  liftReason: string | null;
}
