import { normalise, toOriginalSpan } from './identifying-details.normalise';

/** Each character of the normalised text with the slice of the original it came from. */
function mapping(original: string): Array<[string, string]> {
  const n = normalise(original);
  return [...n.text].map((c, k) => [c, original.slice(n.starts[k], n.ends[k])]);
}

describe('normalise', () => {
  it('leaves plain ASCII prose as it is, one to one', () => {
    const text = 'Child A, aged 7, Year 9: level 3 (see 4.3.12) at 10:30 - jo@example.com | 50%';
    const n = normalise(text);
    expect(n.text).toBe(text);
    expect([...n.starts]).toEqual([...text].map((_, i) => i));
    expect([...n.ends]).toEqual([...text].map((_, i) => i + 1));
  });

  it('returns an empty text for an empty string', () => {
    const n = normalise('');
    expect(n.text).toBe('');
    expect(n.starts).toHaveLength(0);
  });

  it('applies NFKC: full-width digits and letters, ligatures, superscripts', () => {
    expect(normalise('０７７００ ＳＷ１Ａ ＠ ﬁle x²').text).toBe('07700 SW1A @ file x2');
  });

  it('drops format characters, other invisible code points and combining marks', () => {
    expect(normalise('9\u200B4\u200C3\u200D4\u2060 7\uFEFF6\u00AD5\u180E1\uFE0F9\u034F').text).toBe('9434 76519');
    expect(normalise('S\u0301W\u03081A').text).toBe('SW1A');
    expect(normalise('\u202Eabc\u202C').text).toBe('abc');
  });

  it('writes dashes, dots, slashes and spaces in ASCII', () => {
    expect(normalise('a\u2013b\u2014c\u2212d\u2011e\u2010f').text).toBe('a-b-c-d-e-f');
    expect(normalise('a\u00B7b\u2024c').text).toBe('a.b.c');
    expect(normalise('a\u2044b\u2215c\\d').text).toBe('a/b/c/d');
    expect(normalise('a\u00A0b\u202Fc\u2007d\u3000e\tf').text).toBe('a b c d e f');
  });

  it('folds look-alike letters to ASCII, but never changes ASCII or symbols', () => {
    expect(normalise('\u0410\u0412\u0421 \u0430\u0435\u043E\u0440\u0441 \u0391\u0392\u0395 \u03BF').text).toBe(
      'ABC aeopc ABE o',
    );
    expect(normalise('Zo\u00EB, Jos\u00E9').text).toBe('Zoe, Jose');
    expect(normalise('a|b £5 €6 ©').text).toBe('a|b £5 €6 ©');
  });

  it('reads a run of separators between two digits as its strongest character', () => {
    expect(normalise('943 . 476 - 5919').text).toBe('943.476-5919');
    expect(normalise('03 / 05 . 2015').text).toBe('03/05.2015');
    expect(normalise('07700  \u00A0 900123').text).toBe('07700 900123');
    expect(normalise('1 - 2').text).toBe('1-2');
  });

  it('only shrinks runs of spaces elsewhere', () => {
    expect(normalise('SW1A   1AA').text).toBe('SW1A 1AA');
    expect(normalise('jo..bloggs  -- x').text).toBe('jo..bloggs -- x');
    expect(normalise('aged 7 .  Year').text).toBe('aged 7 . Year');
    expect(normalise('line one\n\nline two').text).toBe('line one\n\nline two');
  });

  it('maps every normalised character back to the original characters it came from', () => {
    expect(mapping('a\u200Bb')).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(mapping('9 \u00A0. 4')).toEqual([
      ['9', '9'],
      ['.', ' \u00A0. '],
      ['4', '4'],
    ]);
    expect(mapping('\u00BD')).toEqual([
      ['1', '\u00BD'],
      ['/', '\u00BD'],
      ['2', '\u00BD'],
    ]);
    expect(mapping('𝟗x')).toEqual([
      ['9', '𝟗'],
      ['x', 'x'],
    ]);
  });

  it('maps a normalised span back to UTF-16 offsets in the original', () => {
    const original = 'NHS \uFEFF９４３\u00A0\u00A0４７６\u200B５９１９!';
    const n = normalise(original);
    expect(n.text).toBe('NHS 943 4765919!');
    const start = n.text.indexOf('943');
    const [from, to] = toOriginalSpan(n, start, start + '943 4765919'.length);
    expect(original.slice(from, to)).toBe('９４３\u00A0\u00A0４７６\u200B５９１９');
  });

  it('keeps a lone surrogate without failing', () => {
    expect(normalise('a\uD800b').text).toBe('a\uD800b');
  });
});
