// @ts-check
/**
 * Mutation testing (Stryker): the pure rule modules and the services' decision code, each against
 * the unit tests only (the e2e project needs databases and is far too slow per mutant).
 * `npm run test:mutation` runs the rule modules and the decision code incrementally: only mutants
 * whose code or covering tests changed since test/mutation/stryker-incremental.json are run again.
 * That file is committed, so a fresh clone starts from the last full run rather than from nothing;
 * commit it again after a run (README, "Mutation testing").
 * `npm run test:mutation:rules` (stryker.rules.config.mjs) runs the rule modules alone for CI;
 * `npm run test:mutation:heavy` (stryker.heavy.config.mjs) the heavy rule modules, which take hours.
 * Equivalent mutants are marked in the source with `// Stryker disable next-line <mutator>: <reason>`.
 */

/**
 * The rule modules CI checks (`npm run test:mutation:rules`, break at 85 %): pure functions whose
 * own specs are quick, so every mutant is tried in a few minutes on two cores.
 */
export const ruleModules = [
  'src/bookings/slot-placement.ts',
  'src/meetings/meeting-lifecycle.ts',
  'src/common/validation.ts',
  'src/need-to-know/need-to-know.rule.ts',
  'src/outcomes/action-rules.ts',
  'src/outcomes/outcome-fields.ts',
  'src/outcomes/outcome-version.ts',
  'src/minutes/minutes-visibility.ts',
  'src/minutes/minutes-recipients.ts',
  'src/calendar/calendar-delivery.ts',
  'src/calendar/series-plan.ts',
  'src/identifying-details/identifying-details.check.ts',
  'src/scheduling/calendar-rules/working-days.ts',
  'src/scheduling/calendar-rules/bank-holidays.ts',
  'src/scheduling/calendar-rules/recurrence.ts',
  'src/next-steps/next-step-rules.ts',
];

/**
 * Rule modules whose mutants each need hundreds of tests (the detector's corpus, the suppression
 * attacks, every meeting date of a year): in their own run (`npm run test:mutation:heavy`).
 */
export const heavyRuleModules = [
  'src/identifying-details/identifying-details.detector.ts',
  'src/identifying-details/identifying-details.names.ts',
  'src/identifying-details/identifying-details.normalise.ts',
  'src/scheduling/calendar-rules/iso-date.ts',
  'src/scheduling/calendar-rules/meeting-dates.ts',
  'src/reports/suppression.ts',
  'src/common/email-address.ts',
];

/** The services' decision code that lives in pure functions with unit tests, and the pure builders. */
export const decisionCode = [
  'src/calendar/ical/calendar-event.ts',
  'src/calendar-replies/reply-reader.ts',
  'src/calendar-replies/reply-targets.ts',
  'src/config/app-config.ts',
  'src/reference-data/threshold-versions.ts',
  'src/reports/report-period.ts',
  'src/reports/report-builder.ts',
  'src/reports/items-csv.ts',
  'src/reports/charts/report-charts.ts',
  'src/retention/retention-notice.ts',
  'src/minutes/minutes-themes.ts',
  'src/minutes/pdf-text.ts',
  'src/mail/mail-layout.ts',
  'src/web/web-paths.ts',
  'src/web/csrf.ts',
  'src/web/forms/form-errors.ts',
  'src/web/presenter/booking-steps.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The unit project of package.json alone (the e2e project needs databases: too slow per mutant).
    configFile: 'stryker.jest.config.js',
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Module-level mutants (word lists, patterns, tables built at import) need every test per mutant
  // and would take most of the time; they are left out (reported as ignored), the functions are not.
  ignoreStatic: true,
  mutate: [...ruleModules, ...decisionCode],
  // Two cores shared with others: never more than two workers (CI and the README say `nice`).
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 5000,
  // A loaded shared machine can take minutes over the first (coverage) run of the unit tests.
  dryRunTimeoutMinutes: 15,
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
