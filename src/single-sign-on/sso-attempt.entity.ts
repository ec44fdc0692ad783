import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

/**
 * One sign-in begun at a provider: what the callback must check (the state, kept as a hash, with
 * the browser holding the state itself in a cookie; the nonce; the PKCE verifier). Spent once, by
 * an atomic update, so a replayed callback fails on every instance; swept when expired.
 */
@Entity('sso_attempt')
export class SsoAttempt extends BaseEntity {
  @Index('UQ_sso_attempt_state', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  stateHash: string;

  @Column({ type: 'varchar', length: 32 })
  provider: string;

  @Column({ type: 'varchar', length: 64 })
  nonce: string;

  @Column({ type: 'varchar', length: 128 })
  codeVerifier: string;

  @Index('IDX_sso_attempt_expires')
  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;
}
