// @ts-check
/**
 * CI: the rule modules alone, against their own specs, failing below 85 %. No incremental state
 * (CI starts from a clean clone).
 */
import base, { heavyRuleModules, ruleModules } from './stryker.config.mjs';

/**
 * The spec files of all rule modules (`x.ts` → `x.spec.ts`, `x.*.spec.ts`, `x-*.spec.ts`);
 * perTest coverage then runs only the tests that cover each mutant.
 */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ruleSpecs = `/(${[...ruleModules, ...heavyRuleModules].map((file) => escape(file.replace(/\.ts$/, ''))).join('|')})([.-][^/]*)?\\.spec\\.ts$`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: { ...base.jest, config: { testRegex: ruleSpecs } },
  mutate: ruleModules,
  incremental: false,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/rules.json' },
  thresholds: { high: 90, low: 85, break: 85 },
};
