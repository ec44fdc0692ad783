import { itemState, meetingState } from './meeting-lifecycle';

const at = (iso: string) => new Date(iso);
const meeting = { status: 'scheduled' as const, startsAt: at('2027-03-02T10:00:00Z') };

describe('a meeting’s life', () => {
  it('is scheduled until it starts, held from its start, minutes-approved after approval', () => {
    expect(meetingState(meeting, at('2027-03-02T09:59:59Z'), false)).toBe('scheduled');
    expect(meetingState(meeting, at('2027-03-02T10:00:00Z'), false)).toBe('held');
    expect(meetingState(meeting, at('2027-03-09T10:00:00Z'), true)).toBe('minutes-approved');
    expect(meetingState({ ...meeting, status: 'cancelled' }, at('2027-03-09T10:00:00Z'), true)).toBe('cancelled');
  });
});

describe('an item’s life', () => {
  const before = at('2027-03-02T09:00:00Z');
  const after = at('2027-03-02T10:30:00Z');
  it('keeps its booking status until the meeting starts', () => {
    expect(itemState({ status: 'booked' }, meeting, before, true)).toBe('booked');
    expect(itemState({ status: 'waitlisted' }, meeting, before, false)).toBe('waitlisted');
  });
  it('is discussed with an outcome, not reached without one (or still waiting) once the meeting has started', () => {
    expect(itemState({ status: 'booked' }, meeting, after, true)).toBe('discussed');
    expect(itemState({ status: 'booked' }, meeting, after, false)).toBe('not-reached');
    expect(itemState({ status: 'waitlisted' }, meeting, after, false)).toBe('not-reached');
  });
  it('stays withdrawn or cancelled', () => {
    expect(itemState({ status: 'withdrawn' }, meeting, after, false)).toBe('withdrawn');
    expect(itemState({ status: 'meeting-cancelled' }, meeting, after, false)).toBe('meeting-cancelled');
  });
});

describe('an item’s life at the boundaries', () => {
  it('changes at the very instant the meeting starts', () => {
    expect(itemState({ status: 'booked' }, meeting, meeting.startsAt, true)).toBe('discussed');
    expect(itemState({ status: 'booked' }, meeting, meeting.startsAt, false)).toBe('not-reached');
  });

  it('an item still on the waiting list is not reached, even if an outcome exists for it', () => {
    expect(itemState({ status: 'waitlisted' }, meeting, at('2027-03-02T10:30:00Z'), true)).toBe('not-reached');
  });
});
