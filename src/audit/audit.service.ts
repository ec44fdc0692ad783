import { keysetPage } from '../common/dto/keyset-page.query';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../common/clock';
import { currentRequestContext } from '../common/request-context';
import { TransactionRunner } from '../database/transaction-runner';
import { AuditEvent } from './audit-event.entity';
import { ListAuditQuery } from './dto/list-audit.query';

export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string;
  /** Identifiers, codes and counts only: never secrets, tokens or case text. */
  details?: Record<string, unknown>;
  /** Defaults to the signed-in user of the current request. */
  actorUserId?: string | null;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Appends to the audit log inside the caller's transaction, so the record and the change commit together. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const context = currentRequestContext();
    const event = manager.create(AuditEvent, {
      at: this.clock.now(),
      actorUserId: entry.actorUserId !== undefined ? entry.actorUserId : (context?.userId ?? null),
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId ?? null,
      ip: context?.ip ?? null,
      details: entry.details ?? null,
    });
    // `insert`, not `save`: one statement, no read-before-write. (The cast: TypeORM's deep-partial
    // type cannot see through a free-form JSON column.)
    await manager.insert(AuditEvent, event as QueryDeepPartialEntity<AuditEvent>);
  }

  /** Newest first, filtered, in pages: `before` is the `at` of the last row of the previous page. */
  async list(query: ListAuditQuery): Promise<AuditEvent[]> {
    return this.tx.read((manager) => this.listWith(manager, query));
  }

  private listWith(manager: EntityManager, query: ListAuditQuery): Promise<AuditEvent[]> {
    const qb = manager.createQueryBuilder(AuditEvent, 'e');
    // A literal, case-sensitive prefix on both databases: LIKE would treat `_` and `%` as
    // wildcards, and ignores case on SQLite but not on PostgreSQL.
    if (query.action) {
      qb.andWhere('SUBSTR(e.action, 1, :actionLength) = :action', {
        action: query.action,
        actionLength: query.action.length,
      });
    }
    if (query.actorUserId) qb.andWhere('e.actorUserId = :actor', { actor: query.actorUserId });
    if (query.entityType) qb.andWhere('e.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entityId = :entityId', { entityId: query.entityId });
    if (query.from) qb.andWhere('e.at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('e.at < :to', { to: new Date(query.to) });
    return keysetPage(qb, 'e', 'at', query).getMany();
  }
}
