import { confusablesMap } from 'confusables';

/**
 * The text the detector reads, with a map back to the text as the user typed it.
 *
 * `text` is the normalised text; for its UTF-16 unit k, `starts[k]` and `ends[k]` are the
 * [start, end) UTF-16 offsets in the original of the character(s) it came from. A span [s, e)
 * of `text` is therefore [starts[s], ends[e - 1]) in the original.
 */
export interface NormalisedText {
  text: string;
  starts: Uint32Array;
  ends: Uint32Array;
}

/**
 * Normalises text so that ordinary formatting cannot hide a detail from the patterns:
 *
 * 1. Invisible characters are dropped: format characters (\p{Cf}: zero-width space and joiners,
 *    word joiner, BOM, soft hyphen, bidi controls), other default-ignorable code points
 *    (variation selectors, Hangul fillers) and combining marks (so "S\u0301W1A" is "SW1A").
 * 2. Each character is put in Unicode NFKC form: full-width digits and letters, ligatures,
 *    circled and superscript digits and compatibility spaces (no-break, narrow no-break, figure
 *    space) become their plain forms.
 * 3. Dashes (hyphen, non-breaking hyphen, en and em dash, minus sign), dots (middle dot, one-dot
 *    leader), slashes (fraction and division slash, backslash) and spaces (every \p{Zs}, tab) are
 *    each written as one ASCII character.
 * 4. Letters that look like ASCII letters or digits (Cyrillic "а", Greek "Ο", mathematical
 *    alphanumerics, accented letters) are folded to them with the `confusables` package's table.
 *    ASCII is never changed (that table maps "|" to "l").
 * 5. A run of spaces is one space; a run of spaces, dots, dashes and slashes between two digits
 *    is one separator, written as the strongest character in it ("/" over "." over "-" over
 *    " "): "943 . 476 . 5919" reads as "943.476.5919", "07700  900123" as "07700 900123".
 *
 * Line breaks are kept: they separate items in a list more often than they hide a number.
 * Everything is one pass over the text (plus one over the intermediate result), so the cost is
 * linear in its length.
 */
export function normalise(original: string): NormalisedText {
  const folded = foldCharacters(original);
  return collapseSeparators(folded);
}

/** Dropped before anything else: invisible, or marks that decorate the previous character. */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}]$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const SPACE = /^[\p{Zs}\t]$/u;
const DASH = /^[\p{Pd}\u2212\u2043]$/u;
const DOT = /^[\u00B7\u2022\u2024\u2027\u2219\u22C5\u30FB\u3002\uFF61]$/u;
const SLASH = /^[\\\u2044\u2215\u2216\u2571\u29F5\u29F8\u29F9]$/u;

/** ASCII stands for itself, except the tab (a space) and the backslash (a slash). */
const isPlainAscii = (c: string) => c.length === 1 && c.charCodeAt(0) < 0x80 && c !== '\t' && c !== '\\';

/** One code point of the original, as the plain characters it reads as (possibly none). */
function foldCodePoint(cp: string): string {
  if (isPlainAscii(cp)) return cp;
  if (INVISIBLE.test(cp)) return '';
  let out = '';
  for (const c of cp.normalize('NFKC')) out += foldNormalised(c);
  return out;
}

function foldNormalised(c: string): string {
  if (isPlainAscii(c)) return c;
  if (INVISIBLE.test(c)) return '';
  if (SPACE.test(c)) return ' ';
  if (DASH.test(c)) return '-';
  if (DOT.test(c)) return '.';
  if (SLASH.test(c)) return '/';
  // Only letters and digits are folded: the table also maps "£" and "€" to "E", "©" to "C".
  return LETTER_OR_DIGIT.test(c) ? (confusablesMap.get(c) ?? c) : c;
}

interface Folded {
  chars: string[];
  starts: number[];
  ends: number[];
}

function foldCharacters(original: string): Folded {
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const cp of original) {
    const end = offset + cp.length;
    for (const c of foldCodePoint(cp)) {
      // Each UTF-16 unit of the result maps to the whole original code point.
      for (let i = 0; i < c.length; i++) {
        chars.push(c[i]);
        starts.push(offset);
        ends.push(end);
      }
    }
    offset = end;
  }
  return { chars, starts, ends };
}

const SEPARATOR_STRENGTH: Record<string, number> = { ' ': 1, '-': 2, '.': 3, '/': 4 };
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function collapseSeparators(folded: Folded): NormalisedText {
  const { chars, starts, ends } = folded;
  const out: string[] = [];
  const outStarts = new Uint32Array(chars.length);
  const outEnds = new Uint32Array(chars.length);
  const emit = (c: string, start: number, end: number) => {
    outStarts[out.length] = start;
    outEnds[out.length] = end;
    out.push(c);
  };
  let i = 0;
  while (i < chars.length) {
    if (SEPARATOR_STRENGTH[chars[i]] === undefined) {
      emit(chars[i], starts[i], ends[i]);
      i++;
      continue;
    }
    let j = i;
    let strongest = ' ';
    while (j < chars.length && SEPARATOR_STRENGTH[chars[j]] !== undefined) {
      if (SEPARATOR_STRENGTH[chars[j]] > SEPARATOR_STRENGTH[strongest]) strongest = chars[j];
      j++;
    }
    if (isDigit(out[out.length - 1]) && isDigit(chars[j])) {
      emit(strongest, starts[i], ends[j - 1]);
    } else {
      // Elsewhere only runs of spaces shrink: "SW1A  1AA" is "SW1A 1AA", "jo..bloggs" stays.
      for (let k = i; k < j; k++) {
        if (chars[k] === ' ' && chars[k + 1] === ' ' && k + 1 < j) {
          let m = k;
          while (m + 1 < j && chars[m + 1] === ' ') m++;
          emit(' ', starts[k], ends[m]);
          k = m;
        } else {
          emit(chars[k], starts[k], ends[k]);
        }
      }
    }
    i = j;
  }
  return { text: out.join(''), starts: outStarts.subarray(0, out.length), ends: outEnds.subarray(0, out.length) };
}

/** The [start, end) span in the original text of the normalised span [start, end). */
export function toOriginalSpan(normalised: NormalisedText, start: number, end: number): [number, number] {
  return [normalised.starts[start], normalised.ends[end - 1]];
}
