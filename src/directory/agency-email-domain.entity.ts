import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agency } from './agency.entity';

/** A work e-mail domain that lets its holders register as professionals of one agency. */
@Entity('agency_email_domain')
@Index('IDX_agency_email_domain_agency', ['agencyId'])
export class AgencyEmailDomain {
  /** Lower case; unique across agencies, so a domain can never mean two agencies. */
  @PrimaryColumn({ type: 'varchar', length: 253 })
  domain: string;

  @Column({ type: 'varchar', length: 36 })
  agencyId: string;

  @ManyToOne(() => Agency, (a) => a.emailDomains, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agencyId' })
  agency: Agency;
}
