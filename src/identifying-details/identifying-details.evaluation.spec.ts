import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findIdentifyingDetails, IDENTIFYING_DETAIL_KINDS } from './identifying-details.detector';
import {
  Corpora,
  evaluate,
  formatReport,
  loadCorpora,
  NHS_FORMATS,
  nhsNumberGenerator,
  parseIdentifyingLine,
  THRESHOLDS,
  thresholdFailures,
  withNhsCheckDigit,
} from './identifying-details.evaluation';

describe('the detector on the shipped corpora (npm run guard:eval)', () => {
  const corpora = loadCorpora();
  const evaluation = evaluate(corpora);

  it('has at least 200 sentences in each corpus, and every kind in the identifying one', () => {
    expect(corpora.safe.length).toBeGreaterThanOrEqual(200);
    expect(corpora.identifying.length).toBeGreaterThanOrEqual(200);
    for (const kind of IDENTIFYING_DETAIL_KINDS) expect(evaluation.byKind[kind].expected).toBeGreaterThanOrEqual(30);
  });

  it(`finds at least ${THRESHOLDS.minRecall * 100}% of the identifying details`, () => {
    expect(evaluation.overall.recall).toBeGreaterThanOrEqual(THRESHOLDS.minRecall);
  });

  it(`raises a false alarm on at most ${THRESHOLDS.maxFalsePositiveRate * 100}% of the safe sentences, names included`, () => {
    expect(evaluation.overall.falsePositiveRate).toBeLessThanOrEqual(THRESHOLDS.maxFalsePositiveRate);
  });

  it('passes the thresholds that npm run guard:eval applies', () => {
    expect(thresholdFailures(evaluation)).toEqual([]);
  });

  it('uses every NHS number format in the identifying corpus', () => {
    const file = readFileSync(join(__dirname, 'corpus/identifying.txt'), 'utf8');
    for (const format of Object.keys(NHS_FORMATS)) expect(file).toContain(`{{nhs:${format}}}`);
  });
});

describe('evaluate', () => {
  const corpora: Corpora = {
    safe: [
      { line: 1, text: 'Child A is in Year 9.' },
      { line: 2, text: 'Call 07700 900123.' },
    ],
    identifying: [
      { line: 1, text: 'Lives at SW1A 1AA.', expected: [{ kind: 'postcode', start: 9, end: 17 }] },
      { line: 2, text: 'Born in the spring.', expected: [{ kind: 'date-of-birth', start: 0, end: 4 }] },
    ],
  };

  it('counts recall, precision and false alarms per kind and overall', () => {
    const e = evaluate(corpora, findIdentifyingDetails);
    expect(e.byKind.postcode).toMatchObject({ expected: 1, detected: 1, recall: 1, findings: 1, correct: 1 });
    expect(e.byKind['date-of-birth']).toMatchObject({ expected: 1, detected: 0, recall: 0 });
    expect(e.byKind.phone).toMatchObject({ findings: 1, correct: 0, precision: 0, falseAlarmSentences: 1 });
    expect(e.byKind.phone.falsePositiveRate).toBe(0.5);
    expect(e.overall).toMatchObject({ expected: 2, detected: 1, recall: 0.5, findings: 2, correct: 1, precision: 0.5 });
    expect(e.overall.falsePositiveRate).toBe(0.5);
    expect(e.misses).toEqual([{ line: 2, kind: 'date-of-birth', text: 'Born' }]);
    expect(e.falseAlarms).toEqual([{ corpus: 'safe', line: 2, kind: 'phone', text: '07700 900123' }]);
    expect(thresholdFailures(e)).toHaveLength(2);
    expect(formatReport(e)).toMatch(/overall\s+2\s+1\s+50\.0%/);
  });

  it('does not count a finding of another kind as found', () => {
    const e = evaluate(corpora, () => [{ kind: 'phone', start: 9, end: 17 }]);
    expect(e.byKind.postcode.detected).toBe(0);
  });
});

describe('corpus lines', () => {
  it('turn [[kind:text]] marks into expected spans, with \\u escapes decoded', () => {
    const s = parseIdentifyingLine(7, 'At [[postcode:SW1A\\u00A01AA]], mum [[phone:07700 900123]].', () => '');
    expect(s.text).toBe('At SW1A\u00A01AA, mum 07700 900123.');
    expect(s.expected).toEqual([
      { kind: 'postcode', start: 3, end: 11 },
      { kind: 'phone', start: 17, end: 29 },
    ]);
  });

  it('refuse an unknown kind or a line without a mark', () => {
    expect(() => parseIdentifyingLine(3, '[[postcdoe:SW1A 1AA]]', () => '')).toThrow(/line 3.*postcdoe/);
    expect(() => parseIdentifyingLine(4, 'no marks here', () => '')).toThrow(/line 4/);
  });

  it('write generated NHS numbers in the requested format', () => {
    const s = parseIdentifyingLine(1, 'NHS [[nhs-number:{{nhs:dotted}}]]', () => '9434765919');
    expect(s.text).toBe('NHS 943.476.5919');
    expect(() => parseIdentifyingLine(1, '[[nhs-number:{{nhs:sideways}}]]', () => '9434765919')).toThrow(/sideways/);
  });
});

describe('generated NHS numbers', () => {
  it('always have a valid modulus-11 check digit, and vary', () => {
    const next = nhsNumberGenerator(42);
    const numbers = Array.from({ length: 200 }, next);
    expect(new Set(numbers).size).toBe(200);
    for (const n of numbers) {
      expect(n).toMatch(/^\d{10}$/);
      expect(withNhsCheckDigit(n.slice(0, 9))).toBe(n);
      expect(findIdentifyingDetails(`NHS ${n}`)).toEqual([{ kind: 'nhs-number', start: 4, end: 14 }]);
    }
  });

  it('are the same for the same seed, so the evaluation is repeatable', () => {
    expect(Array.from({ length: 5 }, nhsNumberGenerator(7))).toEqual(Array.from({ length: 5 }, nhsNumberGenerator(7)));
  });

  it('agree with the published example and the check-digit rules', () => {
    expect(withNhsCheckDigit('943476591')).toBe('9434765919');
    expect(withNhsCheckDigit('987654321')).toBe('9876543210'); // 11 means 0
    expect(withNhsCheckDigit('123456789')).toBeNull(); // 10 means no such number
  });
});
