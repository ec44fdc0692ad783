import { escapeXml, formatCount, niceMax, patternDefs, seriesFill, svgOpen } from './svg';

export interface StackedBarInput {
  id: string;
  title: string;
  /** What the chart shows, in words, for screen readers (the <desc>). */
  description: string;
  /** One bar per category (for instance per quarter). */
  categories: string[];
  /** The stacked parts of each bar; a null value (suppressed) is not drawn. */
  series: Array<{ label: string; values: Array<number | null> }>;
  /** The whole bar's value, written above it (null: suppressed). */
  totals: Array<number | null>;
  valueLabel: string;
}

const WIDTH = 720;
const PLOT_TOP = 30;
const PLOT_HEIGHT = 260;
const LEFT = 56;
const LEGEND_ROW = 24;

/**
 * Vertical stacked bars with a value axis, a value written in every segment tall enough to hold
 * it and the total above each bar, and a legend naming each series' pattern. Pure: text in,
 * SVG text out.
 */
export function renderStackedBarChart(input: StackedBarInput): string {
  const { id, categories, series } = input;
  const stackTotals = categories.map((_, c) => series.reduce((sum, s) => sum + (s.values[c] ?? 0), 0));
  const max = niceMax(Math.max(1, ...stackTotals, ...input.totals.map((t) => t ?? 0)));
  const plotWidth = WIDTH - LEFT - 16;
  const slot = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.min(90, slot * 0.6);
  const y = (v: number) => PLOT_TOP + PLOT_HEIGHT - (v / max) * PLOT_HEIGHT;
  const legendTop = PLOT_TOP + PLOT_HEIGHT + 44;
  const height = legendTop + series.length * LEGEND_ROW + 8;

  const parts: string[] = [svgOpen(id, WIDTH, height, input.title, input.description), patternDefs(id, series.length)];
  // Value axis and gridlines.
  for (let i = 0; i <= 5; i++) {
    const v = (max / 5) * i;
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - 16}" y1="${y(v)}" y2="${y(v)}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${LEFT - 8}" y="${y(v) + 5}" text-anchor="end" fill="#0b0c0c">${escapeXml(formatCount(Math.round(v * 10) / 10))}</text>`,
    );
  }
  parts.push(`<text x="12" y="${PLOT_TOP + PLOT_HEIGHT / 2}" transform="rotate(-90 12 ${PLOT_TOP + PLOT_HEIGHT / 2})" text-anchor="middle" fill="#0b0c0c">${escapeXml(input.valueLabel)}</text>`);

  categories.forEach((category, c) => {
    const x = LEFT + slot * c + (slot - barWidth) / 2;
    let base = 0;
    series.forEach((s, i) => {
      const value = s.values[c];
      if (!value) return;
      const top = y(base + value);
      const h = y(base) - top;
      parts.push(
        `<rect x="${x}" y="${top}" width="${barWidth}" height="${h}" fill="${seriesFill(id, i).fill}" stroke="#0b0c0c" stroke-width="1"><title>${escapeXml(`${category}, ${s.label}: ${formatCount(value)}`)}</title></rect>`,
      );
      if (h >= 18) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${top + h / 2 + 5}" text-anchor="middle" font-weight="bold" fill="#0b0c0c" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(formatCount(value))}</text>`,
        );
      }
      base += value;
    });
    parts.push(`<text x="${x + barWidth / 2}" y="${y(base) - 8}" text-anchor="middle" font-weight="bold" fill="#0b0c0c">${escapeXml(input.totals[c] === null ? 'total suppressed' : formatCount(input.totals[c]))}</text>`);
    parts.push(`<text x="${LEFT + slot * c + slot / 2}" y="${PLOT_TOP + PLOT_HEIGHT + 22}" text-anchor="middle" fill="#0b0c0c">${escapeXml(category)}</text>`);
  });
  parts.push(`<line x1="${LEFT}" x2="${WIDTH - 16}" y1="${y(0)}" y2="${y(0)}" stroke="#0b0c0c" stroke-width="2"/>`);

  series.forEach((s, i) => {
    const top = legendTop + i * LEGEND_ROW;
    const fill = seriesFill(id, i);
    parts.push(
      `<rect x="${LEFT}" y="${top}" width="28" height="16" fill="${fill.fill}" stroke="#0b0c0c" stroke-width="1"/>`,
      `<text x="${LEFT + 36}" y="${top + 13}" fill="#0b0c0c">${escapeXml(`${s.label} (${fill.patternName})`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
