import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';

/** A user's secret subscription URL. One per user; only the token's hash is stored. */
@Entity('calendar_feed')
export class CalendarFeed extends BaseEntity {
  @Index('UQ_calendar_feed_user', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: User;

  @Index('UQ_calendar_feed_token', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;
}
