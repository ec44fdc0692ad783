import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MeetingSeries } from './meeting-series.entity';

/** Someone who attends every meeting of a series (besides the chair) and gets the whole meeting in their calendar. */
@Entity('series_core_member')
@Index('IDX_series_core_member_email', ['email'])
export class SeriesCoreMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  seriesId: string;

  /** Lower case. Core members need not have an account: invites go by e-mail. */
  @PrimaryColumn({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  name: string | null;

  @ManyToOne(() => MeetingSeries, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'seriesId' })
  series: MeetingSeries;
}
