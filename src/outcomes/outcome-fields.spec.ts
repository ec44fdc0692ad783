import { checkOutcomeFields } from './outcome-fields';

const fields = (errors: Array<{ field: string }>) => errors.map((e) => e.field).sort();

describe('checkOutcomeFields', () => {
  const advice = {
    levelAdvised: 2,
    pathway: 'early-help' as const,
    advice: 'Offer an early help assessment with the family’s consent.',
  };
  const quality = { timely: true, complete: true, appropriate: true, issues: [] };

  it('accepts a complete threshold consultation outcome', () => {
    expect(checkOutcomeFields('threshold-consultation', advice, 4)).toEqual([]);
  });

  it('names every missing field at once', () => {
    expect(fields(checkOutcomeFields('threshold-consultation', {}, 4))).toEqual(['advice', 'levelAdvised', 'pathway']);
  });

  it('keeps the level within the configured levels', () => {
    expect(fields(checkOutcomeFields('threshold-consultation', { ...advice, levelAdvised: 5 }, 4))).toEqual([
      'levelAdvised',
    ]);
    expect(checkOutcomeFields('threshold-consultation', { ...advice, levelAdvised: 5 }, 5)).toEqual([]);
  });

  it('needs the referral quality for referral feedback, and only there', () => {
    expect(fields(checkOutcomeFields('referral-feedback', advice, 4))).toEqual(['referralQuality']);
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: quality }, 4)).toEqual([]);
    expect(fields(checkOutcomeFields('threshold-consultation', { ...advice, referralQuality: quality }, 4))).toEqual([
      'referralQuality',
    ]);
  });

  it('an incomplete referral names its issues; a misdirected one says where it should have gone', () => {
    const q = { timely: false, complete: false, appropriate: false, issues: [] };
    expect(fields(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: q }, 4))).toEqual([
      'referralQuality.issues',
      'referralQuality.misdirectedTo',
    ]);
    const ok = { ...q, issues: ['missing-information' as const], misdirectedTo: 'Early Help Hub' };
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: ok }, 4)).toEqual([]);
    expect(
      fields(
        checkOutcomeFields('referral-feedback', { ...advice, referralQuality: { ...quality, misdirectedTo: 'x' } }, 4),
      ),
    ).toEqual(['referralQuality.misdirectedTo']);
  });

  it('agency feedback takes a response and nothing about a child', () => {
    expect(
      checkOutcomeFields('agency-feedback', { response: 'The MASH will publish its response times monthly.' }, 4),
    ).toEqual([]);
    expect(fields(checkOutcomeFields('agency-feedback', advice, 4))).toEqual([
      'advice',
      'levelAdvised',
      'pathway',
      'response',
    ]);
    expect(fields(checkOutcomeFields('threshold-consultation', { ...advice, response: 'x' }, 4))).toEqual(['response']);
  });
});

describe('checkOutcomeFields: the messages, and null as missing', () => {
  const advice = { levelAdvised: 2, pathway: 'early-help' as const, advice: 'Offer an early help assessment.' };

  it('treats a field sent as null like one left out', () => {
    const nulls = { levelAdvised: null, pathway: null, advice: null } as unknown as Parameters<
      typeof checkOutcomeFields
    >[1];
    expect(fields(checkOutcomeFields('threshold-consultation', nulls, 4))).toEqual([
      'advice',
      'levelAdvised',
      'pathway',
    ]);
    expect(fields(checkOutcomeFields('agency-feedback', { response: null } as never, 4))).toEqual(['response']);
  });

  it('says what is wrong with each field, in one message each', () => {
    expect(checkOutcomeFields('threshold-consultation', { response: 'Thanks' }, 4)).toEqual([
      { field: 'levelAdvised', messages: ['is required: a level from 1 to 4'] },
      { field: 'pathway', messages: ['is required'] },
      { field: 'advice', messages: ['is required'] },
      { field: 'response', messages: ['applies only to agency feedback'] },
    ]);
    expect(checkOutcomeFields('threshold-consultation', { ...advice, levelAdvised: 5 }, 4)).toEqual([
      { field: 'levelAdvised', messages: ['must be between 1 and 4'] },
    ]);
    expect(checkOutcomeFields('agency-feedback', { pathway: 'early-help' }, 4)).toEqual([
      { field: 'response', messages: ['is required: the response to the agency’s feedback'] },
      { field: 'pathway', messages: ['does not apply to agency feedback: record the response instead'] },
    ]);
    expect(checkOutcomeFields('referral-feedback', advice, 4)).toEqual([
      { field: 'referralQuality', messages: ['is required for feedback on a referral'] },
    ]);
    const quality = { timely: true, complete: true, appropriate: true, issues: [] };
    expect(checkOutcomeFields('threshold-consultation', { ...advice, referralQuality: quality }, 4)).toEqual([
      { field: 'referralQuality', messages: ['applies only to feedback on a referral'] },
    ]);
    const incomplete = { timely: false, complete: false, appropriate: false, issues: [] };
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: incomplete }, 4)).toEqual([
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
    expect(checkOutcomeFields('referral-feedback', { ...advice, referralQuality: wronglyNamed } as never, 4)).toEqual([
      { field: 'referralQuality.misdirectedTo', messages: ['applies only when the referral was misdirected'] },
    ]);
  });
});
