import { NextStep } from './next-step.entity';
import {
  ExpectedResponse,
  expectedWorkingDays,
  NEXT_STEP_QUESTIONS,
  NextStepState,
  stateOfStep,
} from './next-step-rules';

export interface NextStepView {
  bookingId: string;
  pathway: NextStep['pathway'];
  /** The questions as asked, worded for the advice. */
  questions: { made: string; heardBack: string };
  /** Working days to hear back within which counts as in time, for this advice. */
  expectedWorkingDays: number;
  state: NextStepState;
  askedAt: string;
  remindedAt: string | null;
  noAnswerAt: string | null;
  answeredAt: string | null;
  referralMade: boolean | null;
  madeOn: string | null;
  heardBack: boolean | null;
  heardBackOn: string | null;
  responseWorkingDays: number | null;
  respondedInTime: boolean | null;
  version: number;
}

export function toNextStepView(s: NextStep, expected: ExpectedResponse): NextStepView {
  const { made, heardBack } = NEXT_STEP_QUESTIONS[s.pathway];
  return {
    bookingId: s.bookingId,
    pathway: s.pathway,
    questions: { made, heardBack },
    expectedWorkingDays: expectedWorkingDays(s.pathway, expected),
    state: stateOfStep(s),
    askedAt: s.askedAt.toISOString(),
    remindedAt: s.remindedAt?.toISOString() ?? null,
    noAnswerAt: s.noAnswerAt?.toISOString() ?? null,
    answeredAt: s.answeredAt?.toISOString() ?? null,
    referralMade: s.referralMade,
    madeOn: s.madeOn,
    heardBack: s.heardBack,
    heardBackOn: s.heardBackOn,
    responseWorkingDays: s.responseWorkingDays,
    respondedInTime: s.respondedInTime,
    version: s.version,
  };
}
