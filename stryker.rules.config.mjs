// @ts-check
/**
 * CI: the rule modules alone, against their own specs, failing below 85 %. Incremental: its state
 * is committed in test/mutation/stryker-rules-incremental.json, so CI (on a clean clone) tries
 * again only the mutants whose code or covering rule specs changed since the last run, and keeps
 * the recorded result of the others. After changing a rule module or its spec, run
 * `npm run test:mutation:rules` and commit the file with the change (README, "Mutation
 * testing"); `npm run test:mutation:rules -- --force` tries every mutant again.
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
  incremental: true,
  incrementalFile: 'test/mutation/stryker-rules-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/rules.json' },
  thresholds: { high: 90, low: 85, break: 85 },
};
