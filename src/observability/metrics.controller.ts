import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/roles.decorator';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { Metrics } from './metrics';
import { OUTBOX_STATES, readOutboxStats } from './outbox-stats';

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
    const stats = await readOutboxStats(this.tx, this.clock.now());
    for (const state of OUTBOX_STATES) this.metrics.outboxMessages.set({ state }, stats.byState[state]);
    this.metrics.outboxOldestQueuedAge.set(stats.oldestUnsentAgeSeconds);
    const pool = this.tx.poolStats();
    if (pool) {
      this.metrics.dbPool.set({ state: 'total' }, pool.total);
      this.metrics.dbPool.set({ state: 'idle' }, pool.idle);
      this.metrics.dbPool.set({ state: 'waiting' }, pool.waiting);
    }
  }
}
