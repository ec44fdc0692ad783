import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { JobMonitor } from '../observability/job-monitor';
import { CalendarRepliesService, ReplyOutcome } from './calendar-replies.service';

/** Messages larger than this are left alone (flagged read, not parsed). */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** How to reach the replies mailbox, from REPLIES_IMAP_URL. */
export function mailboxSettings(url: string): {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
} {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    pass: decodeURIComponent(parsed.password),
    mailbox: decodeURIComponent(parsed.pathname.replace(/^\/+/, '')) || 'INBOX',
  };
}

/**
 * Reads the replies mailbox (REPLIES_IMAP_URL) over IMAP with imapflow, every minute: each unseen
 * message goes to {@link CalendarRepliesService} and is then flagged \Seen, so the mailbox shows
 * what has been read. A message whose handling fails stays unseen and is tried again next run;
 * one read twice (a flag that did not stick, two app instances) is acted on once all the same.
 * Nothing from a message is logged: only counts of what was done.
 */
@Injectable()
export class RepliesMailbox {
  private readonly logger = new Logger('RepliesMailbox');

  constructor(
    private readonly config: AppConfig,
    private readonly replies: CalendarRepliesService,
    private readonly jobs: JobMonitor,
  ) {}

  @Cron('30 * * * * *', { name: 'calendar-replies' })
  async scheduled(): Promise<void> {
    if (!this.config.SCHEDULED_JOBS_ENABLED || !this.config.repliesEnabled) return;
    try {
      await this.jobs.run('calendar-replies', () => this.readNew());
    } catch (err) {
      this.logger.error(`Reading the replies mailbox failed: ${(err as Error).message}`);
    }
  }

  /** Reads every unseen message once; returns how many of each outcome. */
  async readNew(): Promise<Partial<Record<ReplyOutcome, number>>> {
    const settings = mailboxSettings(this.config.REPLIES_IMAP_URL!);
    // Loaded on the first run, not at start-up: only a service with a replies mailbox needs it.
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.pass },
      logger: false,
      connectionTimeout: 15_000,
      socketTimeout: 60_000,
    });
    const counts: Partial<Record<ReplyOutcome, number>> = {};
    await client.connect();
    try {
      const lock = await client.getMailboxLock(settings.mailbox);
      try {
        const unseen = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of unseen) {
          const head = await client.fetchOne(String(uid), { size: true }, { uid: true });
          if (!head) continue;
          // A calendar reply is a few kilobytes: anything far larger is not read into memory.
          const message =
            (head.size ?? 0) <= MAX_REPLY_BYTES
              ? await client.fetchOne(String(uid), { source: true }, { uid: true })
              : null;
          let outcome: ReplyOutcome;
          try {
            outcome = message && message.source ? await this.replies.receive(message.source) : 'ignored:too-large';
          } catch (err) {
            this.logger.error(`A reply could not be handled and stays unread: ${(err as Error).message}`);
            continue;
          }
          counts[outcome] = (counts[outcome] ?? 0) + 1;
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => undefined);
    }
    if (Object.keys(counts).length) this.logger.log(`Replies read: ${JSON.stringify(counts)}`);
    return counts;
  }
}
