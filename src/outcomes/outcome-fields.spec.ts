import { PATHWAYS } from '../reference-data/threshold-versions';
import { checkOutcomeFields } from './outcome-fields';

const version = (levels: number, pathways: readonly string[] = PATHWAYS) => ({
  name: 'the threshold document',
  levels: Array.from({ length: levels }, (_, i) => ({ value: i + 1, label: `Level ${i + 1}` })),
  pathways: pathways.map((code) => ({ code: code as (typeof PATHWAYS)[number], label: code })),
});
const V4 = version(4);
const V5 = version(5);

const fields = (errors: Array<{ field: string }>) => errors.map((e) => e.field).sort();

describe('checkOutcomeFields', () => {
  const advice = {
    levelAdvised: 2,
    pathway: 'early-help' as const,
    advice: 'Offer an early help assessment with the family’s consent.',
  };
  const quality = { timely: true, complete: true, appropriate: true, issues: [] };

  it('accepts a complete threshold consultation outcome', () => {
    expect(checkOutcomeFields('threshold-consultation', advice, V4)).toEqual([]);
  });

  it('names every missing field at once', () => {
    expect(fields(checkOutcomeFields('threshold-consultation', {}, V4))).toEqual(['advice', 'levelAdvised', 'pathway']);
  });

  it('keeps the level within the configured levels', () => {
    expect(fields(checkOutcomeFields('threshold-consultation', { ...advice, levelAdvised: 5 }, V4))).toEqual([
      'levelAdvised',
    ]);
    expect(checkOutcomeFields('threshold-consultation', { ...advice, levelAdvised: 5 }, V5)).toEqual([]);
  });

  it('needs the referral quality for referral feedback, and only there', () => {
    expect(fields(checkOutcomeFields('referral-feedback', advice, V4))).toEqual(['referralQuality']);
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: quality }, V4)).toEqual([]);
    expect(fields(checkOutcomeFields('threshold-consultation', { ...advice, referralQuality: quality }, V4))).toEqual([
      'referralQuality',
    ]);
  });

  it('an incomplete referral names its issues; a misdirected one says where it should have gone', () => {
    const q = { timely: false, complete: false, appropriate: false, issues: [] };
    expect(fields(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: q }, V4))).toEqual([
      'referralQuality.issues',
      'referralQuality.misdirectedTo',
    ]);
    const ok = { ...q, issues: ['missing-information' as const], misdirectedTo: 'Early Help Hub' };
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: ok }, V4)).toEqual([]);
    expect(
      fields(
        checkOutcomeFields('referral-feedback', { ...advice, referralQuality: { ...quality, misdirectedTo: 'x' } }, V4),
      ),
    ).toEqual(['referralQuality.misdirectedTo']);
  });

  it('agency feedback takes a response and nothing about a child', () => {
    expect(
      checkOutcomeFields('agency-feedback', { response: 'The MASH will publish its response times monthly.' }, V4),
    ).toEqual([]);
    expect(fields(checkOutcomeFields('agency-feedback', advice, V4))).toEqual([
      'advice',
      'levelAdvised',
      'pathway',
      'response',
    ]);
    expect(fields(checkOutcomeFields('threshold-consultation', { ...advice, response: 'x' }, V4))).toEqual([
      'response',
    ]);
  });
});

describe('checkOutcomeFields: the version’s pathways', () => {
  it('refuses a pathway the meeting’s threshold document does not offer, naming those it does', () => {
    const familiesFirst = version(3, ['universal', 'early-help', 'mash-referral']);
    const advice = { levelAdvised: 2, pathway: 'advice-only' as const, advice: 'Talk to the family first.' };
    expect(checkOutcomeFields('threshold-consultation', advice, familiesFirst)).toEqual([
      {
        field: 'pathway',
        messages: ['is not a pathway of the threshold document: choose one of universal, early-help, mash-referral'],
      },
    ]);
    expect(
      checkOutcomeFields('threshold-consultation', { ...advice, pathway: 'mash-referral' }, familiesFirst),
    ).toEqual([]);
    expect(
      checkOutcomeFields(
        'threshold-consultation',
        { ...advice, levelAdvised: 4, pathway: 'mash-referral' },
        familiesFirst,
      ),
    ).toEqual([{ field: 'levelAdvised', messages: ['must be between 1 and 3'] }]);
  });
});

describe('checkOutcomeFields: the messages, and null as missing', () => {
  const advice = { levelAdvised: 2, pathway: 'early-help' as const, advice: 'Offer an early help assessment.' };

  it('treats a field sent as null like one left out', () => {
    const nulls = { levelAdvised: null, pathway: null, advice: null } as unknown as Parameters<
      typeof checkOutcomeFields
    >[1];
    expect(fields(checkOutcomeFields('threshold-consultation', nulls, V4))).toEqual([
      'advice',
      'levelAdvised',
      'pathway',
    ]);
    expect(fields(checkOutcomeFields('agency-feedback', { response: null } as never, V4))).toEqual(['response']);
  });

  it('says what is wrong with each field, in one message each', () => {
    expect(checkOutcomeFields('threshold-consultation', { response: 'Thanks' }, V4)).toEqual([
      { field: 'levelAdvised', messages: ['is required: a level from 1 to 4'] },
      { field: 'pathway', messages: ['is required'] },
      { field: 'advice', messages: ['is required'] },
      { field: 'response', messages: ['applies only to agency feedback'] },
    ]);
    expect(checkOutcomeFields('threshold-consultation', { ...advice, levelAdvised: 5 }, V4)).toEqual([
      { field: 'levelAdvised', messages: ['must be between 1 and 4'] },
    ]);
    expect(checkOutcomeFields('agency-feedback', { pathway: 'early-help' }, V4)).toEqual([
      { field: 'response', messages: ['is required: the response to the agency’s feedback'] },
      { field: 'pathway', messages: ['does not apply to agency feedback: record the response instead'] },
    ]);
    expect(checkOutcomeFields('referral-feedback', advice, V4)).toEqual([
      { field: 'referralQuality', messages: ['is required for feedback on a referral'] },
    ]);
    const quality = { timely: true, complete: true, appropriate: true, issues: [] };
    expect(checkOutcomeFields('threshold-consultation', { ...advice, referralQuality: quality }, V4)).toEqual([
      { field: 'referralQuality', messages: ['applies only to feedback on a referral'] },
    ]);
    const incomplete = { timely: false, complete: false, appropriate: false, issues: [] };
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: incomplete }, V4)).toEqual([
      {
        field: 'referralQuality.issues',
        messages: ['must name at least one issue when the referral was not complete'],
      },
      {
        field: 'referralQuality.misdirectedTo',
        messages: ['is required when the referral was misdirected: where should it have gone?'],
      },
    ]);
    const wronglyNamed = { ...quality, misdirectedTo: 'health' };
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: wronglyNamed } as never, V4)).toEqual([
      { field: 'referralQuality.misdirectedTo', messages: ['applies only when the referral was misdirected'] },
    ]);
  });
});
