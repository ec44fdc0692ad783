import { Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';
import type { AgeBand, BookingKind } from '../reference-data/reference-data';
import type { ItemState } from '../meetings/meeting-lifecycle';

/**
 * - booked: holds a slot (the partial unique index allows one booked item per slot);
 * - waitlisted: waits, oldest first, for a slot to free;
 * - withdrawn: the presenter (or a coordinator) took it off the agenda;
 * - meeting-cancelled: its meeting was cancelled; it can be rebooked into another meeting.
 */
export type BookingStatus = 'booked' | 'waitlisted' | 'withdrawn' | 'meeting-cancelled';
export const ACTIVE_STATUSES: BookingStatus[] = ['booked', 'waitlisted'];

/** An agenda item: what a professional brings to a meeting. Free text is anonymised case text. */
@Entity('booking')
// One booked item per slot (a partial unique index; see the MeetingsAndBookings migration).
@Index('UQ_booking_booked_slot', ['meetingId', 'slotIndex'], { unique: true, where: "status = 'booked'" })
@Index('IDX_booking_meeting_status', ['meetingId', 'status'])
@Index('IDX_booking_presenter', ['presenterUserId'])
@Unique('UQ_booking_reference', ['reference'])
export class Booking extends BaseEntity {
  /** Human-readable, e.g. TRM-2027-0042. */
  @Column({ type: 'varchar', length: 20 })
  reference: string;

  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'meetingId' })
  meeting: Meeting;

  @Column({ type: 'varchar', length: 36 })
  presenterUserId: string;

  // NO ACTION, not RESTRICT: as the MeetingsAndBookings migration made it (either refuses the delete).
  @ManyToOne(() => User, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'presenterUserId' })
  presenter: User;

  /** The presenter's agency when the item was booked: the item stays that agency's. */
  @Column({ type: 'varchar', length: 36 })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agencyId' })
  agency: Agency;

  @Column({ type: 'varchar', length: 30 })
  kind: BookingKind;

  @Column({ type: 'varchar', length: 20 })
  status: BookingStatus;

  @Column({ type: 'integer', nullable: true })
  slotIndex: number | null;

  /** Waiting-list order. */
  @Column({ type: Date, nullable: true })
  waitlistedAt: Date | null;

  // --- the submission (anonymised) ---
  @Column({ type: 'varchar', length: 60, nullable: true })
  agencyReference: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  ageBand: AgeBand | null;

  @Column({ type: 'simple-json' })
  concernCategories: string[];

  @Column({ type: 'integer', nullable: true })
  levelConsidered: number | null;

  /** The threshold document version `levelConsidered` was chosen from (null: before versions were kept, the oldest). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  thresholdVersion: string | null;

  @Column({ type: 'text', nullable: true })
  question: string | null;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  mashReference: string | null;

  /** 'YYYY-MM-DD'. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  referralDate: string | null;

  // --- history ---
  @Column({ type: Date, nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  withdrawnByUserId: string | null;

  /** The earlier item of the same agency that this one follows up (by id: never child details). */
  @Index('IDX_booking_follows')
  @Column({ type: 'varchar', length: 36, nullable: true })
  followsBookingId: string | null;

  /** Who booked it: the presenter, a colleague of their agency, or a coordinator (null: before this was kept). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  bookedByUserId: string | null;

  @Column({ type: Date, nullable: true })
  promotedAt: Date | null;

  /** iCalendar SEQUENCE of the presenter's slot entry. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  // --- carried forward (see src/outcomes/deferral.service.ts; the full history is in item_deferral) ---
  /** The meeting that last did not reach the item and carried it forward to this one. */
  @ForeignKey(() => Meeting, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  deferredFromMeetingId: string | null;

  /** How many times the item has been carried forward (for the reports). */
  @Column({ type: 'integer', default: 0 })
  deferrals: number;

  /**
   * Set by the retention job (src/retention) when it replaced the question, summary and agency
   * reference with the retention notice; the structured fields stay for the reports.
   */
  @Column({ type: Date, nullable: true })
  caseTextErasedAt: Date | null;

  /** Not stored: where the item stands now (see meeting-lifecycle.ts), when the service has worked it out. */
  state?: ItemState;
}
