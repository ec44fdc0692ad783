import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { trim } from '../../common/input-rules';
import type { OutboxStatus } from '../outbox-message.entity';

/** GET /api/outbox: newest first, filtered, in pages (keyset: new messages never shift a page). */
export class ListOutboxQuery {
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

  /**
   * The next page: messages queued before this one (its `createdAt`, with `beforeId` its `id` to
   * break ties), i.e. the last row of the page before.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  before?: string;

  @IsOptional()
  @IsUUID()
  beforeId?: string;

  /** At most this many (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
