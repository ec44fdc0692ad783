import type { ActionStatus } from './meeting-action.entity';

/**
 * An action is overdue when it is still open after its due date (a London date): on the due
 * date itself it is not overdue yet. `today` is londonToday(now). Pure.
 */
export function isOverdue(action: { status: ActionStatus; dueDate: string }, today: string): boolean {
  return action.status === 'open' && action.dueDate < today;
}

/**
 * Whether an action raised at an earlier meeting belongs on the agenda of a meeting starting at
 * `meetingStartsAt`: it was still open then. Open actions appear on every later agenda; a done or
 * closed one stays on the agendas of meetings held before it was resolved (and of the meeting at
 * which it was resolved), so past agendas read as they were. Pure.
 */
export function carriedForwardTo(
  action: { status: ActionStatus; resolvedAt: Date | null; raisedAtMeetingStartsAt: Date },
  meetingStartsAt: Date,
): boolean {
  if (action.raisedAtMeetingStartsAt.getTime() >= meetingStartsAt.getTime()) return false;
  if (action.status === 'open') return true;
  return action.resolvedAt !== null && action.resolvedAt.getTime() >= meetingStartsAt.getTime();
}
