import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import type { OutboxMessage } from './outbox-message.entity';

export class PermanentMailError extends Error {}

/** Where outbox messages go: an SMTP server, or (with no SMTP_URL) `.eml` files in a local spool. */
export abstract class MailTransport {
  abstract send(message: OutboxMessage): Promise<void>;
  /** Whether the transport can take mail now (for /health/ready): throws with the reason when not. */
  abstract verify(): Promise<void>;
  close(): void {}
}

function toNodemailer(message: OutboxMessage, from: string) {
  return {
    from,
    to: message.recipient,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    // Every message here is sent by the service, never typed by a person (RFC 3834): out-of-office
    // replies and auto-forwarders leave it alone.
    headers: { 'Auto-Submitted': 'auto-generated' },
    // nodemailer adds a text/calendar alternative with `method=` matching the body's METHOD.
    icalEvent: message.calendar
      ? {
          method: message.calendar.method,
          content: message.calendar.content,
          filename:
            message.calendar.filename ?? (message.calendar.method === 'CANCEL' ? 'cancellation.ics' : 'invite.ics'),
        }
      : undefined,
  };
}

export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(private readonly config: AppConfig) {
    super();
    const timeout = config.MAIL_SMTP_TIMEOUT_MS;
    // The URL goes inside the options object: a second argument to createTransport holds message
    // defaults, not connection settings, and timeouts put there would be silently ignored.
    this.transporter = nodemailer.createTransport({
      url: config.SMTP_URL!,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: OutboxMessage): Promise<void> {
    try {
      await this.transporter.sendMail(toNodemailer(message, this.config.MAIL_FROM));
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx is the server's final answer (no such mailbox, policy): retrying cannot help.
      if (code !== undefined && code >= 500 && code < 600) throw new PermanentMailError((err as Error).message);
      throw err;
    }
  }

  /** Connects and greets the server (and authenticates, when the URL says so), then hangs up. */
  async verify(): Promise<void> {
    await this.transporter.verify();
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Development default: each message becomes an `.eml` file, and one summary line is logged so
 * that a newcomer can follow a sign-in link without a mail server.
 */
export class SpoolMailTransport extends MailTransport {
  private readonly logger = new Logger('MailSpool');
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly config: AppConfig) {
    super();
  }

  /** The spool folder can be created and written. */
  async verify(): Promise<void> {
    await mkdir(this.config.MAIL_SPOOL_DIR, { recursive: true });
    await access(this.config.MAIL_SPOOL_DIR, constants.W_OK);
  }

  async send(message: OutboxMessage): Promise<void> {
    const info = await this.transporter.sendMail(toNodemailer(message, this.config.MAIL_FROM));
    await mkdir(this.config.MAIL_SPOOL_DIR, { recursive: true });
    const file = join(
      this.config.MAIL_SPOOL_DIR,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.id}.eml`,
    );
    await writeFile(file, info.message as Buffer);
    const link = message.kind === 'sign-in-link' ? message.text.match(/https?:\/\/\S+/)?.[0] : undefined;
    this.logger.log(
      `Mail to ${message.recipient}: "${message.subject}" -> ${file}${link ? ` | sign-in link: ${link}` : ''}`,
    );
  }
}

export function createMailTransport(config: AppConfig): MailTransport {
  return config.SMTP_URL ? new SmtpMailTransport(config) : new SpoolMailTransport(config);
}
