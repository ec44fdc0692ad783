import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { Meeting } from '../meetings/meeting.entity';
import { BaseEntity } from '../database/base.entity';
import type { AskedPathway } from './next-step-rules';

/**
 * What happened after the meeting's advice on one item (issue 17, part 2): the presenter was
 * asked, perhaps reminded, and answered, or "no answer" was recorded. Structured fields only: no
 * free text, so nothing here is case text, and nothing identifies the child; the figures keep it.
 * One row per item (unique on bookingId): asking twice loses to the index.
 */
@Entity('item_next_step')
@Index('UQ_item_next_step_booking', ['bookingId'], { unique: true })
@Index('IDX_item_next_step_open', ['answeredAt', 'noAnswerAt'])
export class NextStep extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  bookingId: string;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bookingId' })
  booking: Booking;

  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'meetingId' })
  meeting: Meeting;

  /** The item's agency, for the figures by agency. */
  @Column({ type: 'varchar', length: 36 })
  agencyId: string;

  /** Who was asked: the item's presenter. */
  @Column({ type: 'varchar', length: 36 })
  presenterUserId: string;

  /** The advice asked about (the outcome's pathway when the question went out). */
  @Column({ type: 'varchar', length: 30 })
  pathway: AskedPathway;

  @Column({ type: Date })
  askedAt: Date;

  @Column({ type: Date, nullable: true })
  remindedAt: Date | null;

  /** When "no answer" was recorded (one reminder and the same time again without an answer). */
  @Column({ type: Date, nullable: true })
  noAnswerAt: Date | null;

  @Column({ type: Date, nullable: true })
  answeredAt: Date | null;

  @Column({ type: 'boolean', nullable: true })
  referralMade: boolean | null;

  /** 'YYYY-MM-DD' (London) the referral or request was made. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  madeOn: string | null;

  @Column({ type: 'boolean', nullable: true })
  heardBack: boolean | null;

  /** 'YYYY-MM-DD' (London) the MASH or service answered. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  heardBackOn: string | null;

  /** Working days from madeOn to heardBackOn. */
  @Column({ type: 'integer', nullable: true })
  responseWorkingDays: number | null;

  /** Whether that was within the expected time for the pathway, as configured when answered. */
  @Column({ type: 'boolean', nullable: true })
  respondedInTime: boolean | null;

  /** Goes up on every answer: an answer names the version it read. */
  @Column({ type: 'integer', default: 1 })
  version: number;
}
