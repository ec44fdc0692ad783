import { createHash } from 'node:crypto';
import { govukFrontendDist } from '../web-paths';

/** Where the pages link their stylesheet. */
export const STYLESHEET_PATH = '/assets/thresholds.min.css';

/**
 * The Sass the stylesheet is built from: GOV.UK Frontend with the system font stack (GDS
 * Transport is for GOV.UK services only, so no font files are referred to or served) and the
 * partnership's brand colour.
 */
export function stylesheetSource(brandColour: string): string {
  return [
    '@use "govuk" as * with (',
    '  $govuk-font-family: (arial, sans-serif),',
    `  $govuk-functional-colours: (brand: ${brandColour}),`,
    '  $govuk-assets-path: "/assets/"',
    ');',
    // The session timeout warning (views/layout.njk): a native modal dialog.
    '.app-timeout-dialog { max-width: 30em; padding: 30px; border: 5px solid #0b0c0c; }',
    '.app-timeout-dialog::backdrop { background: rgba(11, 12, 12, 0.8); }',
    // Wide tables scroll sideways in their own region on narrow screens (views/macros.njk).
    // position: relative, so that visually hidden text in a cell (absolutely positioned) scrolls with the table too.
    '.app-table-scroll { overflow-x: auto; position: relative; margin-bottom: 20px; }',
    '.app-table-scroll > .govuk-table { margin-bottom: 0; }',
    '.app-table-scroll:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: inset 0 0 0 2px #0b0c0c; }',
  ].join('\n');
}

export interface Stylesheet {
  css: string;
  etag: string;
}

const compiled = new Map<string, Promise<Stylesheet>>();

/**
 * The compiled stylesheet for a brand colour, with `sass` (dart-sass, the maintained compiler),
 * once per process and colour (about a second and a half on these machines). Sass itself is loaded
 * then too, not at start-up: it is a sixth of a second to load.
 */
export function stylesheet(brandColour: string): Promise<Stylesheet> {
  let sheet = compiled.get(brandColour);
  if (!sheet) {
    sheet = compile(brandColour);
    compiled.set(brandColour, sheet);
    // A failed compilation is tried again by the next request, not remembered.
    sheet.catch(() => compiled.delete(brandColour));
  }
  return sheet;
}

async function compile(brandColour: string): Promise<Stylesheet> {
  const { compileString } = await import('sass');
  const { css } = compileString(stylesheetSource(brandColour), {
    loadPaths: [govukFrontendDist()],
    style: 'compressed',
    quietDeps: true,
  });
  return { css, etag: `"${createHash('sha256').update(css).digest('base64url').slice(0, 27)}"` };
}
