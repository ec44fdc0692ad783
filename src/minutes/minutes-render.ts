import type { MinutesDocument } from './minutes.views';
import type { ActionEntry } from './minutes-content';
import {
  formatCalendarDate,
  formatLondonDate,
  formatLondonDateTime,
  formatLondonTime,
} from '../scheduling/london-format';
import { CLOSED_REASON_LABELS } from '../outcomes/meeting-action.entity';

/**
 * Words shared by the HTML and PDF renderings, so both print the same minutes. Everything here
 * is plain text; each renderer escapes or encodes it for its format.
 */
export const CONFIDENTIALITY_FOOTER =
  'Confidential: for the safeguarding work of the people it was sent to. Do not forward, copy or share.';

export function minutesTitle(doc: MinutesDocument): string {
  return `Minutes: ${doc.content.meeting.title}, ${formatLondonDate(new Date(doc.content.meeting.startsAt))}`;
}

export function statusLine(doc: MinutesDocument): string {
  if (doc.status === 'draft') return 'DRAFT: not yet approved by the chair.';
  const shown = doc.version ?? doc.latestVersion;
  const latest = shown === doc.latestVersion ? '' : ` (a later version, ${doc.latestVersion}, exists)`;
  const approved = doc.approvedAt ? `; approved ${formatLondonDateTime(new Date(doc.approvedAt))}` : '';
  return `Approved minutes, version ${shown}${latest}${approved}.`;
}

export function scopeLine(doc: MinutesDocument): string | null {
  if (doc.scope === 'full') return null;
  const whose = doc.extractFor ? ` for ${doc.extractFor}` : '';
  return `Extract${whose}: the general minutes and only the items you presented, attended, or that your agency brought if you are its lead.`;
}

export function meetingLines(doc: MinutesDocument): string[] {
  const m = doc.content.meeting;
  return [
    `${formatLondonDateTime(new Date(m.startsAt))} to ${formatLondonTime(new Date(m.endsAt))}`,
    ...(m.location ? [`Where: ${m.location}`] : []),
    ...(m.chair ? [`Chair: ${m.chair.name}`] : []),
  ];
}

export function attendeeLine(a: {
  name: string;
  role: string | null;
  status: string;
  wholeMeeting: boolean;
  items: Array<{ reference: string }>;
  confidentialityAccepted: boolean;
}): string {
  const status = a.status === 'present' ? 'present' : a.status === 'apologies' ? 'apologies' : 'absent';
  const forItems = a.wholeMeeting
    ? ''
    : a.items.length
      ? `, for ${a.items.map((i) => i.reference).join(', ')}`
      : ', for particular items';
  const accepted = a.confidentialityAccepted ? '; accepted the confidentiality statement' : '';
  return `${a.name}${a.role ? `, ${a.role}` : ''}: ${status}${forItems}${accepted}`;
}

export function actionLines(a: ActionEntry): { heading: string; details: string } {
  const owner = `${a.ownerAgency.name}${a.ownerName ? ` (${a.ownerName})` : ''}`;
  const status =
    a.status === 'open'
      ? a.overdue
        ? 'OPEN – OVERDUE'
        : 'open'
      : a.status === 'done'
        ? 'done'
        : `closed: ${a.closedReason ? CLOSED_REASON_LABELS[a.closedReason] : ''}`;
  const origin = a.carriedForward
    ? `; carried forward from ${a.raisedAt.title}, ${formatLondonDate(new Date(a.raisedAt.startsAt))}`
    : '';
  const item = a.item ? `; item ${a.item.reference}` : '';
  return {
    heading: `${owner}, due ${formatCalendarDate(a.dueDate)}: ${status}`,
    details: `${origin}${item}`.replace(/^; /, ''),
  };
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
