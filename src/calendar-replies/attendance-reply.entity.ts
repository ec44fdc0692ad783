import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Meeting } from '../meetings/meeting.entity';
import type { ReplyAnswer } from './reply-reader';

/**
 * What a chair or core member said to a meeting's invitation (their calendar's Accept, Decline or
 * Tentative): their expected attendance, shown to the chair and the coordinator. One row per
 * (meeting, address), unique: a later reply (by its DTSTAMP) replaces an earlier one, an earlier
 * one arriving late changes nothing.
 */
@Entity('attendance_reply')
@Index('UQ_attendance_reply_meeting_email', ['meetingId', 'email'], { unique: true })
export class AttendanceReply extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meetingId' })
  meeting?: Meeting;

  /** The attendee's address, lower-case. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 10 })
  answer: ReplyAnswer;

  /** The reply's DTSTAMP: when they answered, by their calendar. */
  @Column({ type: Date })
  answeredAt: Date;
}
