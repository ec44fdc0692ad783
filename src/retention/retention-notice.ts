import { DateTime } from 'luxon';
import { MinutesContent, scrubCaseText } from '../minutes/minutes-content';
import { LONDON_ZONE } from '../scheduling/calendar-rules';

/**
 * What erased case text reads as, everywhere: "removed under the retention policy on 1 December
 * 2026" (the London date of the erasure).
 *
 * The notice is stored in place of the text, in every column and in every minutes version,
 * rather than rendered from an `erasedAt` by each reader: the API's JSON, the minutes (JSON,
 * HTML, PDF), the web pages and any later reader then all show the same words without each
 * having to know about retention, and nothing can show a blank that looks like "never written".
 * The `caseTextErasedAt` columns record when, for the job's own bookkeeping. A value that was
 * never written (null) stays null. At most 55 characters: it fits the 60 of an agency reference.
 */
export function retentionNotice(at: Date): string {
  return `${NOTICE_PREFIX}${DateTime.fromJSDate(at, { zone: LONDON_ZONE }).setLocale('en-GB').toFormat('d LLLL yyyy')}`;
}

const NOTICE_PREFIX = 'removed under the retention policy on ';
const NOTICE = /^removed under the retention policy on \d{1,2} [A-Z][a-z]+ \d{4}$/;

export function isRetentionNotice(value: unknown): boolean {
  return typeof value === 'string' && NOTICE.test(value);
}

/** The notice for a value that held text; null stays null; a notice stays as it was. */
export function erasedValue(value: string | null, notice: string): string | null {
  return value === null || isRetentionNotice(value) ? value : notice;
}

/** What erasing a minutes version changed, by part (for the audit: identifiers, never text). */
export interface MinutesErasure {
  content: MinutesContent;
  /** Items and agency feedback whose sections were erased now. */
  bookingIds: string[];
  /** Actions whose descriptions were erased now. */
  actionIds: string[];
  themesNote: boolean;
  /** Whether names and roles in the attendance register were erased. */
  attendees: boolean;
  /** Whether case text is left in this version (held items): the job looks at it again later. */
  textLeft: boolean;
}

/**
 * Erases one minutes version's case text (with scrubCaseText) except the sections of held items:
 * an item's section, an agency feedback entry, and the actions that arose from a held item.
 * Sections already erased are left alone, so running it again changes nothing (and a section
 * erased on an earlier day keeps that day's date). Pure.
 */
export function eraseMinutesContent(
  content: MinutesContent,
  heldBookingIds: ReadonlySet<string>,
  notice: string,
): MinutesErasure {
  const bookingIds: string[] = [];
  const actionIds: string[] = [];
  let textLeft = false;
  const isText = (v: string | null | undefined): v is string => typeof v === 'string' && !isRetentionNotice(v);
  /**
   * Whether to erase one entry: it holds text (in its caseText, or `beside` it: a MASH reference,
   * where a referral should have gone, an owner's name), and is not held. Records what it does.
   */
  const erasing = (
    entry: { caseText: Record<string, string | null> },
    beside: Array<string | null | undefined>,
    bookingId: string | null,
    record: () => void,
  ): boolean => {
    if (!Object.values(entry.caseText).some(isText) && !beside.some(isText)) return false;
    if (bookingId !== null && heldBookingIds.has(bookingId)) {
      textLeft = true;
      return false;
    }
    record();
    return true;
  };
  const scrubbed = <T extends Record<string, string | null>>(caseText: T): T =>
    scrubCaseText({ caseText }, notice).caseText;

  const items = content.items.map((i) => {
    const quality = i.outcome?.referralQuality;
    if (!erasing(i, [i.mashReference, quality?.misdirectedTo], i.bookingId, () => bookingIds.push(i.bookingId)))
      return i;
    return {
      ...i,
      caseText: scrubbed(i.caseText),
      mashReference: null,
      outcome:
        i.outcome && quality ? { ...i.outcome, referralQuality: { ...quality, misdirectedTo: null } } : i.outcome,
    };
  });
  const agencyFeedback = content.general.agencyFeedback.map((f) =>
    erasing(f, [], f.bookingId, () => bookingIds.push(f.bookingId)) ? { ...f, caseText: scrubbed(f.caseText) } : f,
  );
  const actions = content.actions.map((a) =>
    erasing(a, [a.ownerName], a.item?.bookingId ?? null, () => actionIds.push(a.id))
      ? { ...a, caseText: scrubbed(a.caseText), ownerName: null }
      : a,
  );
  let themesNote = false;
  const themes = erasing(content.general.themes, [], null, () => (themesNote = true))
    ? { ...content.general.themes, caseText: scrubbed(content.general.themes.caseText) }
    : content.general.themes;
  // The register: people's names and roles belong to no item, so no hold keeps them.
  let attendees = false;
  const attendance = content.general.attendance.map((group) => ({
    ...group,
    attendees: group.attendees.map((person) => {
      if (!isText(person.name) && !isText(person.role)) return person;
      attendees = true;
      return { ...person, name: isText(person.name) ? notice : person.name, role: null };
    }),
  }));
  return {
    content: { ...content, general: { ...content.general, attendance, agencyFeedback, themes }, items, actions },
    bookingIds,
    actionIds,
    themesNote,
    attendees,
    textLeft,
  };
}

/**
 * Erases, in a later meeting's minutes, the actions erased at the meeting that agreed them:
 * open actions are carried forward onto every later agenda, so their descriptions are copied
 * into later minutes. The text goes everywhere it was copied, on the day it goes at its origin.
 * Returns the ids of the actions erased in this version (none: leave it alone). Pure.
 */
export function eraseCarriedActions(
  content: MinutesContent,
  actionIds: ReadonlySet<string>,
  notice: string,
): { content: MinutesContent; actionIds: string[] } {
  const erased: string[] = [];
  const actions = content.actions.map((a) => {
    if (!actionIds.has(a.id) || a.caseText.description === null || isRetentionNotice(a.caseText.description)) return a;
    erased.push(a.id);
    return { ...a, caseText: scrubCaseText({ caseText: a.caseText }, notice).caseText };
  });
  return { content: { ...content, actions }, actionIds: erased };
}
