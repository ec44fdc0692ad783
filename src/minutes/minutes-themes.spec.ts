import { summariseThemes } from './minutes-themes';
import type { AgencyFeedbackEntry, ItemEntry } from './minutes-content';

const vocabulary = {
  kinds: [
    { code: 'threshold-consultation', label: 'Threshold consultation' },
    { code: 'referral-feedback', label: 'Referral feedback' },
    { code: 'agency-feedback', label: 'Agency feedback' },
  ],
  concernCategories: [
    { code: 'neglect', label: 'Neglect' },
    { code: 'domestic-abuse', label: 'Domestic abuse' },
  ],
  levels: [
    { value: 1, label: 'Universal' },
    { value: 2, label: 'Early help' },
  ],
  pathways: [
    { code: 'universal', label: 'Universal services' },
    { code: 'early-help', label: 'Early help / CAF' },
  ],
};

const entry = (kind: string, categories: string[], outcome: ItemEntry['outcome']) =>
  ({ kind, concernCategories: categories.map((code) => ({ code, label: code })), outcome }) as ItemEntry;
type Quality = NonNullable<ItemEntry['outcome']>['referralQuality'];
const outcome = (level: number, pathway: string, referralQuality: Quality = null): ItemEntry['outcome'] => ({
  levelAdvised: level,
  levelLabel: null,
  pathway,
  pathwayLabel: null,
  referralQuality,
  version: 1,
  recordedAt: '',
});

describe('summariseThemes', () => {
  it('counts kinds, categories, levels, pathways and referral quality, in the vocabulary’s order', () => {
    const items = [
      entry('threshold-consultation', ['domestic-abuse', 'neglect'], outcome(2, 'early-help')),
      entry(
        'referral-feedback',
        ['neglect'],
        outcome(1, 'universal', {
          timely: false,
          complete: false,
          appropriate: true,
          issues: [{ code: 'missing-information', label: 'Missing information' }],
          misdirectedTo: null,
        }),
      ),
      entry('threshold-consultation', ['neglect'], null),
    ];
    const feedback = [{ responded: true } as AgencyFeedbackEntry];
    const t = summariseThemes(items, feedback, 2, vocabulary, 'note');
    expect(t).toMatchObject({ itemsDiscussed: 4, outcomesRecorded: 3, itemsDeferred: 2, caseText: { note: 'note' } });
    expect(t.byKind).toEqual([
      { code: 'threshold-consultation', label: 'Threshold consultation', count: 2 },
      { code: 'referral-feedback', label: 'Referral feedback', count: 1 },
      { code: 'agency-feedback', label: 'Agency feedback', count: 1 },
    ]);
    expect(t.byConcernCategory).toEqual([
      { code: 'neglect', label: 'Neglect', count: 3 },
      { code: 'domestic-abuse', label: 'Domestic abuse', count: 1 },
    ]);
    expect(t.byLevelAdvised).toEqual([
      { level: 1, label: 'Universal', count: 1 },
      { level: 2, label: 'Early help', count: 1 },
    ]);
    expect(t.referralQuality).toEqual({
      reviewed: 1,
      timely: 0,
      complete: 0,
      appropriate: 1,
      issues: [{ code: 'missing-information', label: 'Missing information', count: 1 }],
    });
  });

  it('an empty meeting has empty themes', () => {
    expect(summariseThemes([], [], 0, vocabulary, null)).toMatchObject({
      itemsDiscussed: 0,
      byKind: [],
      byPathway: [],
      referralQuality: { reviewed: 0 },
    });
  });

  it('counts pathways, leaves out outcomes without a level or pathway, and counts each quality on its own', () => {
    const quality = (timely: boolean, complete: boolean, appropriate: boolean): Quality => ({
      timely,
      complete,
      appropriate,
      issues: [],
      misdirectedTo: null,
    });
    const partial = { ...outcome(1, 'universal'), levelAdvised: null, pathway: null } as ItemEntry['outcome'];
    const items = [
      entry('referral-feedback', [], outcome(2, 'early-help', quality(true, false, false))),
      entry('referral-feedback', [], outcome(2, 'early-help', quality(true, true, false))),
      entry('referral-feedback', [], outcome(1, 'universal', quality(false, true, true))),
      entry('threshold-consultation', [], partial),
    ];
    // Agency feedback counts as recorded only once it has a response.
    const feedback = [{ responded: true }, { responded: false }] as AgencyFeedbackEntry[];
    const t = summariseThemes(items, feedback, 0, vocabulary, null);
    expect(t.itemsDiscussed).toBe(6);
    expect(t.outcomesRecorded).toBe(5);
    expect(t.byPathway).toEqual([
      { code: 'universal', label: 'Universal services', count: 1 },
      { code: 'early-help', label: 'Early help / CAF', count: 2 },
    ]);
    expect(t.byLevelAdvised).toEqual([
      { level: 1, label: 'Universal', count: 1 },
      { level: 2, label: 'Early help', count: 2 },
    ]);
    expect(t.referralQuality).toMatchObject({ reviewed: 3, timely: 2, complete: 2, appropriate: 1 });
  });

  it('lists only the levels that were advised', () => {
    const t = summariseThemes([entry('threshold-consultation', [], outcome(2, 'early-help'))], [], 0, vocabulary, null);
    expect(t.byLevelAdvised).toEqual([{ level: 2, label: 'Early help', count: 1 }]);
  });
});
