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
