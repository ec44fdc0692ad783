import { DomainError } from '../common/domain-error';
import { choosePlacement } from './slot-placement';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 'no error';
};

describe('choosePlacement', () => {
  it('gives the slot asked for when it is free', () => {
    expect(choosePlacement({ slotCount: 8, taken: new Set([0, 1]), requestedSlot: 5 })).toEqual({
      status: 'booked',
      slotIndex: 5,
    });
  });

  it('gives the first free slot when none is asked for', () => {
    expect(choosePlacement({ slotCount: 4, taken: new Set([0, 2]) })).toEqual({ status: 'booked', slotIndex: 1 });
  });

  it('refuses a taken slot while others are free, even with joinWaitlist', () => {
    expect(
      codeOf(() => choosePlacement({ slotCount: 4, taken: new Set([1]), requestedSlot: 1, joinWaitlist: true })),
    ).toBe('SLOT_TAKEN');
  });

  it('puts the item on the waiting list when the meeting is full and the presenter asked to wait', () => {
    const full = new Set([0, 1, 2]);
    expect(choosePlacement({ slotCount: 3, taken: full, joinWaitlist: true })).toEqual({
      status: 'waitlisted',
      slotIndex: null,
    });
    expect(choosePlacement({ slotCount: 3, taken: full, requestedSlot: 2, joinWaitlist: true })).toEqual({
      status: 'waitlisted',
      slotIndex: null,
    });
  });

  it('answers MEETING_FULL when full and not asked to wait, SLOT_TAKEN for a named slot', () => {
    const full = new Set([0, 1]);
    expect(codeOf(() => choosePlacement({ slotCount: 2, taken: full }))).toBe('MEETING_FULL');
    expect(codeOf(() => choosePlacement({ slotCount: 2, taken: full, requestedSlot: 0 }))).toBe('SLOT_TAKEN');
  });

  it('refuses a slot the meeting does not have, naming the field', () => {
    try {
      choosePlacement({ slotCount: 8, taken: new Set(), requestedSlot: 8 });
      throw new Error('expected a validation error');
    } catch (err) {
      expect((err as DomainError).code).toBe('VALIDATION_FAILED');
      expect((err as DomainError).details).toEqual([
        { field: 'slotIndex', messages: [expect.stringContaining('0 and 7')] },
      ]);
    }
  });
});

describe('choosePlacement: what the presenter is told', () => {
  const messageOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      return (err as DomainError).message;
    }
    return 'no error';
  };

  it('says why, in words a presenter can act on', () => {
    expect(messageOf(() => choosePlacement({ slotCount: 2, taken: new Set([0]), requestedSlot: 0 }))).toBe(
      'That slot has just been taken. Choose another slot.',
    );
    expect(messageOf(() => choosePlacement({ slotCount: 1, taken: new Set([0]) }))).toBe(
      'This meeting is full. You can join its waiting list or choose another meeting.',
    );
    expect(messageOf(() => choosePlacement({ slotCount: 2, taken: new Set(), requestedSlot: 2 }))).toBe(
      'Some fields are missing or invalid.',
    );
  });
});
