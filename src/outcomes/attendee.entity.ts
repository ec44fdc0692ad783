import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Agency } from '../directory/agency.entity';
import { Meeting } from '../meetings/meeting.entity';

export const ATTENDANCE_STATUSES = ['present', 'apologies', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/**
 * One line of a meeting's attendance register. The register is replaced as a whole by
 * `PUT /api/meetings/:id/attendance`; `position` keeps the chair's order.
 */
@Entity('meeting_attendee')
@Index('UQ_meeting_attendee_position', ['meetingId', 'position'], { unique: true })
export class Attendee extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meetingId' })
  meeting: Meeting;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** The person's account, when they have one (matched by address, or chosen on the register). */
  @Index('IDX_meeting_attendee_user')
  @Column({ type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  /** Used only to send the approved minutes' link; never printed in the minutes. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 36 })
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agencyId' })
  agency: Agency;

  @Column({ type: 'varchar', length: 120, nullable: true })
  role: string | null;

  @Column({ type: 'varchar', length: 12 })
  status: AttendanceStatus;

  /** The items this person attended for (presenters often join for their own item only); empty: the whole meeting. */
  @Column({ type: 'simple-json' })
  bookingIds: string[];

  /** When the person accepted the confidentiality statement; null if they have not. */
  @Column({ type: Date, nullable: true })
  confidentialityAcceptedAt: Date | null;

  /** SHA-256 of the statement they accepted, so a later change of wording is visible. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  confidentialityStatementHash: string | null;
}
