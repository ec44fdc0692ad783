import type { Booking } from '../bookings/booking.entity';
import type { MeetingAction } from './meeting-action.entity';

export interface ActionView {
  id: string;
  /** The meeting that agreed it. */
  raisedAt: { meetingId: string; title: string; startsAt: Date };
  /** Case text. */
  description: string | null;
  ownerAgency: { id: string; name: string };
  ownerName: string | null;
  dueDate: string;
  status: string;
  closedReason: string | null;
  /** The item it arose from. */
  item: { bookingId: string; reference: string } | null;
  /** Still open after its due date (Europe/London): flagged to the chair. */
  overdue: boolean;
  /** Raised at an earlier meeting of the series and carried forward to this one. */
  carriedForward: boolean;
  resolvedAt: Date | null;
  createdAt: Date;
}

export interface MeetingActionsView {
  meetingId: string;
  /** Agreed at this meeting. */
  raised: ActionView[];
  /** Open actions from earlier meetings of the series (and ones resolved since this meeting began). */
  carriedForward: ActionView[];
  /** How many of all these are overdue. */
  overdueCount: number;
}

/** `action` with `meeting` and `ownerAgency` loaded; `item` its linked booking, if any. */
export function toActionView(
  action: MeetingAction,
  item: Pick<Booking, 'id' | 'reference'> | null,
  flags: { overdue: boolean; carriedForward: boolean },
): ActionView {
  return {
    id: action.id,
    raisedAt: { meetingId: action.meetingId, title: action.meeting.title, startsAt: action.meeting.startsAt },
    description: action.description,
    ownerAgency: { id: action.ownerAgency.id, name: action.ownerAgency.name },
    ownerName: action.ownerName,
    dueDate: action.dueDate,
    status: action.status,
    closedReason: action.closedReason,
    item: item ? { bookingId: item.id, reference: item.reference } : null,
    overdue: flags.overdue,
    carriedForward: flags.carriedForward,
    resolvedAt: action.resolvedAt,
    createdAt: action.createdAt,
  };
}
