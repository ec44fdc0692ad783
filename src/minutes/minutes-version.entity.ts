import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';
import { Meeting } from '../meetings/meeting.entity';
import type { MinutesContent } from './minutes-content';

export type MinutesVersionKind = 'approval' | 'amendment';

/**
 * An approved state of the minutes, never overwritten: version 1 is the approval, each
 * amendment adds the next. `content` is the whole, unfiltered minutes; each reader sees it
 * through the visibility filter. Case text inside it sits only under `caseText` keys, so the
 * retention job can erase it in place (see scrubCaseText in minutes-content.ts).
 */
@Entity('minutes_version')
@Index('UQ_minutes_version_number', ['meetingId', 'version'], { unique: true })
export class MinutesVersion extends BaseEntity {
  @ForeignKey(() => Meeting, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  meetingId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 12 })
  kind: MinutesVersionKind;

  /** Why an amendment was made (shown to chairs and coordinators). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'simple-json' })
  content: MinutesContent;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  createdByUserId: string;

  @Column({ type: Date, nullable: true })
  caseTextErasedAt: Date | null;
}
