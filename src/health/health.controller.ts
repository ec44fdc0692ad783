import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.decorator';
import { Clock } from '../common/clock';
import { MailTransport } from '../mail/mail-transport';

/** How long one check of the mail transport is reused: probes come every few seconds, SMTP need not. */
const MAIL_CHECK_TTL_MS = 30_000;

export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  database: 'up' | 'down';
  migrations: 'applied' | 'pending' | 'unknown';
  mail: 'up' | 'degraded';
}

@ApiTags('service')
@Controller('health')
export class HealthController {
  private mailCheck: { at: number; result: Promise<'up' | 'degraded'> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
  ) {}

  /** 200 when the service and its database answer; 503 when the database does not. */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) res: Response): Promise<{ status: string; database: string }> {
    if (await this.databaseUp()) return { status: 'ok', database: 'up' };
    res.status(503);
    return { status: 'unavailable', database: 'down' };
  }

  /** Liveness: the process is up and its event loop answers. Never touches the database (a restart would not help it). */
  @Get('live')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 when this instance can serve (database reachable, every migration applied),
   * 503 otherwise. Mail that cannot be reached makes it `degraded` but still ready: messages
   * wait in the outbox and go when the server is back.
   */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const database = (await this.databaseUp()) ? 'up' : 'down';
    const migrations = database === 'up' ? await this.migrations() : 'unknown';
    const mail = await this.mail();
    const ready = database === 'up' && migrations === 'applied';
    if (!ready) res.status(503);
    return { status: ready ? (mail === 'up' ? 'ok' : 'degraded') : 'unavailable', database, migrations, mail };
  }

  private async databaseUp(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async migrations(): Promise<'applied' | 'pending' | 'unknown'> {
    try {
      return (await this.dataSource.showMigrations()) ? 'pending' : 'applied';
    } catch {
      return 'unknown';
    }
  }

  private mail(): Promise<'up' | 'degraded'> {
    const now = this.clock.now().getTime();
    if (!this.mailCheck || now - this.mailCheck.at > MAIL_CHECK_TTL_MS) {
      this.mailCheck = {
        at: now,
        result: this.transport.verify().then(
          () => 'up' as const,
          () => 'degraded' as const,
        ),
      };
    }
    return this.mailCheck.result;
  }
}
