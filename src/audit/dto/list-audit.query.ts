import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { KeysetPageQuery } from '../../common/dto/keyset-page.query';

/** GET /api/audit: newest first, filtered, in pages (`before`, `beforeId`: the last row of the page before). */
export class ListAuditQuery extends KeysetPageQuery {
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
}
