import { BookingSummaryView, toBookingSummary } from '../bookings/booking.views';
import { Booking } from '../bookings/booking.entity';
import { MeetingSeries } from './meeting-series.entity';
import { describeRecurrence, formatRecurrence, seriesRecurrence } from '../scheduling/calendar-rules';
import { SeriesCoreMember } from './series-core-member.entity';
import { Meeting } from './meeting.entity';
import type { MeetingState } from './meeting-lifecycle';

export interface SlotView {
  index: number;
  startsAt: Date;
  endsAt: Date;
  available: boolean;
}

export interface MeetingView {
  id: string;
  seriesId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** `scheduled`, `held` (it has started), `minutes-approved` or `cancelled`. */
  status: MeetingState;
  /** Send it back as `version` when changing the meeting, so that a stale edit is refused (409). */
  version: number;
  location: string | null;
  onlineUrl: string | null;
  chairUserId: string | null;
  bookingClosesAt: Date;
  movedForBankHoliday: boolean;
  cancelReason: string | null;
  slots: SlotView[];
  waitlistLength: number;
  /** Chair of this meeting and coordinators: items in slot order, without their text. */
  agenda?: BookingSummaryView[];
  /** Chair of this meeting and coordinators: the waiting list in order. */
  waitlist?: BookingSummaryView[];
  /** Your own items in this meeting. */
  myItems?: BookingSummaryView[];
}

/**
 * A meeting as the reader may see it. `activeItems` are the meeting's booked and waitlisted
 * items, each with presenter and agency loaded.
 */
export function toMeetingView(
  meeting: Meeting,
  activeItems: Booking[],
  reader: { id: string; seesAgenda: boolean; state: MeetingState },
): MeetingView {
  const booked = activeItems.filter((b) => b.status === 'booked').sort((a, b) => a.slotIndex! - b.slotIndex!);
  const waiting = activeItems
    .filter((b) => b.status === 'waitlisted')
    .sort(
      (a, b) => a.waitlistedAt!.getTime() - b.waitlistedAt!.getTime() || a.createdAt.getTime() - b.createdAt.getTime(),
    );
  const taken = new Set(booked.map((b) => b.slotIndex));
  const cancelled = meeting.status === 'cancelled';
  const view: MeetingView = {
    id: meeting.id,
    seriesId: meeting.seriesId,
    title: meeting.title,
    startsAt: meeting.startsAt,
    endsAt: meeting.endsAt,
    status: reader.state,
    version: meeting.sequence,
    location: meeting.location,
    onlineUrl: meeting.onlineUrl,
    chairUserId: meeting.chairUserId,
    bookingClosesAt: meeting.bookingClosesAt,
    movedForBankHoliday: meeting.movedForBankHoliday,
    cancelReason: meeting.cancelReason,
    slots: meeting.slots.map((s) => ({ ...s, available: !cancelled && !taken.has(s.index) })),
    waitlistLength: waiting.length,
  };
  if (reader.seesAgenda) {
    view.agenda = booked.map((b) => toBookingSummary(b, meeting));
    view.waitlist = waiting.map((b) => toBookingSummary(b, meeting));
  }
  const mine = activeItems.filter((b) => b.presenterUserId === reader.id);
  if (mine.length) view.myItems = mine.map((b) => toBookingSummary(b, meeting));
  return view;
}

export interface SeriesView {
  id: string;
  title: string;
  firstMeetingDate: string;
  startTime: string;
  durationMinutes: number;
  slotMinutes: number;
  /** Weeks between meetings, or null when the series follows a monthly rule. */
  intervalWeeks: number | null;
  /** The series' rule as an RFC 5545 RRULE value, whichever way it was given. */
  recurrence: string;
  /** The rule in words: "Every 2 weeks", "First Tuesday of every month". */
  recurrenceText: string;
  location: string | null;
  onlineUrl: string | null;
  chairUserId: string | null;
  bookingClosesWorkingDaysBefore: number;
  bankHolidayPolicy: string;
  horizonWeeks: number;
  /** `false` once the series has ended: no more meetings are added. */
  active: boolean;
  coreMembers: Array<{ email: string; name: string | null }>;
  /** The public meeting-dates feed, when published. */
  publicDatesFeedUrl: string | null;
}

/** Where a series' public meeting-dates feed is published, or null when it is not. */
export function publicDatesFeedUrl(
  publicUrl: string,
  series: Pick<MeetingSeries, 'id' | 'publicDatesFeed'>,
): string | null {
  return series.publicDatesFeed ? `${publicUrl}/calendar/series/${series.id}.ics` : null;
}

export function toSeriesView(
  s: MeetingSeries,
  coreMembers: SeriesCoreMember[],
  publicDatesFeedUrl: string | null,
): SeriesView {
  return {
    id: s.id,
    title: s.title,
    firstMeetingDate: s.firstMeetingDate,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes,
    slotMinutes: s.slotMinutes,
    intervalWeeks: s.recurrence ? null : s.intervalWeeks,
    ...howOften(s),
    location: s.location,
    onlineUrl: s.onlineUrl,
    chairUserId: s.chairUserId,
    bookingClosesWorkingDaysBefore: s.bookingClosesWorkingDaysBefore,
    bankHolidayPolicy: s.bankHolidayPolicy,
    horizonWeeks: s.horizonWeeks,
    active: s.active,
    coreMembers: coreMembers.map((c) => ({ email: c.email, name: c.name })),
    publicDatesFeedUrl,
  };
}

/** A series' rule as an RRULE value and in words, for the API and the pages. */
export function howOften(s: Pick<MeetingSeries, 'recurrence' | 'intervalWeeks' | 'firstMeetingDate'>): {
  recurrence: string;
  recurrenceText: string;
} {
  const rule = seriesRecurrence(s);
  return { recurrence: formatRecurrence(rule, s.firstMeetingDate), recurrenceText: describeRecurrence(rule) };
}
