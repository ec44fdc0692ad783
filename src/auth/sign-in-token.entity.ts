import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

/** A single-use sign-in link. Only the token's hash is stored. */
@Entity('sign_in_token')
export class SignInToken extends BaseEntity {
  @Index('UQ_sign_in_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  /** The address the link was sent to (the user may not exist yet: first sign-in). */
  @Index('IDX_sign_in_token_email')
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;
}
