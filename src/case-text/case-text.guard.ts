import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntitySubscriberInterface, InsertEvent, UpdateEvent } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { CaseTextCheck } from './case-text.check';
import { CASE_TEXT } from './case-text.registry';

const GUARDED = new Set<unknown>(CASE_TEXT.map((c) => c.entity));

/**
 * The safety net under every write: before any insert or update of an entity with case text, the
 * values being written go through the identifying-details check (when the deployment blocks). The
 * services check first, so that a refusal names the field of the request; this catches the write
 * path that forgot, and refuses it the same way (422 IDENTIFYING_DETAILS, nothing stored: the
 * transaction rolls back).
 */
@Injectable()
export class CaseTextGuard implements EntitySubscriberInterface, OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly check: CaseTextCheck,
  ) {}

  onModuleInit(): void {
    this.tx.registerSubscriber(this);
  }

  beforeInsert(event: InsertEvent<object>): void {
    this.inspect(event.metadata.target, event.entity);
  }

  beforeUpdate(event: UpdateEvent<object>): void {
    this.inspect(event.metadata.target, event.entity);
  }

  private inspect(target: unknown, values: unknown): void {
    if (this.config.IDENTIFYING_DETAILS_GUARD !== 'block' || !GUARDED.has(target) || !values) return;
    this.check.check(target as abstract new () => object, values);
  }
}
