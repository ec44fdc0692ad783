import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findIdentifyingDetails,
  IDENTIFYING_DETAIL_KINDS,
  IdentifyingDetail,
  IdentifyingDetailKind,
} from './identifying-details.detector';

/**
 * Measures the detector on the two shipped corpora (./corpus):
 *
 * - safe.txt: anonymised safeguarding sentences that must pass (one a line);
 * - identifying.txt: sentences holding identifying details, each marked
 *   `[[kind:text]]` (kind as in IDENTIFYING_DETAIL_KINDS). `{{nhs:FORMAT}}`
 *   stands for a freshly generated NHS number with a valid check digit,
 *   written in FORMAT (see NHS_FORMATS), so the corpus holds no real one.
 *
 * In both files `#` starts a comment line, blank lines are skipped and
 * `\uXXXX` stands for that UTF-16 unit (no-break spaces, zero-width spaces
 * and look-alike letters stay visible in review).
 *
 * Used by `npm run guard:eval` (scripts/guard-eval.ts) and by the unit test
 * that keeps the thresholds, so a regression fails `npm test`.
 */

export const THRESHOLDS = { minRecall: 0.98, maxFalsePositiveRate: 0.02 } as const;

export interface IdentifyingSentence {
  line: number;
  text: string;
  expected: IdentifyingDetail[];
}

export interface SafeSentence {
  line: number;
  text: string;
}

export interface Corpora {
  safe: SafeSentence[];
  identifying: IdentifyingSentence[];
}

export interface KindMeasures {
  /** Details of this kind in the identifying corpus, and how many were found (same kind, overlapping). */
  expected: number;
  detected: number;
  recall: number;
  /** Findings of this kind in both corpora, and how many matched an expected detail. */
  findings: number;
  correct: number;
  precision: number;
  /** Safe sentences with at least one finding of this kind, and their share of the safe corpus. */
  falseAlarmSentences: number;
  falsePositiveRate: number;
}

export interface Evaluation {
  safeSentences: number;
  identifyingSentences: number;
  overall: KindMeasures;
  byKind: Record<IdentifyingDetailKind, KindMeasures>;
  /** For the report: what was missed, and what was reported that should not have been. */
  misses: Array<{ line: number; kind: IdentifyingDetailKind; text: string }>;
  falseAlarms: Array<{ corpus: 'safe' | 'identifying'; line: number; kind: IdentifyingDetailKind; text: string }>;
}

type Detector = (text: string) => IdentifyingDetail[];

const CORPUS_DIR = join(__dirname, 'corpus');

export function loadCorpora(dir = CORPUS_DIR): Corpora {
  const nhs = nhsNumberGenerator(20260301);
  const safe = contentLines(readFileSync(join(dir, 'safe.txt'), 'utf8')).map(({ line, text }) => ({
    line,
    text: unescape(text),
  }));
  const identifying = contentLines(readFileSync(join(dir, 'identifying.txt'), 'utf8')).map(({ line, text }) =>
    parseIdentifyingLine(line, text, nhs),
  );
  return { safe, identifying };
}

export function evaluate(corpora: Corpora = loadCorpora(), detect: Detector = findIdentifyingDetails): Evaluation {
  const tally = Object.fromEntries(
    IDENTIFYING_DETAIL_KINDS.map((kind) => [
      kind,
      { expected: 0, detected: 0, findings: 0, correct: 0, falseAlarmSentences: 0 },
    ]),
  ) as Record<IdentifyingDetailKind, Omit<KindMeasures, 'recall' | 'precision' | 'falsePositiveRate'>>;
  const misses: Evaluation['misses'] = [];
  const falseAlarms: Evaluation['falseAlarms'] = [];
  let safeSentencesWithFinding = 0;

  for (const { line, text } of corpora.safe) {
    const findings = detect(text);
    if (findings.length > 0) safeSentencesWithFinding++;
    const kinds = new Set<IdentifyingDetailKind>();
    for (const f of findings) {
      tally[f.kind].findings++;
      kinds.add(f.kind);
      falseAlarms.push({ corpus: 'safe', line, kind: f.kind, text: text.slice(f.start, f.end) });
    }
    for (const kind of kinds) tally[kind].falseAlarmSentences++;
  }

  for (const { line, text, expected } of corpora.identifying) {
    const findings = detect(text);
    for (const e of expected) {
      tally[e.kind].expected++;
      if (findings.some((f) => f.kind === e.kind && overlaps(f, e))) tally[e.kind].detected++;
      else misses.push({ line, kind: e.kind, text: text.slice(e.start, e.end) });
    }
    for (const f of findings) {
      tally[f.kind].findings++;
      if (expected.some((e) => e.kind === f.kind && overlaps(f, e))) tally[f.kind].correct++;
      else falseAlarms.push({ corpus: 'identifying', line, kind: f.kind, text: text.slice(f.start, f.end) });
    }
  }

  const safeCount = corpora.safe.length;
  const measures = (t: (typeof tally)[IdentifyingDetailKind]): KindMeasures => ({
    ...t,
    recall: ratio(t.detected, t.expected),
    precision: ratio(t.correct, t.findings),
    falsePositiveRate: safeCount === 0 ? 0 : t.falseAlarmSentences / safeCount,
  });
  const byKind = Object.fromEntries(IDENTIFYING_DETAIL_KINDS.map((kind) => [kind, measures(tally[kind])])) as Record<
    IdentifyingDetailKind,
    KindMeasures
  >;
  const sum = (key: 'expected' | 'detected' | 'findings' | 'correct') =>
    IDENTIFYING_DETAIL_KINDS.reduce((total, kind) => total + tally[kind][key], 0);
  const overall = measures({
    expected: sum('expected'),
    detected: sum('detected'),
    findings: sum('findings'),
    correct: sum('correct'),
    falseAlarmSentences: safeSentencesWithFinding,
  });
  return {
    safeSentences: safeCount,
    identifyingSentences: corpora.identifying.length,
    overall,
    byKind,
    misses,
    falseAlarms,
  };
}

/** What keeps the evaluation from passing; empty when recall and false positives are within the thresholds. */
export function thresholdFailures(evaluation: Evaluation): string[] {
  const failures: string[] = [];
  const { recall, falsePositiveRate } = evaluation.overall;
  if (recall < THRESHOLDS.minRecall) {
    failures.push(`recall ${percent(recall)} is below ${percent(THRESHOLDS.minRecall)}`);
  }
  if (falsePositiveRate > THRESHOLDS.maxFalsePositiveRate) {
    failures.push(
      `false positives on ${percent(falsePositiveRate)} of safe sentences, above ${percent(THRESHOLDS.maxFalsePositiveRate)}`,
    );
  }
  return failures;
}

export function formatReport(evaluation: Evaluation): string {
  const rows = [
    ['kind', 'expected', 'found', 'recall', 'findings', 'precision', 'FP sentences', 'FP rate'],
    ...[...IDENTIFYING_DETAIL_KINDS, 'overall' as const].map((kind) => {
      const m = kind === 'overall' ? evaluation.overall : evaluation.byKind[kind];
      return [
        kind,
        String(m.expected),
        String(m.detected),
        percent(m.recall),
        String(m.findings),
        percent(m.precision),
        String(m.falseAlarmSentences),
        percent(m.falsePositiveRate),
      ];
    }),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const table = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]))
      .join('  ')
      .trimEnd(),
  );
  const lines = [
    `Identifying-details detector on ${evaluation.identifyingSentences} identifying and ${evaluation.safeSentences} safe sentences`,
    '',
    ...table,
  ];
  if (evaluation.misses.length > 0) {
    lines.push('', 'Missed (identifying.txt):');
    for (const m of evaluation.misses) lines.push(`  line ${m.line}: ${m.kind} ${JSON.stringify(m.text)}`);
  }
  if (evaluation.falseAlarms.length > 0) {
    lines.push('', 'Reported but not expected:');
    for (const f of evaluation.falseAlarms) {
      lines.push(`  ${f.corpus}.txt line ${f.line}: ${f.kind} ${JSON.stringify(f.text)}`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Corpus files
// ---------------------------------------------------------------------------

function contentLines(file: string): Array<{ line: number; text: string }> {
  return file
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.trim() }))
    .filter(({ text }) => text.length > 0 && !text.startsWith('#'));
}

function unescape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const MARKED = /\[\[([a-z-]+):(.*?)\]\]/g;

/** A corpus line with its `[[kind:text]]` marks taken out and recorded as expected spans. */
export function parseIdentifyingLine(line: number, raw: string, nhs: () => string): IdentifyingSentence {
  const withNumbers = raw.replace(/\{\{nhs:([a-z-]+)\}\}/g, (_, format: string) => formatNhsNumber(nhs(), format));
  const expected: IdentifyingDetail[] = [];
  let text = '';
  let last = 0;
  for (const match of withNumbers.matchAll(MARKED)) {
    const [whole, kind, detail] = match;
    if (!(IDENTIFYING_DETAIL_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`identifying.txt line ${line}: unknown kind "${kind}"`);
    }
    text += unescape(withNumbers.slice(last, match.index));
    const start = text.length;
    text += unescape(detail);
    expected.push({ kind: kind as IdentifyingDetailKind, start, end: text.length });
    last = (match.index ?? 0) + whole.length;
  }
  text += unescape(withNumbers.slice(last));
  if (expected.length === 0) throw new Error(`identifying.txt line ${line}: no [[kind:text]] mark`);
  return { line, text, expected };
}

// ---------------------------------------------------------------------------
// NHS numbers for the corpus
// ---------------------------------------------------------------------------

/** Deterministic (seeded) generator of ten-digit numbers with a valid modulus-11 check digit. */
export function nhsNumberGenerator(seed: number): () => string {
  let state = seed >>> 0;
  const next = () => {
    // xorshift32: small, deterministic, good enough to vary the digits.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return () => {
    for (;;) {
      const nine = String(next() % 1_000_000_000).padStart(9, '0');
      const number = withNhsCheckDigit(nine);
      if (number !== null) return number;
    }
  };
}

/** The ten-digit NHS number for nine digits, or null when the check digit would be 10 (no such number). */
export function withNhsCheckDigit(nineDigits: string): string | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return `${nineDigits}${check === 11 ? 0 : check}`;
}

const FULL_WIDTH = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const MATH_BOLD = (digits: string) => digits.replace(/\d/g, (d) => String.fromCodePoint(0x1d7ce + Number(d)));

/** How a ten-digit NHS number can be written so that a naive pattern misses it. */
export const NHS_FORMATS: Record<string, (a: string, b: string, c: string) => string> = {
  plain: (a, b, c) => `${a}${b}${c}`,
  spaced: (a, b, c) => `${a} ${b} ${c}`,
  dashed: (a, b, c) => `${a}-${b}-${c}`,
  dotted: (a, b, c) => `${a}.${b}.${c}`,
  slashed: (a, b, c) => `${a}/${b}/${c}`,
  mixed: (a, b, c) => `${a} ${b}-${c}`,
  'double-space': (a, b, c) => `${a}  ${b}  ${c}`,
  'spaced-dots': (a, b, c) => `${a} . ${b} . ${c}`,
  'spaced-dashes': (a, b, c) => `${a} - ${b} - ${c}`,
  tab: (a, b, c) => `${a}\t${b}\t${c}`,
  nbsp: (a, b, c) => `${a}\u00A0${b}\u00A0${c}`,
  'narrow-nbsp': (a, b, c) => `${a}\u202F${b}\u202F${c}`,
  'figure-space': (a, b, c) => `${a}\u2007${b}\u2007${c}`,
  'ideographic-space': (a, b, c) => `${a}\u3000${b}\u3000${c}`,
  zwsp: (a, b, c) => `${a}\u200B${b}\u200B${c}`,
  'zwsp-spaced': (a, b, c) => `${a} \u200B${b}\u200B ${c}`,
  zwj: (a, b, c) => `${a}\u200D${b}\u200C${c}`,
  'word-joiner': (a, b, c) => `${a}\u2060${b}\u2060${c}`,
  bom: (a, b, c) => `\uFEFF${a}\uFEFF${b}${c}`,
  'soft-hyphen': (a, b, c) => `${a}\u00AD${b}\u00AD${c}`,
  'en-dash': (a, b, c) => `${a}\u2013${b}\u2013${c}`,
  'em-dash': (a, b, c) => `${a}\u2014${b}\u2014${c}`,
  minus: (a, b, c) => `${a}\u2212${b}\u2212${c}`,
  'nb-hyphen': (a, b, c) => `${a}\u2011${b}\u2011${c}`,
  'full-width': (a, b, c) => `${FULL_WIDTH(a)} ${FULL_WIDTH(b)} ${FULL_WIDTH(c)}`,
  'full-width-plain': (a, b, c) => FULL_WIDTH(`${a}${b}${c}`),
  'math-bold': (a, b, c) => `${MATH_BOLD(a)} ${MATH_BOLD(b)} ${MATH_BOLD(c)}`,
};

function formatNhsNumber(number: string, format: string): string {
  const write = NHS_FORMATS[format];
  if (!write) throw new Error(`unknown NHS number format "${format}"`);
  return write(number.slice(0, 3), number.slice(3, 6), number.slice(6));
}

function overlaps(a: IdentifyingDetail, b: IdentifyingDetail): boolean {
  return a.start < b.end && b.start < a.end;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
