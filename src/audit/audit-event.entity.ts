import { randomUUID } from 'node:crypto';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One append-only line of the audit log. Holds who did what to which record, never secrets,
 * tokens or case text (details carry only identifiers, codes and counts). The database refuses
 * updates and deletes (triggers in the migration).
 */
@Entity('audit_event')
@Index('IDX_audit_event_at', ['at'])
@Index('IDX_audit_event_entity', ['entityType', 'entityId'])
export class AuditEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = randomUUID();

  @CreateDateColumn()
  at: Date;

  @Column({ type: 'varchar', length: 36, nullable: true })
  actorUserId: string | null;

  @Column({ type: 'varchar', length: 80 })
  action: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  entityType: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  entityId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'simple-json', nullable: true })
  details: Record<string, unknown> | null;
}
