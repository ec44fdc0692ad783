import type { MeetingAccess } from '../need-to-know/need-to-know.rule';
import type { MinutesContent } from './minutes-content';

/**
 * Who sees what of the minutes, from the need-to-know rule (src/need-to-know/need-to-know.rule.ts):
 * - `full`: the chair of that meeting and coordinators;
 * - `extract`: people connected with the meeting: the general part (attendance, agency feedback,
 *   themes, actions not tied to an item) plus only the items they may see (presented, attended,
 *   or brought by the agency they lead), with those items' actions and deferrals;
 * - nobody else: null (they get 404).
 */
export type MinutesScope = { kind: 'full' } | { kind: 'extract'; itemIds: ReadonlySet<string> };

export function minutesScope(access: MeetingAccess): MinutesScope | null {
  if (access.full) return { kind: 'full' };
  if (!access.general && access.itemIds.size === 0) return null;
  return { kind: 'extract', itemIds: access.itemIds };
}

/**
 * The one filter every rendering of the minutes goes through (JSON, HTML, PDF, and the snapshot
 * of any version). Pure: it never reads the database, so what a reader gets depends only on the
 * content and their scope.
 */
export function visibleMinutes(content: MinutesContent, scope: MinutesScope): MinutesContent {
  if (scope.kind === 'full') return content;
  const sees = (bookingId: string) => scope.itemIds.has(bookingId);

  const items = content.items.filter((item) => sees(item.bookingId));
  const visibleItemIds = new Set([
    ...items.map((i) => i.bookingId),
    ...content.general.agencyFeedback.map((f) => f.bookingId),
  ]);

  return {
    ...content,
    general: {
      ...content.general,
      // Everyone connected sees who came from which agency, but not which other items they came for.
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
      (a) => a.item === null || a.item.kind === 'agency-feedback' || sees(a.item.bookingId),
    ),
    deferred: content.deferred.filter((d) => sees(d.bookingId)),
  };
}

/** Every item the minutes mention (agenda, agency feedback, carried forward), for the rule. */
export function itemIdsIn(content: MinutesContent): string[] {
  return [
    ...new Set([
      ...content.items.map((i) => i.bookingId),
      ...content.general.agencyFeedback.map((f) => f.bookingId),
      ...content.deferred.map((d) => d.bookingId),
    ]),
  ];
}
