/**
 * Need to know: the one rule for who may read what about a meeting, used by every way it can be
 * read (the API's JSON, the pages, the minutes' HTML and PDF, who is e-mailed the minutes).
 * Information is shared "only with those who need to know to keep a child safe":
 *
 * 1. The chair of the meeting and coordinators see everything of it.
 * 2. An item (its case text, outcome and actions) is seen by
 *    - its presenter,
 *    - the people recorded as present at the meeting for it (for that item, or for the whole
 *      meeting),
 *    - the agency lead (designated safeguarding lead) of the agency that brought it.
 * 3. The general part of the minutes (who attended, agency feedback and the reply, actions not
 *    tied to an item, themes) is seen by the people connected with the meeting: those in its
 *    attendance register as present, its presenters, the series' invited core members, and the
 *    agency leads of agencies that had an item. Not by every account.
 * 4. Anyone else gets 404, exactly as for a record that does not exist.
 *
 * An address on an agency's e-mail domain, or working for the same agency, is not a reason.
 * Pure: callers gather the facts (need-to-know.service.ts); the decision is made here only.
 */

/** What is known about one reader's connection with one meeting. */
export interface ReaderFacts {
  userId: string;
  /** A coordinator, or the chair of this meeting. */
  runsMeeting: boolean;
  /** The agency the reader is the lead of (an active account with the agency-lead role), or null. */
  leadOfAgencyId: string | null;
  /** The reader's lines in the meeting's attendance register (by account or by address). */
  attendance: Array<{ present: boolean; wholeMeeting: boolean; itemIds: readonly string[] }>;
  /** The reader is an invited core member of the meeting's series. */
  coreMember: boolean;
}

/** An item discussed at (or carried forward from) the meeting. */
export interface ItemRef {
  id: string;
  agencyId: string;
  presenterUserId: string;
}

export interface MeetingAccess {
  /** Everything (rule 1). */
  full: boolean;
  /** The general part of the minutes (rule 3). */
  general: boolean;
  /** The items whose case text the reader may see (rule 2; every item when `full`). */
  itemIds: ReadonlySet<string>;
}

export const NO_ACCESS: MeetingAccess = Object.freeze({ full: false, general: false, itemIds: new Set<string>() });

export function meetingAccess(reader: ReaderFacts, items: readonly ItemRef[]): MeetingAccess {
  if (reader.runsMeeting) return { full: true, general: true, itemIds: new Set(items.map((i) => i.id)) };
  const present = reader.attendance.filter((a) => a.present);
  const attendedWhole = present.some((a) => a.wholeMeeting);
  const attendedItems = new Set(present.flatMap((a) => a.itemIds));
  const itemIds = new Set(
    items
      .filter(
        (item) =>
          item.presenterUserId === reader.userId ||
          // Stryker disable next-line ConditionalExpression: equivalent, an item's agencyId is never null, so it cannot equal a null lead
          (reader.leadOfAgencyId !== null && item.agencyId === reader.leadOfAgencyId) ||
          attendedWhole ||
          attendedItems.has(item.id),
      )
      .map((item) => item.id),
  );
  const general =
    present.length > 0 ||
    reader.coreMember ||
    items.some((item) => item.presenterUserId === reader.userId) ||
    // Stryker disable next-line ConditionalExpression: equivalent, an item's agencyId is never null, so it cannot equal a null lead
    (reader.leadOfAgencyId !== null && items.some((item) => item.agencyId === reader.leadOfAgencyId));
  return { full: false, general, itemIds };
}

/**
 * 5. An item's history (the earlier items of its agency that it follows up: their dates, levels and
 *    advice) is seen by those who run the item's meeting, so the chair has the case's history at
 *    the meeting. Not by the presenter as such: the earlier items may be a colleague's.
 */
export function seesItemHistory(access: MeetingAccess): boolean {
  return access.full;
}

/** Whether the reader may see anything of the meeting at all (otherwise: 404). */
export function seesMeetingRecord(access: MeetingAccess): boolean {
  return access.full || access.general || access.itemIds.size > 0;
}
