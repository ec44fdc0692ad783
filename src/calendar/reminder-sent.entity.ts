import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export type ReminderKind = 'presenter' | 'chair-agenda';

/**
 * One row per reminder sent. The unique index on (kind, subject, start, recipient) is what makes
 * a reminder go out exactly once per date and person, however often the job runs and however
 * many app instances run it: the row and the outbox message commit together, and a second
 * attempt loses to the index. An item or meeting that moves to a new start, or a new chair, is a
 * new key, so that date gets its own reminder.
 */
@Entity('reminder_sent')
@Index('UQ_reminder_sent_once', ['kind', 'subjectId', 'startsAt', 'recipient'], { unique: true })
export class ReminderSent extends BaseEntity {
  @Column({ type: 'varchar', length: 20 })
  kind: ReminderKind;

  /** The booking (presenter reminder) or meeting (chair's agenda). */
  @Column({ type: 'varchar', length: 36 })
  subjectId: string;

  /** The start the reminder was for: the item's slot, or the meeting. */
  @Column({ type: Date })
  startsAt: Date;

  /** Lower-case address it went to. */
  @Column({ type: 'varchar', length: 254 })
  recipient: string;
}
