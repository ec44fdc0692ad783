import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Booking } from '../../bookings/booking.entity';
import { bookingAnswers, bookingVersion, toBookingSummary } from '../../bookings/booking.views';
import { BookingsService } from '../../bookings/bookings.service';
import { CreateBookingDto, QUESTION_MAX, SUMMARY_MAX } from '../../bookings/dto/booking.dto';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, dateParts, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';
import { BookingAnswers } from './booking-draft.entity';
import { bookingCopy, bookingFrom, Step, StepName, stepNamed, stepTitle } from './booking-steps';
import { ReferenceDataService } from '../../reference-data/reference-data.service';

/** The question pages of the booking form that hold an item's answers (the kind, meeting and time are not changed here). */
const ANSWER_STEPS: StepName[] = ['child', 'concerns', 'level', 'referral', 'question', 'summary'];

/**
 * Changing a booked item's answers before the booking deadline, one question page at a time (the
 * booking form's own pages, reached from "Change" on the item's page), through
 * BookingsService.update as PATCH /api/bookings/:id: the same people, deadline and rules. Each
 * form carries the item's version, so a change made since (another tab) is not saved over.
 */
@WebPages()
@Controller('bookings/:id/edit/:step')
export class ItemEditPagesController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly referenceData: ReferenceDataService,
  ) {}

  @Get()
  async page(
    @Param('id', UuidParam) id: string,
    @Param('step') stepName: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const { booking, step } = await this.editable(id, stepName, user);
    this.render(req, res, booking, step, answersOf(booking), bookingVersion(booking));
  }

  @Post()
  async save(
    @Param('id', UuidParam) id: string,
    @Param('step') stepName: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const { booking, step } = await this.editable(id, stepName, user);
    const fields = formFields(body);
    const version = text(fields, 'version') ?? '';
    const answers = { ...answersOf(booking), ...step.parse(fields) } as BookingAnswers;
    const copy = pageCopy(booking);
    const dto = bookingFrom(answers);
    const checked = await checkWith(CreateBookingDto, dto, step.fields);
    let errors = errorsFromValidation(checked.errors, dto, copy);
    let conflict = false;
    if (!errors.any) {
      const changes = Object.fromEntries(step.fields.map((f) => [f, checked.value[f]]));
      const done = await formAttempt(
        () => this.bookings.update(id, { ...changes, version }, user),
        (err) => {
          conflict = err.code === 'BOOKING_VERSION_CONFLICT';
          return errorsFromDomain(err, copy, { fallbackField: step.fields[0] });
        },
      );
      if (done.ok) return seeOther(res, `/bookings/${id}?changed=1`);
      errors = done.errors;
    }
    // After a conflict the person has been told: the form now carries the version they have seen.
    const current = conflict ? await this.bookings.getForReader(id, user) : booking;
    this.render(
      req,
      res,
      current,
      step,
      answers,
      conflict ? bookingVersion(current) : version,
      errors,
      conflict ? 409 : 400,
    );
  }

  /** The item and question, if this person may change the item now; otherwise its own page says why. */
  private async editable(id: string, stepName: string, user: User): Promise<{ booking: Booking; step: Step }> {
    const booking = await this.bookings.getForReader(id, user);
    const step = stepNamed(stepName);
    if (!step || !ANSWER_STEPS.includes(step.name) || !step.applies({ kind: booking.kind } as BookingAnswers))
      throw DomainError.notFound('That question');
    if (!this.bookings.isEditable(booking, user))
      throw DomainError.conflict(
        'NOT_EDITABLE',
        'This item can no longer be changed: only its presenter (or a coordinator) can change it, while it is on an agenda and before bookings for its meeting close.',
      );
    return { booking, step };
  }

  private render(
    req: AuthenticatedRequest,
    res: Response,
    booking: Booking,
    step: Step,
    answers: BookingAnswers,
    version: string,
    errors?: FormErrors,
    status = 200,
  ): void {
    const thresholds = this.referenceData.versionFor(booking.meeting.startsAt);
    // A level of another threshold document (the item was rebooked across a change) is not one of
    // those offered: nothing is pre-selected, so the presenter chooses again.
    const stale =
      this.referenceData.thresholds.idOf(booking.thresholdVersion) !== thresholds.id &&
      answers.levelConsidered === booking.levelConsidered;
    renderPage(
      req,
      res,
      `presenter/book/${step.name}`,
      {
        title: stepTitle(step, booking),
        // The same question as when booking, but another page: its own <title>.
        documentTitle: `Change ${booking.reference}: ${stepTitle(step, booking)}`,
        caption: `Changing ${booking.reference}`,
        item: toBookingSummary(booking),
        answers: stale ? { ...answers, levelConsidered: undefined } : answers,
        version,
        buttonText: 'Save changes',
        errors,
        backLink: `/bookings/${booking.id}`,
        action: `/bookings/${booking.id}/edit/${step.name}`,
        questionMax: QUESTION_MAX,
        summaryMax: SUMMARY_MAX,
        referralDate: dateParts(answers.referralDate),
        thresholds,
      },
      status,
    );
  }
}

/** The item's answers as the booking form holds them. */
function answersOf(b: Booking): BookingAnswers {
  return { ...bookingAnswers(b), kind: b.kind, immediateRisk: false } as BookingAnswers;
}

/** The booking form's words, linked to this page's own fields (not to the booking form's pages). */
function pageCopy(b: Booking): FormCopy {
  return Object.fromEntries(
    Object.entries(bookingCopy({ kind: b.kind })).map(([k, c]) => [k, { ...c, page: undefined }]),
  );
}
