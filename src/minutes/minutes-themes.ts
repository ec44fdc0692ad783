import type { ReferenceData } from '../reference-data/reference-data';
import { QUALITY_ISSUE_LABELS, QUALITY_ISSUES } from '../outcomes/outcome.entity';
import type { AgencyFeedbackEntry, CodeLabelCount, ItemEntry, ThemesEntry } from './minutes-content';

function tally<T extends string | number>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * The themes of a meeting: counts only, never a case, so every reader of the minutes may see
 * them. Listed in the vocabulary's order and only where the count is not zero. Pure.
 */
export function summariseThemes(
  items: ItemEntry[],
  agencyFeedback: AgencyFeedbackEntry[],
  itemsDeferred: number,
  vocabulary: Pick<ReferenceData, 'kinds' | 'concernCategories' | 'levels' | 'pathways'>,
  note: string | null,
): ThemesEntry {
  const inOrder = (codes: Array<{ code: string; label: string }>, counts: Map<string, number>): CodeLabelCount[] =>
    codes.filter((c) => counts.has(c.code)).map((c) => ({ code: c.code, label: c.label, count: counts.get(c.code)! }));

  const kinds = tally([...items.map((i) => i.kind), ...agencyFeedback.map(() => 'agency-feedback')]);
  const categories = tally(items.flatMap((i) => i.concernCategories.map((c) => c.code)));
  const outcomes = items.map((i) => i.outcome).filter((o): o is NonNullable<typeof o> => o !== null);
  // Stryker disable next-line ConditionalExpression: a null key is never read, levels are looked up by vocabulary value
  const levels = tally(outcomes.map((o) => o.levelAdvised).filter((l): l is number => l !== null));
  // Stryker disable next-line ConditionalExpression: a null key is never read, pathways are looked up by vocabulary code
  const pathways = tally(outcomes.map((o) => o.pathway).filter((p): p is string => p !== null));
  const qualities = outcomes.map((o) => o.referralQuality).filter((q): q is NonNullable<typeof q> => q !== null);
  const issues = tally(qualities.flatMap((q) => q.issues.map((i) => i.code)));

  return {
    itemsDiscussed: items.length + agencyFeedback.length,
    outcomesRecorded: outcomes.length + agencyFeedback.filter((f) => f.responded).length,
    itemsDeferred,
    byKind: inOrder(vocabulary.kinds, kinds),
    byConcernCategory: inOrder(vocabulary.concernCategories, categories),
    byLevelAdvised: vocabulary.levels
      .filter((l) => levels.has(l.value))
      .map((l) => ({ level: l.value, label: l.label, count: levels.get(l.value)! })),
    byPathway: inOrder(vocabulary.pathways, pathways),
    referralQuality: {
      reviewed: qualities.length,
      timely: qualities.filter((q) => q.timely).length,
      complete: qualities.filter((q) => q.complete).length,
      appropriate: qualities.filter((q) => q.appropriate).length,
      issues: inOrder(
        QUALITY_ISSUES.map((code) => ({ code, label: QUALITY_ISSUE_LABELS[code] })),
        issues,
      ),
    },
    caseText: { note },
  };
}
