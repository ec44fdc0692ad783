import type { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import type { Meeting } from '../meetings/meeting.entity';
import type { MinutesContent } from './minutes-content';

/**
 * Who sees what of the minutes:
 * - `full`: the chair of that meeting and coordinators;
 * - `agency`: everyone else signed in: the general part (attendance by agency, agency feedback,
 *   themes, actions not tied to an item) plus only the items their own agency brought, with the
 *   actions and deferrals of those items. A user without an agency sees the general part only.
 */
export type MinutesScope = { kind: 'full' } | { kind: 'agency'; agencyId: string | null };

export function minutesScopeFor(user: User, meeting: Pick<Meeting, 'chairUserId'>): MinutesScope {
  return chairsMeeting(user, meeting) ? { kind: 'full' } : { kind: 'agency', agencyId: user.agencyId };
}

/**
 * The one filter every rendering of the minutes goes through (JSON, HTML, PDF, and the snapshot
 * of any version). Pure: it never reads the database, so what a reader gets depends only on the
 * content and their scope.
 */
export function visibleMinutes(content: MinutesContent, scope: MinutesScope): MinutesContent {
  if (scope.kind === 'full') return content;
  const ownAgency = (agencyId: string) => scope.agencyId !== null && agencyId === scope.agencyId;

  const items = content.items.filter((item) => ownAgency(item.agency.id));
  const visibleItemIds = new Set([
    ...items.map((i) => i.bookingId),
    ...content.general.agencyFeedback.map((f) => f.bookingId),
  ]);

  return {
    ...content,
    general: {
      ...content.general,
      // Everyone sees who came from which agency, but not which other agencies' items they came for.
      attendance: content.general.attendance.map((group) => ({
        ...group,
        attendees: group.attendees.map((a) => ({
          ...a,
          items: a.items.filter((i) => visibleItemIds.has(i.bookingId)),
        })),
      })),
    },
    items,
    actions: content.actions.filter(
      (a) => a.item === null || a.item.kind === 'agency-feedback' || ownAgency(a.item.agencyId),
    ),
    deferred: content.deferred.filter((d) => ownAgency(d.agency.id)),
  };
}
