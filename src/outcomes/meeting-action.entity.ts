import { Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { BaseEntity } from '../database/base.entity';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';

export const ACTION_STATUSES = ['open', 'done', 'closed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const CLOSED_REASONS = ['circumstances-changed', 'agency-not-completed'] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

export const CLOSED_REASON_LABELS: Record<ClosedReason, string> = {
  'circumstances-changed': 'Circumstances changed',
  'agency-not-completed': 'The agency has not completed it',
};

/**
 * An action agreed at a meeting. While open it comes back on every later agenda of the same
 * series (hence `seriesId`), until it is done or closed with a reason.
 */
@Entity('meeting_action')
@Index('IDX_meeting_action_series_status', ['seriesId', 'status'])
@Index('IDX_meeting_action_meeting', ['meetingId'])
export class MeetingAction extends BaseEntity {
  /** The meeting that agreed it. */
  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'meetingId' })
  meeting: Meeting;

  @ForeignKey(() => MeetingSeries, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  seriesId: string;

  /** The item it arose from, if any: then only that item's agency (and chairs) see it in the minutes. */
  @ForeignKey(() => Booking, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  bookingId: string | null;

  /** Case text (it may describe the case): nullable so that the retention job can erase it. */
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 36 })
  ownerAgencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerAgencyId' })
  ownerAgency: Agency;

  @Column({ type: 'varchar', length: 120, nullable: true })
  ownerName: string | null;

  /** 'YYYY-MM-DD' (a date in Europe/London). */
  @Column({ type: 'varchar', length: 10 })
  dueDate: string;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: ActionStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  closedReason: ClosedReason | null;

  /** When it was marked done or closed: it still shows on the agendas of meetings held before then. */
  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  resolvedByUserId: string | null;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  createdByUserId: string;

  @Column({ type: Date, nullable: true })
  caseTextErasedAt: Date | null;
}
