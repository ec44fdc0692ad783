import { Column, Entity, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Agency } from './agency.entity';

export const ROLES = ['professional', 'chair', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

@Entity('app_user')
@Unique('UQ_app_user_email', ['email'])
export class User extends BaseEntity {
  /** Stored trimmed and in lower case; the unique index makes addresses unique regardless of case. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  agencyId: string | null;

  @ManyToOne(() => Agency, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agencyId' })
  agency: Agency | null;

  @Column({ type: 'simple-json' })
  roles: Role[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  hasRole(...roles: Role[]): boolean {
    return roles.some((r) => this.roles.includes(r));
  }
}
