import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface CalendarPart {
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  content: string;
  /** The attachment's name for what it is: invite.ics, update.ics or cancellation.ics. */
  filename?: string;
}

/**
 * One e-mail, written in the same transaction as the change that caused it and delivered by
 * the outbox worker. `messageId` is fixed when the row is written, so a resend after an
 * ambiguous failure carries the same Message-ID and can be recognised as the same message.
 */
@Entity('outbox_message')
@Unique('UQ_outbox_message_id', ['messageId'])
@Index('IDX_outbox_due', ['status', 'nextAttemptAt'])
@Index('IDX_outbox_subject', ['subjectType', 'subjectId'])
@Index('IDX_outbox_priority', ['status', 'priority', 'createdAt'])
export class OutboxMessage extends BaseEntity {
  @Column({ type: 'varchar', length: 300 })
  messageId: string;

  /** What the message is about, for people reading the outbox: e.g. `sign-in-link`, `booking-confirmed`. */
  @Column({ type: 'varchar', length: 60 })
  kind: string;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 250 })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'simple-json', nullable: true })
  calendar: CalendarPart | null;

  /** The body holds a secret (a sign-in link): it is blanked once the message has left. */
  @Column({ type: 'boolean', default: false })
  containsSecret: boolean;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status: OutboxStatus;

  /** Lower goes first: 0 for sign-in links, which someone is waiting for; 1 for everything else. */
  @Column({ type: 'integer', default: 1 })
  priority: number;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: Date })
  nextAttemptAt: Date;

  /** While `sending`, the worker that claimed the row owns it until then. */
  @Column({ type: Date, nullable: true })
  leaseUntil: Date | null;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** What the message concerns (e.g. a booking's id), for the record of who was sent what. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  subjectType: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  subjectId: string | null;
}
