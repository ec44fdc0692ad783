/**
 * Identifying-details detector
 * ============================
 *
 * Professionals submit ANONYMISED case summaries about children. Before any
 * free text (question, summary, agency reference, reasons, actions) is stored
 * we look for the kinds of detail that identify a child or family on their
 * own: NHS numbers, postcodes, full dates, phone numbers, e-mail addresses,
 * and probable names.
 *
 * This module is pure: no I/O, no framework. It reports *where* a detail is
 * (UTF-16 offsets into the text AS THE USER TYPED IT) and *what kind* it is,
 * never the matched text itself, so callers can highlight the problem without
 * logging or echoing it.
 *
 * How it reads a text
 * -------------------
 * The patterns never see the raw text. identifying-details.normalise.ts first
 * drops invisible characters (zero-width spaces and joiners, soft hyphens,
 * BOMs, combining marks), applies NFKC (full-width digits, no-break spaces),
 * folds look-alike letters to ASCII (Cyrillic and Greek homoglyphs, with the
 * `confusables` package's table), writes every dash, dot, slash and space as
 * its ASCII form, and turns any run of spaces, dots, dashes and slashes
 * between two digits into one separator. It keeps, for every character of the
 * result, the span of the original it came from, so findings are mapped back:
 * "943\u00A0476\u200B5919" is found in the normalised "943 4765919" and
 * reported over all 12 original UTF-16 units. So the patterns below only
 * have to handle single ASCII separators.
 *
 * Design choices
 * --------------
 * - NHS numbers are only reported when the modulus-11 check digit is valid.
 *   Case summaries are full of ten-digit-ish numbers (case references, phone
 *   numbers, system ids). Only about one random ten-digit string in eleven
 *   passes the check, so validating it removes most false alarms at no cost
 *   to real NHS numbers (a mistyped NHS number does not identify anyone).
 *   Any separator counts ("943.476.5919", "943 / 476 / 5919").
 * - Postcodes are only reported when complete (outward AND inward code).
 *   An outward code alone ("M1", "SW1A", "B33") is shared by thousands of
 *   households, so it is not identifying on its own, and it collides with
 *   everyday tokens: road names ("A1"), forms ("CAF2"), school years ("Y10"),
 *   levels ("L3"). The outward code must also start with a real postcode
 *   area (e.g. "SW", "M", "B") and follow the Royal Mail letter rules. The
 *   two halves may be joined by nothing, spaces, or one dash or dot
 *   ("SW1A-1AA").
 * - Every complete calendar date is reported, not only ones labelled "DOB".
 *   A presenter may not write a child's date of birth, but an incident date
 *   written in full is also a strong re-identification key; asking for "in
 *   early March" instead is an acceptable cost. Partial dates ("March 2024",
 *   "in 2019") are not reported, nor are school years ("Year 9/10/11").
 *   - Always: d/m/y with "/", any separator with a four-digit year
 *     ("03.05.2015", "03 05 2015" when day and month have two digits), and
 *     dd.mm.yy / dd-mm-yy when day and month are both written with two
 *     digits ("12.11.26", "03-05-15"). Section and version numbers are
 *     usually written "4.3.12" (one-digit parts), which still needs a cue;
 *     the corpus measurement showed no false alarm from this choice.
 *   - Written dates with a year: "3 March 2015", "March 3rd, 2015", "the
 *     third of May 2015".
 *   - Only straight after a cue ("DOB", "D.O.B", "date of birth", "birthday",
 *     "born (on) (the)"): looser forms, i.e. other two-digit years
 *     ("3.5.15"), compact dates ("03052015", "030515"), spaced dates with
 *     one-digit parts ("3 5 2015"), and day and month with no year ("3rd
 *     March", "the third of May").
 *   - Only after an explicit label (not "born"): a bare day/month "12/03",
 *     because "born 3/4 weeks early" is common prose.
 * - Phone numbers follow UK numbering: a national number of 0 + 10 digits
 *   (or 0 + 9 for the older 01 and 0800 ranges), in at most four groups
 *   separated by spaces, dots, dashes, slashes or brackets, or with +44 /
 *   0044. Emergency and short numbers (999, 111, 101, 0800 1111) are too
 *   short to match. Public helplines written in full are still reported;
 *   the practitioner can name the service instead.
 * - Probable names (identifying-details.names.ts): a common given name from
 *   published baby-name data, followed by a capitalised surname or by an
 *   age. These are the least certain findings; IdentifyingDetailsCheck
 *   treats them as warnings unless IDENTIFYING_DETAILS_NAMES=block.
 * - Where spans overlap we keep one finding, preferring the more specific
 *   kind: email > nhs-number > date-of-birth > phone > postcode > name.
 *
 * Safety: normalisation is one linear pass, and every pattern is written so
 * that it cannot backtrack catastrophically (bounded repetitions, disjoint
 * alternatives, and a negative look-behind at the start of unbounded runs so
 * a run is scanned from its beginning only). Context checks (cues, ages) read
 * a bounded window. Validation that would need cleverer regexes is done in
 * plain code instead.
 *
 * Limitations (deliberate): street addresses, schools and other free-text
 * clues are not detected; names written in capitals or with a title only
 * ("Mrs Jones") are not detected, nor is a given name on its own; a given
 * name that is also a common word needs a surname that is not one ("Grace
 * Smith" passes); US-style dates are accepted only when the UK reading is
 * impossible (03/25/2015); non-UK phone numbers are not detected; a digit
 * written as a letter ("O" for "0") is not read as a digit; a full postcode
 * written in one case with an ordinal-looking inward code ("G12 2ND") is
 * still reported. The false-alarm and miss rates are measured on the corpora
 * in ./corpus by `npm run guard:eval` (identifying-details.evaluation.ts).
 */

import { findNames } from './identifying-details.names';
import { normalise } from './identifying-details.normalise';

export type IdentifyingDetailKind = 'nhs-number' | 'postcode' | 'date-of-birth' | 'phone' | 'email' | 'name';

export const IDENTIFYING_DETAIL_KINDS: readonly IdentifyingDetailKind[] = Object.freeze([
  'nhs-number',
  'postcode',
  'date-of-birth',
  'phone',
  'email',
  'name',
] as const);

/** A detail found in a text: [start, end) are UTF-16 offsets into that text. */
export interface IdentifyingDetail {
  kind: IdentifyingDetailKind;
  start: number;
  end: number;
}

export interface FieldFinding extends IdentifyingDetail {
  field: string;
}

export interface DetectorOptions {
  /** Look for probable names too (default true). */
  names?: boolean;
}

/**
 * Every identifying detail in `text`, sorted by start offset, with no two
 * findings overlapping. Offsets are into `text` exactly as given.
 */
export function findIdentifyingDetails(text: string, options: DetectorOptions = {}): IdentifyingDetail[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const normalised = normalise(text);
  const finders = [findEmails, findNhsNumbers, findDates, findPhoneNumbers, findPostcodes];
  if (options.names !== false) finders.push(findNameDetails);
  const inNormalised = resolveOverlaps(
    finders.flatMap((find) => find(normalised.text)),
    normalised.text.length,
  );
  const found: IdentifyingDetail[] = [];
  for (const detail of inNormalised) {
    let start = normalised.starts[detail.start];
    const end = normalised.ends[detail.end - 1];
    // Two findings inside one original character that expanded ("½" is "1/2") must not overlap.
    const previous = found[found.length - 1];
    if (previous && start < previous.end) start = previous.end;
    if (start < end) found.push({ kind: detail.kind, start, end });
  }
  return found;
}

/**
 * Checks every field of a record (in key order). Empty, null and undefined
 * values are skipped; each finding says which field it came from.
 */
export function checkFields(
  fields: Record<string, string | null | undefined>,
  options: DetectorOptions = {},
): FieldFinding[] {
  const findings: FieldFinding[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    for (const detail of findIdentifyingDetails(value, options)) findings.push({ field, ...detail });
  }
  return findings;
}

/** Plain-English advice for the practitioner. Never includes the matched text. */
export function describeFinding(kind: IdentifyingDetailKind): string {
  switch (kind) {
    case 'nhs-number':
      return 'Remove the NHS number.';
    case 'postcode':
      return "Remove the postcode; say 'in the north of the county' if location matters.";
    case 'date-of-birth':
      return "Remove the full date; give an age ('aged 7') or a rough time ('early March') instead.";
    case 'phone':
      return 'Remove the phone number; name the service or role instead if it matters.';
    case 'email':
      return 'Remove the email address; name the service or role instead if it matters.';
    case 'name':
      return "Remove the name; say 'the child', 'Child A' or the person's role instead.";
  }
}

// ---------------------------------------------------------------------------
// Overlap resolution
// ---------------------------------------------------------------------------

/** Higher wins when two candidate spans overlap. */
const PRIORITY: Record<IdentifyingDetailKind, number> = {
  email: 5, // anything inside an address (digits, "sw1a1aa@...") is part of the address
  'nhs-number': 4, // more specific than a phone number: it passed a check digit
  'date-of-birth': 3, // a full date is a more specific reading of a run of digits than a phone number
  phone: 2,
  postcode: 1,
  name: 0, // the least certain reading: any other kind found in the same span wins
};

/**
 * Keeps one finding per span: candidates are taken in priority order (then
 * longest first, then leftmost) and dropped if they touch an already-kept
 * span. A per-character mask keeps this linear in the text length.
 */
function resolveOverlaps(candidates: IdentifyingDetail[], textLength: number): IdentifyingDetail[] {
  const ordered = [...candidates].sort(
    (a, b) => PRIORITY[b.kind] - PRIORITY[a.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const taken = new Uint8Array(textLength);
  const kept: IdentifyingDetail[] = [];
  for (const candidate of ordered) {
    if (taken.subarray(candidate.start, candidate.end).includes(1)) continue;
    taken.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------
// NHS numbers
// ---------------------------------------------------------------------------

/**
 * Ten digits, contiguous or grouped 3-3-4 by one separator each (after
 * normalisation any run of spaces, dots, dashes or slashes is one; a mixed
 * "943 476-5919" still counts), not inside a longer digit run.
 */
const NHS_NUMBER = /(?<!\d)\d{3}[ ./-]?\d{3}[ ./-]?\d{4}(?!\d)/g;

function findNhsNumbers(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  for (const match of text.matchAll(NHS_NUMBER)) {
    if (hasValidNhsCheckDigit(match[0].replace(/\D/g, ''))) found.push(span('nhs-number', match));
  }
  return found;
}

/** Modulus 11: weights 10..2 on the first nine digits; 11 means 0, 10 means the number cannot exist. */
function hasValidNhsCheckDigit(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

// ---------------------------------------------------------------------------
// Postcodes
// ---------------------------------------------------------------------------

/**
 * Outward code (area letters, district digit, optional digit/letter), then
 * nothing, a space, or one dash or dot with optional spaces around it (runs of
 * spaces are one after normalisation), then the inward code (digit + two
 * letters). The inward code is always three characters, so an unspaced
 * "M11AE" still parses unambiguously as "M1 1AE".
 */
const POSTCODE_GAP = '(?: ?[-.] ?| )?';
const POSTCODE = new RegExp(
  `(?<![\\p{L}\\p{N}])([A-Za-z]{1,2})\\d([A-Za-z\\d]?)${POSTCODE_GAP}\\d([A-Za-z]{2})(?![\\p{L}\\p{N}])`,
  'gu',
);

/** The Girobank postcode does not follow the normal format. */
const GIROBANK_POSTCODE = new RegExp(`(?<![\\p{L}\\p{N}])GIR${POSTCODE_GAP}0AA(?![\\p{L}\\p{N}])`, 'giu');

/** Royal Mail postcode areas (plus BF for BFPO and BX for non-geographic codes). */
const POSTCODE_AREAS = new Set(
  (
    'AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY ' +
    'E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY ' +
    'L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR ' +
    'RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW ' +
    'UB W WA WC WD WF WN WR WS WV YO ZE'
  ).split(' '),
);

/** Letters allowed in the last outward position: A9A (e.g. W1A) and AA9A (e.g. EC1A). */
const A9A_LETTERS = /^[ABCDEFGHJKPSTUW]$/;
const AA9A_LETTERS = /^[ABEHMNPRVWXY]$/;
/** The inward code never uses C, I, K, M, O or V (too easily misread). */
const INWARD_LETTERS = /^[ABD-HJLNP-UW-Z]{2}$/;

function findPostcodes(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  for (const match of text.matchAll(POSTCODE)) {
    if (isPlausiblePostcode(match[0], match[1], match[2], match[3])) found.push(span('postcode', match));
  }
  for (const match of text.matchAll(GIROBANK_POSTCODE)) found.push(span('postcode', match));
  return found;
}

function isPlausiblePostcode(whole: string, area: string, districtSuffix: string, inwardLetters: string): boolean {
  if (!POSTCODE_AREAS.has(area.toUpperCase())) return false;
  const suffix = districtSuffix.toUpperCase();
  if (/^[A-Z]$/.test(suffix)) {
    const allowed = area.length === 1 ? A9A_LETTERS : AA9A_LETTERS;
    if (!allowed.test(suffix)) return false;
  }
  if (!INWARD_LETTERS.test(inwardLetters.toUpperCase())) return false;
  return !readsAsOrdinal(whole, inwardLetters);
}

/**
 * "Room G12 2nd floor" matches the postcode shape. A mixed-case match whose
 * inward code is a lower-case English ordinal ("1st", "2nd", "3rd", "4th") is
 * prose, not a postcode. A match written all in one case is still reported.
 */
function readsAsOrdinal(whole: string, inwardLetters: string): boolean {
  const inward = whole.slice(-3);
  if (inwardLetters !== inwardLetters.toLowerCase() || whole === whole.toLowerCase()) return false;
  return /^(?:1st|2nd|3rd|[04-9]th)$/.test(inward);
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/**
 * Numeric day-month-year ("03/05/2015", "3.5.15", "03-05-2015", "03 05 2015"),
 * one separator between each part (normalisation made every run one
 * character). Not part of a longer run of digits and separators.
 */
const NUMERIC_DMY = /(?<!\d|\d[/. -])(\d{1,2})([/. -])(\d{1,2})([/. -])(\d{4}|\d{2})(?!\d|[/. -]\d)/g;

/** Compact "03052015" / "030515" (and "20150503"); reported only after a cue. */
const COMPACT_DMY = /(?<!\d)(\d{2})(\d{2})(\d{4}|\d{2})(?!\d)/g;
const COMPACT_YMD = /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/g;

/** Day and month only ("12/03"); reported only after a DOB label (see DATE_OF_BIRTH_LABEL). */
const NUMERIC_DM = /(?<!\d|\d[/. -])(\d{1,2})[/. -](\d{1,2})(?!\d|[/. -]\d)/g;

/** ISO-style year-month-day (2015-03-03, also with / or .). */
const NUMERIC_YMD = /(?<!\d|\d[/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?!\d|[/.-]\d)/g;

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?!\\p{L})';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
/** "third", "twenty-first", "thirty first": the tens are optional and checked in code. */
const ORDINAL_WORD =
  '(?:(twenty|thirty)[ -]?)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|' +
  'thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)(?!\\p{L})';
const YEAR_AFTER = '(?:,? (\\d{4}|\\d{2})(?!\\d))?';

/** "3 March 2015", "3rd of March, 2015", "03 Mar 2015", "03-Mar-2015"; without a four-digit year it needs a cue. */
const WRITTEN_DAY_MONTH = new RegExp(
  `(?<![\\p{L}\\p{N}])${DAY}(?: (?:of )?|-)${MONTH}(?:\\.?(?:,? |-)(\\d{4}|\\d{2})(?!\\d))?`,
  'giu',
);

/** "March 3, 2015", "Mar. 3rd 2015"; without a four-digit year it needs a cue. */
const WRITTEN_MONTH_DAY = new RegExp(`(?<!\\p{L})${MONTH}\\.? ${DAY}(?![\\p{L}\\p{N}])${YEAR_AFTER}`, 'giu');

/** "the third of May 2015", "twenty-first of March"; without a four-digit year it needs a cue. */
const WORDED_DAY_MONTH = new RegExp(`(?<![\\p{L}\\p{N}])${ORDINAL_WORD} of ${MONTH}${YEAR_AFTER}`, 'giu');

/** "May the third, 2015"; without a four-digit year it needs a cue. */
const WORDED_MONTH_DAY = new RegExp(`(?<!\\p{L})${MONTH} the ${ORDINAL_WORD}${YEAR_AFTER}`, 'giu');

/** "DOB", "D.O.B.", "d o b", "date of birth", "birth date", "birthday". */
const LABEL = 'd\\.? ?o\\.? ?b\\.?|date of birth|birth ?date|birthday';
/** Then optionally "is"/"was", ":", "=" or "-", "on" and "the", ending the preceding text. */
const CUE_END = '(?: (?:is|was))?(?: ?[:=-])?(?: on)?(?: the)? ?$';

/** A label, or "born (on) (the)", straight before the date. */
const DATE_OF_BIRTH_CUE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${LABEL}|born)${CUE_END}`, 'iu');

/**
 * Only an explicit label, not "born": a bare "12/03" is too ambiguous
 * otherwise ("born 3/4 weeks early", "born 2/3 months premature").
 */
const DATE_OF_BIRTH_LABEL = new RegExp(`(?<![\\p{L}\\p{N}])(?:${LABEL})${CUE_END}`, 'iu');

/** "Year 9/10/11" and "Years 7/8/12" are school years, not dates. */
const SCHOOL_YEAR_BEFORE = /(?<![\p{L}\p{N}])(?:years?|yrs?|y) ?$/iu;

const MONTH_NUMBERS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const ORDINAL_NUMBERS: Record<string, number> = Object.fromEntries(
  (
    'first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth ' +
    'fifteenth sixteenth seventeenth eighteenth nineteenth twentieth'
  )
    .split(' ')
    .map((word, i) => [word, i + 1])
    .concat([['thirtieth', 30]]),
);

/** What a date-shaped match needs before it is reported. */
type DateCondition = 'always' | 'after-cue' | 'after-label';

function findDates(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  const add = (match: RegExpMatchArray, isCalendarDate: boolean, condition: DateCondition) => {
    if (!isCalendarDate) return;
    const before = text.slice(Math.max(0, (match.index ?? 0) - 40), match.index);
    const satisfied =
      condition === 'always' ||
      (condition === 'after-cue' && DATE_OF_BIRTH_CUE.test(before)) ||
      (condition === 'after-label' && DATE_OF_BIRTH_LABEL.test(before));
    if (satisfied) found.push(span('date-of-birth', match));
  };

  for (const match of text.matchAll(NUMERIC_DMY)) {
    const [, a, first, b, second, yearText] = match;
    const year = fullYear(yearText);
    const before = text.slice(Math.max(0, (match.index ?? 0) - 10), match.index);
    const isDate = isDayMonth(a, b, year) && isPlausibleYear(year) && !SCHOOL_YEAR_BEFORE.test(before);
    add(match, isDate, numericCondition(first, second, a.length === 2 && b.length === 2, yearText.length === 4));
  }
  for (const match of text.matchAll(COMPACT_DMY)) {
    const [, day, month, yearText] = match;
    const year = fullYear(yearText);
    add(match, isRealDate(year, Number(month), Number(day)) && isPlausibleYear(year), 'after-cue');
  }
  for (const match of text.matchAll(COMPACT_YMD)) {
    const [, year, month, day] = match;
    add(match, isRealDate(Number(year), Number(month), Number(day)) && isPlausibleYear(Number(year)), 'after-cue');
  }
  for (const match of text.matchAll(NUMERIC_DM)) {
    const [, a, b] = match;
    add(match, isDayMonth(a, b, 2000), 'after-label');
  }
  for (const match of text.matchAll(NUMERIC_YMD)) {
    const [, year, , month, day] = match;
    add(match, isRealDate(Number(year), Number(month), Number(day)) && isPlausibleYear(Number(year)), 'always');
  }
  for (const match of text.matchAll(WRITTEN_DAY_MONTH)) {
    const [, day, month, year] = match;
    add(match, isWrittenDate(Number(day), month, year), writtenCondition(year));
  }
  for (const match of text.matchAll(WRITTEN_MONTH_DAY)) {
    const [, month, day, year] = match;
    add(match, isWrittenDate(Number(day), month, year), writtenCondition(year));
  }
  for (const match of text.matchAll(WORDED_DAY_MONTH)) {
    const [, tens, ordinal, month, year] = match;
    add(match, isWrittenDate(ordinalDay(tens, ordinal), month, year), writtenCondition(year));
  }
  for (const match of text.matchAll(WORDED_MONTH_DAY)) {
    const [, month, tens, ordinal, year] = match;
    add(match, isWrittenDate(ordinalDay(tens, ordinal), month, year), writtenCondition(year));
  }
  return found;
}

/**
 * When a numeric d-m-y needs a cue. "/" reads as a date whatever the year;
 * other separators with a four-digit year too; with a two-digit year, "." and
 * "-" read as a date when day and month both have two digits ("12.11.26"),
 * but "4.3.12" is more often a section or version number. Spaces ("03 05
 * 2015") and mixed separators need two-digit day and month and a four-digit
 * year, or a cue.
 */
function numericCondition(
  first: string,
  second: string,
  twoDigitParts: boolean,
  fourDigitYear: boolean,
): DateCondition {
  if (first === second && first === '/') return 'always';
  if (first === second && first !== ' ') return fourDigitYear || twoDigitParts ? 'always' : 'after-cue';
  return fourDigitYear && twoDigitParts ? 'always' : 'after-cue';
}

function writtenCondition(year: string | undefined): DateCondition {
  return year !== undefined && year.length === 4 ? 'always' : 'after-cue';
}

function fullYear(yearText: string): number {
  return yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
}

/** "twenty" + "first" is 21; "twenty" + "tenth" is not a day (NaN). */
function ordinalDay(tens: string | undefined, ordinal: string): number {
  const unit = ORDINAL_NUMBERS[ordinal.toLowerCase()];
  if (tens === undefined) return unit;
  return unit <= 9 ? (tens.toLowerCase() === 'twenty' ? 20 : 30) + unit : NaN;
}

/** UK reading (day first); the US reading only counts when the UK one is impossible ("03/25/2015"). */
function isDayMonth(first: string, second: string, year: number): boolean {
  return isRealDate(year, Number(second), Number(first)) || isRealDate(year, Number(first), Number(second));
}

/**
 * A day and month with no year is checked against a leap year (2000), so "29
 * February" stays possible; a two-digit year is read as 20yy.
 */
function isWrittenDate(day: number, month: string, year: string | undefined): boolean {
  const monthNumber = MONTH_NUMBERS[month.slice(0, 3).toLowerCase()];
  if (year === undefined) return isRealDate(2000, monthNumber, day);
  const y = fullYear(year);
  return isPlausibleYear(y) && isRealDate(y, monthNumber, day);
}

/** Years in living memory or the near future; rules out "1/2/3000"-style noise. */
function isPlausibleYear(year: number): boolean {
  return year >= 1900 && year <= 2100;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// ---------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------

/** Between digits: nothing, one separator, or a closing bracket (optionally followed by a space). */
const PHONE_GAP = '(?:[ ./-]|\\) ?)?';

/** Not glued to a word, a "+", a reference like "CAF-..." / "MASH-2024-..." or a decimal. */
const PHONE_START = '(?<![\\p{L}\\p{N}_+]|[\\p{L}\\p{N}][-/]|\\p{N}\\.)';
/** Not followed by more of a word, a reference or a number; " 2 times" after a number is fine. */
const PHONE_END = '(?![\\p{L}\\p{N}_]|[-./]\\p{N})';

/** National format: optional "(" then 0 and nine or ten more digits. */
const NATIONAL_PHONE = new RegExp(`${PHONE_START}\\(?0(?:${PHONE_GAP}\\d){9,10}${PHONE_END}`, 'gu');

/** +44 / 0044, optional "(0)" or stray trunk 0, then nine or ten digits not starting with 0. */
const INTERNATIONAL_PHONE = new RegExp(
  `${PHONE_START}(?:\\+|00)44[ .-]?(?:\\(0\\)[ .-]?|0[ .-]?)?[1-9](?:${PHONE_GAP}\\d){8,9}${PHONE_END}`,
  'gu',
);

/** People write a number in at most four groups ("0 7700 900 123"); more is a list of small numbers. */
const MAX_PHONE_GROUPS = 4;

function findPhoneNumbers(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  for (const match of text.matchAll(NATIONAL_PHONE)) {
    const number = match[0];
    // "0.7700…" is a decimal, not a number with a dot after the trunk 0.
    if (/^\(?0\./.test(number) || digitGroups(number) > MAX_PHONE_GROUPS) continue;
    if (isUkNationalNumber(number.replace(/\D/g, ''))) found.push(span('phone', match));
  }
  for (const match of text.matchAll(INTERNATIONAL_PHONE)) {
    const national = match[0].replace(/^\D*(?:00)?44/, '').replace(/^[ .-]?(?:\(0\)|0)/, '');
    if (digitGroups(national) > MAX_PHONE_GROUPS) continue;
    if (isUkNationalNumber(`0${national.replace(/\D/g, '')}`)) found.push(span('phone', match));
  }
  return found;
}

function digitGroups(number: string): number {
  return number.split(/\D+/).filter((group) => group.length > 0).length;
}

/**
 * 0 + 10 digits in the ranges people are reached on (01/02/03 geographic and
 * national, 05, 07 mobile, 08 freephone/non-geographic); 0 + 9 digits only for
 * the older 01 and 0800 numbers. 04, 06 and 09 (premium) are not personal.
 */
function isUkNationalNumber(digits: string): boolean {
  if (digits.length === 11) return /^0[123578]/.test(digits);
  if (digits.length === 10) return /^0(?:1|800)/.test(digits);
  return false;
}

// ---------------------------------------------------------------------------
// Probable names
// ---------------------------------------------------------------------------

function findNameDetails(text: string): IdentifyingDetail[] {
  return findNames(text).map(({ start, end }) => ({ kind: 'name', start, end }));
}

// ---------------------------------------------------------------------------
// E-mail addresses
// ---------------------------------------------------------------------------

/**
 * A deliberately simple shape, local@domain, with the finer rules checked in
 * code. The look-behind makes each run of address characters start only
 * once, which keeps the scan linear even on long runs of letters.
 */
const EMAIL = /(?<![\p{L}\p{N}._%+'-])([\p{L}\p{N}._%+'-]+)@([\p{L}\p{N}.-]+)/gu;

/** Letters include non-ASCII ones, so internationalised addresses (jürgen@exämple.de) are found too. */
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL_DOMAIN = /^\p{L}{2,63}$/u;

function findEmails(text: string): IdentifyingDetail[] {
  const found: IdentifyingDetail[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const [whole, rawLocal, rawDomain] = match;
    const start = match.index ?? 0;
    // Quotes and dots around an address belong to the sentence, not the address.
    const local = rawLocal.replace(/^['.]+/, '');
    const domain = rawDomain.replace(/[.-]+$/, '');
    const labels = domain.split('.');
    const isAddress =
      local.length > 0 &&
      labels.length >= 2 &&
      labels.every((label) => DOMAIN_LABEL.test(label)) &&
      TOP_LEVEL_DOMAIN.test(labels[labels.length - 1]);
    if (isAddress) {
      const trimmedFromStart = rawLocal.length - local.length;
      const trimmedFromEnd = rawDomain.length - domain.length;
      found.push({ kind: 'email', start: start + trimmedFromStart, end: start + whole.length - trimmedFromEnd });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------

function span(kind: IdentifyingDetailKind, match: RegExpMatchArray): IdentifyingDetail {
  const start = match.index ?? 0;
  return { kind, start, end: start + match[0].length };
}
