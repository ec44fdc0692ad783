import { isWinAnsi, pageLabel, toPdfText } from './pdf-text';

describe('toPdfText', () => {
  it('keeps ASCII, Latin-1 and the WinAnsi typography unchanged', () => {
    const s = 'Zoë’s café – “early help” … £12 © naïve — Œuvre €5';
    expect(toPdfText(s)).toBe(s);
  });

  it('drops accents WinAnsi lacks, and maps letters that do not decompose', () => {
    expect(toPdfText('Łódź Dvořák Nguyễn ı')).toBe('Lódz Dvorák Nguyen i'); // ó and á are Latin-1
  });

  it('replaces what it cannot show with ?, so the rest of the line stays readable', () => {
    expect(toPdfText('ok 😀 漢字 ok')).toBe('ok ? ?? ok');
  });

  it('normalises line breaks, tabs and invisible characters, and drops control characters', () => {
    expect(toPdfText('a\r\nb\rc\u2028d\te\u200bf\u0007g')).toBe('a\nb\nc\nd    ef' + 'g');
  });

  it('draws the WinAnsi ranges at their edges', () => {
    // Printable ASCII ends at ~ (0x7e); DEL (0x7f) to 0x9f are controls; Latin-1 runs from the
    // no-break space (0xa0) to ÿ (0xff); Ā (0x100) is outside, and decomposes to A.
    for (const ch of [' ', '~', '\u00a0', 'ÿ']) expect([ch, isWinAnsi(ch)]).toEqual([ch, true]);
    for (const ch of ['\u001f', '\u007f', '\u009f', 'Ā', 'ő']) expect([ch, isWinAnsi(ch)]).toEqual([ch, false]);
    expect(toPdfText('a\u001fb\u007fc\u009fd\u00a0e~ÿ')).toBe('abcd\u00a0e~ÿ');
    expect(toPdfText('Ā')).toBe('A');
    expect(toPdfText('Wőrd')).toBe('Word');
    // ㎕ decomposes to Greek μ and l: not all of it can be shown, so one ?.
    expect(toPdfText('5㎕')).toBe('5?');
    expect(toPdfText('Ω')).toBe('?');
    expect(toPdfText('x\u0080y')).toBe('xy');
  });

  it('every character of the result can be encoded', () => {
    const out = toPdfText('mixed: ĀāĂă ǅ ﬁ ½ ∑ ₂ x²');
    expect([...out].every((ch) => ch === '\n' || isWinAnsi(ch))).toBe(true);
  });
});

describe('pageLabel', () => {
  it('counts from one', () => {
    expect(pageLabel(0, 3)).toBe('Page 1 of 3');
    expect(pageLabel(2, 3)).toBe('Page 3 of 3');
  });
});
