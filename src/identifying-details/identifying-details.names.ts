import commonWordsList from './word-lists/common-words.json';
import givenNamesList from './word-lists/given-names.json';

/**
 * Probable names of people, in normalised text (see identifying-details.normalise.ts).
 *
 * A capitalised word that is a common given name (word-lists/given-names.json, generated from
 * published baby-name data by scripts/generate-name-lists.ts) is a probable name when it is
 * followed by
 *   - a capitalised surname-like word on the same line: "Jayden Smith", "Amelia-Rose O'Brien",
 *     "Jayden Lee Smith"; or
 *   - an age: "Jayden, 7", "Jayden (7)", "Jayden aged 7", "Jayden, 7 years old", "Jayden 18 months".
 * A given name on its own ("Jayden was seen") is not reported: the rule is meant to catch a
 * name with something that narrows it down, at a false-alarm cost the corpus measurement keeps
 * low.
 *
 * False alarms come from ordinary words that are also given names, and from places and
 * organisations named after people. These rules keep them down (measured on the corpora by
 * `npm run guard:eval`):
 *   - A given name that is also a common English word (word-lists/common-words.json: "Will",
 *     "Grace", "Hope", "Mark", "Early", "General", "Case"), or a month ("May", "June"), needs
 *     stronger evidence: its surname must not be a common English word either ("Early Help",
 *     "Grace Academy", "Will Social Care" pass; "Mark Jones" is reported; "Grace Smith" is,
 *     deliberately, missed), and its age must be written as one ("May, aged 7", "Grace (7)";
 *     "in May, 7 incidents" passes).
 *   - Words for relatives, roles, days, faiths and places that name agencies are never taken as
 *     given names (NOT_GIVEN_NAMES: "Mum", "Nan", "Kent Police", "Jesus"), nor words for roles,
 *     places, organisations and school terms as surnames (NOT_SURNAMES: "Jordan Road",
 *     "Victoria Ward", "General Practitioner"; so "Sam Ward" is missed too).
 *   - A name followed, within three capitalised words, by a word that ends the name of a place
 *     or an organisation is that place's name ("William Harvey Hospital", "Anna Freud Centre",
 *     "Wesley Hall Children's Centre"), as is a name after "St" or "Saint".
 *   - Words in capitals ("JAYDEN SMITH") are not read as names: acronyms are too common here.
 * Every check reads a bounded window around one word, so the scan is linear in the text.
 */

const GIVEN_NAMES: ReadonlySet<string> = new Set(givenNamesList.names);
const COMMON_WORDS: ReadonlySet<string> = new Set(commonWordsList.words);

/** Capitalised words that are in the given-name list but, in case text, hardly ever a person's name. */
const NOT_GIVEN_NAMES: ReadonlySet<string> = new Set(
  // relatives and roles
  (
    'nan nana nanny gran granny grandma grandad grandpa mama papa mum mummy dad daddy ' +
    // days, festivals, faiths
    'monday tuesday wednesday thursday friday saturday sunday christmas easter eid diwali ' +
    'christian jesus muslim sikh hindu jewish catholic ' +
    // places that name agencies and services
    'london kent devon essex surrey cornwall durham york lincoln chester preston jersey ' +
    'paris india china georgia sydney chelsea brooklyn austin dallas houston irish english ' +
    // colours and words used in descriptions
    'gray grey white black brown green'
  ).split(' '),
);

/** Months need the stronger evidence whether or not the word list calls them common words. */
const MONTHS: ReadonlySet<string> = new Set(
  'january february march april may june july august september october november december'.split(' '),
);

/**
 * Words that end the name of a place or an organisation: a person's name followed by one of
 * them ("William Harvey Hospital", "Anna Freud Centre", "Mary Street") names the place.
 */
const ORGANISATION_WORDS: ReadonlySet<string> = new Set(
  (
    'road street st lane avenue close drive way crescent place square park gardens grove court ' +
    'rise row terrace walk view estate village town city county borough district ' +
    'hospital infirmary clinic surgery practice pharmacy centre center house hall lodge ward wing ' +
    'church mosque temple chapel gurdwara synagogue library station museum gallery ' +
    'academy school college university primary secondary infants infant juniors junior nursery ' +
    'police constabulary council trust foundation institute services service team unit hub ' +
    'partnership board group project network panel forum association society charity programme ' +
    'ambulance research learning'
  ).split(' '),
);

/** Organisation words that are also common surnames ("Ethan Hall"): only an ending after a name. */
const COMMON_SURNAMES: ReadonlySet<string> = new Set('hall lane park hill wood'.split(' '));

const NOT_SURNAME_WORDS = [
  // relatives
  'mum mummy dad daddy nan nana gran grandma grandad auntie aunty uncle',
  // roles
  'practitioner worker officer visitor nurse teacher manager lead coordinator adviser advisor',
  'consultant doctor paediatrician therapist counsellor psychologist psych',
  // events
  'fayre fete festival camp club holiday holidays scheme',
  // days, months, school words
  'monday tuesday wednesday thursday friday saturday sunday',
  'january february march april may june july august september october november december',
  'year years term level key stage english maths science',
];

/** Capitalised words after a given name that make it a place, an organisation or a role, not a person. */
const NOT_SURNAMES: ReadonlySet<string> = new Set([
  ...[...ORGANISATION_WORDS].filter((word) => !COMMON_SURNAMES.has(word)),
  ...NOT_SURNAME_WORDS.join(' ').split(' '),
]);

/** "St John Ambulance", "Saint Mary's": a saint's name, so a church, school or charity. */
const SAINT_BEFORE = /(?:^|[^\p{L}])(?:st|saint)\.? $/iu;

export interface NameSpan {
  start: number;
  end: number;
}

/**
 * One word: letters, with inner apostrophes ("O'Brien") and hyphens ("Amelia-Rose"). Each part
 * after a delimiter starts with a letter, so a run of letters is scanned once (linear time).
 */
const WORD = /(?<![\p{L}\p{N}])[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+(?:['’][A-Za-z]+)*)*/gu;

const TITLE_PART = /^[A-Z][a-z]+$/;
const SURNAME = /^(?:O['’]|D['’]|Ma?c)?[A-Z][a-z]+(?:-(?:O['’]|Ma?c)?[A-Z][a-z]+)*(?:['’]s)?$/;

/**
 * An age straight after a name: a comma, bracket or space, optional "aged"/"age", one or two
 * digits, an optional unit ("years old", "yrs", "yo", "months") and an optional closing bracket.
 * Sticky, bounded: it only ever reads a few characters from where it is placed.
 */
const AGE_AFTER =
  /( ?, ?| ?\( ?| )(?:(aged?|age:) ?)?(\d{1,2})(?!\d)((?: ?(?:years?|yrs?|y\/o|yo|months?|mths?|weeks?)(?: old)?)?)( ?\))?/iy;

/** After a bare "Jayden, 7": not "Jayden, 7 times", "7%", "7.5" or "7:30". */
const NOT_AN_AGE_AFTER = /^(?: ?[\p{L}\p{N}%]|[.:/]\d)/u;

interface Word {
  text: string;
  start: number;
  end: number;
}

export function findNames(text: string): NameSpan[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index ?? 0;
    words.push({ text: match[0], start, end: start + match[0].length });
  }
  const found: NameSpan[] = [];
  for (let i = 0; i < words.length; i++) {
    const given = words[i];
    const kind = givenNameKind(given.text);
    if (kind === null) continue;
    const ambiguous = kind === 'ambiguous';
    let end = surnameEnd(text, words, i, ambiguous);
    if (end === null && isFollowedByAge(text, given.end, ambiguous)) end = given.end;
    if (end === null || namesAPlace(text, words, i, end)) continue;
    found.push({ start: given.start, end });
    while (i + 1 < words.length && words[i + 1].start < end) i++;
  }
  return found;
}

/**
 * True when the name at words[i] (ending at `end`) is a saint's or is followed, within three
 * capitalised words, by a word that ends an organisation's or place's name.
 */
function namesAPlace(text: string, words: Word[], i: number, end: number): boolean {
  if (SAINT_BEFORE.test(text.slice(Math.max(0, words[i].start - 7), words[i].start))) return true;
  let j = i;
  while (j < words.length && words[j].end <= end) j++;
  let previousEnd = end;
  for (let k = j; k < Math.min(words.length, j + 3); k++) {
    const word = words[k];
    if (word.start !== previousEnd + 1 || !/^[A-Z]/.test(word.text)) return false;
    if (ORGANISATION_WORDS.has(word.text.replace(/['’]s$/, '').toLowerCase())) return true;
    previousEnd = word.end;
  }
  return false;
}

/** 'clear' for a given name, 'ambiguous' for one that is also an ordinary word, null otherwise. */
function givenNameKind(word: string): 'clear' | 'ambiguous' | null {
  const parts = word.split('-');
  if (!parts.every((p) => TITLE_PART.test(p))) return null;
  const lower = parts.map((p) => p.toLowerCase());
  if (!lower.every((p) => GIVEN_NAMES.has(p) && !NOT_GIVEN_NAMES.has(p))) return null;
  return lower.some((p) => COMMON_WORDS.has(p) || MONTHS.has(p)) ? 'ambiguous' : 'clear';
}

/**
 * Where the name ends if words[i] is followed (one space apart) by a surname, or by a middle
 * name and a surname; null if it is not.
 */
function surnameEnd(text: string, words: Word[], i: number, ambiguous: boolean): number | null {
  const next = words[i + 1];
  if (!next || !isSurname(text, words[i], next, ambiguous)) return null;
  const after = words[i + 2];
  if (after && givenNameKind(next.text) !== null && isSurname(text, next, after, ambiguous)) return after.end;
  return next.end;
}

function isSurname(text: string, previous: Word, word: Word, ambiguous: boolean): boolean {
  if (word.start !== previous.end + 1 || text[previous.end] !== ' ') return false;
  if (!SURNAME.test(word.text)) return false;
  const lower = word.text.replace(/['’]s$/, '').toLowerCase();
  if (NOT_SURNAMES.has(lower)) return false;
  return !ambiguous || !COMMON_WORDS.has(lower);
}

function isFollowedByAge(text: string, at: number, ambiguous: boolean): boolean {
  AGE_AFTER.lastIndex = at;
  const match = AGE_AFTER.exec(text);
  if (!match) return false;
  const [whole, separator, ageWord, , unit, closing] = match;
  const bracketed = separator.includes('(') && closing !== undefined;
  if (separator.includes('(') && !bracketed && !ageWord && !unit) return false;
  if (ageWord || unit || bracketed) return true;
  if (ambiguous || !separator.includes(',')) return false;
  return !NOT_AN_AGE_AFTER.test(text.slice(at + whole.length, at + whole.length + 2));
}
