import { carriedForwardTo, isOverdue } from './action-rules';

describe('isOverdue', () => {
  it('is overdue only when open and past the due date', () => {
    expect(isOverdue({ status: 'open', dueDate: '2027-03-01' }, '2027-03-02')).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2027-03-01' }, '2027-03-01')).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: '2027-03-01' }, '2027-02-28')).toBe(false);
  });

  it('a done or closed action is never overdue', () => {
    expect(isOverdue({ status: 'done', dueDate: '2020-01-01' }, '2027-03-02')).toBe(false);
    expect(isOverdue({ status: 'closed', dueDate: '2020-01-01' }, '2027-03-02')).toBe(false);
  });

  it('compares whole dates across month and year ends', () => {
    expect(isOverdue({ status: 'open', dueDate: '2026-12-31' }, '2027-01-01')).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2027-01-09' }, '2027-01-10')).toBe(true);
  });
});

describe('carriedForwardTo', () => {
  const raised = new Date('2027-01-11T10:00:00Z');
  const next = new Date('2027-01-25T10:00:00Z');
  const later = new Date('2027-02-08T10:00:00Z');

  it('an open action appears on every later agenda, not on its own or earlier ones', () => {
    const a = { status: 'open' as const, resolvedAt: null, raisedAtMeetingStartsAt: raised };
    expect(carriedForwardTo(a, next)).toBe(true);
    expect(carriedForwardTo(a, later)).toBe(true);
    expect(carriedForwardTo(a, raised)).toBe(false);
    expect(carriedForwardTo(a, new Date('2026-12-28T10:00:00Z'))).toBe(false);
  });

  it('a resolved action stays on agendas of meetings held before it was resolved, and leaves later ones', () => {
    const a = {
      status: 'done' as const,
      resolvedAt: new Date('2027-01-25T10:30:00Z'),
      raisedAtMeetingStartsAt: raised,
    };
    expect(carriedForwardTo(a, next)).toBe(true); // resolved at that meeting
    expect(carriedForwardTo(a, later)).toBe(false);
    const closed = {
      status: 'closed' as const,
      resolvedAt: new Date('2027-01-20T09:00:00Z'),
      raisedAtMeetingStartsAt: raised,
    };
    expect(carriedForwardTo(closed, next)).toBe(false);
  });
});

describe('carriedForwardTo at the boundary', () => {
  it('an action resolved at the very start of a meeting is still on that meeting’s agenda', () => {
    const startsAt = new Date('2027-01-25T10:00:00Z');
    const a = {
      status: 'done' as const,
      resolvedAt: new Date('2027-01-25T10:00:00Z'),
      raisedAtMeetingStartsAt: new Date('2027-01-11T10:00:00Z'),
    };
    expect(carriedForwardTo(a, startsAt)).toBe(true);
  });
});
