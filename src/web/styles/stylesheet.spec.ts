import { DEFAULT_BRAND_COLOUR } from '../../config/brand-colour';
import { stylesheet, stylesheetSource } from './stylesheet';

describe('the stylesheet', () => {
  it('is GOV.UK Frontend with the system font stack: no GDS Transport, no font files', async () => {
    const { css } = await stylesheet(DEFAULT_BRAND_COLOUR);
    expect(css.includes('.govuk-button')).toBe(true);
    expect(/font-family:arial,sans-serif/.test(css)).toBe(true);
    expect(/GDS Transport|@font-face|\.woff/.exec(css)?.[0]).toBeUndefined();
  });

  it('carries the brand colour given (the header’s border and the service navigation use it)', async () => {
    const { css, etag } = await stylesheet('#4c2c92');
    const brand = (sheet: string) => /--govuk-brand-colour: (#[0-9a-f]{6})/.exec(sheet)?.[1];
    expect(brand(css)).toBe('#4c2c92');
    expect(brand((await stylesheet(DEFAULT_BRAND_COLOUR)).css)).toBe(DEFAULT_BRAND_COLOUR);
    expect(etag).not.toBe((await stylesheet(DEFAULT_BRAND_COLOUR)).etag);
    // Compiled once per colour.
    expect((await stylesheet('#4c2c92')).css === css).toBe(true);
  });

  it('puts the colour into the Sass as given, nothing else', () => {
    expect(stylesheetSource('#123456')).toContain('$govuk-functional-colours: (brand: #123456)');
  });
});
