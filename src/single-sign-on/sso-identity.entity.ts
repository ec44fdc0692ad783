import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';

/**
 * A user's account at one OpenID Connect provider, by the provider's stable subject id: once bound,
 * the user is found by it, so a later change of e-mail address at the provider does not make a
 * second account. One per user and provider.
 */
@Entity('sso_identity')
@Index('UQ_sso_identity_subject', ['provider', 'subject'], { unique: true })
@Index('UQ_sso_identity_user', ['provider', 'userId'], { unique: true })
export class SsoIdentity extends BaseEntity {
  @Column({ type: 'varchar', length: 32 })
  provider: string;

  @Column({ type: 'varchar', length: 255 })
  subject: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user: User;

  @Column({ type: Date })
  lastSignedInAt: Date;
}
