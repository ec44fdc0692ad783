import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';
import { deriveSlots, SlotTimes } from '../scheduling/calendar-rules';
import { MeetingSeries } from './meeting-series.entity';

export type MeetingStatus = 'scheduled' | 'cancelled';

/**
 * One meeting of a series. `occurrenceDate` is the date the rhythm gave it (before any move for
 * a bank holiday or a reschedule): with the series it is unique, so generating the schedule
 * again can never create a second copy.
 */
@Entity('meeting')
@Index('UQ_meeting_series_occurrence', ['seriesId', 'occurrenceDate'], { unique: true })
@Index('IDX_meeting_starts', ['startsAt'])
export class Meeting extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  seriesId: string;

  @ManyToOne(() => MeetingSeries, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'seriesId' })
  series: MeetingSeries;

  @Column({ type: 'varchar', length: 10 })
  occurrenceDate: string;

  @Column({ type: 'varchar', length: 160 })
  title: string;

  @Column({ type: Date })
  startsAt: Date;

  @Column({ type: Date })
  endsAt: Date;

  /** Copied from the series when generated, so later changes to the series leave booked slots alone. */
  @Column({ type: 'integer' })
  slotMinutes: number;

  @Column({ type: Date })
  bookingClosesAt: Date;

  @Column({ type: 'varchar', length: 12, default: 'scheduled' })
  status: MeetingStatus;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  onlineUrl: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  chairUserId: string | null;

  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'chairUserId' })
  chair: User | null;

  /** True when a bank holiday moved the meeting off its usual day. */
  @Column({ type: 'boolean', default: false })
  movedForBankHoliday: boolean;

  @Column({ type: Date, nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  cancelledByUserId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;

  /** When the meeting last moved to another time: a calendar reply made before then was for the old time. */
  @Column({ type: Date, nullable: true })
  movedAt: Date | null;

  /** iCalendar SEQUENCE of the whole-meeting entry: goes up on every change of time, place or status. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  get slots(): SlotTimes[] {
    return deriveSlots(
      this.startsAt,
      Math.round((this.endsAt.getTime() - this.startsAt.getTime()) / 60_000),
      this.slotMinutes,
    );
  }
}
