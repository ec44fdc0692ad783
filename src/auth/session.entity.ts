import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';

/** A signed-in session. The bearer token is opaque; only its hash is stored. */
@Entity('session')
export class Session extends BaseEntity {
  @Index('UQ_session_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Index('IDX_session_user')
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: User;

  /** Absolute expiry: the session ends then however active it is. */
  @Column({ type: Date })
  expiresAt: Date;

  /** Idle expiry is counted from here. */
  @Column({ type: Date })
  lastSeenAt: Date;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  /** The OpenID Connect provider it was signed in with (null: the e-mail link). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  ssoProvider: string | null;
}
