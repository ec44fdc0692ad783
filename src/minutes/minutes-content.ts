import type { AttendanceStatus } from '../outcomes/attendee.entity';
import type { ActionStatus, ClosedReason } from '../outcomes/meeting-action.entity';

/**
 * The minutes of one meeting as one JSON document: composed live while the minutes are a draft,
 * and stored as-is in `minutes_version.content` when approved or amended. Each reader sees it
 * through `visibleMinutes` (minutes-visibility.ts), whatever the format (JSON, HTML, PDF).
 *
 * Retention: every piece of case text (the item's question and summary, the agency's own case
 * reference, advice, agency feedback and its response, action descriptions, the chair's themes
 * note) sits under a key named `caseText`, and nowhere else. The retention job erases a version
 * with `scrubCaseText`, which keeps every structured field (level, pathway, quality flags, counts).
 */
export const MINUTES_SCHEMA_VERSION = 1;

/** Printed at the top and bottom of every page of the minutes, whatever the format. */
export const MINUTES_MARKING = 'OFFICIAL-SENSITIVE – do not forward';

export interface AgencyRef {
  id: string;
  name: string;
}

export interface CodeLabelCount {
  code: string;
  label: string;
  count: number;
}

export interface AttendeeEntry {
  name: string;
  role: string | null;
  status: AttendanceStatus;
  /** False when the person joined only for particular items (listed in `items` as far as the reader may see them). */
  wholeMeeting: boolean;
  items: Array<{ bookingId: string; reference: string }>;
  confidentialityAccepted: boolean;
}

export interface AttendanceByAgency {
  agency: AgencyRef;
  attendees: AttendeeEntry[];
}

export interface ReferralQualityEntry {
  timely: boolean;
  complete: boolean;
  appropriate: boolean;
  issues: Array<{ code: string; label: string }>;
  /** Where a misdirected referral should have gone (a service). */
  misdirectedTo: string | null;
}

export interface OutcomeEntry {
  levelAdvised: number | null;
  levelLabel: string | null;
  pathway: string | null;
  pathwayLabel: string | null;
  referralQuality: ReferralQualityEntry | null;
  version: number;
  recordedAt: string;
}

/** A threshold consultation or referral feedback: seen by chairs, coordinators and the agency that brought it. */
export interface ItemEntry {
  bookingId: string;
  reference: string;
  kind: string;
  kindLabel: string;
  slotIndex: number | null;
  startsAt: string;
  agency: AgencyRef;
  presenter: { name: string };
  ageBand: string | null;
  concernCategories: Array<{ code: string; label: string }>;
  levelConsidered: number | null;
  mashReference: string | null;
  referralDate: string | null;
  /** How many times the item had been carried forward before this meeting. */
  deferrals: number;
  outcome: OutcomeEntry | null;
  caseText: {
    agencyReference: string | null;
    question: string | null;
    summary: string | null;
    advice: string | null;
  };
}

/** An agency's feedback to children's social care and the response: part of the general minutes. */
export interface AgencyFeedbackEntry {
  bookingId: string;
  reference: string;
  agency: AgencyRef;
  presenter: { name: string };
  responded: boolean;
  caseText: {
    feedback: string | null;
    response: string | null;
  };
}

export interface ActionEntry {
  id: string;
  raisedAt: { meetingId: string; title: string; startsAt: string };
  /** Raised at an earlier meeting of the series and still open when this one began. */
  carriedForward: boolean;
  ownerAgency: AgencyRef;
  ownerName: string | null;
  dueDate: string;
  status: ActionStatus;
  closedReason: ClosedReason | null;
  /** Open and past its due date, as at `composedAt`. */
  overdue: boolean;
  /** The item it arose from: then it is seen only where that item is. */
  item: { bookingId: string; reference: string; agencyId: string; kind: string } | null;
  caseText: { description: string | null };
}

export interface DeferredEntry {
  bookingId: string;
  reference: string;
  agency: AgencyRef;
  toMeeting: { id: string; title: string; startsAt: string };
  placement: 'booked' | 'waitlisted';
}

/**
 * "Themes": what the meeting as a whole showed, without any case: counts by kind, concern
 * category, level advised and pathway, the referral-quality findings, and the chair's note.
 */
export interface ThemesEntry {
  itemsDiscussed: number;
  outcomesRecorded: number;
  itemsDeferred: number;
  byKind: CodeLabelCount[];
  byConcernCategory: CodeLabelCount[];
  byLevelAdvised: Array<{ level: number; label: string; count: number }>;
  byPathway: CodeLabelCount[];
  referralQuality: {
    reviewed: number;
    timely: number;
    complete: number;
    appropriate: number;
    issues: CodeLabelCount[];
  };
  caseText: { note: string | null };
}

export interface MinutesContent {
  schemaVersion: typeof MINUTES_SCHEMA_VERSION;
  composedAt: string;
  meeting: {
    id: string;
    seriesId: string;
    title: string;
    startsAt: string;
    endsAt: string;
    location: string | null;
    chair: { id: string; name: string } | null;
  };
  confidentialityStatement: string;
  /** Seen by everyone who may read the minutes. */
  general: {
    attendance: AttendanceByAgency[];
    agencyFeedback: AgencyFeedbackEntry[];
    themes: ThemesEntry;
  };
  items: ItemEntry[];
  actions: ActionEntry[];
  deferred: DeferredEntry[];
}

/**
 * The minutes with every `caseText` value erased (set to null), wherever it sits: what the
 * retention job writes back once the partnership's retention period has passed. Pure.
 *
 * With `replacement` (the retention job passes its notice, "removed under the retention policy
 * on …"), each value that held text becomes that notice instead, and a value that was null
 * (nothing was written) stays null, so every reader shows the same words as the records do.
 */
export function scrubCaseText<T>(value: T, replacement: string | null = null): T {
  if (Array.isArray(value)) return value.map((v) => scrubCaseText(v, replacement)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] =
      key === 'caseText' && v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as object).map(([k, text]) => [
              k,
              text === null || text === undefined ? null : replacement,
            ]),
          )
        : scrubCaseText(v, replacement);
  }
  return out as T;
}
