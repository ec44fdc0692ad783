/** The brand colour setting's rules: the partnership's colour carries white text (header, buttons). */

/** GOV.UK Frontend's own brand blue: the default when a partnership sets no colour of its own. */
export const DEFAULT_BRAND_COLOUR = '#1d70b8';

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of white text on this colour (the header and buttons put white on it). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}
