import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';

/**
 * The first answer to a request sent with an `Idempotency-Key`, kept so that a retry (or a
 * parallel duplicate) gets the same answer instead of a second booking. Holds no case text:
 * only a hash of the request and the response (ids, reference, times).
 */
@Entity('idempotency_record')
@Index('UQ_idempotency_user_key', ['userId', 'key'], { unique: true })
export class IdempotencyRecord extends BaseEntity {
  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'varchar', length: 64 })
  requestHash: string;

  @Column({ type: 'integer' })
  responseStatus: number;

  @Column({ type: 'simple-json' })
  responseBody: Record<string, unknown>;
}
