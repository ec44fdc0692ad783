import { escapeXml, formatCount, svgOpen } from './svg';

export interface HeatTableInput {
  id: string;
  title: string;
  description: string;
  rowTitle: string;
  columnTitle: string;
  rowLabels: string[];
  columnLabels: string[];
  /** rows × columns; null: suppressed. */
  values: Array<Array<number | null>>;
}

const CELL_W = 110;
const CELL_H = 48;
const LEFT = 170;
const TOP = 70;

/** Shades of one hue, lightest for the smallest counts; the count is always written in the cell. */
const SHADES = ['#ffffff', '#d2e2f1', '#a5c5e3', '#5694ca', '#1d70b8', '#003078'];

/**
 * A matrix drawn as a heat table: each cell shaded by its count *and* labelled with it, the
 * diagonal (the same level) outlined. Suppressed cells are hatched grey and say so. Pure.
 */
export function renderHeatTable(input: HeatTableInput): string {
  const { id, values } = input;
  const max = Math.max(1, ...values.flat().map((v) => v ?? 0));
  const width = LEFT + input.columnLabels.length * CELL_W + 20;
  const height = TOP + input.rowLabels.length * CELL_H + 40;
  const parts: string[] = [
    svgOpen(id, width, height, input.title, input.description),
    `<defs><pattern id="${id}-suppressed" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#f3f2f1"/><path d="M0,8 l8,-8" stroke="#505a5f" stroke-width="1"/></pattern></defs>`,
    `<text x="${LEFT + (input.columnLabels.length * CELL_W) / 2}" y="18" text-anchor="middle" font-weight="bold" fill="#0b0c0c">${escapeXml(input.columnTitle)}</text>`,
    `<text x="8" y="${TOP - 12}" font-weight="bold" fill="#0b0c0c">${escapeXml(input.rowTitle)}</text>`,
  ];
  input.columnLabels.forEach((label, c) => {
    parts.push(`<text x="${LEFT + c * CELL_W + CELL_W / 2}" y="${TOP - 12}" text-anchor="middle" fill="#0b0c0c">${escapeXml(label)}</text>`);
  });
  input.rowLabels.forEach((label, r) => {
    const y = TOP + r * CELL_H;
    parts.push(`<text x="${LEFT - 10}" y="${y + CELL_H / 2 + 5}" text-anchor="end" fill="#0b0c0c">${escapeXml(label)}</text>`);
    input.columnLabels.forEach((column, c) => {
      const v = values[r]?.[c] ?? null;
      const x = LEFT + c * CELL_W;
      const shade = v === null ? 0 : v === 0 ? 0 : 1 + Math.min(SHADES.length - 2, Math.floor((v / max) * (SHADES.length - 1)));
      const fill = v === null ? `url(#${id}-suppressed)` : SHADES[shade];
      const text = v === null ? 'suppressed' : formatCount(v);
      const dark = shade >= 4;
      parts.push(
        `<rect x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${fill}" stroke="#0b0c0c" stroke-width="${r === c ? 3 : 1}"><title>${escapeXml(`${input.rowTitle} ${label}, ${input.columnTitle} ${column}: ${text}`)}</title></rect>`,
        `<text x="${x + CELL_W / 2}" y="${y + CELL_H / 2 + 5}" text-anchor="middle" font-weight="bold" fill="${dark ? '#ffffff' : '#0b0c0c'}">${escapeXml(text)}</text>`,
      );
    });
  });
  parts.push(`<text x="8" y="${height - 12}" font-size="12" fill="#0b0c0c">${escapeXml('Thick outline: advised at the level considered.')}</text>`);
  parts.push('</svg>');
  return parts.join('');
}
