import type { FieldError } from '../common/domain-error';
import type { Pathway } from '../reference-data/reference-data';
import { addWorkingDays, instantToLondon, wallClockToInstant, workingDaysBetween } from '../scheduling/calendar-rules';

/**
 * What happened after the advice: the rules in one place (which advice is followed up, when the
 * presenter is asked and reminded, what an answer must say, and how it is counted). Pure.
 */

/** Advice that sends the presenter somewhere: these are followed up; the rest are not. */
export const ASKED_PATHWAYS = ['mash-referral', 'early-help', 'other-service'] as const satisfies readonly Pathway[];
export type AskedPathway = (typeof ASKED_PATHWAYS)[number];

export function isAskedPathway(pathway: string | null | undefined): pathway is AskedPathway {
  // Stryker disable next-line StringLiteral: equivalent, no other string is in the list either
  return (ASKED_PATHWAYS as readonly string[]).includes(pathway ?? '');
}

/** The questions, worded for the advice given. */
export const NEXT_STEP_QUESTIONS: Record<AskedPathway, { made: string; heardBack: string; service: string }> = {
  'mash-referral': {
    made: 'Did you make the referral to the MASH?',
    heardBack: 'Have you heard the MASH’s decision?',
    service: 'the MASH',
  },
  'early-help': {
    made: 'Did you make the request for early help?',
    heardBack: 'Have you heard back from early help?',
    service: 'early help',
  },
  'other-service': {
    made: 'Did you make the referral or request to the other service?',
    heardBack: 'Have you heard back from that service?',
    service: 'the service',
  },
};

/** How an item stands: what the figures count. */
export const NEXT_STEP_STATES = [
  'awaiting',
  'no-answer',
  'not-made',
  'made-not-heard-back',
  'heard-back-in-time',
  'heard-back-late',
] as const;
export type NextStepState = (typeof NEXT_STEP_STATES)[number];

export interface NextStepFacts {
  answered: boolean;
  noAnswer: boolean;
  referralMade: boolean | null;
  heardBack: boolean | null;
  respondedInTime: boolean | null;
}

/** An answer, whenever it came, wins over "no answer"; until either, the question is awaiting. */
export function nextStepState(s: NextStepFacts): NextStepState {
  if (!s.answered) return s.noAnswer ? 'no-answer' : 'awaiting';
  if (!s.referralMade) return 'not-made';
  if (!s.heardBack) return 'made-not-heard-back';
  return s.respondedInTime ? 'heard-back-in-time' : 'heard-back-late';
}

/** What the figures count one question as: its state, and each total that state adds to. */
export function countedAs(state: NextStepState): Array<NextStepState | 'asked' | 'answered' | 'made'> {
  const answered = state !== 'awaiting' && state !== 'no-answer';
  const made = answered && state !== 'not-made';
  return ['asked', state, ...(answered ? (['answered'] as const) : []), ...(made ? (['made'] as const) : [])];
}

/** The state of a stored question. */
export function stateOfStep(s: {
  answeredAt: Date | null;
  noAnswerAt: Date | null;
  referralMade: boolean | null;
  heardBack: boolean | null;
  respondedInTime: boolean | null;
}): NextStepState {
  return nextStepState({ ...s, answered: s.answeredAt !== null, noAnswer: s.noAnswerAt !== null });
}

/** The expected time to hear back, in working days, by the advice given. */
export interface ExpectedResponse {
  mashWorkingDays: number;
  otherWorkingDays: number;
}

export function expectedWorkingDays(pathway: AskedPathway, expected: ExpectedResponse): number {
  return pathway === 'mash-referral' ? expected.mashWorkingDays : expected.otherWorkingDays;
}

/**
 * When something is due `workingDays` working days after an instant, at `time` (London): the
 * question after the meeting, the reminder after the question, "no answer" after the reminder.
 */
export function dueAfter(at: Date, workingDays: number, time: string): Date {
  return wallClockToInstant(addWorkingDays(instantToLondon(at).date, workingDays), time);
}

export interface NextStepAnswer {
  referralMade?: boolean;
  madeOn?: string;
  heardBack?: boolean;
  heardBackOn?: string;
}

export interface CheckedAnswer {
  referralMade: boolean;
  madeOn: string | null;
  heardBack: boolean | null;
  heardBackOn: string | null;
  responseWorkingDays: number | null;
  respondedInTime: boolean | null;
}

/**
 * Checks an answer against the meeting's date and today (London dates) and works out the timing.
 * A referral is made on or after the meeting that advised it, and not in the future; an answer
 * comes on or after the referral. What a "no" makes irrelevant must not be given, so that a
 * stale form cannot leave dates behind. Returns the field errors, or the answer to store.
 */
export function checkAnswer(
  answer: NextStepAnswer,
  context: { pathway: AskedPathway; meetingDate: string; today: string; expected: ExpectedResponse },
): { errors: FieldError[]; value?: CheckedAnswer } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, messages: [message] });
  const { meetingDate, today } = context;
  if (answer.referralMade === undefined) err('referralMade', 'is required');
  if (answer.referralMade === false) {
    for (const field of ['madeOn', 'heardBack', 'heardBackOn'] as const)
      if (answer[field] !== undefined) err(field, 'must not be given when the referral was not made');
  }
  if (answer.referralMade) {
    if (answer.madeOn === undefined) err('madeOn', 'is required when the referral was made');
    else if (answer.madeOn < meetingDate) err('madeOn', `must be on or after the meeting (${meetingDate})`);
    else if (answer.madeOn > today) err('madeOn', 'must be today or earlier');
    if (answer.heardBack === undefined) err('heardBack', 'is required when the referral was made');
    if (answer.heardBack === false && answer.heardBackOn !== undefined)
      err('heardBackOn', 'must not be given when you have not heard back');
    if (answer.heardBack) {
      if (answer.heardBackOn === undefined) err('heardBackOn', 'is required when you have heard back');
      else if (answer.heardBackOn > today) err('heardBackOn', 'must be today or earlier');
      else if (answer.madeOn !== undefined && answer.heardBackOn < answer.madeOn)
        err('heardBackOn', 'must be on or after the date the referral was made');
    }
  }
  if (errors.length) return { errors };
  // A "no" with heardBack given was refused above, so heardBack alone says it.
  const heard = answer.heardBack === true;
  const responseWorkingDays = heard ? workingDaysBetween(answer.madeOn!, answer.heardBackOn!) : null;
  return {
    errors,
    value: {
      referralMade: answer.referralMade!,
      madeOn: answer.referralMade ? answer.madeOn! : null,
      heardBack: answer.referralMade ? answer.heardBack! : null,
      heardBackOn: heard ? answer.heardBackOn! : null,
      responseWorkingDays,
      respondedInTime:
        responseWorkingDays === null
          ? null
          : responseWorkingDays <= expectedWorkingDays(context.pathway, context.expected),
    },
  };
}
