import { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { Minutes } from './minutes.entity';

export function minutesApprovedError(): DomainError {
  return DomainError.conflict(
    'MINUTES_APPROVED',
    'The minutes of this meeting have been approved, so nothing was saved: they can now be changed only by an amendment with a reason.',
  );
}

/**
 * Approved minutes are the record: whatever they were composed from (attendance, outcomes,
 * actions raised, deferrals) changes only through an amendment. Call inside the transaction
 * that holds the meeting's lock (findMeetingForUpdate), so approval cannot slip in between.
 */
export async function assertMinutesEditable(m: EntityManager, meetingId: string): Promise<void> {
  const minutes = await m.findOneBy(Minutes, { meetingId });
  if (minutes?.status === 'approved') throw minutesApprovedError();
}
