import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param.pipe';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ListOutboxQuery } from './dto/list-outbox.query';
import { MailOutbox } from './mail-outbox.service';
import { OutboxMessage, OutboxStatus } from './outbox-message.entity';

/** What the outbox shows a coordinator: addressing and state, never the body. */
export interface OutboxMessageView {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
  lastError: string | null;
}

function toView(o: OutboxMessage): OutboxMessageView {
  return {
    id: o.id,
    kind: o.kind,
    recipient: o.recipient,
    subject: o.subject,
    status: o.status,
    attempts: o.attempts,
    createdAt: o.createdAt,
    sentAt: o.sentAt,
    nextAttemptAt: o.nextAttemptAt,
    lastError: o.lastError,
  };
}

@ApiTags('outbox')
@ApiBearerAuth()
@Controller('api/outbox')
@Roles('coordinator')
export class OutboxController {
  constructor(private readonly outbox: MailOutbox) {}

  /** The most recent 100 messages, optionally of one status or to one address. */
  @Get()
  async list(@Query() query: ListOutboxQuery): Promise<OutboxMessageView[]> {
    return (await this.outbox.list(query)).map(toView);
  }

  /** Queue a failed message again. */
  @Post(':id/retry')
  @HttpCode(200)
  async retry(@Param('id', UuidParam) id: string): Promise<OutboxMessageView> {
    return toView(await this.outbox.retry(id));
  }
}
