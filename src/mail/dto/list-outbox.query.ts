import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { KeysetPageQuery } from '../../common/dto/keyset-page.query';
import { trim } from '../../common/input-rules';
import type { OutboxStatus } from '../outbox-message.entity';

/** GET /api/outbox: newest first, filtered, in pages (keyset: new messages never shift a page). */
export class ListOutboxQuery extends KeysetPageQuery {
  /** `queued`, `sending`, `sent` or `failed`. */
  @IsOptional()
  @IsIn(['queued', 'sending', 'sent', 'failed'])
  status?: OutboxStatus;

  /** Only the messages to this address (any case). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  recipient?: string;
}
