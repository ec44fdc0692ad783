/**
 * pdfkit's built-in fonts (Helvetica) encode text as WinAnsi: a character outside it is not
 * just dropped, it garbles the rest of the line. Free text may hold anything, so every string
 * goes through `toPdfText` first: WinAnsi characters pass, common typography is mapped, accented
 * letters lose their accent when WinAnsi lacks them, and anything else becomes "?". Pure.
 */

/** The WinAnsi characters outside Latin-1 (code points 0x80–0x9F of Windows-1252). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const REPLACEMENTS: Record<string, string> = {
  '\t': '    ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2028': '\n',
  '\u2029': '\n',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u200b': '',
  '\u200d': '',
  '\ufeff': '',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
};

export function isWinAnsi(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

export function toPdfText(value: string): string {
  let out = '';
  for (const ch of value.normalize('NFC').replace(/\r\n?/g, '\n')) {
    if (ch === '\n' || isWinAnsi(ch)) {
      out += ch;
      continue;
    }
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    // Stryker disable next-line EqualityOperator,ConditionalExpression: WinAnsi characters (0x20–0x7e, 0xa0) never get here, so these bounds cannot be told apart
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue; // control characters
    const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    out += base && [...base].every(isWinAnsi) ? base : '?';
  }
  return out;
}

/** "Page 2 of 5". */
export function pageLabel(index: number, count: number): string {
  return `Page ${index + 1} of ${count}`;
}
