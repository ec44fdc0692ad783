import { Injectable } from '@nestjs/common';
import { Booking } from '../bookings/booking.entity';
import { itemTimes } from '../bookings/booking.views';
import { AppConfig } from '../config/app-config';
import { Meeting } from '../meetings/meeting.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import { CalendarEventInput, CalendarPerson, SeriesEventInput } from './ical/calendar-event';
import type { SeriesPlan } from './series-plan';

/**
 * What a booking or a meeting looks like in a calendar. Times, the meeting's name, the slot, the
 * opaque reference, the place, the online link and a link back: never case text.
 */
@Injectable()
export class CalendarEvents {
  constructor(private readonly config: AppConfig) {}

  get organizer(): CalendarPerson {
    return { email: this.config.MEETINGS_MAILBOX, name: this.config.MEETINGS_MAILBOX_NAME };
  }

  bookingUid(bookingId: string): string {
    return `booking-${bookingId}@${this.config.calendarUidDomain}`;
  }

  meetingUid(meetingId: string): string {
    return `meeting-${meetingId}@${this.config.calendarUidDomain}`;
  }

  seriesUid(seriesId: string): string {
    return `series-${seriesId}@${this.config.calendarUidDomain}`;
  }

  /**
   * A series as one recurring calendar object, from its plan for one person: the master lists
   * the series' people, each override the people of its own meeting (`attendeesOf`).
   */
  forSeries(
    series: MeetingSeries,
    plan: SeriesPlan,
    attendees: CalendarPerson[],
    attendeesOf: (meeting: Meeting) => CalendarPerson[],
  ): SeriesEventInput {
    const instance = (meeting: Meeting, start: Date, end: Date) => ({
      ...this.forMeeting(meeting, attendeesOf(meeting)),
      uid: this.seriesUid(series.id),
      sequence: series.sequence,
      start,
      end,
    });
    const first = plan.meetings[0] as Meeting;
    const master = {
      ...instance(first, plan.start, plan.end),
      summary: series.title,
      location: series.location ?? undefined,
      onlineUrl: series.onlineUrl ?? undefined,
      url: `${this.config.publicUrl}/meetings`,
      attendees,
    };
    return {
      master,
      rrule: plan.rrule,
      until: plan.until,
      exdates: plan.exdates,
      overrides: plan.overrides.map(({ meeting, recurrenceId }) => ({
        ...instance(meeting as Meeting, meeting.startsAt, meeting.endsAt),
        recurrenceId,
      })),
    };
  }

  /** The presenter's own slot. `cancelled`: the entry is to leave their calendar. */
  forBooking(
    booking: Booking,
    meeting: Meeting,
    attendees: CalendarPerson[],
    cancelled: boolean,
    stamp?: Date,
  ): CalendarEventInput {
    const { startsAt, endsAt } = itemTimes(booking, meeting);
    const slot = booking.slotIndex !== null ? `slot ${booking.slotIndex + 1}` : 'item';
    return {
      uid: this.bookingUid(booking.id),
      sequence: booking.sequence,
      status: cancelled ? 'CANCELLED' : 'CONFIRMED',
      start: startsAt,
      end: endsAt,
      summary: `${meeting.title}: ${slot} (${booking.reference})`,
      description: `Your item ${booking.reference} at the ${meeting.title}.`,
      location: meeting.location ?? undefined,
      onlineUrl: meeting.onlineUrl ?? undefined,
      url: `${this.config.publicUrl}/bookings/${booking.id}`,
      organizer: this.organizer,
      attendees,
      rsvp: this.config.repliesEnabled,
      stamp,
    };
  }

  /** The whole meeting, for its chair and core members (and the public dates feed). */
  forMeeting(
    meeting: Meeting,
    attendees: CalendarPerson[],
    opts: { stamp?: Date; publicView?: boolean } = {},
  ): CalendarEventInput {
    const cancelled = meeting.status === 'cancelled';
    return {
      uid: this.meetingUid(meeting.id),
      sequence: meeting.sequence,
      status: cancelled ? 'CANCELLED' : 'CONFIRMED',
      start: meeting.startsAt,
      end: meeting.endsAt,
      summary: cancelled ? `Cancelled: ${meeting.title}` : meeting.title,
      // The public dates feed carries times and status only.
      description: opts.publicView ? undefined : `The ${meeting.title}. The agenda is in the service.`,
      location: opts.publicView ? undefined : (meeting.location ?? undefined),
      onlineUrl: opts.publicView ? undefined : (meeting.onlineUrl ?? undefined),
      url: opts.publicView ? undefined : `${this.config.publicUrl}/meetings/${meeting.id}`,
      organizer: this.organizer,
      attendees,
      rsvp: this.config.repliesEnabled,
      stamp: opts.stamp,
    };
  }
}
