import { randomUUID } from 'node:crypto';
import { keysetPage } from '../common/dto/keyset-page.query';
import { ListOutboxQuery } from './dto/list-outbox.query';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { renderMail, MailContent } from './mail-layout';
import { CalendarPart, OutboxMessage } from './outbox-message.entity';
import { OutboxSignal } from './outbox-signal';
import { CalendarDelivery, calendarMailFate } from '../calendar/calendar-delivery';
import { User } from '../directory/user.entity';

export interface NewMail {
  kind: string;
  to: string;
  subject: string;
  content: MailContent;
  calendar?: CalendarPart;
  /** The message only carries its invitation (see calendarMailFate): not sent to someone who takes only the feed. */
  invitationOnly?: boolean;
  /** Sent because the recipient changed how meetings reach their calendar: always as it is (calendarMailFate). */
  forChoiceChange?: boolean;
  containsSecret?: boolean;
  subjectType?: string;
  subjectId?: string;
}

@Injectable()
export class MailOutbox {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly signal: OutboxSignal,
    private readonly audit: AuditService,
  ) {}

  /**
   * Queues a message in the caller's transaction: it is sent only if that transaction commits,
   * and once it has committed it will be sent even if the process dies straight after.
   * A message with an iCalendar part follows its recipient's choice of how meetings reach their
   * calendar (calendarMailFate): null when it is not sent at all.
   */
  async enqueue(m: EntityManager, mail: NewMail): Promise<OutboxMessage | null> {
    const fate = mail.calendar
      ? calendarMailFate(await this.deliveryTo(m, mail.to), {
          hasCalendar: true,
          invitationOnly: mail.invitationOnly,
          forChoiceChange: mail.forChoiceChange,
        })
      : 'as-is';
    if (fate === 'not-sent') return null;
    const { text, html } = renderMail(mail.content, this.config.PARTNERSHIP_NAME);
    const message = m.create(OutboxMessage, {
      messageId: `<${randomUUID()}@${this.config.publicHost}>`,
      kind: mail.kind,
      recipient: mail.to,
      subject: mail.subject.replace(/[\r\n]+/g, ' ').slice(0, 250),
      text,
      html,
      calendar: fate === 'as-is' ? (mail.calendar ?? null) : null,
      containsSecret: mail.containsSecret ?? false,
      status: 'queued',
      // Someone is waiting at the sign-in page for a link: it goes before any bulk mail.
      priority: mail.containsSecret ? 0 : 1,
      attempts: 0,
      nextAttemptAt: this.clock.now(),
      // The service's clock, like every instant the outbox compares (age, retries, alerts).
      createdAt: this.clock.now(),
      leaseUntil: null,
      sentAt: null,
      lastError: null,
      subjectType: mail.subjectType ?? null,
      subjectId: mail.subjectId ?? null,
    });
    await m.insert(OutboxMessage, message);
    this.tx.afterCommit(() => this.signal.wake());
    return message;
  }

  /** The recipient's choice, when the address is an account's (addresses are stored in lower case). */
  private async deliveryTo(m: EntityManager, address: string): Promise<CalendarDelivery | undefined> {
    const user = await m.findOne(User, {
      where: { email: address.trim().toLowerCase() },
      select: { id: true, calendarDelivery: true },
    });
    return user?.calendarDelivery;
  }

  /** The most recent messages, newest first, optionally of one status and to one address (any case). */
  list(query: ListOutboxQuery = {}): Promise<OutboxMessage[]> {
    return this.tx.read((m) => {
      const qb = m.createQueryBuilder(OutboxMessage, 'o');
      if (query.status) qb.andWhere('o.status = :status', { status: query.status });
      if (query.recipient) qb.andWhere('LOWER(o.recipient) = :recipient', { recipient: query.recipient.toLowerCase() });
      return keysetPage(qb, 'o', 'createdAt', query).getMany();
    });
  }

  /** A coordinator sends a failed message again (same Message-ID). */
  async retry(id: string): Promise<OutboxMessage> {
    return this.tx.write(async (m) => {
      const message = await m.findOneBy(OutboxMessage, { id });
      if (!message) throw DomainError.notFound('The message');
      if (message.status !== 'failed') {
        throw DomainError.conflict('NOT_FAILED', 'Only a failed message can be retried.');
      }
      if (message.containsSecret) {
        throw DomainError.conflict(
          'SECRET_ERASED',
          'This sign-in message cannot be resent; ask the person to request a new link.',
        );
      }
      await m.update(
        OutboxMessage,
        { id, status: In(['failed']) },
        {
          status: 'queued',
          attempts: 0,
          nextAttemptAt: this.clock.now(),
          lastError: null,
          updatedAt: this.clock.now(),
        },
      );
      await this.audit.record(m, { action: 'outbox.retried', entityType: 'outbox_message', entityId: id });
      this.tx.afterCommit(() => this.signal.wake());
      return m.findOneByOrFail(OutboxMessage, { id });
    });
  }
}
