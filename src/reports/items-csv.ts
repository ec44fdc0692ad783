import { stringify, Stringifier } from 'csv-stringify';
import { DateTime } from 'luxon';
import { LONDON_ZONE } from '../scheduling/calendar-rules';
import { quarterKeyOf } from './report-period';
import { parseJsonList, toBoolean, toInstant } from '../database/raw-values';
import { SINGLE_VERSION_ID } from '../reference-data/threshold-versions';

/**
 * One row per item of a meeting in the range, whatever became of it: structured fields only.
 * Never the question, summary, agency reference, MASH reference, advice, response, the service a
 * misdirected referral should have gone to, or any other free text; nor the presenter's name.
 * The headers are the partnership's scripts' interface: add columns at the end, never rename.
 */
export const ITEMS_CSV_COLUMNS = [
  { key: 'reference', header: 'reference' },
  { key: 'meetingDate', header: 'meeting_date' },
  { key: 'meetingTime', header: 'meeting_time' },
  { key: 'quarter', header: 'quarter' },
  { key: 'meetingStatus', header: 'meeting_status' },
  { key: 'meetingHeld', header: 'meeting_held' },
  { key: 'itemStatus', header: 'item_status' },
  { key: 'discussed', header: 'discussed' },
  { key: 'kind', header: 'kind' },
  { key: 'agency', header: 'agency' },
  { key: 'agencySector', header: 'agency_sector' },
  { key: 'ageBand', header: 'age_band' },
  { key: 'concernCategories', header: 'concern_categories' },
  { key: 'levelConsidered', header: 'level_considered' },
  { key: 'outcomeRecorded', header: 'outcome_recorded' },
  { key: 'levelAdvised', header: 'level_advised' },
  { key: 'pathway', header: 'pathway' },
  { key: 'referralTimely', header: 'referral_timely' },
  { key: 'referralComplete', header: 'referral_complete' },
  { key: 'referralAppropriate', header: 'referral_appropriate' },
  { key: 'referralIssues', header: 'referral_issues' },
  { key: 'timesCarriedForward', header: 'times_carried_forward' },
  { key: 'givenFreedSlot', header: 'given_freed_slot' },
  { key: 'followsEarlierItem', header: 'follows_earlier_item' },
  { key: 'levelConsideredVersion', header: 'level_considered_version' },
  { key: 'levelAdvisedVersion', header: 'level_advised_version' },
] as const;

export type ItemCsvRecord = Record<(typeof ITEMS_CSV_COLUMNS)[number]['key'], string | number | boolean | null>;

/** The raw row of one page (report-queries' export query): structured columns only. */
export interface ItemExportRow {
  id: string;
  reference: string;
  kind: string;
  status: string;
  age_band: string | null;
  categories: unknown;
  level_considered: unknown;
  deferrals: unknown;
  promoted_at: unknown;
  /** The earlier item this one follows up: only whether there is one is exported. */
  follows_booking_id?: string | null;
  /** The threshold document versions of the two levels (null: made before versions were kept). */
  considered_version?: string | null;
  advised_version?: string | null;
  starts_at: unknown;
  meeting_status: string;
  agency: string;
  sector: string;
  outcome_id: string | null;
  level_advised: unknown;
  pathway: string | null;
  timely: unknown;
  complete: unknown;
  appropriate: unknown;
  issues: unknown;
}

/**
 * csv-stringify with a header line, RFC 4180 quoting (fields holding a comma, quote or line
 * break are quoted, quotes doubled), a UTF-8 byte order mark so that spreadsheet programs read
 * "’" correctly, and formula neutralising: a text cell starting with =, +, -, @, tab or carriage
 * return gets a leading apostrophe, so a spreadsheet shows it instead of running it.
 */
export function itemsCsvStringifier(): Stringifier {
  return stringify({
    header: true,
    bom: true,
    columns: ITEMS_CSV_COLUMNS.map((c) => ({ key: c.key, header: c.header })),
    escape_formulas: true,
    cast: { boolean: (value: boolean) => (value ? 'yes' : 'no') },
  });
}

/**
 * One raw row as a CSV record; `now` decides whether the meeting has been held; `oldestVersion`
 * is the threshold document version of levels recorded before versions were kept. Pure.
 */
export function toItemCsvRecord(r: ItemExportRow, now: Date, oldestVersion: string = SINGLE_VERSION_ID): ItemCsvRecord {
  const startsAt = toInstant(r.starts_at);
  const london = DateTime.fromJSDate(startsAt, { zone: LONDON_ZONE });
  const held = r.meeting_status === 'scheduled' && startsAt.getTime() <= now.getTime();
  const hasOutcome = r.outcome_id !== null;
  const reviewed = hasOutcome && r.timely !== null && r.timely !== undefined;
  const number = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    reference: r.reference,
    meetingDate: london.toISODate(),
    meetingTime: london.toFormat('HH:mm'),
    quarter: quarterKeyOf(startsAt),
    meetingStatus: r.meeting_status,
    meetingHeld: held,
    itemStatus: r.status,
    discussed: held && r.status === 'booked',
    kind: r.kind,
    agency: r.agency,
    agencySector: r.sector,
    ageBand: r.age_band,
    concernCategories: parseJsonList(r.categories).join('; '),
    levelConsidered: number(r.level_considered),
    outcomeRecorded: hasOutcome,
    levelAdvised: hasOutcome ? number(r.level_advised) : null,
    pathway: hasOutcome ? r.pathway : null,
    referralTimely: reviewed ? toBoolean(r.timely) : null,
    referralComplete: reviewed ? toBoolean(r.complete) : null,
    referralAppropriate: reviewed ? toBoolean(r.appropriate) : null,
    referralIssues: reviewed ? parseJsonList(r.issues).join('; ') : null,
    timesCarriedForward: number(r.deferrals) ?? 0,
    givenFreedSlot: r.promoted_at !== null && r.promoted_at !== undefined,
    followsEarlierItem: r.follows_booking_id !== null && r.follows_booking_id !== undefined,
    levelConsideredVersion: r.level_considered === null || r.level_considered === undefined ? null : (r.considered_version ?? oldestVersion),
    levelAdvisedVersion: hasOutcome && r.level_advised !== null && r.level_advised !== undefined ? (r.advised_version ?? oldestVersion) : null,
  };
}
