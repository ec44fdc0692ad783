import { Column, Entity, OneToMany, Unique } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { AgencyEmailDomain } from './agency-email-domain.entity';

export const SECTORS = [
  'health',
  'education',
  'police',
  'childrens-social-care',
  'early-help',
  'voluntary',
  'probation',
  'housing',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

@Entity('agency')
@Unique('UQ_agency_name', ['name'])
export class Agency extends BaseEntity {
  @Column({ type: 'varchar', length: 160 })
  name: string;

  @Column({ type: 'varchar', length: 40 })
  sector: Sector;

  /** A deactivated agency takes no new registrations and is not offered for new users or attendance. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @OneToMany(() => AgencyEmailDomain, (d) => d.agency, { cascade: ['insert'] })
  emailDomains: AgencyEmailDomain[];
}
