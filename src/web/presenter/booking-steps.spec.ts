import { BookingAnswers } from './booking-draft.entity';
import { bookingFrom, flowFor } from './booking-steps';

const answers = (over: Partial<BookingAnswers>): BookingAnswers => ({
  meetingId: 'm',
  idempotencyKey: 'k',
  immediateRisk: false,
  agencyReference: 'RA-1',
  ageBand: '5-10',
  concernCategories: ['neglect'],
  levelConsidered: 2,
  question: 'Does this meet the threshold?',
  summary: 'A summary of the case.',
  mashReference: 'MASH/1',
  referralDate: '2026-01-05',
  ...over,
});

describe('booking form steps', () => {
  it('asks only what applies to the kind of item', () => {
    expect(flowFor(answers({ kind: 'threshold-consultation' })).map((s) => s.name)).toEqual([
      'kind',
      'slot',
      'child',
      'concerns',
      'level',
      'question',
      'summary',
    ]);
    expect(flowFor(answers({ kind: 'referral-feedback' })).map((s) => s.name)).toEqual([
      'kind',
      'slot',
      'child',
      'concerns',
      'level',
      'referral',
      'question',
      'summary',
    ]);
    expect(flowFor(answers({ kind: 'agency-feedback' })).map((s) => s.name)).toEqual(['kind', 'slot', 'summary']);
  });

  it('books only the answers that apply, so an answer left from another kind is neither checked nor stored', () => {
    expect(bookingFrom(answers({ kind: 'agency-feedback', slotIndex: 3 }))).toEqual({
      immediateRisk: false,
      kind: 'agency-feedback',
      slotIndex: 3,
      summary: 'A summary of the case.',
    });
    const threshold = bookingFrom(answers({ kind: 'threshold-consultation', joinWaitlist: true }));
    expect(threshold).toMatchObject({
      kind: 'threshold-consultation',
      joinWaitlist: true,
      agencyReference: 'RA-1',
      levelConsidered: 2,
    });
    expect(threshold).not.toHaveProperty('mashReference');
    expect(threshold).not.toHaveProperty('slotIndex');
    expect(bookingFrom(answers({ kind: 'referral-feedback' }))).toMatchObject({
      mashReference: 'MASH/1',
      referralDate: '2026-01-05',
    });
  });
});
