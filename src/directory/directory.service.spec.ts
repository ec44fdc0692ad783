import { nameFromEmail } from './directory.service';

describe('nameFromEmail', () => {
  it.each([
    ['jo.bloggs@school.sch.uk', 'Jo Bloggs'],
    ['JO.BLOGGS@SCHOOL.SCH.UK', 'Jo Bloggs'],
    ['  Jo.Bloggs@School.sch.uk ', 'Jo Bloggs'],
    ['mary-jane_smith@nhs.net', 'Mary Jane Smith'],
    ['sam@police.uk', 'Sam'],
    ['a..b@x.test', 'A B'],
    ['.jo.@x.test', 'Jo'],
    ['jo.bloggs2@x.test', 'Jo Bloggs2'],
    ['dsl-1@x.test', 'Dsl 1'],
    ['o’brien@x.test', "O'brien"],
    ['zoë.łukasz@x.test', 'Zoë Łukasz'],
  ])('%p → %p', (email, name) => {
    expect(nameFromEmail(email)).toBe(name);
  });

  it('falls back to the local part when it has no letters between separators', () => {
    expect(nameFromEmail('...@x.test')).toBe('...');
    expect(nameFromEmail('_-_@x.test')).toBe('_-_');
  });

  it('never returns more than 120 characters (the width of the name column)', () => {
    const long = `${Array.from({ length: 40 }, (_, i) => `word${i}`).join('.')}@x.test`;
    const name = nameFromEmail(long);
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name.startsWith('Word0 Word1 Word2')).toBe(true);
  });

  it('uses only the local part, never the domain', () => {
    expect(nameFromEmail('jo@secret-unit.police.uk')).not.toMatch(/secret|police/i);
  });
});
