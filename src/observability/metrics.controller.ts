import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { In } from 'typeorm';
import type { Request } from 'express';
import { Public } from '../auth/roles.decorator';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { Metrics } from './metrics';

const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed'] as const;

/**
 * `/metrics` in Prometheus text format, for a scraper holding METRICS_TOKEN. Unset: 404, as if
 * there were no such route. The token is compared in constant time (hashes of equal length).
 */
@ApiTags('service')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: Request): Promise<string> {
    this.authorise(req);
    await this.collect();
    req.res!.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  private authorise(req: Request): void {
    const expected = this.config.METRICS_TOKEN;
    if (!expected) throw new DomainError(404, 'NOT_FOUND', 'Not found.');
    const header = req.headers.authorization;
    // The metrics token is the operator's own (any 32+ characters), not a session token, so it is
    // read here rather than by the session's bearer parser.
    const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match) {
      req.res!.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new DomainError(401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    const digest = (s: string) => createHash('sha256').update(s).digest();
    if (!timingSafeEqual(digest(match[1]), digest(expected))) throw DomainError.forbidden();
  }

  /** The gauges read from the database at each scrape (so every instance reports the shared outbox). */
  private async collect(): Promise<void> {
    const { counts, oldest } = await this.tx.read(async (m) => {
      const rows = await m
        .createQueryBuilder(OutboxMessage, 'o')
        .select('o.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .groupBy('o.status')
        .getRawMany<{ status: string; count: string | number }>();
      const first = await m.findOne(OutboxMessage, {
        select: { id: true, createdAt: true },
        where: { status: In(['queued', 'sending']) },
        order: { createdAt: 'ASC' },
      });
      return { counts: rows, oldest: first?.createdAt ?? null };
    });
    for (const state of OUTBOX_STATES) {
      this.metrics.outboxMessages.set({ state }, Number(counts.find((c) => c.status === state)?.count ?? 0));
    }
    const oldestMs = oldest === null ? null : oldest.getTime();
    this.metrics.outboxOldestQueuedAge.set(
      oldestMs === null ? 0 : Math.max(0, (this.clock.now().getTime() - oldestMs) / 1000),
    );
    const pool = this.tx.poolStats();
    if (pool) {
      this.metrics.dbPool.set({ state: 'total' }, pool.total);
      this.metrics.dbPool.set({ state: 'idle' }, pool.idle);
      this.metrics.dbPool.set({ state: 'waiting' }, pool.waiting);
    }
  }
}
