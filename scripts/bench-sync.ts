/**
 * `npm run bench:sync [-- --dir <folder>] [-- --seconds <n>]`: what `SQLITE_SYNCHRONOUS=full`
 * costs. Measures single-row insert transactions per second with better-sqlite3 in WAL mode, as
 * the service runs it (secure_delete on), at synchronous NORMAL and at FULL, in the same run.
 *
 * The file goes in the folder of `SQLITE_PATH` by default, because the cost is the disk's fsync
 * and that is the disk that matters (a tmpfs /tmp would show no cost at all). Rounds alternate
 * between the two settings so that a neighbour's load affects both alike; the median is reported.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const ROUNDS = 5;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Transactions per second over about `seconds`: one INSERT per transaction, as a booking is. */
function measure(file: string, synchronous: 'NORMAL' | 'FULL', seconds: number): number {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('secure_delete = ON');
    db.pragma(`synchronous = ${synchronous}`);
    db.exec(
      'CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, meeting TEXT NOT NULL, summary TEXT NOT NULL, created TEXT NOT NULL)',
    );
    db.exec('CREATE INDEX IF NOT EXISTS item_meeting ON item (meeting)');
    const insert = db.prepare('INSERT INTO item (meeting, summary, created) VALUES (?, ?, ?)');
    const once = db.transaction((i: number) =>
      insert.run(`meeting-${i % 40}`, 'x'.repeat(400), new Date().toISOString()),
    );
    const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    const start = process.hrtime.bigint();
    let n = 0;
    while (process.hrtime.bigint() < deadline) once(n++);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    return n / elapsed;
  } finally {
    db.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const seconds = Number(argument('seconds') ?? 2);
  const parent = resolve(argument('dir') ?? dirname(process.env.SQLITE_PATH || './data/thresholds.sqlite'));
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'bench-sync-'));
  try {
    const results = { NORMAL: [] as number[], FULL: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so neither always runs on a warmer file.
      const order = round % 2 === 0 ? (['NORMAL', 'FULL'] as const) : (['FULL', 'NORMAL'] as const);
      for (const mode of order) results[mode].push(measure(join(dir, `${mode}.sqlite`), mode, seconds));
    }
    const normal = median(results.NORMAL);
    const full = median(results.FULL);
    console.log(`SQLite WAL, one-row insert transactions, ${ROUNDS} rounds of ${seconds} s each, in ${parent}`);
    console.log(
      `  synchronous = NORMAL: ${Math.round(normal)} tx/s (rounds: ${results.NORMAL.map(Math.round).join(', ')})`,
    );
    console.log(
      `  synchronous = FULL:   ${Math.round(full)} tx/s (rounds: ${results.FULL.map(Math.round).join(', ')})`,
    );
    console.log(
      `  NORMAL / FULL = ${(normal / full).toFixed(1)}; FULL costs ${((1000 / full - 1000 / normal) * 1000).toFixed(0)} µs per commit`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
