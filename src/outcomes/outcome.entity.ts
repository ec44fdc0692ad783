import { Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Booking } from '../bookings/booking.entity';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';
import type { BookingKind, Pathway } from '../reference-data/reference-data';

export const QUALITY_ISSUES = [
  'missing-information',
  'unclear-safeguarding-concern',
  'consent-not-recorded',
  'other',
] as const;
export type QualityIssue = (typeof QUALITY_ISSUES)[number];

export const QUALITY_ISSUE_LABELS: Record<QualityIssue, string> = {
  'missing-information': 'Missing information',
  'unclear-safeguarding-concern': 'Unclear safeguarding concern',
  'consent-not-recorded': 'Consent not recorded',
  other: 'Other',
};

/**
 * What the meeting advised on one item. Structured fields (level, pathway, quality flags) are
 * kept for reporting; `advice` and `response` are case text, nullable so that the retention job
 * can erase them (setting `caseTextErasedAt`) without losing the figures.
 *
 * `version` starts at 1 and goes up on every save: a save must name the version it read, so two
 * chairs editing at once cannot silently overwrite each other (see outcome-version.ts).
 */
@Entity('item_outcome')
@Index('UQ_item_outcome_booking', ['bookingId'], { unique: true })
@Index('IDX_item_outcome_meeting', ['meetingId'])
export class Outcome extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  bookingId: string;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bookingId' })
  booking: Booking;

  /** The meeting that gave the advice. */
  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'meetingId' })
  meeting: Meeting;

  /** The item's kind when the outcome was recorded (decides which fields apply). */
  @Column({ type: 'varchar', length: 30 })
  kind: BookingKind;

  @Column({ type: 'integer', nullable: true })
  levelAdvised: number | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  pathway: Pathway | null;

  /** The threshold document version of the level and pathway (the meeting's; null: before versions were kept, the oldest). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  thresholdVersion: string | null;

  /** Case text: the advice given (threshold consultation, referral feedback). */
  @Column({ type: 'text', nullable: true })
  advice: string | null;

  /** Case text: children's social care's response to an agency's feedback. */
  @Column({ type: 'text', nullable: true })
  response: string | null;

  // --- referral quality (referral feedback only) ---
  @Column({ type: 'boolean', nullable: true })
  qualityTimely: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  qualityComplete: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  qualityAppropriate: boolean | null;

  @Column({ type: 'simple-json', nullable: true })
  qualityIssues: QualityIssue[] | null;

  /** Where a misdirected referral should have gone: a service, not a person. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  misdirectedTo: string | null;

  @Column({ type: 'integer' })
  version: number;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  recordedByUserId: string;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  updatedByUserId: string;

  /** When the presenter was told (once) that the outcome is ready. */
  @Column({ type: Date, nullable: true })
  presenterNotifiedAt: Date | null;

  /** Set by the retention job when it erased `advice` and `response`. */
  @Column({ type: Date, nullable: true })
  caseTextErasedAt: Date | null;
}
