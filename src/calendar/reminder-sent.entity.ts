import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export type ReminderKind = 'presenter' | 'chair-agenda';

/**
 * One row per reminder sent. The unique (kind, subjectId) index is what makes a reminder go out
 * exactly once, however often the job runs and however many app instances run it: the row and
 * the outbox message commit together, and a second attempt loses to the index.
 */
@Entity('reminder_sent')
@Index('UQ_reminder_sent_kind_subject', ['kind', 'subjectId'], { unique: true })
export class ReminderSent extends BaseEntity {
  @Column({ type: 'varchar', length: 20 })
  kind: ReminderKind;

  /** The booking (presenter reminder) or meeting (chair's agenda). */
  @Column({ type: 'varchar', length: 36 })
  subjectId: string;
}
