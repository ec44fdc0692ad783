import { parseThresholdVersions, SINGLE_VERSION_ID, ThresholdVocabulary } from './threshold-versions';

const LABELS = 'Universal|Early help|Child in need|Child protection';
const v2024 = {
  id: '2024',
  name: 'Threshold document 2024',
  effectiveFrom: '2024-04-01',
  levels: ['Universal', 'Early help', 'Child in need', 'Child protection'],
};
const familiesFirst = {
  id: 'families-first',
  name: 'Families First',
  effectiveFrom: '2027-04-01',
  levels: ['Universal', 'Family help', 'Child protection'],
  pathways: { universal: 'Universal services', 'early-help': 'Family help', 'mash-referral': 'Referral to the MASH' },
  crosswalk: { '1': 1, '2': 2, '3': 2 },
};
const parse = (versions: unknown) => parseThresholdVersions(JSON.stringify(versions), LABELS);

describe('parseThresholdVersions', () => {
  it('unset or empty: one version from LEVEL_LABELS with every pathway', () => {
    for (const value of [undefined, '', '  ']) {
      const { versions, errors } = parseThresholdVersions(value, LABELS);
      expect(errors).toEqual([]);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({
        id: SINGLE_VERSION_ID,
        levels: [
          { value: 1, label: 'Universal' },
          { value: 2, label: 'Early help' },
          { value: 3, label: 'Child in need' },
          { value: 4, label: 'Child protection' },
        ],
      });
      expect(versions[0].pathways.map((p) => p.code)).toEqual([
        'universal',
        'early-help',
        'mash-referral',
        'child-protection',
        'other-service',
        'advice-only',
      ]);
    }
  });

  it('reads versions with their own pathways and crosswalk', () => {
    const { versions, errors } = parse([v2024, familiesFirst]);
    expect(errors).toEqual([]);
    expect(versions.map((v) => [v.id, v.effectiveFrom, v.levels.length])).toEqual([
      ['2024', '2024-04-01', 4],
      ['families-first', '2027-04-01', 3],
    ]);
    expect(versions[1].pathways).toEqual([
      { code: 'universal', label: 'Universal services' },
      { code: 'early-help', label: 'Family help' },
      { code: 'mash-referral', label: 'Referral to the MASH' },
    ]);
    expect([...versions[1].crosswalk]).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
    expect(versions[0].crosswalk.size).toBe(0);
  });

  it('names each problem by its entry and field, and accepts nothing when one is wrong', () => {
    expect(parseThresholdVersions('[{', LABELS)).toEqual({
      versions: [],
      errors: ['must be a JSON array of threshold document versions'],
    });
    expect(parse([]).errors).toEqual(['must be a JSON array of at least one version']);
    expect(parse({ id: 'x' }).errors).toEqual(['must be a JSON array of at least one version']);
    expect(parse([v2024, 'x']).errors).toEqual(['entry 2: must be an object']);
    const bad = parse([{ id: 'Bad Id', name: '', effectiveFrom: '2024-02-30', levels: ['only one'] }]);
    expect(bad.versions).toEqual([]);
    expect(bad.errors).toEqual([
      'entry 1: id must be 1 to 40 lower-case letters, digits or hyphens; name must be 1 to 100 characters; effectiveFrom must be a date, YYYY-MM-DD; levels must be 2 to 10 labels, lowest first',
    ]);
    expect(parse([{ ...v2024, pathways: { 'no-such': 'x' } }]).errors).toEqual([
      'entry 1 (2024): pathways must map some of universal, early-help, mash-referral, child-protection, other-service, advice-only to their labels',
    ]);
    expect(parse([{ ...v2024, crosswalk: { '1': 1 } }]).errors).toEqual([
      'entry 1 (2024): crosswalk is for a version that replaces an earlier one; the first has none',
    ]);
    expect(parse([v2024, { ...familiesFirst, crosswalk: { '5': 1, '1': 4, x: 1 } }]).errors).toEqual([
      'entry 2 (families-first): crosswalk "1" must map a level of the previous version to a level from 1 to 3; crosswalk "5" must map a level of the previous version to a level from 1 to 3; crosswalk "x" must map a level of the previous version to a level from 1 to 3',
    ]);
    expect(parse([v2024, { ...familiesFirst, effectiveFrom: '2024-04-01' }]).errors).toEqual([
      'entry 2 (families-first): effectiveFrom must be later than the previous version’s (2024-04-01)',
    ]);
    expect(parse([v2024, { ...familiesFirst, id: '2024' }]).errors).toEqual(['entry 2 (2024): id is used twice']);
  });
});

describe('ThresholdVocabulary', () => {
  const three = {
    ...familiesFirst,
    id: 'three',
    effectiveFrom: '2028-01-01',
    levels: ['A', 'B', 'C'],
    crosswalk: { '1': 1, '2': 3 },
  };
  const vocabulary = new ThresholdVocabulary(parse([v2024, familiesFirst, three]).versions);

  it('a meeting uses the version in force on its London date', () => {
    // 31 March 2027 23:30 UTC is 1 April 00:30 BST: the new document.
    expect(vocabulary.on(new Date('2027-03-31T23:30:00Z')).id).toBe('families-first');
    expect(vocabulary.on(new Date('2027-03-31T22:59:00Z')).id).toBe('2024');
    expect(vocabulary.on(new Date('2020-01-01T10:00:00Z')).id).toBe('2024'); // before every version: the oldest
    expect(vocabulary.on(new Date('2031-06-01T10:00:00Z')).id).toBe('three');
  });

  it('maps a level onto the newest version through every later crosswalk, or says it cannot', () => {
    expect(vocabulary.toNewest(2, '2024')).toBe(3); // 2 → 2 → 3
    expect(vocabulary.toNewest(3, '2024')).toBe(3); // 3 → 2 → 3
    expect(vocabulary.toNewest(1, null)).toBe(1); // made before versions: the oldest
    expect(vocabulary.toNewest(4, '2024')).toBeNull(); // not in the first crosswalk
    expect(vocabulary.toNewest(3, 'families-first')).toBeNull(); // not in the second
    expect(vocabulary.toNewest(2, 'three')).toBe(2); // the newest itself
    expect(vocabulary.toNewest(1, 'retired')).toBeNull();
  });

  it('labels a level and a pathway in the version a record was stamped with', () => {
    expect(vocabulary.levelLabel(2, '2024')).toBe('Early help');
    expect(vocabulary.levelLabel(2, 'families-first')).toBe('Family help');
    expect(vocabulary.levelLabel(2, null)).toBe('Early help');
    expect(vocabulary.levelLabel(4, 'families-first')).toBeUndefined();
    expect(vocabulary.pathwayLabel('early-help', 'families-first')).toBe('Family help');
    expect(vocabulary.pathwayLabel('early-help', '2024')).toBe('Early help / CAF');
    // A pathway the version does not offer keeps the standard label rather than none.
    expect(vocabulary.pathwayLabel('advice-only', 'families-first')).toBe('Advice only');
    expect(vocabulary.idOf(null)).toBe('2024');
    expect(vocabulary.idOf('three')).toBe('three');
    expect(vocabulary.oldest.id).toBe('2024');
    expect(vocabulary.newest.id).toBe('three');
  });

  it('needs at least one version', () => {
    expect(() => new ThresholdVocabulary([])).toThrow(/at least one/);
  });
});
