import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { getsWholeMeeting, MeetingAudience, reasonsToAttend } from '../calendar/meeting-audience';
import { Clock } from '../common/clock';
import { parseEmailAddress } from '../common/email-address';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Meeting } from '../meetings/meeting.entity';
import { formatLondonDateTimeWithZone } from '../scheduling/london-format';
import { AttendanceReply } from './attendance-reply.entity';
import { ReplyMessage } from './reply-message.entity';
import { CalendarReply, readReply, ReplyAnswer } from './reply-reader';
import { answersByMeeting, replyTarget } from './reply-targets';

/** What was done with one message from the replies mailbox: a code, never its content. */
export type ReplyOutcome =
  'recorded' | 'unchanged' | 'asked-to-confirm-withdrawal' | 'noted' | 'duplicate' | `ignored:${string}`;

/**
 * Acts on calendar replies (iMIP REPLY) read from the replies mailbox. A chair's or core member's
 * answer becomes their expected attendance at the meeting (or at each upcoming meeting of a series
 * they answered whole); a presenter's Decline withdraws nothing, but asks them by e-mail, with a
 * link, whether they meant to withdraw. Each message is acted on once (`calendar_reply_message`,
 * unique on its Message-ID's hash), in one transaction with what it changed.
 */
@Injectable()
export class CalendarRepliesService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
    private readonly audience: MeetingAudience,
  ) {}

  /** Acts on one message (its raw source) and says what was done. */
  async receive(raw: Buffer | string): Promise<ReplyOutcome> {
    const read = await readReply(raw);
    const messageKey = createHash('sha256')
      .update(read.messageId ?? raw)
      .digest('hex');
    const attempt = () =>
      this.tx.write(async (m) => {
        if (await m.existsBy(ReplyMessage, { messageKey })) return 'duplicate' as const;
        const outcome: ReplyOutcome = 'ignored' in read ? `ignored:${read.ignored}` : await this.apply(m, read.reply);
        await m.insert(ReplyMessage, m.create(ReplyMessage, { messageKey, outcome }));
        return outcome;
      });
    try {
      return await attempt();
    } catch (err) {
      // Another instance acted at the same moment: on this message (the retry finds it done), or on
      // another answer of the same person to the same meeting (the retry updates that answer).
      if (isUniqueViolation(err)) return attempt();
      throw err;
    }
  }

  private async apply(m: EntityManager, read: CalendarReply): Promise<ReplyOutcome> {
    // Addresses are compared as the service stores them (the one rule in email-address.ts).
    const address = parseEmailAddress(read.attendee);
    if (!address.ok) return 'ignored:unknown-address';
    const reply = { ...read, attendee: address.email };
    const target = replyTarget(reply.uid, this.config.calendarUidDomain);
    if (!target) return 'ignored:unknown-object';
    if (target.kind === 'booking') return this.presenterReplied(m, target.id, reply);
    const meetings =
      target.kind === 'meeting'
        ? await m.findBy(Meeting, { id: target.id })
        : await m.find(Meeting, { where: { seriesId: target.id }, order: { startsAt: 'ASC' } });
    if (meetings.length === 0) return 'ignored:unknown-object';
    const answers = answersByMeeting(target.kind, meetings, reply, this.clock.now());
    // Only someone the meeting is sent to whole (its chair, a core member) has an answer to record.
    const facts = await this.audience.facts(
      m,
      [...answers.keys()].map((mid) => meetings.find((x) => x.id === mid)!),
    );
    let recorded = 0;
    let invited = 0;
    let current = 0;
    const user = await m.findOneBy(User, { email: reply.attendee });
    for (const [meetingId, answer] of answers) {
      if (!getsWholeMeeting(reasonsToAttend(facts.get(meetingId)!, { email: reply.attendee, userId: user?.id })))
        continue;
      invited++;
      // Made before the meeting moved: an answer for the old time.
      const movedAt = meetings.find((x) => x.id === meetingId)!.movedAt;
      if (movedAt && reply.stamp.getTime() < movedAt.getTime()) continue;
      current++;
      if (await this.record(m, meetingId, reply.attendee, answer, reply.stamp, user)) recorded++;
    }
    if (invited === 0) return 'ignored:not-invited';
    if (current === 0) return 'ignored:before-move';
    return recorded > 0 ? 'recorded' : 'unchanged';
  }

  /** Stores one answer unless a later one is already stored; true when it changed something. */
  private async record(
    m: EntityManager,
    meetingId: string,
    email: string,
    answer: ReplyAnswer,
    answeredAt: Date,
    user: User | null,
  ): Promise<boolean> {
    const existing = await m.findOneBy(AttendanceReply, { meetingId, email });
    if (existing && existing.answeredAt.getTime() > answeredAt.getTime()) return false;
    if (existing?.answer === answer && existing.answeredAt.getTime() === answeredAt.getTime()) return false;
    if (existing) await m.update(AttendanceReply, { id: existing.id }, { answer, answeredAt });
    else await m.insert(AttendanceReply, m.create(AttendanceReply, { meetingId, email, answer, answeredAt }));
    await this.audit.record(m, {
      action: 'meeting.attendance-reply',
      entityType: 'meeting',
      entityId: meetingId,
      actorUserId: user?.id ?? null,
      details: { answer },
    });
    return true;
  }

  /** A presenter's answer to their slot's invite: a Decline asks them to confirm withdrawal. */
  private async presenterReplied(m: EntityManager, bookingId: string, reply: CalendarReply): Promise<ReplyOutcome> {
    const booking = await m.findOne(Booking, { where: { id: bookingId }, relations: { presenter: true } });
    if (!booking || booking.presenter.email.toLowerCase() !== reply.attendee) return 'ignored:not-invited';
    if (!reply.parts.some((p) => p.answer === 'declined')) return 'noted';
    const meeting = await m.findOneByOrFail(Meeting, { id: booking.meetingId });
    // Nothing to withdraw from a calendar: the item holds no slot (withdrawn, or waiting), or the meeting has begun.
    if (booking.status !== 'booked' || meeting.startsAt <= this.clock.now()) return 'noted';
    const when = formatLondonDateTimeWithZone(meeting.startsAt);
    const itemUrl = `${this.config.publicUrl}/bookings/${booking.id}`;
    await this.outbox.enqueue(m, {
      kind: 'booking-declined-in-calendar',
      to: booking.presenter.email,
      subject: `Still booked: ${meeting.title}, ${when} (${booking.reference})`,
      content: {
        greeting: `Hello ${booking.presenter.name},`,
        paragraphs: [
          `Your calendar declined the invitation for item ${booking.reference} at the ${meeting.title} on ${when}.`,
          'Declining in a calendar does not withdraw an item: it is still booked, and no one waiting has been given its slot.',
          'If you can no longer bring it, withdraw it with the link below, so that the next item waiting can have the slot. If you declined by mistake, there is nothing to do: the item stays booked.',
        ],
        action: { label: 'Withdraw the item', url: `${itemUrl}/withdraw` },
      },
      subjectType: 'booking',
      subjectId: booking.id,
    });
    await this.audit.record(m, {
      action: 'booking.declined-in-calendar',
      entityType: 'booking',
      entityId: booking.id,
      actorUserId: booking.presenterUserId,
    });
    return 'asked-to-confirm-withdrawal';
  }
}
