import { DomainError } from '../common/domain-error';

export type Placement = { status: 'booked'; slotIndex: number } | { status: 'waitlisted'; slotIndex: null };

/**
 * Where a new item goes: the slot asked for, else the first free one; when none is free, the
 * waiting list if the presenter asked to join it. Pure: the caller supplies the slots already
 * taken, read in the same transaction, and the unique index settles any race.
 */
export function choosePlacement(opts: {
  slotCount: number;
  taken: ReadonlySet<number>;
  requestedSlot?: number;
  joinWaitlist?: boolean;
}): Placement {
  const { slotCount, taken, requestedSlot, joinWaitlist } = opts;
  const full = taken.size >= slotCount;
  if (requestedSlot !== undefined) {
    if (requestedSlot >= slotCount) {
      throw new DomainError(400, 'VALIDATION_FAILED', 'Some fields are missing or invalid.', [
        {
          field: 'slotIndex',
          messages: [`must be between 0 and ${slotCount - 1}: this meeting has ${slotCount} slots`],
        },
      ]);
    }
    if (!taken.has(requestedSlot)) return { status: 'booked', slotIndex: requestedSlot };
    if (full && joinWaitlist) return { status: 'waitlisted', slotIndex: null };
    throw DomainError.conflict('SLOT_TAKEN', 'That slot has just been taken. Choose another slot.');
  }
  for (let i = 0; i < slotCount; i++) if (!taken.has(i)) return { status: 'booked', slotIndex: i };
  if (joinWaitlist) return { status: 'waitlisted', slotIndex: null };
  throw DomainError.conflict(
    'MEETING_FULL',
    'This meeting is full. You can join its waiting list or choose another meeting.',
  );
}
