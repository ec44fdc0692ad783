// @ts-check
/**
 * The heavy rule modules (`npm run test:mutation:heavy`): the detector and its word lists, the
 * meeting dates, suppression and the e-mail rule, whose mutants each need hundreds of tests.
 * Incremental, with its state in reports/ (not committed): a first run takes hours.
 */
import base, { heavyRuleModules } from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: heavyRuleModules,
  incrementalFile: 'reports/stryker-incremental.heavy.json',
  htmlReporter: { fileName: 'reports/mutation/heavy.html' },
  jsonReporter: { fileName: 'reports/mutation/heavy.json' },
  thresholds: { high: 90, low: 85, break: null },
};
