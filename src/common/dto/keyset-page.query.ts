import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Keyset paging for lists newest first (the audit log, the outbox): the next page is the rows
 * older than the last row of the page before, so rows added meanwhile never shift a page.
 */
export class KeysetPageQuery {
  /** The next page: rows older than this instant (the last row's time, as ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  before?: string;

  /** With `before`: the last row's `id`, to break ties between rows of the same instant. */
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

/** Orders newest first by `time` then id, from after the page's key, and takes one page. */
export function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  time: string,
  page: KeysetPageQuery,
): SelectQueryBuilder<T> {
  qb.orderBy(`${alias}.${time}`, 'DESC').addOrderBy(`${alias}.id`, 'DESC');
  if (page.before && page.beforeId)
    qb.andWhere(`(${alias}.${time} < :before OR (${alias}.${time} = :before AND ${alias}.id < :beforeId))`, {
      before: new Date(page.before),
      beforeId: page.beforeId,
    });
  else if (page.before) qb.andWhere(`${alias}.${time} < :before`, { before: new Date(page.before) });
  return qb.take(page.limit ?? 100);
}
