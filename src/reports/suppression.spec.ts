import { SuppressionGrid } from './suppression';

/** A row of cells and its total, as one line. */
function row(grid: SuppressionGrid, values: number[]) {
  const cells = values.map((v) => grid.cell(v));
  const total = grid.cell(values.reduce((a, b) => a + b, 0), true);
  grid.line([...cells, total]);
  return { cells, total };
}

describe('SuppressionGrid', () => {
  it('suppresses 1 to 4 as small, shows 0 and 5 or more', () => {
    const grid = new SuppressionGrid();
    const cells = [0, 1, 4, 5, 12].map((v) => grid.cell(v));
    grid.apply();
    expect(cells.map((c) => [c.shown, c.suppressed])).toEqual([
      [0, null],
      [null, 'small'],
      [null, 'small'],
      [5, null],
      [12, null],
    ]);
  });

  it('hides the next-smallest inner cell of a line with one small cell, so the total cannot give it away', () => {
    const grid = new SuppressionGrid();
    const r = row(grid, [3, 0, 9, 20]);
    grid.apply();
    expect(r.cells.map((c) => c.suppressed)).toEqual(['small', null, 'secondary', null]);
    expect(r.total.shown).toBe(32);
  });

  it('prefers an inner cell to a total, and leaves a line with two suppressed cells alone', () => {
    const grid = new SuppressionGrid();
    const r = row(grid, [2, 3, 40]);
    grid.apply();
    expect(r.cells.map((c) => c.suppressed)).toEqual(['small', 'small', null]);
    expect(r.total.shown).toBe(45);
  });

  it('protects both directions of a table: a secondary cell in a row needs a partner in its column', () => {
    // [ 2  10 | 12 ]
    // [ 8   9 | 17 ]
    // [10  19 | 29 ]
    const grid = new SuppressionGrid();
    const a = [grid.cell(2), grid.cell(10)];
    const b = [grid.cell(8), grid.cell(9)];
    const rowTotals = [grid.cell(12, true), grid.cell(17, true)];
    const colTotals = [grid.cell(10, true), grid.cell(19, true)];
    const total = grid.cell(29, true);
    grid.line([...a, rowTotals[0]]);
    grid.line([...b, rowTotals[1]]);
    grid.line([a[0], b[0], colTotals[0]]);
    grid.line([a[1], b[1], colTotals[1]]);
    grid.line([...rowTotals, total]);
    grid.line([...colTotals, total]);
    grid.apply();
    expect([...a, ...b].map((c) => c.suppressed)).toEqual(['small', 'secondary', 'secondary', 'secondary']);
    expect([...rowTotals, ...colTotals, total].every((c) => c.suppressed === null)).toBe(true);
  });

  it('shares a cell between tables, so a figure is hidden everywhere or nowhere', () => {
    const grid = new SuppressionGrid();
    const quarterTotal = grid.cell(14, true);
    const byKind = [grid.cell(11), grid.cell(3)];
    const byAgency = [grid.cell(7), grid.cell(7)];
    grid.line([...byKind, quarterTotal]);
    grid.line([...byAgency, quarterTotal]);
    grid.apply();
    expect(byKind.map((c) => c.suppressed)).toEqual(['secondary', 'small']);
    expect(byAgency.map((c) => c.suppressed)).toEqual([null, null]);
    expect(quarterTotal.shown).toBe(14);
  });
});
