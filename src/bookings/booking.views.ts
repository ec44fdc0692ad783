import type { ItemHistoryEntry } from './bookings.service';
import { createHash } from 'node:crypto';
import { Meeting } from '../meetings/meeting.entity';
import { Booking, BookingStatus } from './booking.entity';
import { CreateBookingDto, EDITABLE_BOOKING_FIELDS } from './dto/booking.dto';
import type { ItemState } from '../meetings/meeting-lifecycle';

/** An item without its free text: for lists, agendas and answers to changes. */
export interface BookingSummaryView {
  id: string;
  reference: string;
  meetingId: string;
  meetingTitle: string;
  kind: string;
  status: BookingStatus;
  /** Where it stands now: `booked` or `waitlisted` before its meeting; then `discussed` or `not-reached`; or `withdrawn`, `meeting-cancelled`. */
  state: ItemState;
  slotIndex: number | null;
  startsAt: Date;
  endsAt: Date;
  presenter: { id: string; name: string };
  /** Who booked it, when not the presenter themselves (a colleague, a coordinator); else null. */
  bookedByUserId: string | null;
  /** The earlier item of the same agency it follows up, or null. */
  followsBookingId: string | null;
  agency: { id: string; name: string };
  createdAt: Date;
}

/** The whole item, including its anonymised case text: only for those entitled, and audited. */
export interface BookingDetailView extends BookingSummaryView {
  agencyReference: string | null;
  ageBand: string | null;
  concernCategories: string[];
  levelConsidered: number | null;
  /** The threshold document version the level considered is of (GET /api/reference-data); null: recorded before versions were kept, so the oldest. */
  thresholdVersion: string | null;
  question: string | null;
  summary: string;
  mashReference: string | null;
  referralDate: string | null;
  /** Changes with any answer: send it back with a change (PATCH), so that a newer one is not overwritten. */
  version: string;
  /** For the chair of its meeting and coordinators: the earlier discussions it follows up, newest first. */
  history?: ItemHistoryEntry[];
}

/** The item's own times: its slot when it has one, else the whole meeting. */
export function itemTimes(booking: Booking, meeting: Meeting): { startsAt: Date; endsAt: Date } {
  const slot = booking.slotIndex !== null ? meeting.slots[booking.slotIndex] : undefined;
  return slot
    ? { startsAt: slot.startsAt, endsAt: slot.endsAt }
    : { startsAt: meeting.startsAt, endsAt: meeting.endsAt };
}

export function toBookingSummary(b: Booking, meeting: Meeting = b.meeting): BookingSummaryView {
  return {
    id: b.id,
    reference: b.reference,
    meetingId: b.meetingId,
    meetingTitle: meeting.title,
    kind: b.kind,
    status: b.status,
    state: b.state ?? b.status,
    slotIndex: b.slotIndex,
    ...itemTimes(b, meeting),
    presenter: { id: b.presenter.id, name: b.presenter.name },
    bookedByUserId: b.bookedByUserId !== null && b.bookedByUserId !== b.presenterUserId ? b.bookedByUserId : null,
    followsBookingId: b.followsBookingId,
    agency: { id: b.agency.id, name: b.agency.name },
    createdAt: b.createdAt,
  };
}

export function toBookingDetail(b: Booking): BookingDetailView {
  return {
    ...toBookingSummary(b),
    agencyReference: b.agencyReference,
    ageBand: b.ageBand,
    concernCategories: b.concernCategories,
    levelConsidered: b.levelConsidered,
    thresholdVersion: b.thresholdVersion,
    question: b.question,
    summary: b.summary,
    mashReference: b.mashReference,
    referralDate: b.referralDate,
    version: bookingVersion(b),
  };
}

/** A fingerprint of the item's answers: what a change must have been read at (no case text in it). */
export function bookingVersion(b: Booking): string {
  const answers = EDITABLE_BOOKING_FIELDS.map((f) => b[f]);
  return createHash('sha256').update(JSON.stringify(answers)).digest('base64url').slice(0, 22);
}

/** An item's answers as booking takes them (the ones it has): to check or show a change with the booking form's rules. */
export function bookingAnswers(b: Booking): Partial<CreateBookingDto> {
  const answers: Record<string, unknown> = {};
  for (const f of EDITABLE_BOOKING_FIELDS) if (b[f] !== null) answers[f] = b[f];
  return answers as Partial<CreateBookingDto>;
}
