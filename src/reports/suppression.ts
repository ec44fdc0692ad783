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
 * This is the usual "at least two suppressed cells per line" protection. It does not defend
 * against differencing two overlapping date ranges, which is why the publication view is meant
 * for the partnership's standard quarters and years. Pure.
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
  'until no such group has exactly one suppressed cell. Each figure is suppressed the same way in every table it appears in.';

/** Collects every published cell and every additive relation between them, then suppresses. */
export class SuppressionGrid {
  private readonly cells: CountCell[] = [];
  private readonly lines: CountCell[][] = [];

  cell(value = 0, isTotal = false): CountCell {
    const c = new CountCell(value, isTotal);
    this.cells.push(c);
    return c;
  }

  /** Cells the reader knows to add up to a published total (include the total). */
  line(cells: CountCell[]): void {
    if (cells.length > 1) this.lines.push(cells);
  }

  apply(limit = SMALL_NUMBER_LIMIT): void {
    for (const c of this.cells) c.suppressed = c.value >= 1 && c.value < limit ? 'small' : null;
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
