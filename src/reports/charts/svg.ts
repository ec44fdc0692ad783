/**
 * Small helpers for the server-drawn charts: escaping, number formatting and the fills that tell
 * series apart. Every fill is a colour *and* a pattern (solid, hatching, dots, cross-hatching,
 * stripes…), and every series is named in a legend and in the data table beside the chart, so
 * nothing depends on telling colours apart. Colours are from the GOV.UK palette and keep at least
 * 3:1 contrast with the white background (WCAG 1.4.11).
 */

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function formatCount(value: number | null): string {
  return value === null ? 'suppressed' : value.toLocaleString('en-GB');
}

const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#28a197', '#912b88', '#505a5f'];
const PATTERNS = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical', 'checks', 'reverse-diagonal'] as const;

export interface SeriesFill {
  /** The `fill` attribute: a colour or `url(#…)`. */
  fill: string;
  /** A short name of the pattern, for the legend's text ("hatched", "dotted"…). */
  patternName: string;
}

/** The fill of series `i` in a chart whose element ids start with `chartId`. */
export function seriesFill(chartId: string, i: number): SeriesFill {
  const pattern = PATTERNS[i % PATTERNS.length];
  return { fill: pattern === 'solid' ? COLOURS[i % COLOURS.length] : `url(#${chartId}-p${i})`, patternName: PATTERN_NAMES[pattern] };
}

const PATTERN_NAMES: Record<(typeof PATTERNS)[number], string> = {
  solid: 'solid',
  diagonal: 'diagonal hatching',
  dots: 'dotted',
  cross: 'cross-hatched',
  horizontal: 'horizontal stripes',
  vertical: 'vertical stripes',
  checks: 'checked',
  'reverse-diagonal': 'reverse hatching',
};

/** `<defs>` with one pattern per series that needs one. */
export function patternDefs(chartId: string, count: number): string {
  const defs: string[] = [];
  for (let i = 0; i < count; i++) {
    const pattern = PATTERNS[i % PATTERNS.length];
    if (pattern === 'solid') continue;
    const colour = COLOURS[i % COLOURS.length];
    const bg = `<rect width="8" height="8" fill="#ffffff"/>`;
    const marks: Record<Exclude<(typeof PATTERNS)[number], 'solid'>, string> = {
      diagonal: `<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="${colour}" stroke-width="2.5"/>`,
      'reverse-diagonal': `<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="${colour}" stroke-width="2.5"/>`,
      dots: `<circle cx="2" cy="2" r="1.8" fill="${colour}"/><circle cx="6" cy="6" r="1.8" fill="${colour}"/>`,
      cross: `<path d="M0,0 l8,8 M8,0 l-8,8" stroke="${colour}" stroke-width="1.8"/>`,
      horizontal: `<rect y="0" width="8" height="3.5" fill="${colour}"/>`,
      vertical: `<rect x="0" width="3.5" height="8" fill="${colour}"/>`,
      checks: `<rect width="4" height="4" fill="${colour}"/><rect x="4" y="4" width="4" height="4" fill="${colour}"/>`,
    };
    defs.push(`<pattern id="${chartId}-p${i}" width="8" height="8" patternUnits="userSpaceOnUse">${bg}${marks[pattern]}</pattern>`);
  }
  return defs.length ? `<defs>${defs.join('')}</defs>` : '';
}

/** Opens an accessible SVG: an image named by its <title> and described by its <desc>. */
export function svgOpen(chartId: string, width: number, height: number, title: string, description: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="${chartId}" role="img" aria-labelledby="${chartId}-title ${chartId}-desc" ` +
    `viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" font-family="Arial, sans-serif" font-size="14">` +
    `<title id="${chartId}-title">${escapeXml(title)}</title><desc id="${chartId}-desc">${escapeXml(description)}</desc>`
  );
}

/** A chart's data as a table: shown beside the chart, so every value is readable as text. */
export interface ChartTable {
  caption: string;
  head: string[];
  rows: string[][];
  /** Which columns hold numbers (right-aligned). */
  numeric: boolean[];
}

/** One chart: the SVG, its title and the table of its data. */
export interface ChartFigure {
  id: string;
  title: string;
  svg: string;
  table: ChartTable;
}

/** A round, readable top for a value axis. */
export function niceMax(value: number): number {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}
