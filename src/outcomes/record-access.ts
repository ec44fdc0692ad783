import { EntityManager } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { DomainError } from '../common/domain-error';
import { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import { findMeetingForUpdate } from '../meetings/meeting-lock';
import { Meeting } from '../meetings/meeting.entity';

/**
 * Everything recorded about a meeting (attendance, outcomes, actions, deferrals, minutes) is
 * written by the chair of that meeting or a coordinator, one writer at a time: the meeting's row
 * is locked until commit (PostgreSQL; SQLite transactions are serialised anyway), so approving
 * the minutes can never interleave with a late edit.
 *
 * Meetings are visible to every signed-in user, so anyone else gets 403.
 */
export async function lockMeetingForRecording(m: EntityManager, meetingId: string, user: User): Promise<Meeting> {
  const meeting = await findMeetingForUpdate(m, meetingId);
  if (!meeting) throw DomainError.notFound('The meeting');
  if (!chairsMeeting(user, meeting))
    throw DomainError.forbidden('Only the chair of this meeting or a coordinator can record it.');
  if (meeting.status === 'cancelled') {
    throw DomainError.conflict('MEETING_CANCELLED', 'This meeting was cancelled, so nothing can be recorded for it.');
  }
  return meeting;
}

/**
 * The same for one item: 404 for anyone who may not know the item exists, 403 for its presenter
 * (who may read it but not record its outcome). Returns the item as it is once its meeting is
 * locked, with presenter and agency.
 */
export async function lockItemForRecording(
  m: EntityManager,
  bookingId: string,
  user: User,
): Promise<{ booking: Booking; meeting: Meeting }> {
  const seen = await m.findOne(Booking, { where: { id: bookingId }, relations: { meeting: true } });
  if (!seen) throw DomainError.notFound('The item');
  if (!chairsMeeting(user, seen.meeting)) {
    // Its presenter and their agency's lead know the item exists; to anyone else it does not.
    const knowsIt =
      seen.presenterUserId === user.id || (user.hasRole('agency-lead') && user.agencyId === seen.agencyId);
    if (!knowsIt) throw DomainError.notFound('The item');
    throw DomainError.forbidden('Only the chair of this meeting or a coordinator can record this item.');
  }
  const meeting = await lockMeetingForRecording(m, seen.meetingId, user);
  // Read again under the lock: a deferral may have moved the item meanwhile.
  const booking = await m.findOne(Booking, { where: { id: bookingId }, relations: { presenter: true, agency: true } });
  if (!booking || booking.meetingId !== meeting.id) {
    throw DomainError.conflict(
      'ITEM_MOVED',
      'This item has just been moved to another meeting. Reload it and try again.',
    );
  }
  return { booking, meeting };
}

export function itemNotOnAgenda(status: string): DomainError {
  return DomainError.conflict(
    'ITEM_NOT_ON_AGENDA',
    'This item is not on the meeting’s agenda (it is withdrawn, cancelled or waiting), so it cannot have an outcome.',
    {
      status,
    },
  );
}

/** Prefixes field errors from a nested part of a request, e.g. `advice` → `outcomes[1].advice`. */
export function prefixFieldErrors(err: unknown, prefix: string): unknown {
  const fielded =
    err instanceof DomainError && (err.code === 'VALIDATION_FAILED' || err.code === 'IDENTIFYING_DETAILS');
  if (fielded && Array.isArray(err.details)) {
    return new DomainError(
      err.statusCode,
      err.code,
      err.message,
      (err.details as Array<{ field: string }>).map((d) => ({
        ...d,
        field: d.field.startsWith('[') ? `${prefix}${d.field}` : `${prefix}.${d.field}`,
      })),
    );
  }
  return err;
}
