import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MailOutbox } from '../mail/mail-outbox.service';
import type { MailContent } from '../mail/mail-layout';
import { Meeting } from '../meetings/meeting.entity';
import { formatLondonDateTimeWithZone, formatLondonTime } from '../scheduling/london-format';
import { Booking } from './booking.entity';
import { User } from '../directory/user.entity';
import { CalendarInvites } from '../calendar/calendar-invites';

export type BookingEvent =
  'booked' | 'waitlisted' | 'promoted' | 'withdrawn' | 'meeting-cancelled' | 'moved' | 'rebooked' | 'deferred';

/**
 * Tells presenters what happened to their items, through the outbox and in plain words: the
 * meeting, the time in Europe/London, the reference and a link, with the calendar invite or
 * cancellation for their slot. Never case text: nothing from the submission's free text is read here.
 */
@Injectable()
export class BookingNotifier {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: MailOutbox,
    private readonly invites: CalendarInvites,
  ) {}

  itemUrl(booking: Booking): string {
    return `${this.config.publicUrl}/bookings/${booking.id}`;
  }

  async notify(
    m: EntityManager,
    event: BookingEvent,
    booking: Booking,
    meeting: Meeting,
    presenter: User,
    /**
     * `hadSlot`: the item held a slot before this change, so its calendar entry must go if it no
     * longer does. `lostSlot`: the meeting and slot it held when the change also moved it to
     * another meeting (a deferral onto a waiting list): the CANCEL names that slot.
     */
    extra: {
      reason?: string;
      hadSlot?: boolean;
      lostSlot?: { meeting: Meeting; slotIndex: number };
      /** A colleague or a coordinator booked it, with the presenter as its presenter. */
      bookedBy?: User;
    } = {},
  ): Promise<void> {
    const words = this.words(event, booking, meeting, extra.reason);
    const subject = words.subject;
    const paragraphs = extra.bookedBy
      ? [
          `${extra.bookedBy.name} booked this item for you: you are its presenter, and you can change or withdraw it.`,
          ...words.paragraphs,
        ]
      : words.paragraphs;
    const holdsSlot = booking.status === 'booked' && meeting.status === 'scheduled';
    const content: MailContent = {
      greeting: `Hello ${presenter.name},`,
      // No replies mailbox is read (invites say RSVP=FALSE): a calendar "Decline" would withdraw nothing.
      paragraphs: holdsSlot
        ? [
            ...paragraphs,
            `Can't come? Withdraw the item (so that the next item waiting can have the slot) or send your apologies: ${this.itemUrl(booking)}/withdraw`,
          ]
        : paragraphs,
      action: { label: 'View your item', url: this.itemUrl(booking) },
    };
    await this.outbox.enqueue(m, {
      kind: `booking-${event}`,
      to: presenter.email,
      subject,
      content,
      calendar: this.invites.forBooking(booking, meeting, presenter, extra.hadSlot ?? false, extra.lostSlot),
      subjectType: 'booking',
      subjectId: booking.id,
    });
  }

  private words(
    event: BookingEvent,
    b: Booking,
    meeting: Meeting,
    reason?: string,
  ): { subject: string; paragraphs: string[] } {
    const when = formatLondonDateTimeWithZone(meeting.startsAt);
    const slot =
      b.slotIndex !== null && meeting.slots[b.slotIndex]
        ? `slot ${b.slotIndex + 1}, ${formatLondonTime(meeting.slots[b.slotIndex].startsAt)} to ${formatLondonTime(meeting.slots[b.slotIndex].endsAt)}`
        : null;
    const ref = `Your reference is ${b.reference}.`;
    const where = [meeting.location, meeting.onlineUrl ? `online: ${meeting.onlineUrl}` : null]
      .filter(Boolean)
      .join('; ');
    const place = where ? `Where: ${where}.` : null;
    const because = reason ? `Reason given: ${reason}` : null;
    const lines = (...xs: Array<string | null>) => xs.filter((x): x is string => Boolean(x));
    switch (event) {
      case 'deferred':
        return {
          subject: `Carried forward: ${b.reference} to ${meeting.title}, ${when}`,
          paragraphs: lines(
            `The meeting did not reach your item, so it has been carried forward to ${meeting.title} on ${when}${slot ? `, ${slot}` : ' (on its waiting list)'}.`,
            place,
            ref,
          ),
        };
      case 'booked':
      case 'rebooked':
        return {
          subject: `Booked: ${meeting.title}, ${when} (${b.reference})`,
          paragraphs: lines(`Your item is booked for ${meeting.title} on ${when}, ${slot}.`, place, ref),
        };
      case 'promoted':
        return {
          subject: `A slot is now yours: ${meeting.title}, ${when} (${b.reference})`,
          paragraphs: lines(
            `A slot became free and your item has moved off the waiting list: ${slot} of ${meeting.title} on ${when}.`,
            place,
            ref,
            'If you can no longer attend, please withdraw the item so that someone else can have the slot.',
          ),
        };
      case 'waitlisted':
        return {
          subject: `On the waiting list: ${meeting.title}, ${when} (${b.reference})`,
          paragraphs: lines(
            `${meeting.title} on ${when} is full, so your item is on its waiting list. If a slot becomes free, it will be given to the first item waiting and we will email you.`,
            ref,
          ),
        };
      case 'withdrawn':
        return {
          subject: `Withdrawn: ${b.reference}, ${meeting.title}, ${when}`,
          paragraphs: lines(
            `Your item has been withdrawn from ${meeting.title} on ${when}.`,
            ref,
            'You can book it into another meeting at any time.',
          ),
        };
      case 'meeting-cancelled':
        return {
          subject: `Meeting cancelled: ${meeting.title}, ${when}`,
          paragraphs: lines(
            `${meeting.title} on ${when} has been cancelled.`,
            because,
            ref,
            'Your item has been kept: you can move it to another meeting with one step from the link below.',
          ),
        };
      case 'moved':
        return {
          subject: `Meeting changed: ${meeting.title}, now ${when}`,
          paragraphs: lines(
            `${meeting.title} has changed. It is now on ${when}${slot ? `, and your item is in ${slot}` : ''}.`,
            place,
            because,
            ref,
            'If you can no longer attend, please withdraw the item.',
          ),
        };
    }
  }
}
