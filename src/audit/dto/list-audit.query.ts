import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class ListAuditQuery {
  /** An action or the start of one, e.g. `auth.` or `user.updated`. */
  @IsOptional()
  @IsString()
  @MaxLength(80)
  action?: string;

  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  entityType?: string;

  @IsOptional()
  @IsUUID()
  entityId?: string;

  /** ISO 8601 instant, inclusive. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** ISO 8601 instant, exclusive. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  /**
   * The next page: events older than this one (its `at`, with `beforeId` its `id` to break ties),
   * i.e. the last row of the page before. Keyset paging, so new events never shift a page.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  before?: string;

  @IsOptional()
  @IsUUID()
  beforeId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
