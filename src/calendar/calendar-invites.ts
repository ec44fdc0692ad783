import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { AppConfig } from '../config/app-config';
import { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import type { CalendarPart } from '../mail/outbox-message.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { Meeting } from '../meetings/meeting.entity';
import { formatLondonDateTime } from '../scheduling/london-format';
import { CalendarEvents } from './calendar-events';
import { buildInvite, CalendarPerson, isCalendarAddress } from './ical/calendar-event';

/**
 * iTIP invites by e-mail. A presenter's slot: REQUEST while the item holds a slot, CANCEL when it
 * leaves it. A whole meeting: REQUEST or CANCEL to its chair and the series' core members.
 * Every message is an outbox row written in the caller's transaction, with the MIME calendar
 * part's method equal to the body's METHOD (nodemailer's icalEvent does both).
 */
@Injectable()
export class CalendarInvites {
  private readonly logger = new Logger('CalendarInvites');

  constructor(
    private readonly config: AppConfig,
    private readonly events: CalendarEvents,
    private readonly outbox: MailOutbox,
  ) {}

  /**
   * The calendar part for a presenter's notification, from the item's state after the change:
   * a booked item gets REQUEST (new or updated times); an item that has left its slot gets
   * CANCEL; an item that never had a slot (straight onto the waiting list) gets none.
   */
  forBooking(booking: Booking, meeting: Meeting, presenter: User, hadSlot: boolean): CalendarPart | undefined {
    // An address stored before today's e-mail rule that a calendar cannot hold: the notice goes without an invite.
    if (!isCalendarAddress(presenter.email)) return undefined;
    const attendee = [{ email: presenter.email, name: presenter.name }];
    if (booking.status === 'booked' && meeting.status === 'scheduled') {
      return {
        method: 'REQUEST',
        content: buildInvite('REQUEST', this.events.forBooking(booking, meeting, attendee, false), {}),
      };
    }
    if (!hadSlot) return undefined;
    return {
      method: 'CANCEL',
      content: buildInvite('CANCEL', this.events.forBooking(booking, meeting, attendee, true), {}),
    };
  }

  /** The people who get the whole meeting: its chair and the series' core members. */
  async meetingRecipients(m: EntityManager, meeting: Meeting): Promise<CalendarPerson[]> {
    const people = new Map<string, CalendarPerson>();
    if (meeting.chairUserId) {
      const chair = await m.findOneBy(User, { id: meeting.chairUserId });
      if (chair?.active) people.set(chair.email, { email: chair.email, name: chair.name });
    }
    for (const member of await m.findBy(SeriesCoreMember, { seriesId: meeting.seriesId })) {
      if (!people.has(member.email)) people.set(member.email, { email: member.email, name: member.name ?? undefined });
    }
    // One address a calendar cannot hold (stored before today's e-mail rule) never stops the others' invites.
    const usable = [...people.values()].filter((p) => isCalendarAddress(p.email));
    if (usable.length < people.size) {
      this.logger.warn(
        `Meeting ${meeting.id}: ${people.size - usable.length} recipient address(es) cannot take a calendar invite; skipped.`,
      );
    }
    return usable;
  }

  /**
   * Sends the whole meeting to `recipients` (default: chair and core members). The invite lists
   * everyone who gets the meeting as attendees, so each can see who else is invited.
   */
  async sendMeeting(
    m: EntityManager,
    meeting: Meeting,
    method: 'REQUEST' | 'CANCEL',
    recipients?: CalendarPerson[],
  ): Promise<number> {
    const everyone = await this.meetingRecipients(m, meeting);
    const to = (recipients ?? everyone).filter((p) => isCalendarAddress(p.email));
    if (to.length === 0) return 0;
    const attendees = method === 'CANCEL' && recipients ? recipients : everyone.length ? everyone : to;
    const content = buildInvite(method, this.events.forMeeting(meeting, attendees), {});
    const when = formatLondonDateTime(meeting.startsAt);
    for (const person of to) {
      await this.outbox.enqueue(m, {
        kind: method === 'REQUEST' ? 'meeting-invite' : 'meeting-cancel',
        to: person.email,
        subject: method === 'REQUEST' ? `${meeting.title}: ${when}` : `Cancelled: ${meeting.title}, ${when}`,
        content: {
          greeting: person.name ? `Hello ${person.name},` : 'Hello,',
          paragraphs:
            method === 'REQUEST'
              ? [
                  `${meeting.title} on ${when}${meeting.location ? `, ${meeting.location}` : ''}. This invitation is for the whole meeting.`,
                ]
              : [
                  `${meeting.title} on ${when} has been cancelled${meeting.cancelReason ? `: ${meeting.cancelReason}` : ''}. It is removed from your calendar.`,
                ],
          action: { label: 'Open the meeting', url: `${this.config.publicUrl}/meetings/${meeting.id}` },
        },
        calendar: { method, content },
        subjectType: 'meeting',
        subjectId: meeting.id,
      });
    }
    return to.length;
  }

  /** Upcoming scheduled meetings of a series: for invites when its core members change. */
  async upcoming(m: EntityManager, seriesId: string, now: Date): Promise<Meeting[]> {
    const all = await m.find(Meeting, { where: { seriesId, status: In(['scheduled']) }, order: { startsAt: 'ASC' } });
    return all.filter((x) => x.startsAt > now);
  }
}
