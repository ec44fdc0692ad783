import { Booking } from '../../bookings/booking.entity';
import { CASE_TEXT } from '../../case-text/case-text.registry';
import { FormBody } from '../forms/form-input';
import { BookingAnswers } from './booking-draft.entity';
import { bookingCopy, bookingFrom, flowFor, slotChoiceFrom, stepNamed, stepTitle, STEPS } from './booking-steps';

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

  it('leaves out the questions not answered yet, rather than sending them empty', () => {
    const unanswered = bookingFrom(
      answers({ kind: 'referral-feedback', ageBand: undefined, question: undefined, referralDate: undefined }),
    );
    expect(Object.keys(unanswered).sort()).toEqual(
      [
        'immediateRisk',
        'kind',
        'agencyReference',
        'concernCategories',
        'levelConsidered',
        'mashReference',
        'summary',
      ].sort(),
    );
  });
});

describe('each question page', () => {
  const kinds: Array<BookingAnswers['kind']> = ['threshold-consultation', 'referral-feedback', 'agency-feedback'];

  it('is found by its name, and only a page of the form is', () => {
    for (const step of STEPS) expect(stepNamed(step.name)).toBe(step);
    expect(stepNamed('check')).toBeUndefined();
    expect(stepNamed('')).toBeUndefined();
  });

  it('has a heading of its own, in the words for the kind of item', () => {
    const titles = STEPS.map((step) => stepTitle(step, { kind: 'threshold-consultation' }));
    expect(new Set(titles).size).toBe(STEPS.length);
    for (const title of titles) expect(title).toMatch(/^[A-Z]/);
    const summary = stepNamed('summary')!;
    expect(stepTitle(summary, { kind: 'threshold-consultation' })).toBe('Summary');
    expect(stepTitle(summary, { kind: 'agency-feedback' })).toBe('Your feedback to children’s social care');
    expect(stepTitle(stepNamed('question')!, { kind: 'agency-feedback' })).toBe(
      'What would you like the meeting to advise on?',
    );
  });

  it('reads its own answers from its form, and an empty box as not answered', () => {
    const parsed = (name: string, body: FormBody) => stepNamed(name)!.parse(body);
    expect(parsed('kind', { kind: 'referral-feedback' })).toEqual({ kind: 'referral-feedback' });
    expect(parsed('meeting', { meetingId: 'm-2' })).toEqual({ meetingId: 'm-2' });
    expect(parsed('child', { agencyReference: 'RA-7', ageBand: '0-4' })).toEqual({
      agencyReference: 'RA-7',
      ageBand: '0-4',
    });
    expect(parsed('child', { agencyReference: '  ', ageBand: '0-4' })).toEqual({
      agencyReference: undefined,
      ageBand: '0-4',
    });
    expect(parsed('concerns', { concernCategories: ['neglect', 'online-harm'] })).toEqual({
      concernCategories: ['neglect', 'online-harm'],
    });
    expect(parsed('concerns', {})).toEqual({ concernCategories: [] });
    expect(parsed('level', { levelConsidered: '3' })).toEqual({ levelConsidered: 3 });
    expect(
      parsed('referral', {
        mashReference: 'MASH/2026/1234',
        'referralDate-day': '5',
        'referralDate-month': '1',
        'referralDate-year': '2026',
      }),
    ).toEqual({ mashReference: 'MASH/2026/1234', referralDate: '2026-01-05' });
    expect(parsed('question', { question: 'Is this level 3?' })).toEqual({ question: 'Is this level 3?' });
    expect(parsed('summary', { summary: 'Attendance has fallen.' })).toEqual({ summary: 'Attendance has fallen.' });
    expect(parsed('slot', { slot: '4' })).toEqual({ slotChosen: true, slotIndex: 4, joinWaitlist: undefined });
  });

  it('applies to the kinds of item it asks about; the meeting, the presenter and an earlier item are reached only through "Change"', () => {
    const applying = (kind: BookingAnswers['kind']) =>
      STEPS.filter((s) => s.applies(answers({ kind }))).map((s) => s.name);
    expect(applying('agency-feedback')).toEqual(['kind', 'meeting', 'presenter', 'follows', 'slot', 'summary']);
    expect(applying('threshold-consultation')).not.toContain('referral');
    expect(applying('referral-feedback')).toContain('referral');
    expect(STEPS.filter((s) => s.onlyOnChange).map((s) => s.name)).toEqual(['meeting', 'presenter', 'follows']);
  });

  it('reads the presenter question: yourself, a colleague, or nothing chosen', () => {
    const presenter = stepNamed('presenter')!;
    expect(presenter.parse({ presenterUserId: 'me' })).toEqual({ presenterUserId: undefined });
    expect(presenter.parse({ presenterUserId: 'c0ffee00-0000-4000-8000-000000000001' })).toEqual({
      presenterUserId: 'c0ffee00-0000-4000-8000-000000000001',
    });
    expect(presenter.parse({})).toEqual({ presenterUserId: '' });
  });

  it('reads the earlier-item question: none, an item, or nothing chosen', () => {
    const follows = stepNamed('follows')!;
    expect(follows.parse({ followsBookingId: 'none' })).toEqual({ followsBookingId: undefined });
    expect(follows.parse({ followsBookingId: 'c0ffee00-0000-4000-8000-000000000002' })).toEqual({
      followsBookingId: 'c0ffee00-0000-4000-8000-000000000002',
    });
    expect(follows.parse({})).toEqual({ followsBookingId: '' });
    const base = answers({ kind: 'agency-feedback', summary: 'Feedback for children’s social care.' });
    expect(bookingFrom(base)).not.toHaveProperty('followsBookingId');
    expect(bookingFrom({ ...base, followsBookingId: 'c0ffee00-0000-4000-8000-000000000002' })).toMatchObject({
      followsBookingId: 'c0ffee00-0000-4000-8000-000000000002',
    });
  });

  it('books for the colleague chosen, and for yourself when none is', () => {
    const base = answers({ kind: 'agency-feedback', summary: 'Feedback for children’s social care.' });
    expect(bookingFrom(base)).not.toHaveProperty('presenterUserId');
    expect(bookingFrom({ ...base, presenterUserId: 'c0ffee00-0000-4000-8000-000000000001' })).toMatchObject({
      presenterUserId: 'c0ffee00-0000-4000-8000-000000000001',
    });
  });

  it.each(kinds)('names every field it asks for, and links its errors to that page (%s)', (kind) => {
    const copy = bookingCopy({ kind });
    for (const step of STEPS.filter((s) => s.applies(answers({ kind })))) {
      for (const field of step.fields) {
        const c = copy[field];
        expect({ field, page: c?.page }).toEqual({ field, page: `/book/${step.name}` });
        expect(c.id).toMatch(/^[A-Za-z][\w-]*$/);
      }
    }
    // The first question is asked before the form has a draft, on the meeting's own page.
    expect(copy.immediateRisk).toMatchObject({ id: 'immediateRisk' });
    expect(copy.immediateRisk.page).toBeUndefined();
    expect(copy.meetingId.page).toBe('/book/meeting');
    // The first radio of views/presenter/rebook.njk (idPrefix meetingId).
    expect(copy.meetingId.id).toBe('meetingId');
  });

  it.each(kinds)('words its errors as GOV.UK does: "Enter…" or "Select…", sentence case, no full stop (%s)', (kind) => {
    for (const [field, c] of Object.entries(bookingCopy({ kind }))) {
      expect({ field, required: c.required }).toEqual({ field, required: expect.stringMatching(/^(Enter|Select) \S/) });
      expect({ field, label: c.label }).toEqual({ field, label: expect.stringMatching(/^[A-Z]\S* ?/) });
      for (const message of [c.invalid, c.refused].filter((m) => m !== undefined))
        expect({ field, message }).toEqual({ field, message: expect.stringMatching(/^[A-Z].*[^.]$/) });
      if (c.inWords !== undefined) expect(c.inWords.toLowerCase()).toBe(c.label.toLowerCase());
    }
  });

  it('names every case-text answer in words, for "In your question: remove the postcode"', () => {
    const checked = CASE_TEXT.filter((c) => c.entity === Booking).map((c) => c.property);
    expect(checked.length).toBeGreaterThan(2);
    for (const kind of kinds) {
      const copy = bookingCopy({ kind });
      for (const field of checked)
        if (copy[field])
          expect({ field, inWords: copy[field].inWords }).toEqual({ field, inWords: expect.any(String) });
    }
  });

  it('asks for feedback, not a case summary, on agency feedback', () => {
    expect(bookingCopy({ kind: 'agency-feedback' }).summary).toMatchObject({
      label: 'Your feedback',
      required: 'Enter your feedback',
      inWords: 'your feedback',
    });
    expect(bookingCopy({ kind: 'threshold-consultation' }).summary).toMatchObject({
      label: 'Your summary',
      required: 'Enter a summary of the case',
    });
  });
});

describe('the time chosen on a slot page', () => {
  it.each([
    [{}, { slotChosen: false, slotIndex: undefined, joinWaitlist: undefined }],
    [{ slot: '' }, { slotChosen: false, slotIndex: undefined, joinWaitlist: undefined }],
    [{ slot: 'first' }, { slotChosen: true, slotIndex: undefined, joinWaitlist: undefined }],
    [{ slot: 'waitlist' }, { slotChosen: true, slotIndex: undefined, joinWaitlist: true }],
    [{ slot: '0' }, { slotChosen: true, slotIndex: 0, joinWaitlist: undefined }],
    [{ slot: '12' }, { slotChosen: true, slotIndex: 12, joinWaitlist: undefined }],
  ] as Array<[FormBody, object]>)('%j → %j', (body, choice) => {
    expect(slotChoiceFrom(body)).toEqual(choice);
  });
});
