import { CreateBookingDto } from '../../bookings/dto/booking.dto';
import { FormCopy } from '../forms/form-errors';
import { dateFromParts, FormBody, integer, list, text } from '../forms/form-input';
import { BookingAnswers } from './booking-draft.entity';

/**
 * The booking form in the GOV.UK "question pages" pattern: one question (or a few that belong
 * together) per page, answers kept server-side in a draft, then "check your answers". The
 * immediate-risk question comes first, on /meetings/:id/book, before any draft exists.
 *
 * The rules are the API's: every page is validated with CreateBookingDto, and by
 * BookingsService.checkContent for what only the service knows (vocabularies, identifying details).
 */
export type StepName =
  | 'kind'
  | 'meeting'
  | 'presenter'
  | 'follows'
  | 'slot'
  | 'child'
  | 'concerns'
  | 'level'
  | 'referral'
  | 'question'
  | 'summary';

export interface Step {
  name: StepName;
  /** The DTO fields this page asks for. */
  fields: Array<keyof CreateBookingDto>;
  /** Whether the page applies to the answers so far (e.g. the MASH reference only for referral feedback). */
  applies(a: BookingAnswers): boolean;
  /** Reached only through "Change" (the meeting was chosen before the form started). */
  onlyOnChange?: boolean;
  /** The page's answers from its form. */
  parse(body: FormBody): Partial<BookingAnswers>;
}

const aboutAChild = (a: BookingAnswers) => a.kind !== 'agency-feedback';

export const STEPS: Step[] = [
  {
    name: 'kind',
    fields: ['kind'],
    applies: () => true,
    parse: (b) => ({ kind: text(b, 'kind') as BookingAnswers['kind'] }),
  },
  {
    name: 'meeting',
    fields: [],
    applies: () => true,
    onlyOnChange: true,
    parse: (b) => ({ meetingId: text(b, 'meetingId') }),
  },
  {
    // Who presents it: the person booking, unless they choose a colleague from "Check your answers".
    name: 'presenter',
    fields: ['presenterUserId'],
    applies: () => true,
    onlyOnChange: true,
    parse: (b) => {
      const chosen = text(b, 'presenterUserId');
      return { presenterUserId: chosen === 'me' ? undefined : (chosen ?? '') };
    },
  },
  {
    // Whether it follows up an earlier item of the agency: none, unless chosen from "Check your answers".
    name: 'follows',
    fields: ['followsBookingId'],
    applies: () => true,
    onlyOnChange: true,
    parse: (b) => {
      const chosen = text(b, 'followsBookingId');
      return { followsBookingId: chosen === 'none' ? undefined : (chosen ?? '') };
    },
  },
  {
    name: 'slot',
    fields: ['slotIndex', 'joinWaitlist'],
    applies: () => true,
    parse: (b) => slotChoiceFrom(b),
  },
  {
    name: 'child',
    fields: ['agencyReference', 'ageBand'],
    applies: aboutAChild,
    parse: (b) => ({
      agencyReference: text(b, 'agencyReference'),
      ageBand: text(b, 'ageBand') as BookingAnswers['ageBand'],
    }),
  },
  {
    name: 'concerns',
    fields: ['concernCategories'],
    applies: aboutAChild,
    parse: (b) => ({ concernCategories: list(b, 'concernCategories') }),
  },
  {
    name: 'level',
    fields: ['levelConsidered'],
    applies: aboutAChild,
    parse: (b) => ({ levelConsidered: integer(text(b, 'levelConsidered')) as number }),
  },
  {
    name: 'referral',
    fields: ['mashReference', 'referralDate'],
    applies: (a) => a.kind === 'referral-feedback',
    parse: (b) => ({ mashReference: text(b, 'mashReference'), referralDate: dateFromParts(b, 'referralDate') }),
  },
  { name: 'question', fields: ['question'], applies: aboutAChild, parse: (b) => ({ question: text(b, 'question') }) },
  { name: 'summary', fields: ['summary'], applies: () => true, parse: (b) => ({ summary: text(b, 'summary') }) },
];

const STEP_TITLES: Record<StepName, string> = {
  kind: 'What do you want to bring to the meeting?',
  meeting: 'Which meeting?',
  presenter: 'Who will present this item?',
  follows: 'Does this item follow up an earlier one?',
  slot: 'Which time would you like?',
  child: 'About the child',
  concerns: 'What are the concerns?',
  level: 'Which level of need are you considering?',
  referral: 'About your referral to the MASH',
  question: 'What would you like the meeting to advise on?',
  summary: 'Summary',
};

/** A question page's heading (and title), in the words for this kind of item. */
export function stepTitle(step: Step, a: Pick<BookingAnswers, 'kind'>): string {
  return step.name === 'summary' && a.kind === 'agency-feedback'
    ? 'Your feedback to children’s social care'
    : STEP_TITLES[step.name];
}

export function stepNamed(name: string): Step | undefined {
  return STEPS.find((s) => s.name === name);
}

/** The pages this person goes through, in order, for their answers so far. */
export function flowFor(a: BookingAnswers): Step[] {
  return STEPS.filter((s) => !s.onlyOnChange && s.applies(a));
}

/**
 * The booking as the API takes it, from the answers: only the fields that apply to the kind of
 * item, so that an answer left behind by a change of kind is neither checked nor stored.
 */
export function bookingFrom(a: BookingAnswers): Record<string, unknown> {
  const dto: Record<string, unknown> = { immediateRisk: false, kind: a.kind };
  // Stryker disable next-line ConditionalExpression: the condition → true is equivalent: an undefined slotIndex is deleted by the loop at the end
  if (a.slotIndex !== undefined) dto.slotIndex = a.slotIndex;
  if (a.joinWaitlist) dto.joinWaitlist = true;
  if (aboutAChild(a)) {
    Object.assign(dto, {
      agencyReference: a.agencyReference,
      ageBand: a.ageBand,
      concernCategories: a.concernCategories,
      levelConsidered: a.levelConsidered,
      question: a.question,
    });
  }
  if (a.kind === 'referral-feedback')
    Object.assign(dto, { mashReference: a.mashReference, referralDate: a.referralDate });
  dto.summary = a.summary;
  // Stryker disable next-line ConditionalExpression: equivalent, an undefined answer is deleted by the loop below
  if (a.presenterUserId !== undefined) dto.presenterUserId = a.presenterUserId;
  // Stryker disable next-line ConditionalExpression: equivalent, an undefined answer is deleted by the loop below
  if (a.followsBookingId !== undefined) dto.followsBookingId = a.followsBookingId;
  for (const key of Object.keys(dto)) if (dto[key] === undefined) delete dto[key];
  return dto;
}

/** The words of the booking form, for its error messages (the rules are CreateBookingDto's). */
export function bookingCopy(a: Pick<BookingAnswers, 'kind'>): FormCopy {
  const feedback = a.kind === 'agency-feedback';
  return {
    immediateRisk: {
      label: 'Immediate risk',
      id: 'immediateRisk',
      required: 'Select yes if a child may be at immediate risk of significant harm',
    },
    kind: {
      label: 'What you want to bring',
      id: 'kind',
      page: '/book/kind',
      required: 'Select what you want to bring to the meeting',
      invalid: 'Select one of the options',
    },
    meetingId: {
      label: 'Meeting',
      id: 'meetingId',
      page: '/book/meeting',
      required: 'Select a meeting',
      invalid: 'Select one of the meetings shown',
    },
    presenterUserId: {
      label: 'Presenter',
      id: 'presenterUserId',
      page: '/book/presenter',
      required: 'Select who will present this item',
      invalid: 'Select yourself or one of the colleagues shown',
    },
    followsBookingId: {
      label: 'Earlier item',
      id: 'followsBookingId',
      page: '/book/follows',
      required: 'Select whether this item follows up an earlier one',
      invalid: 'Select one of the earlier items shown, or no',
    },
    slotIndex: {
      label: 'Time',
      id: 'slot',
      page: '/book/slot',
      required: 'Select a time',
      invalid: 'Select one of the times shown',
    },
    joinWaitlist: {
      label: 'Time',
      id: 'slot',
      page: '/book/slot',
      required: 'Select a time',
      invalid: 'Select one of the times shown',
    },
    agencyReference: {
      label: 'Your agency’s reference',
      id: 'agencyReference',
      page: '/book/child',
      required: 'Enter your agency’s reference for the case',
      invalid: 'Your agency’s reference must be on one line',
      inWords: 'your agency’s reference',
    },
    ageBand: {
      label: 'Age band',
      id: 'ageBand',
      page: '/book/child',
      required: 'Select the child’s age band',
      invalid: 'Select one of the age bands',
    },
    concernCategories: {
      label: 'Concerns',
      id: 'concernCategories',
      page: '/book/concerns',
      required: 'Select at least one concern',
      invalid: 'Select concerns from the list',
      refused: 'Select concerns from the list',
    },
    levelConsidered: {
      label: 'Level of need',
      id: 'levelConsidered',
      page: '/book/level',
      required: 'Select the level of need you are considering',
      invalid: 'Select one of the levels shown',
      refused: 'Select one of the levels shown',
    },
    mashReference: {
      label: 'The MASH reference',
      id: 'mashReference',
      page: '/book/referral',
      required: 'Enter the MASH reference of the referral',
      invalid: 'Enter the MASH reference as the MASH gave it, like MASH/2026/1234',
      inWords: 'the MASH reference',
    },
    referralDate: {
      label: 'The date of the referral',
      id: 'referralDate-day',
      page: '/book/referral',
      required: 'Enter the date you made the referral',
      invalid: 'The date of the referral must be a real date, like 27 3 2026',
    },
    question: {
      label: 'Your question',
      id: 'question',
      page: '/book/question',
      required: 'Enter your question for the meeting',
      inWords: 'your question',
    },
    summary: feedback
      ? {
          label: 'Your feedback',
          id: 'summary',
          page: '/book/summary',
          required: 'Enter your feedback',
          inWords: 'your feedback',
        }
      : {
          label: 'Your summary',
          id: 'summary',
          page: '/book/summary',
          required: 'Enter a summary of the case',
          inWords: 'your summary',
        },
  };
}

/**
 * The time chosen on a slot page (views/presenter/_slot-radios.njk): `first` (the first free
 * slot), a slot's index, or `waitlist` when the meeting is full; nothing chosen yet otherwise.
 * Used by booking and by rebooking.
 */
export function slotChoiceFrom(b: FormBody): Pick<BookingAnswers, 'slotChosen' | 'slotIndex' | 'joinWaitlist'> {
  const choice = text(b, 'slot');
  if (choice === undefined) return { slotChosen: false, slotIndex: undefined, joinWaitlist: undefined };
  if (choice === 'first') return { slotChosen: true, slotIndex: undefined, joinWaitlist: undefined };
  if (choice === 'waitlist') return { slotChosen: true, slotIndex: undefined, joinWaitlist: true };
  return { slotChosen: true, slotIndex: integer(choice) as number, joinWaitlist: undefined };
}
