import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';

export type MinutesStatus = 'draft' | 'approved';

/**
 * The state of one meeting's minutes. While `draft` they are composed live from the records
 * (attendance, outcomes, actions, deferrals); approval locks them, and from then on the
 * readable minutes are the snapshots in `minutes_version`. Created on first need.
 */
@Entity('minutes')
@Index('UQ_minutes_meeting', ['meetingId'], { unique: true })
export class Minutes extends BaseEntity {
  @ForeignKey(() => Meeting, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @Column({ type: 'varchar', length: 12, default: 'draft' })
  status: MinutesStatus;

  /** The chair's note on the themes of the meeting (general part). Free text: erasable. */
  @Column({ type: 'text', nullable: true })
  themesNote: string | null;

  /** The latest approved version (0 while draft). */
  @Column({ type: 'integer', default: 0 })
  currentVersion: number;

  @Column({ type: Date, nullable: true })
  approvedAt: Date | null;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  approvedByUserId: string | null;

  /** Set by the retention job (src/retention) when it replaced the themes note with the retention notice. */
  @Column({ type: Date, nullable: true })
  caseTextErasedAt: Date | null;
}
