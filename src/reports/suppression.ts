/**
 * Small-number suppression for figures labelled for publication, as official statistics do.
 *
 * The rule (also stated in every publication answer):
 * 1. Primary: a count from 1 to 4 is suppressed ("small"). Zero is shown: a true zero says that
 *    nothing happened, not who it happened to, and hiding zeros would make the tables unreadable.
 * 2. Secondary: no published relation may give a suppressed count away by subtraction. Every
 *    relation the reader knows ("these cells add up to that total": a row and its total, a
 *    quarter's column and the quarter's total, the agencies of a sector and the sector, timely
 *    plus not timely and the number reviewed, …) is a *line*; a line must never hold exactly one
 *    suppressed cell. While one does, the smallest other non-zero cell in it is suppressed too
 *    ("secondary"), preferring an inner cell to a total; repeat until no line has exactly one.
 *    The same figure (for instance the items discussed in a quarter) is one cell shared by every
 *    table it appears in, so it is either shown everywhere or hidden everywhere.
 *
 * 3. Audit: "two per line" is not enough on its own. Lines combine (a + b = 5, a + c = 4 and
 *    b + c = 5 give a = 2), and a reader knows bounds (a suppressed count is at least 1, a
 *    "small" one at most 4: two small cells adding up to 2 are both 1). So after step 2 the grid
 *    plays the attacker: it solves the whole system of lines for the suppressed cells (exact
 *    elimination over the rationals), with the bounds of each line, and wherever one cell is
 *    still determined it suppresses one more in a line through it; until none is.
 *
 * It does not defend against differencing two overlapping date ranges, which is why the
 * publication view is meant for the partnership's standard quarters and years. Pure.
 */
export const SMALL_NUMBER_LIMIT = 5;

export type SuppressionMark = 'small' | 'secondary';

export class CountCell {
  suppressed: SuppressionMark | null = null;

  constructor(
    public value: number,
    /** Totals are kept visible in preference to inner cells when a complement has to be chosen. */
    readonly isTotal = false,
  ) {}

  add(n: number): void {
    this.value += n;
  }

  /** What the reader gets: the count, or null when it is suppressed. */
  get shown(): number | null {
    return this.suppressed ? null : this.value;
  }
}

export const SUPPRESSION_RULE =
  'Counts from 1 to 4 are suppressed (null, marked "small"); 0 is shown. So that no suppressed count can be worked out ' +
  'from a total, wherever cells are published with the total they add up to (a row and its total, a quarter and its ' +
  'total, the agencies of a sector and the sector, timely plus not timely and the number reviewed) and exactly one of them ' +
  'is suppressed, the smallest other non-zero cell is suppressed too (null, marked "secondary"), inner cells before totals, ' +
  'until no such group has exactly one suppressed cell. Then every relation is solved together, with the bounds a reader ' +
  'knows (a suppressed count is at least 1, a small one at most 4), and wherever a suppressed count could still be worked ' +
  'out, another cell beside it is suppressed. Each figure is suppressed the same way in every table it appears in.';

/** Collects every published cell and every additive relation between them, then suppresses. */
export class SuppressionGrid {
  private readonly cells: CountCell[] = [];
  private readonly lines: CountCell[][] = [];

  cell(value = 0, isTotal = false): CountCell {
    const c = new CountCell(value, isTotal);
    this.cells.push(c);
    return c;
  }

  /** Cells the reader knows to add up to a published total: the parts, then the total last. */
  line(cells: CountCell[]): void {
    if (cells.length > 1) this.lines.push(cells);
  }

  apply(limit = SMALL_NUMBER_LIMIT): void {
    for (const c of this.cells) c.suppressed = c.value >= 1 && c.value < limit ? 'small' : null;
    for (;;) {
      this.twoPerLine();
      const exposed = determinedCells(this.lines, limit);
      if (exposed.length === 0) return;
      // Hide one more cell in a line through an exposed one: the smallest non-zero cell found,
      // inner before total; a zero only if no line through any exposed cell has anything else.
      const candidates = exposed.flatMap((cell) =>
        this.lines.filter((l) => l.includes(cell)).flatMap((l) => (pickComplement(l) ? [pickComplement(l)!] : [])),
      );
      const complement =
        candidates.filter((c) => c.value > 0).sort((a, b) => Number(a.isTotal) - Number(b.isTotal) || a.value - b.value)[0] ??
        candidates[0];
      if (!complement) return; // every cell around them is already hidden: nothing more can be done
      complement.suppressed = 'secondary';
    }
  }

  private twoPerLine(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const line of this.lines) {
        if (line.filter((c) => c.suppressed).length !== 1) continue;
        const complement = pickComplement(line);
        if (complement) {
          complement.suppressed = 'secondary';
          changed = true;
        }
      }
    }
  }
}

/**
 * The suppressed cells a reader could still work out from the published cells and the lines:
 * by linear elimination over every line at once, or by one line's bounds (every suppressed cell is
 * at least 1, a small one at most limit - 1). Exported for the tests' own attacker to agree with.
 */
export function determinedCells(lines: readonly CountCell[][], limit = SMALL_NUMBER_LIMIT): CountCell[] {
  const unknown = [...new Set(lines.flat().filter((c) => c.suppressed))];
  if (unknown.length === 0) return [];
  const index = new Map(unknown.map((c, i) => [c, i]));
  const found = new Set<CountCell>();
  // Bounds, line by line: if the hidden cells must all sit at their least (or most), all are known.
  for (const line of lines) {
    const hidden = line.filter((c) => c.suppressed);
    if (hidden.length === 0) continue;
    const rest = line.filter((c) => !c.suppressed);
    // A line says: (sum of inner cells) = total; its total is the cell marked isTotal, or the last.
    const total = line[line.length - 1];
    const hiddenSum = total.suppressed
      ? null
      : total.value - rest.filter((c) => c !== total).reduce((n, c) => n + c.value, 0);
    if (hiddenSum === null) continue;
    const least = hidden.length;
    const most = hidden.every((c) => c.suppressed === 'small') ? hidden.length * (limit - 1) : Infinity;
    if (hiddenSum === least || hiddenSum === most) hidden.forEach((c) => found.add(c));
  }
  // Linear: a unit vector in the row space of the lines restricted to the hidden cells.
  const rows = lines
    .filter((line) => line.some((c) => c.suppressed))
    .map((line) => {
      const row = new Array<bigint>(unknown.length).fill(0n);
      const total = line[line.length - 1];
      for (const c of line) {
        if (!c.suppressed) continue;
        row[index.get(c)!] += c === total ? -1n : 1n;
      }
      return row;
    });
  for (const i of unitRows(rows, unknown.length)) found.add(unknown[i]);
  return unknown.filter((c) => found.has(c));
}

/** The columns i for which e_i is in the row space of `rows` (integer elimination, exact). */
function unitRows(rows: bigint[][], width: number): number[] {
  const m = rows.map((r) => [...r]);
  const pivots: Array<{ row: number; col: number }> = [];
  let r = 0;
  for (let col = 0; col < width && r < m.length; col++) {
    const p = m.findIndex((row, i) => i >= r && row[col] !== 0n);
    if (p === -1) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i][col] === 0n) continue;
      const a = m[r][col];
      const b = m[i][col];
      // row_i := a * row_i - b * row_r keeps integers; divide by the gcd to keep them small.
      m[i] = m[i].map((v, j) => a * v - b * m[r][j]);
      const g = m[i].reduce((acc, v) => gcd(acc, v < 0n ? -v : v), 0n);
      if (g > 1n) m[i] = m[i].map((v) => v / g);
    }
    pivots.push({ row: r, col });
    r++;
  }
  return pivots.filter(({ row }) => m[row].filter((v) => v !== 0n).length === 1).map(({ col }) => col);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The cell to hide alongside the lone suppressed one: the smallest non-zero inner cell, else the
 * smallest non-zero total, else (never needed for additive lines, kept as a safety net) a zero.
 */
function pickComplement(line: CountCell[]): CountCell | undefined {
  const open = line.filter((c) => !c.suppressed);
  const rank = (c: CountCell) => [c.value === 0 ? 1 : 0, c.isTotal ? 1 : 0, c.value] as const;
  return open.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  })[0];
}
