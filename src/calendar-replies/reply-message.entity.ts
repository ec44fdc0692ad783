import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

/**
 * One row per message read from the replies mailbox, unique on its key (the Message-ID, or a hash
 * of the message without one): a message read twice (a retry, a second app instance, a flag that
 * did not stick) is acted on once. `outcome` is a code, never anything from the message.
 */
@Entity('calendar_reply_message')
@Index('UQ_calendar_reply_message_key', ['messageKey'], { unique: true })
export class ReplyMessage extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  messageKey: string;

  @Column({ type: 'varchar', length: 40 })
  outcome: string;
}
