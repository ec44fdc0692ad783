import { JobMonitor } from '../observability/job-monitor';
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { And, EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { itemTimes } from '../bookings/booking.views';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Meeting } from '../meetings/meeting.entity';
import { instantToLondon, subtractWorkingDays, wallClockToInstant } from '../scheduling/calendar-rules';
import { formatLondonDateTimeWithZone, formatLondonTime } from '../scheduling/london-format';
import { comingLine, expectedAttendanceOf } from '../calendar-replies/expected-attendance';
import { MeetingAudience } from './meeting-audience';
import { ReminderKind, ReminderSent } from './reminder-sent.entity';

/** Reminders look this far ahead for meetings (more than the longest working-day gap to a meeting). */
const LOOKAHEAD_DAYS = 14;

/**
 * E-mails presenters before their slot (REMINDER_PRESENTER_WORKING_DAYS working days before, at
 * REMINDER_TIME) and chairs their agenda the day before. Each reminder is sent exactly once per
 * (item or meeting, start, recipient): its `reminder_sent` row (unique on those) and its outbox message commit together,
 * so a second run, a restart or another app instance loses to the unique index and sends nothing.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('Reminders');

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly outbox: MailOutbox,
    private readonly jobs: JobMonitor,
    private readonly audience: MeetingAudience,
  ) {}

  @Cron('0 */10 * * * *', { name: 'reminders' })
  async scheduled(): Promise<void> {
    if (!this.config.SCHEDULED_JOBS_ENABLED) return;
    try {
      await this.jobs.run('reminders', () => this.sendDue());
    } catch (err) {
      this.logger.error(`Reminder run failed: ${(err as Error).message}`);
    }
  }

  /** Sends every reminder that is due and not yet sent; returns how many this run sent. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const meetings = await this.tx.read((m) =>
      m.find(Meeting, {
        where: {
          status: 'scheduled',
          startsAt: And(MoreThan(now), LessThan(new Date(now.getTime() + LOOKAHEAD_DAYS * 86_400_000))),
        },
        relations: { chair: true },
      }),
    );
    let sent = 0;
    for (const meeting of meetings) {
      const date = instantToLondon(meeting.startsAt).date;
      const presenterDue = wallClockToInstant(
        subtractWorkingDays(date, this.config.REMINDER_PRESENTER_WORKING_DAYS),
        this.config.REMINDER_TIME,
      );
      if (now >= presenterDue) {
        const items = await this.tx.read((m) =>
          m.find(Booking, { where: { meetingId: meeting.id, status: 'booked' }, relations: { presenter: true } }),
        );
        // Disabled accounts get nothing; one reminder that fails does not stop the others.
        for (const item of items.filter((i) => i.presenter.active)) {
          if (await this.attempt(`presenter reminder for item ${item.id}`, () => this.remindPresenter(meeting, item)))
            sent++;
        }
      }
      const dayBefore = wallClockToInstant(previousDay(date), this.config.REMINDER_TIME);
      if (now >= dayBefore && meeting.chair?.active) {
        if (await this.attempt(`agenda for meeting ${meeting.id}`, () => this.sendAgenda(meeting, meeting.chair!)))
          sent++;
      }
    }
    return sent;
  }

  private async attempt(what: string, send: () => Promise<boolean>): Promise<boolean> {
    try {
      return await send();
    } catch (err) {
      this.logger.error(`Reminder failed (${what}): ${(err as Error).message}`);
      return false;
    }
  }

  private remindPresenter(meeting: Meeting, item: Booking): Promise<boolean> {
    const { startsAt, endsAt } = itemTimes(item, meeting);
    return this.once(
      { kind: 'presenter', subjectId: item.id, startsAt, recipient: item.presenter.email },
      async (m) => {
        await this.outbox.enqueue(m, {
          kind: 'reminder-presenter',
          to: item.presenter.email,
          subject: `Reminder: ${meeting.title}, ${formatLondonDateTimeWithZone(startsAt)} (${item.reference})`,
          content: {
            greeting: `Hello ${item.presenter.name},`,
            paragraphs: [
              `A reminder that your item ${item.reference} is in slot ${item.slotIndex! + 1} of ${meeting.title}, ${formatLondonDateTimeWithZone(startsAt)} to ${formatLondonTime(endsAt)}.`,
              [meeting.location, meeting.onlineUrl ? `Online: ${meeting.onlineUrl}` : null]
                .filter(Boolean)
                .join('. ') || 'The place is in your calendar entry.',
              'If you can no longer attend, please withdraw the item so that someone on the waiting list can have the slot.',
            ],
            action: { label: 'View your item', url: `${this.config.publicUrl}/bookings/${item.id}` },
          },
          subjectType: 'booking',
          subjectId: item.id,
        });
      },
    );
  }

  private async sendAgenda(meeting: Meeting, chair: User): Promise<boolean> {
    const items = await this.tx.read((m) =>
      m.find(Booking, {
        where: { meetingId: meeting.id, status: In(['booked', 'waitlisted']) },
        relations: { agency: true },
        order: { slotIndex: 'ASC' },
      }),
    );
    // Who is coming, from the chair's and core members' calendar replies (when a replies mailbox is read).
    const coming = this.config.repliesEnabled
      ? comingLine(await this.tx.read((m) => expectedAttendanceOf(m, meeting, this.audience, true)))
      : null;
    const booked = items.filter((b) => b.status === 'booked');
    const waiting = items.filter((b) => b.status === 'waitlisted').length;
    // The agenda by reference, kind and agency only: the case text is read in the service.
    const lines = booked.map(
      (b) =>
        `Slot ${b.slotIndex! + 1}, ${formatLondonTime(meeting.slots[b.slotIndex!].startsAt)}: ${b.reference}, ${b.kind.replace(/-/g, ' ')}, ${b.agency.name}`,
    );
    const key = {
      kind: 'chair-agenda' as const,
      subjectId: meeting.id,
      startsAt: meeting.startsAt,
      recipient: chair.email,
    };
    return this.once(key, async (m) => {
      await this.outbox.enqueue(m, {
        kind: 'reminder-chair-agenda',
        to: chair.email,
        subject: `Agenda for tomorrow: ${meeting.title}, ${formatLondonDateTimeWithZone(meeting.startsAt)}`,
        content: {
          greeting: `Hello ${chair.name},`,
          paragraphs: [
            `${meeting.title} is tomorrow, ${formatLondonDateTimeWithZone(meeting.startsAt)}. ${booked.length} of ${meeting.slots.length} slots are booked${waiting ? `, and ${waiting} item(s) are waiting` : ''}.`,
            ...(lines.length ? lines : ['No items are booked yet.']),
            ...(coming ? [coming] : []),
          ],
          action: { label: 'Open the agenda', url: `${this.config.publicUrl}/meetings/${meeting.id}` },
        },
        subjectType: 'meeting',
        subjectId: meeting.id,
      });
    });
  }

  /** Runs `send` with the reminder's row in one transaction; false if it was already sent for this date and person. */
  private async once(
    key: { kind: ReminderKind; subjectId: string; startsAt: Date; recipient: string },
    send: (m: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const row = { ...key, recipient: key.recipient.toLowerCase() };
    if (await this.tx.read((m) => m.existsBy(ReminderSent, row))) return false;
    try {
      await this.tx.write(async (m) => {
        await m.insert(ReminderSent, m.create(ReminderSent, row));
        await send(m);
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}

/** The calendar day before a 'YYYY-MM-DD' date. */
function previousDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
