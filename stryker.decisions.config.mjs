// @ts-check
/**
 * The services' decision code (`npm run test:mutation:decisions`): the pure builders and
 * helpers the services call (iCalendar, config, reports, minutes, mail layout, the pages'
 * helpers), against the whole unit project with per-test coverage. No incremental state, so
 * the score is the code's today.
 */
import base, { decisionCode } from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: decisionCode,
  incremental: false,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/decisions.json' },
  thresholds: { high: 90, low: 75, break: null },
};
