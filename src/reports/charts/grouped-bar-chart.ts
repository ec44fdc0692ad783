import { escapeXml, patternDefs, seriesFill, svgOpen } from './svg';

export interface GroupedBarInput {
  id: string;
  title: string;
  description: string;
  /** The measures, one bar each in every group (for instance timely, complete, appropriate). */
  series: string[];
  /** One group of bars per row (for instance per agency). */
  groups: Array<{
    label: string;
    /** One per series: the length of the bar (0 to `max`; null draws nothing) and the words written beside it. */
    bars: Array<{ value: number | null; text: string }>;
  }>;
  max: number;
  /** The value axis' label, e.g. "Per cent of referrals reviewed". */
  valueLabel: string;
}

const WIDTH = 720;
const LABEL_WIDTH = 200;
const BAR = 18;
const GAP = 4;
const GROUP_GAP = 18;

/** Horizontal grouped bars, every bar labelled with its value in words. Pure. */
export function renderGroupedBarChart(input: GroupedBarInput): string {
  const { id, series, groups } = input;
  const plotLeft = LABEL_WIDTH + 10;
  // Room on the right for the longest label of a full bar ("Appropriately directed: 100% (12 of 12)").
  const plotWidth = WIDTH - plotLeft - 270;
  const top = 40;
  const groupHeight = series.length * (BAR + GAP) - GAP;
  const plotHeight = groups.length * (groupHeight + GROUP_GAP);
  const legendTop = top + plotHeight + 16;
  const height = legendTop + series.length * 24 + 8;
  const x = (v: number) => plotLeft + (Math.min(v, input.max) / input.max) * plotWidth;

  const parts: string[] = [svgOpen(id, WIDTH, height, input.title, input.description), patternDefs(id, series.length)];
  parts.push(`<text x="${plotLeft}" y="20" fill="#0b0c0c">${escapeXml(input.valueLabel)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (input.max / 4) * i;
    parts.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${top - 6}" y2="${top + plotHeight - GROUP_GAP}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${x(v)}" y="${top + plotHeight}" text-anchor="middle" font-size="12" fill="#0b0c0c">${escapeXml(String(Math.round(v)))}</text>`,
    );
  }
  groups.forEach((g, gi) => {
    const gy = top + gi * (groupHeight + GROUP_GAP);
    parts.push(`<text x="${LABEL_WIDTH}" y="${gy + groupHeight / 2 + 5}" text-anchor="end" font-weight="bold" fill="#0b0c0c">${escapeXml(truncate(g.label, 28))}</text>`);
    g.bars.forEach((bar, si) => {
      const by = gy + si * (BAR + GAP);
      const end = bar.value === null ? plotLeft : x(bar.value);
      if (bar.value !== null && bar.value > 0) {
        parts.push(
          `<rect x="${plotLeft}" y="${by}" width="${end - plotLeft}" height="${BAR}" fill="${seriesFill(id, si).fill}" stroke="#0b0c0c" stroke-width="1"><title>${escapeXml(`${g.label}, ${series[si]}: ${bar.text}`)}</title></rect>`,
        );
      }
      parts.push(`<text x="${end + 6}" y="${by + BAR - 4}" font-size="13" fill="#0b0c0c">${escapeXml(`${series[si]}: ${bar.text}`)}</text>`);
    });
  });
  parts.push(`<line x1="${plotLeft}" x2="${plotLeft}" y1="${top - 6}" y2="${top + plotHeight - GROUP_GAP}" stroke="#0b0c0c" stroke-width="2"/>`);
  series.forEach((label, i) => {
    const ly = legendTop + i * 24;
    const fill = seriesFill(id, i);
    parts.push(
      `<rect x="${plotLeft}" y="${ly}" width="28" height="16" fill="${fill.fill}" stroke="#0b0c0c" stroke-width="1"/>`,
      `<text x="${plotLeft + 36}" y="${ly + 13}" fill="#0b0c0c">${escapeXml(`${label} (${fill.patternName})`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
