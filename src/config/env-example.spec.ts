import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';

/** `.env.example` lists every variable, commented: a new setting cannot be left out of it. */
describe('.env.example', () => {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  const lines = text.split('\n');
  const listed = lines.flatMap((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    return match ? [{ name: match[1] }] : [];
  });

  it('lists every setting the service reads, and nothing else', () => {
    const known = Object.keys(new AppConfig()).sort();
    expect(listed.map((v) => v.name).sort()).toEqual(known);
  });

  it('comments every setting (a comment line above it, or above the group of settings it belongs to)', () => {
    const isSetting = (line: string) => /^[A-Z][A-Z0-9_]*=/.test(line);
    const uncommented = lines.flatMap((line, i) => {
      if (!isSetting(line)) return [];
      let above = i - 1;
      while (above >= 0 && isSetting(lines[above])) above--;
      return lines[above]?.startsWith('#') ? [] : [line.split('=')[0]];
    });
    expect(uncommented).toEqual([]);
  });
});
