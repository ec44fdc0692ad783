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
    expect(parse([])).toEqual({ versions: [], errors: ['must be a JSON array of at least one version'] });
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

  it('a level is given anew when it is sent and is another number, or the item’s level is of another document', () => {
    const ff = vocabulary.byId('families-first')!;
    const item = (levelConsidered: number | null, thresholdVersion: string | null) => ({
      levelConsidered,
      thresholdVersion,
    });
    expect(vocabulary.levelGivenAnew(undefined, item(2, '2024'), ff)).toBe(false); // not sent
    expect(vocabulary.levelGivenAnew(2, item(2, 'families-first'), ff)).toBe(false); // the same, same document
    expect(vocabulary.levelGivenAnew(3, item(2, 'families-first'), ff)).toBe(true); // another number
    expect(vocabulary.levelGivenAnew(2, item(2, '2024'), ff)).toBe(true); // same number, another document
    expect(vocabulary.levelGivenAnew(2, item(2, null), ff)).toBe(true); // stamped before versions: the oldest
    expect(vocabulary.levelGivenAnew(2, item(2, null), vocabulary.oldest)).toBe(false);
    expect(vocabulary.levelGivenAnew(1, item(null, 'families-first'), ff)).toBe(true); // none before
  });
});

describe('parseThresholdVersions, at the edges of each rule', () => {
  const one = (entry: Record<string, unknown>) => parse([entry]).errors;
  const second = (entry: Record<string, unknown>) => parse([v2024, { ...familiesFirst, ...entry }]).errors;

  it('trims the labels of LEVEL_LABELS and names the single version', () => {
    const [v] = parseThresholdVersions(undefined, ' Universal | Early help ').versions;
    expect(v).toMatchObject({ name: 'Levels of need', effectiveFrom: '1970-01-01' });
    expect(v.levels).toEqual([
      { value: 1, label: 'Universal' },
      { value: 2, label: 'Early help' },
    ]);
    expect(v.pathways[0]).toEqual({ code: 'universal', label: 'Universal services' });
  });

  it('an entry must be an object, not a list', () => {
    expect(parse([v2024, ['x']]).errors).toEqual(['entry 2: must be an object']);
    expect(parse([null]).errors).toEqual(['entry 1: must be an object']);
  });

  it('names and trims the name; 100 characters at most', () => {
    expect(one({ ...v2024, name: 'n'.repeat(100) })).toEqual([]);
    expect(one({ ...v2024, name: 'n'.repeat(101) })).toEqual(['entry 1 (2024): name must be 1 to 100 characters']);
    expect(one({ ...v2024, name: '   ' })).toEqual(['entry 1 (2024): name must be 1 to 100 characters']);
    expect(one({ ...v2024, name: 7 })).toEqual(['entry 1 (2024): name must be 1 to 100 characters']);
    expect(parse([{ ...v2024, name: '  Threshold document  ', levels: [' A ', 'B'] }]).versions[0]).toMatchObject({
      name: 'Threshold document',
      levels: [
        { value: 1, label: 'A' },
        { value: 2, label: 'B' },
      ],
    });
  });

  it('the id: lower-case letters, digits and hyphens, 40 at most, named in the message only when valid', () => {
    expect(one({ ...v2024, id: 'a'.repeat(40) })).toEqual([]);
    expect(one({ ...v2024, id: 'a'.repeat(41) })).toEqual([
      'entry 1: id must be 1 to 40 lower-case letters, digits or hyphens',
    ]);
    expect(one({ ...v2024, id: '-first' })).toEqual([
      'entry 1: id must be 1 to 40 lower-case letters, digits or hyphens',
    ]);
    expect(one({ ...v2024, id: 2024 })).toEqual(['entry 1: id must be 1 to 40 lower-case letters, digits or hyphens']);
  });

  it('effectiveFrom: a real date written YYYY-MM-DD', () => {
    for (const bad of [20240401, '2024-4-01', '2024-04-01T00:00', '01/04/2024'])
      expect(one({ ...v2024, effectiveFrom: bad })).toEqual([
        'entry 1 (2024): effectiveFrom must be a date, YYYY-MM-DD',
      ]);
  });

  it('levels: 2 to 10 labels of 1 to 100 characters', () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `Level ${i + 1}`);
    expect(one({ ...v2024, levels: labels(2) })).toEqual([]);
    expect(one({ ...v2024, levels: labels(10) })).toEqual([]);
    expect(one({ ...v2024, levels: ['A', 'x'.repeat(100)] })).toEqual([]);
    const refused = ['entry 1 (2024): levels must be 2 to 10 labels, lowest first'];
    for (const bad of [labels(1), labels(11), ['A', ''], ['A', '  '], ['A', 'x'.repeat(101)], ['A', 2], 'A|B'])
      expect(one({ ...v2024, levels: bad })).toEqual(refused);
  });

  it('pathways: some of the known codes, each with a label, kept in the standard order', () => {
    const refused = [
      'entry 1 (2024): pathways must map some of universal, early-help, mash-referral, child-protection, other-service, advice-only to their labels',
    ];
    for (const bad of [[], null, 'universal', {}, { universal: '' }, { universal: '  ' }, { universal: 1 }])
      expect(one({ ...v2024, pathways: bad })).toEqual(refused);
    expect(one({ ...v2024, pathways: { universal: 'Universal', 'no-such': 'x' } })).toEqual(refused);
    // Without pathways, a version offers all six, with their standard labels.
    expect(parse([v2024]).versions[0].pathways.map((x) => x.label)).toEqual([
      'Universal services',
      'Early help / CAF',
      'Referral to the MASH',
      'Child protection procedures now',
      'Another service',
      'Advice only',
    ]);
    const [v] = parse([{ ...v2024, pathways: { 'mash-referral': ' To the MASH ', universal: 'Universal' } }]).versions;
    expect(v.pathways).toEqual([
      { code: 'universal', label: 'Universal' },
      { code: 'mash-referral', label: 'To the MASH' },
    ]);
  });

  it('crosswalk: from a level of the previous version to one of this version', () => {
    expect(second({ crosswalk: { '4': 3, '01': 1 } })).toEqual([]);
    expect([...parse([v2024, { ...familiesFirst, crosswalk: { '4': 3 } }]).versions[1].crosswalk]).toEqual([[4, 3]]);
    const refused = (from: string) => [
      `entry 2 (families-first): crosswalk "${from}" must map a level of the previous version to a level from 1 to 3`,
    ];
    expect(second({ crosswalk: { '5': 1 } })).toEqual(refused('5')); // 2024 has four levels
    expect(second({ crosswalk: { '0': 1 } })).toEqual(refused('0'));
    expect(second({ crosswalk: { '1.5': 1 } })).toEqual(refused('1.5'));
    expect(second({ crosswalk: { '1': 0 } })).toEqual(refused('1'));
    expect(second({ crosswalk: { '1': 1.5 } })).toEqual(refused('1'));
    expect(second({ crosswalk: { '1': '1' } })).toEqual(refused('1'));
    expect(second({ crosswalk: { '1': 4 } })).toEqual(refused('1'));
    for (const bad of [[], null, 'x'])
      expect(second({ crosswalk: bad })).toEqual([
        'entry 2 (families-first): crosswalk must map the previous version’s levels to this one’s',
      ]);
  });
});

describe('ThresholdVocabulary, records stamped before versions were configured', () => {
  it('a record stamped `current` (THRESHOLD_VERSIONS unset then) belongs to the oldest configured version', () => {
    const vocabulary = new ThresholdVocabulary(parse([v2024, familiesFirst]).versions);
    expect(vocabulary.idOf(SINGLE_VERSION_ID)).toBe('2024');
    expect(vocabulary.byId(SINGLE_VERSION_ID)!.id).toBe('2024');
    expect(vocabulary.levelLabel(3, SINGLE_VERSION_ID)).toBe('Child in need');
    expect(vocabulary.toNewest(3, SINGLE_VERSION_ID)).toBe(2);
    // Unset still: `current` is itself.
    const single = new ThresholdVocabulary(parseThresholdVersions(undefined, LABELS).versions);
    expect(single.idOf(SINGLE_VERSION_ID)).toBe(SINGLE_VERSION_ID);
    // A version configured with the id `current` is that version.
    const named = new ThresholdVocabulary(parse([v2024, { ...familiesFirst, id: 'current' }]).versions);
    expect(named.idOf('current')).toBe('current');
  });
});

describe('ThresholdVocabulary, records it does not know', () => {
  const vocabulary = new ThresholdVocabulary(parse([v2024, familiesFirst]).versions);

  it('a version no longer configured labels nothing and maps nothing; a code unknown everywhere has no label', () => {
    expect(vocabulary.byId('retired')).toBeUndefined();
    expect(vocabulary.levelLabel(1, 'retired')).toBeUndefined();
    expect(vocabulary.pathwayLabel('early-help', 'retired')).toBe('Early help / CAF');
    expect(vocabulary.pathwayLabel('no-such-pathway', '2024')).toBeUndefined();
    expect(vocabulary.toNewest(3, 'families-first')).toBe(3);
    expect(vocabulary.toNewest(1, '2024')).toBe(1);
  });
});
