import type { Server } from 'node:http';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config';

/**
 * On SIGTERM (app.enableShutdownHooks), before any other shutdown hook: stop taking connections,
 * close idle keep-alive ones, and wait for the requests in flight (up to SHUTDOWN_TIMEOUT_MS,
 * then the rest are cut). Only then do the outbox worker finish and the database close.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    this.logger.log(`${signal ?? 'Shutdown'}: no new requests; finishing those in flight.`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.SHUTDOWN_TIMEOUT_MS);
    });
    if ((await Promise.race([closed, timeout])) === 'timeout') {
      this.logger.warn(`Requests still open after ${this.config.SHUTDOWN_TIMEOUT_MS} ms: closing them.`);
      server.closeAllConnections();
      await closed;
    }
    clearTimeout(timer);
  }
}
