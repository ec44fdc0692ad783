import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BookingNotifier } from '../bookings/booking-notifier';
import type { Booking } from '../bookings/booking.entity';
import type { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import type { Meeting } from '../meetings/meeting.entity';
import { formatLondonDateTime } from '../scheduling/london-format';

/**
 * Tells a presenter that the meeting's outcome on their item is ready (or was amended): the
 * reference, the meeting and a link to the item, never the advice itself.
 */
@Injectable()
export class OutcomeNotifier {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly bookingNotifier: BookingNotifier,
  ) {}

  async notify(
    m: EntityManager,
    event: 'ready' | 'amended',
    booking: Booking,
    meeting: Meeting,
    presenter: User,
  ): Promise<void> {
    const when = formatLondonDateTime(meeting.startsAt);
    const ready = event === 'ready';
    await this.outbox.enqueue(m, {
      kind: ready ? 'outcome-ready' : 'outcome-amended',
      to: presenter.email,
      subject: ready ? `Outcome ready: ${booking.reference}` : `Outcome amended: ${booking.reference}`,
      content: {
        greeting: `Hello ${presenter.name},`,
        paragraphs: [
          ready
            ? `The outcome of your item ${booking.reference} at ${meeting.title} on ${when} has been recorded.`
            : `The outcome of your item ${booking.reference} at ${meeting.title} on ${when} has been amended in the approved minutes.`,
          'Sign in to read it. For the child’s privacy this email does not contain the advice.',
        ],
        action: { label: 'Read the outcome', url: this.bookingNotifier.itemUrl(booking) },
      },
      subjectType: 'booking',
      subjectId: booking.id,
    });
  }
}
