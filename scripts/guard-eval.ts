/**
 * `npm run guard:eval`: measures the identifying-details detector on the corpora shipped in
 * src/identifying-details/corpus and prints recall on the identifying sentences, precision, and
 * the share of safe sentences with a false alarm, per kind of detail and overall. Exits 1 unless
 * recall is at least 98% and false alarms touch at most 2% of safe sentences (names included);
 * the unit test identifying-details.evaluation.spec.ts holds the same thresholds.
 */
import { evaluate, formatReport, thresholdFailures } from '../src/identifying-details/identifying-details.evaluation';

const evaluation = evaluate();
console.log(formatReport(evaluation));
const failures = thresholdFailures(evaluation);
if (failures.length > 0) {
  console.error(`\nFAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nPassed: recall and false-positive rate are within the thresholds.');
