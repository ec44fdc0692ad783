import {
  checkAnswer,
  countedAs,
  dueAfter,
  isAskedPathway,
  nextStepState,
  NEXT_STEP_STATES,
  stateOfStep,
} from './next-step-rules';

const expected = { mashWorkingDays: 1, otherWorkingDays: 10 };
const context = { pathway: 'mash-referral' as const, meetingDate: '2027-03-22', today: '2027-04-06', expected };

describe('which advice is followed up', () => {
  it.each([
    ['mash-referral', true],
    ['early-help', true],
    ['other-service', true],
    ['universal', false],
    ['child-protection', false],
    ['advice-only', false],
    [null, false],
    [undefined, false],
    ['', false],
  ])('%s: %s', (pathway, asked) => {
    expect(isAskedPathway(pathway)).toBe(asked);
  });
});

describe('dueAfter', () => {
  it('counts working days past Easter and the clock change, at the London time', () => {
    // A meeting on Monday 22 March 2027 (GMT); five working days on, past Good Friday and Easter
    // Monday, is Wednesday 31 March, 09:00 BST.
    expect(dueAfter(new Date('2027-03-22T10:00:00Z'), 5, '09:00').toISOString()).toBe('2027-03-31T08:00:00.000Z');
    // After 23:00 UTC in summer it is already the next day in London.
    expect(dueAfter(new Date('2027-06-10T23:30:00Z'), 1, '09:00').toISOString()).toBe('2027-06-14T08:00:00.000Z');
    // Across the autumn change: Friday 29 October BST to Monday 1 November GMT.
    expect(dueAfter(new Date('2027-10-29T09:00:00Z'), 1, '09:00').toISOString()).toBe('2027-11-01T09:00:00.000Z');
  });
});

describe('nextStepState', () => {
  const base = { answered: true, noAnswer: false, referralMade: true, heardBack: true, respondedInTime: true };
  it.each([
    [{ ...base, answered: false, noAnswer: false }, 'awaiting'],
    [{ ...base, answered: false, noAnswer: true }, 'no-answer'],
    [{ ...base, noAnswer: true }, 'heard-back-in-time'], // a late answer wins over "no answer"
    [{ ...base, referralMade: false }, 'not-made'],
    [{ ...base, heardBack: false }, 'made-not-heard-back'],
    [{ ...base, respondedInTime: false }, 'heard-back-late'],
    [base, 'heard-back-in-time'],
  ])('%j is %s', (facts, state) => {
    expect(nextStepState(facts)).toBe(state);
    expect(NEXT_STEP_STATES).toContain(state);
  });

  it('reads a stored question by its instants', () => {
    const stored = {
      answeredAt: null,
      noAnswerAt: new Date('2027-04-01T09:00:00Z'),
      referralMade: null,
      heardBack: null,
      respondedInTime: null,
    };
    expect(stateOfStep(stored)).toBe('no-answer');
    expect(stateOfStep({ ...stored, noAnswerAt: null })).toBe('awaiting');
    expect(stateOfStep({ ...stored, answeredAt: new Date('2027-04-02T10:00:00Z'), referralMade: false })).toBe(
      'not-made',
    );
  });
});

describe('checkAnswer', () => {
  const fields = (answer: Parameters<typeof checkAnswer>[0], ctx = context) =>
    checkAnswer(answer, ctx).errors.map((e) => `${e.field} ${e.messages.join('; ')}`);

  it('a referral made on Thursday before Easter, answered the Tuesday after, is one working day: in time', () => {
    const { errors, value } = checkAnswer(
      { referralMade: true, madeOn: '2027-03-25', heardBack: true, heardBackOn: '2027-03-30' },
      context,
    );
    expect(errors).toEqual([]);
    expect(value).toEqual({
      referralMade: true,
      madeOn: '2027-03-25',
      heardBack: true,
      heardBackOn: '2027-03-30',
      responseWorkingDays: 1,
      respondedInTime: true,
    });
  });

  it('two working days is late for the MASH, in time for early help', () => {
    const answer = { referralMade: true, madeOn: '2027-03-25', heardBack: true, heardBackOn: '2027-03-31' };
    expect(checkAnswer(answer, context).value).toMatchObject({ responseWorkingDays: 2, respondedInTime: false });
    expect(checkAnswer(answer, { ...context, pathway: 'early-help' }).value).toMatchObject({ respondedInTime: true });
    expect(checkAnswer(answer, { ...context, expected: { ...expected, mashWorkingDays: 2 } }).value).toMatchObject({
      respondedInTime: true,
    });
  });

  it('a same-day answer is 0 working days; not made or not heard back stores no timing', () => {
    expect(
      checkAnswer({ referralMade: true, madeOn: '2027-03-23', heardBack: true, heardBackOn: '2027-03-23' }, context)
        .value,
    ).toMatchObject({ responseWorkingDays: 0, respondedInTime: true });
    expect(checkAnswer({ referralMade: false }, context).value).toEqual({
      referralMade: false,
      madeOn: null,
      heardBack: null,
      heardBackOn: null,
      responseWorkingDays: null,
      respondedInTime: null,
    });
    expect(checkAnswer({ referralMade: true, madeOn: '2027-03-23', heardBack: false }, context).value).toMatchObject({
      heardBack: false,
      heardBackOn: null,
      responseWorkingDays: null,
      respondedInTime: null,
    });
  });

  it.each<[Parameters<typeof checkAnswer>[0], string[]]>([
    [{}, ['referralMade is required']],
    [
      { referralMade: true },
      ['madeOn is required when the referral was made', 'heardBack is required when the referral was made'],
    ],
    [
      { referralMade: true, madeOn: '2027-03-19', heardBack: false },
      ['madeOn must be on or after the meeting (2027-03-22)'],
    ],
    [{ referralMade: true, madeOn: '2027-04-07', heardBack: false }, ['madeOn must be today or earlier']],
    [
      { referralMade: true, madeOn: '2027-03-22', heardBack: true },
      ['heardBackOn is required when you have heard back'],
    ],
    [
      { referralMade: true, madeOn: '2027-03-24', heardBack: true, heardBackOn: '2027-03-23' },
      ['heardBackOn must be on or after the date the referral was made'],
    ],
    [
      { referralMade: true, madeOn: '2027-03-24', heardBack: true, heardBackOn: '2027-04-07' },
      ['heardBackOn must be today or earlier'],
    ],
    [
      { referralMade: true, madeOn: '2027-03-24', heardBack: false, heardBackOn: '2027-03-25' },
      ['heardBackOn must not be given when you have not heard back'],
    ],
    [
      { referralMade: false, madeOn: '2027-03-24', heardBack: true, heardBackOn: '2027-03-25' },
      [
        'madeOn must not be given when the referral was not made',
        'heardBack must not be given when the referral was not made',
        'heardBackOn must not be given when the referral was not made',
      ],
    ],
  ])('refuses %j', (answer, messages) => {
    expect(fields(answer)).toEqual(messages);
    expect(checkAnswer(answer, context).value).toBeUndefined();
  });

  it('accepts the meeting day and today as the edges', () => {
    expect(fields({ referralMade: true, madeOn: '2027-03-22', heardBack: true, heardBackOn: '2027-04-06' })).toEqual(
      [],
    );
    expect(fields({ referralMade: true, madeOn: '2027-04-06', heardBack: true, heardBackOn: '2027-04-06' })).toEqual(
      [],
    );
  });
});

describe('countedAs', () => {
  it.each<[Parameters<typeof countedAs>[0], string[]]>([
    ['awaiting', ['asked', 'awaiting']],
    ['no-answer', ['asked', 'no-answer']],
    ['not-made', ['asked', 'not-made', 'answered']],
    ['made-not-heard-back', ['asked', 'made-not-heard-back', 'answered', 'made']],
    ['heard-back-in-time', ['asked', 'heard-back-in-time', 'answered', 'made']],
    ['heard-back-late', ['asked', 'heard-back-late', 'answered', 'made']],
  ])('%s counts as %j', (state, measures) => {
    expect(countedAs(state)).toEqual(measures);
  });
});
