import { AuditEvent } from '../audit/audit-event.entity';
import { Session } from '../auth/session.entity';
import { SignInToken } from '../auth/sign-in-token.entity';
import { RateLimitCounter } from '../rate-limits/rate-limit-counter.entity';
import { SsoAttempt } from '../single-sign-on/sso-attempt.entity';
import { SsoIdentity } from '../single-sign-on/sso-identity.entity';
import { Booking } from '../bookings/booking.entity';
import { IdempotencyRecord } from '../bookings/idempotency-record.entity';
import { ReferenceCounter } from '../bookings/reference-counter.entity';
import { CalendarFeed } from '../calendar/calendar-feed.entity';
import { FeedVersion } from '../calendar/feed-version.entity';
import { ReminderSent } from '../calendar/reminder-sent.entity';
import { AttendanceReply } from '../calendar-replies/attendance-reply.entity';
import { ReplyMessage } from '../calendar-replies/reply-message.entity';
import { AgencyEmailDomain } from '../directory/agency-email-domain.entity';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import { Meeting } from '../meetings/meeting.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { MinutesVersion } from '../minutes/minutes-version.entity';
import { Minutes } from '../minutes/minutes.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { ItemDeferral } from '../outcomes/item-deferral.entity';
import { MeetingAction } from '../outcomes/meeting-action.entity';
import { Outcome } from '../outcomes/outcome.entity';
import { NextStep } from '../next-steps/next-step.entity';
import { LegalHold } from '../retention/legal-hold.entity';
import { BookingDraft } from '../web/presenter/booking-draft.entity';

/**
 * Case text: every column that holds free text people write about a case, a meeting or the
 * people at it. This one declaration drives
 * - the identifying-details check on every write (CaseTextGuard: no insert or update can put an
 *   NHS number, postcode, date of birth, phone number or e-mail address in these columns, whatever
 *   path it comes by; services check first, so that refusals name the request's own field);
 * - the retention job, which erases every one of them past the retention period;
 * - test/case-text.e2e-spec.ts, which fails when the schema gains a text column that is neither
 *   here nor in NOT_CASE_TEXT below with its reason.
 */
export interface CaseTextColumn {
  entity: abstract new () => object;
  property: string;
  /** The request field it comes from, when named differently (for the 422's `details`). */
  field?: string;
  /**
   * Whether probable names are looked for: not in columns that hold professionals' own names or
   * roles, which are names by design (the other kinds still are).
   */
  names: boolean;
  /** What retention leaves: the notice ("removed under the retention policy on …"), or null where it cannot fit or must not show. */
  erase: 'notice' | 'null';
  /**
   * Not run through the check, but erased: `composed` is built by the service from other case
   * text already checked (the minutes' JSON); `format` is held to its own format rule (an e-mail
   * address, by the e-mail rule).
   */
  checked?: 'composed' | 'format';
}

export const CASE_TEXT: readonly CaseTextColumn[] = [
  { entity: Booking, property: 'agencyReference', names: true, erase: 'notice' },
  { entity: Booking, property: 'question', names: true, erase: 'notice' },
  { entity: Booking, property: 'summary', names: true, erase: 'notice' },
  { entity: Booking, property: 'mashReference', names: false, erase: 'null' },
  { entity: Outcome, property: 'advice', names: true, erase: 'notice' },
  { entity: Outcome, property: 'response', names: true, erase: 'notice' },
  { entity: Outcome, property: 'misdirectedTo', field: 'referralQuality.misdirectedTo', names: true, erase: 'notice' },
  { entity: MeetingAction, property: 'description', names: true, erase: 'notice' },
  { entity: MeetingAction, property: 'ownerName', names: false, erase: 'null' },
  { entity: Minutes, property: 'themesNote', names: true, erase: 'notice' },
  { entity: MinutesVersion, property: 'reason', names: true, erase: 'notice' },
  { entity: MinutesVersion, property: 'content', names: true, erase: 'notice', checked: 'composed' },
  { entity: Meeting, property: 'cancelReason', field: 'reason', names: true, erase: 'notice' },
  { entity: Attendee, property: 'name', names: false, erase: 'notice' },
  { entity: Attendee, property: 'role', names: false, erase: 'null' },
  { entity: Attendee, property: 'email', names: false, erase: 'null', checked: 'format' },
  { entity: LegalHold, property: 'reason', names: true, erase: 'notice' },
  { entity: LegalHold, property: 'liftReason', field: 'reason', names: true, erase: 'notice' },
];

/** A text column that is not case text, and why. */
export interface NotCaseText {
  entity: abstract new () => object;
  properties: readonly string[];
  reason: string;
}

const IDS_AND_CODES = 'identifiers, codes from a fixed list, dates or hashes: never free text';

export const NOT_CASE_TEXT: readonly NotCaseText[] = [
  { entity: AuditEvent, properties: ['id', 'actorUserId', 'action', 'entityType', 'entityId'], reason: IDS_AND_CODES },
  { entity: AuditEvent, properties: ['ip'], reason: 'the client address of a request, for the audit' },
  {
    entity: AuditEvent,
    properties: ['details'],
    reason: 'identifiers, codes, counts and field names only (AuditService: never text)',
  },
  { entity: Agency, properties: ['id', 'sector'], reason: IDS_AND_CODES },
  { entity: Agency, properties: ['name'], reason: 'an organisation’s name, set by a coordinator' },
  { entity: AgencyEmailDomain, properties: ['domain', 'agencyId'], reason: 'an organisation’s e-mail domain' },
  {
    entity: OutboxMessage,
    properties: ['id', 'messageId', 'kind', 'status', 'subjectType', 'subjectId'],
    reason: IDS_AND_CODES,
  },
  {
    entity: OutboxMessage,
    properties: ['recipient', 'subject', 'text', 'html', 'calendar'],
    reason:
      'e-mails carry times, references and links, never case text (composed by the services); sign-in links are blanked once sent',
  },
  { entity: OutboxMessage, properties: ['lastError'], reason: 'the mail server’s answer, for the coordinator' },
  { entity: User, properties: ['id', 'agencyId', 'roles', 'status', 'calendarDelivery'], reason: IDS_AND_CODES },
  { entity: User, properties: ['email', 'name'], reason: 'the account holder’s own address and name (the directory)' },
  { entity: Session, properties: ['id', 'tokenHash', 'userId', 'ssoProvider'], reason: IDS_AND_CODES },
  {
    entity: SsoIdentity,
    properties: ['id', 'provider', 'subject', 'userId'],
    reason: 'a provider’s name and its opaque id for the user',
  },
  {
    entity: SsoAttempt,
    properties: ['id', 'stateHash', 'provider', 'nonce', 'codeVerifier'],
    reason: 'one-time values of a sign-in in progress (the state as a hash)',
  },
  { entity: SignInToken, properties: ['id', 'tokenHash'], reason: IDS_AND_CODES },
  { entity: SignInToken, properties: ['email'], reason: 'the address a sign-in link was sent to' },
  {
    entity: RateLimitCounter,
    properties: ['key'],
    reason: 'a hash of what a rate limit counts, never the address itself',
  },
  {
    entity: MeetingSeries,
    properties: [
      'id',
      'firstMeetingDate',
      'startTime',
      'chairUserId',
      'bankHolidayPolicy',
      'recurrence',
      'calendarInvites',
    ],
    reason: IDS_AND_CODES,
  },
  {
    entity: NextStep,
    properties: ['id', 'bookingId', 'meetingId', 'agencyId', 'presenterUserId', 'pathway', 'madeOn', 'heardBackOn'],
    reason: 'identifiers, a pathway code and dates: what happened next is asked as yes/no and dates, never text',
  },
  {
    entity: MeetingSeries,
    properties: ['title', 'location', 'onlineUrl'],
    reason: 'the meeting’s public arrangements (title, place, link), set by a coordinator',
  },
  {
    entity: Meeting,
    properties: ['id', 'seriesId', 'occurrenceDate', 'status', 'chairUserId', 'cancelledByUserId'],
    reason: IDS_AND_CODES,
  },
  {
    entity: Meeting,
    properties: ['title', 'location', 'onlineUrl'],
    reason: 'the meeting’s public arrangements (title, place, link), set by a coordinator',
  },
  {
    entity: Booking,
    properties: [
      'id',
      'reference',
      'meetingId',
      'presenterUserId',
      'agencyId',
      'kind',
      'status',
      'ageBand',
      'concernCategories',
      'referralDate',
      'withdrawnByUserId',
      'bookedByUserId',
      'followsBookingId',
      'deferredFromMeetingId',
      'thresholdVersion',
    ],
    reason:
      'identifiers, codes from a fixed list and dates: the structured, non-identifying figures kept for reporting',
  },
  { entity: SeriesCoreMember, properties: ['seriesId'], reason: IDS_AND_CODES },
  {
    entity: SeriesCoreMember,
    properties: ['email', 'name'],
    reason: 'a professional invited to every meeting of a series, while they are',
  },
  {
    entity: Attendee,
    properties: ['id', 'meetingId', 'userId', 'agencyId', 'status', 'bookingIds', 'confidentialityStatementHash'],
    reason: IDS_AND_CODES,
  },
  {
    entity: ItemDeferral,
    properties: ['id', 'bookingId', 'fromMeetingId', 'toMeetingId', 'placement', 'deferredByUserId'],
    reason: IDS_AND_CODES,
  },
  {
    entity: IdempotencyRecord,
    properties: ['id', 'userId', 'key', 'requestHash', 'responseBody'],
    reason: 'a hash of the request and the first answer (ids, reference, times), never case text',
  },
  { entity: ReferenceCounter, properties: [], reason: IDS_AND_CODES },
  { entity: CalendarFeed, properties: ['id', 'userId', 'tokenHash'], reason: IDS_AND_CODES },
  { entity: ReminderSent, properties: ['id', 'kind', 'subjectId'], reason: IDS_AND_CODES },
  {
    entity: ReminderSent,
    properties: ['recipient'],
    reason: 'the professional a reminder went to, so that each date reminds each person once',
  },
  { entity: FeedVersion, properties: ['feedKey', 'etag'], reason: IDS_AND_CODES },
  { entity: AttendanceReply, properties: ['id', 'meetingId', 'answer'], reason: IDS_AND_CODES },
  {
    entity: AttendanceReply,
    properties: ['email'],
    reason: 'the chair or core member who answered the invitation, so the chair sees which agencies are coming',
  },
  {
    entity: ReplyMessage,
    properties: ['id', 'messageKey', 'outcome'],
    reason: 'a hash of the Message-ID and a code for what was done with it, nothing from the message',
  },
  { entity: Minutes, properties: ['id', 'meetingId', 'status', 'approvedByUserId'], reason: IDS_AND_CODES },
  {
    entity: MeetingAction,
    properties: [
      'id',
      'meetingId',
      'seriesId',
      'bookingId',
      'ownerAgencyId',
      'dueDate',
      'status',
      'closedReason',
      'resolvedByUserId',
      'createdByUserId',
    ],
    reason: IDS_AND_CODES,
  },
  {
    entity: Outcome,
    properties: [
      'id',
      'bookingId',
      'meetingId',
      'kind',
      'pathway',
      'thresholdVersion',
      'qualityIssues',
      'recordedByUserId',
      'updatedByUserId',
    ],
    reason: IDS_AND_CODES,
  },
  { entity: MinutesVersion, properties: ['id', 'meetingId', 'kind', 'createdByUserId'], reason: IDS_AND_CODES },
  { entity: LegalHold, properties: ['id', 'bookingId', 'placedByUserId', 'liftedByUserId'], reason: IDS_AND_CODES },
  {
    entity: BookingDraft,
    properties: ['id', 'sessionId', 'answers'],
    reason:
      'unfinished booking answers: deleted when the item is booked, on sign-out and after two hours; checked page by page as the item is',
  },
];

/** The case-text columns of one entity. */
export function caseTextOf(entity: abstract new () => object): CaseTextColumn[] {
  return CASE_TEXT.filter((c) => c.entity === entity);
}

/** The properties of one entity's case text, e.g. for the retention job's SQL. */
export function caseTextProperties(entity: abstract new () => object, erase?: CaseTextColumn['erase']): string[] {
  return caseTextOf(entity)
    .filter((c) => erase === undefined || c.erase === erase)
    .map((c) => c.property);
}
