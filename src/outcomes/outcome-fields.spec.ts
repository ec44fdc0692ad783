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
