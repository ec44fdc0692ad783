import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { BookingsService, FollowUpChoice, PresenterChoice } from '../../bookings/bookings.service';
import { CreateBookingDto, QUESTION_MAX, SUMMARY_MAX } from '../../bookings/dto/booking.dto';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { MeetingsService } from '../../meetings/meetings.service';
import { MeetingView } from '../../meetings/meeting.views';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormErrors } from '../forms/form-errors';
import { checkWith, dateParts, formFields, yesNo } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';
import { BookingAnswers } from './booking-draft.entity';
import { BookingDraftsService } from './booking-drafts.service';
import { bookingCopy, bookingFrom, flowFor, Step, stepNamed, stepTitle } from './booking-steps';
import { ReferenceDataService } from '../../reference-data/reference-data.service';
import { ThresholdVersion } from '../../reference-data/threshold-versions';

/**
 * The presenter's booking form. Thin: each page parses its answers, validates them with the
 * API's CreateBookingDto and BookingsService.checkContent, keeps them in the session's draft,
 * and the last page books through BookingsService.create, exactly as the API does.
 */
@WebPages()
@Controller()
@Roles('professional', 'coordinator')
export class BookingFormController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly meetings: MeetingsService,
    private readonly drafts: BookingDraftsService,
    private readonly referenceData: ReferenceDataService,
  ) {}

  // --- the first question: is a child at immediate risk? ---

  @Get('meetings/:id/book')
  async start(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    if (!this.bookings.isOpenForBooking(meeting, user)) {
      return renderPage(
        req,
        res,
        'presenter/book/closed',
        { title: 'Bookings for this meeting have closed', meeting },
        409,
      );
    }
    renderPage(req, res, 'presenter/book/immediate-risk', {
      title: 'Is a child at immediate risk of significant harm?',
      meeting,
      backLink: `/meetings/${id}`,
    });
  }

  @Post('meetings/:id/book')
  async answerImmediateRisk(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    const input = { immediateRisk: yesNo(formFields(body).immediateRisk as string | undefined) };
    const checked = await checkWith(CreateBookingDto, input, ['immediateRisk']);
    if (checked.errors.length) {
      const errors = errorsFromValidation(checked.errors, input, bookingCopy({}));
      return renderPage(
        req,
        res,
        'presenter/book/immediate-risk',
        { title: 'Is a child at immediate risk of significant harm?', meeting, errors, backLink: `/meetings/${id}` },
        400,
      );
    }
    const session = req.authSession!;
    if (checked.value.immediateRisk) {
      // The service decides (and audits) what happens: nothing is booked, and it answers with the MASH guidance.
      await this.drafts.clear(session.id);
      try {
        await this.bookings.create(id, checked.value, user);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'IMMEDIATE_RISK') {
          const { telephone, outOfHoursTelephone } = err.details as {
            telephone: string | null;
            outOfHoursTelephone: string | null;
          };
          return renderPage(req, res, 'presenter/book/contact-mash', {
            title: 'Contact the MASH now',
            guidance: err.message,
            telephone,
            outOfHoursTelephone,
          });
        }
        throw err;
      }
      throw new Error('A booking with immediate risk was not refused');
    }
    await this.drafts.save(session.id, { meetingId: meeting.id, idempotencyKey: randomUUID(), immediateRisk: false });
    seeOther(res, '/book/kind');
  }

  // --- check your answers, and booking ---

  @Get('book/check')
  async check(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const answers = await this.drafts.get(req.authSession!.id);
    if (!answers) return this.expired(req, res);
    const missing = await this.firstIncomplete(answers);
    if (missing) return seeOther(res, `/book/${missing.name}`);
    const meeting = await this.meetings.get(answers.meetingId, user);
    // Under IDENTIFYING_DETAILS_GUARD=warn the check lets details through with warnings: show them before booking.
    const result = await formAttempt(
      async () =>
        (await this.bookings.checkContent(answers.meetingId, bookingFrom(answers) as unknown as CreateBookingDto)).map(
          (w) => ({ field: w.field, kind: w.kind }),
        ),
      (err) => errorsFromDomain(err, bookingCopy(answers), { linkToPage: true }),
    );
    const warnings =
      result.ok && result.value.length
        ? errorsFromDomain(new DomainError(422, 'IDENTIFYING_DETAILS', '', result.value), bookingCopy(answers), {
            linkToPage: true,
          })
        : null;
    await this.renderCheck(req, res, answers, meeting, result.ok ? undefined : result.errors, warnings);
  }

  @Post('book/check')
  async confirm(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const session = req.authSession!;
    const answers = await this.drafts.get(session.id);
    if (!answers) return this.expired(req, res);
    const meeting = await this.meetings.get(answers.meetingId, user);
    const copy = bookingCopy(answers);
    const dto = bookingFrom(answers);
    const checked = await checkWith(CreateBookingDto, dto);
    if (checked.errors.length) {
      return this.renderCheck(
        req,
        res,
        answers,
        meeting,
        errorsFromValidation(checked.errors, dto, copy, { linkToPage: true }),
        null,
        400,
      );
    }
    const attempt = await formAttempt(
      // The same Idempotency-Key for the whole draft: a double-clicked button books once.
      () => this.bookings.create(answers.meetingId, checked.value, user, answers.idempotencyKey),
      (err) => errorsFromDomain(err, copy, { linkToPage: true, fallbackField: fallbackFieldFor(err.code) }),
    );
    if (!attempt.ok) return this.renderCheck(req, res, answers, meeting, attempt.errors, null, 400);
    await this.drafts.clear(session.id);
    seeOther(res, `/bookings/${attempt.value.body.id}/confirmation`);
  }

  // --- the question pages ---

  @Get('book/:step')
  async question(
    @Param('step') name: string,
    @Query('change') change: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const step = stepNamed(name);
    if (!step) throw DomainError.notFound('The page');
    const answers = await this.drafts.get(req.authSession!.id);
    if (!answers) return this.expired(req, res);
    if (!step.applies(answers)) return seeOther(res, '/book/check');
    await this.renderStep(req, res, user, step, answers, { changing: change === '1' });
  }

  @Post('book/:step')
  async answer(
    @Param('step') name: string,
    @Query('change') change: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const step = stepNamed(name);
    if (!step) throw DomainError.notFound('The page');
    const session = req.authSession!;
    const answers = await this.drafts.get(session.id);
    if (!answers) return this.expired(req, res);
    const changing = change === '1';
    const submitted = step.parse(formFields(body));
    const updated: BookingAnswers = { ...answers, ...submitted } as BookingAnswers;
    const copy = bookingCopy(updated);

    let errors = new FormErrors();
    if (step.name === 'meeting') {
      const open = await this.openMeetings(user);
      if (!open.some((m) => m.id === updated.meetingId)) {
        errors = errors.add([
          {
            field: 'meetingId',
            text: updated.meetingId ? copy.meetingId.invalid! : copy.meetingId.required,
            href: '#meetingId',
          },
        ]);
      } else if (updated.meetingId !== answers.meetingId) {
        // Another meeting has other times: ask for the time again.
        Object.assign(updated, { slotChosen: false, slotIndex: undefined, joinWaitlist: undefined });
        // One under another threshold document has other levels: ask for the level again.
        const before = answers.meetingId ? await this.meetings.get(answers.meetingId, user).catch(() => null) : null;
        const chosen = open.find((m) => m.id === updated.meetingId)!;
        if (before && this.thresholdsOf(before).id !== this.thresholdsOf(chosen).id)
          updated.levelConsidered = undefined;
      }
    }
    if (step.name === 'slot' && !updated.slotChosen)
      errors = errors.add([{ field: 'slotIndex', text: copy.slotIndex.required, href: '#slot' }]);
    if (step.name === 'presenter' && updated.presenterUserId !== undefined) {
      // Only the people the service would accept (BookingsService.presenterChoices, mayBookFor).
      const choices = await this.bookings.presenterChoices(user);
      if (!choices.some((p) => p.id === updated.presenterUserId)) {
        const text = updated.presenterUserId ? copy.presenterUserId.invalid! : copy.presenterUserId.required;
        errors = errors.add([{ field: 'presenterUserId', text, href: '#presenterUserId' }]);
      }
    }

    if (step.name === 'follows' && updated.followsBookingId !== undefined) {
      // Only the agency's earlier items the service would accept (BookingsService.followUpChoices).
      if (!(await this.followChoices(updated, user)).some((c) => c.id === updated.followsBookingId)) {
        const text = updated.followsBookingId ? copy.followsBookingId.invalid! : copy.followsBookingId.required;
        errors = errors.add([{ field: 'followsBookingId', text, href: '#followsBookingId' }]);
      }
    }

    const dto = bookingFrom(updated);
    const checked = await checkWith(CreateBookingDto, dto, step.fields as string[]);
    if (!errors.any) errors = errors.add(errorsFromValidation(checked.errors, dto, copy).items);
    if (!errors.any) {
      // What only the service knows: the configured vocabularies, dates, and identifying details.
      const pageAnswers: Record<string, unknown> = { immediateRisk: false, kind: updated.kind };
      for (const field of step.fields)
        pageAnswers[field] = (checked.value as unknown as Record<string, unknown>)[field];
      const result = await formAttempt(
        () => this.bookings.checkContent(updated.meetingId, pageAnswers as unknown as CreateBookingDto),
        (err) => errorsFromDomain(err, copy),
      );
      if (!result.ok) errors = result.errors;
    }
    if (errors.any) return this.renderStep(req, res, user, step, updated, { changing, errors, status: 400 });

    for (const field of step.fields) {
      const value = (checked.value as unknown as Record<string, unknown>)[field];
      (updated as unknown as Record<string, unknown>)[field] = value;
    }
    await this.drafts.save(session.id, updated);
    const next = await this.firstIncomplete(updated);
    seeOther(res, next ? `/book/${next.name}${changing ? '?change=1' : ''}` : '/book/check');
  }

  // --- helpers ---

  /**
   * The colleague chosen to present it: undefined when the booker presents it, null when the one
   * chosen may no longer be (BookingsService.presenterChoices decides).
   */
  private async chosenPresenter(answers: BookingAnswers, user: User): Promise<PresenterChoice | null | undefined> {
    if (!answers.presenterUserId) return undefined;
    return (await this.bookings.presenterChoices(user)).find((p) => p.id === answers.presenterUserId) ?? null;
  }

  /** The earlier items of the presenter's agency that this item may follow up. */
  private async followChoices(
    answers: BookingAnswers,
    user: User,
    chosen?: PresenterChoice | null,
  ): Promise<FollowUpChoice[]> {
    const presenter = chosen !== undefined ? chosen : await this.chosenPresenter(answers, user);
    const agencyId = presenter === undefined ? user.agencyId : (presenter?.agencyId ?? null);
    return this.bookings.followUpChoices(answers.meetingId, agencyId);
  }

  /** The first page whose answers are missing or no longer valid, or none: ready to check. */
  private async firstIncomplete(a: BookingAnswers): Promise<Step | undefined> {
    const { errors } = await checkWith(CreateBookingDto, bookingFrom(a));
    const wrong = new Set(errors.map((e) => e.property));
    return flowFor(a).find((s) => (s.name === 'slot' ? !a.slotChosen : s.fields.some((f) => wrong.has(f))));
  }

  private async openMeetings(user: User): Promise<MeetingView[]> {
    return (await this.meetings.list({}, user)).filter((m) => this.bookings.isOpenForBooking(m, user));
  }

  private async renderStep(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    step: Step,
    answers: BookingAnswers,
    opts: { changing: boolean; errors?: FormErrors; status?: number },
  ): Promise<void> {
    const meeting = await this.meetings.get(answers.meetingId, user).catch(() => null);
    const flow = flowFor(answers);
    const index = flow.findIndex((s) => s.name === step.name);
    const backLink =
      opts.changing || index < 0
        ? '/book/check'
        : index === 0
          ? `/meetings/${answers.meetingId}/book`
          : `/book/${flow[index - 1].name}`;
    const title = stepTitle(step, answers);
    const locals: Record<string, unknown> = {
      title,
      answers,
      meeting,
      errors: opts.errors,
      backLink,
      action: `/book/${step.name}${opts.changing ? '?change=1' : ''}`,
      questionMax: QUESTION_MAX,
      summaryMax: SUMMARY_MAX,
      referralDate: dateParts(answers.referralDate),
      thresholds: this.thresholdsOf(meeting),
    };
    if (step.name === 'meeting') locals.meetings = await this.openMeetings(user);
    if (step.name === 'presenter') {
      locals.presenters = await this.bookings.presenterChoices(user);
      locals.showAgency = user.hasRole('coordinator');
    }
    if (step.name === 'follows') locals.followChoices = await this.followChoices(answers, user);
    if (step.name === 'slot' && meeting) {
      locals.freeSlots = meeting.slots.filter((s) => s.available);
      locals.slotChoice = !answers.slotChosen
        ? null
        : answers.joinWaitlist
          ? 'waitlist'
          : answers.slotIndex === undefined
            ? 'first'
            : String(answers.slotIndex);
    }
    renderPage(req, res, `presenter/book/${step.name}`, locals as { title: string }, opts.status ?? 200);
  }

  /** The threshold document the meeting uses (its levels are the ones offered); the newest before a meeting is chosen. */
  private thresholdsOf(meeting: Pick<MeetingView, 'startsAt'> | null): ThresholdVersion {
    return meeting ? this.referenceData.versionFor(new Date(meeting.startsAt)) : this.referenceData.thresholds.newest;
  }

  private async renderCheck(
    req: AuthenticatedRequest,
    res: Response,
    answers: BookingAnswers,
    meeting: MeetingView,
    errors: FormErrors | undefined,
    warnings: FormErrors | null,
    status = 200,
  ): Promise<void> {
    // A colleague chosen earlier may have left since: say so, rather than show "You".
    const user = req.authSession!.user;
    const chosen = await this.chosenPresenter(answers, user);
    const follows = answers.followsBookingId
      ? (await this.followChoices(answers, user, chosen)).find((c) => c.id === answers.followsBookingId)
      : undefined;
    const presenterName = answers.presenterUserId
      ? (chosen?.name ?? 'The colleague you chose can no longer present it: choose again')
      : undefined;
    const slot = answers.slotIndex !== undefined ? meeting.slots.find((s) => s.index === answers.slotIndex) : undefined;
    renderPage(
      req,
      res,
      'presenter/book/check',
      {
        title: 'Check your answers before booking',
        answers,
        meeting,
        slot,
        presenterName,
        follows,
        thresholds: this.thresholdsOf(meeting),
        errors,
        warnings,
        backLink: `/book/${flowFor(answers).at(-1)!.name}`,
      },
      status,
    );
  }

  private expired(req: AuthenticatedRequest, res: Response): void {
    renderPage(req, res, 'presenter/book/expired', { title: 'Start your booking again' }, 404);
  }
}

/** Where a refusal at booking time is put right. */
function fallbackFieldFor(code: string): string {
  if (code === 'SLOT_TAKEN' || code === 'MEETING_FULL') return 'slotIndex';
  if (code === 'BOOKING_CLOSED' || code === 'MEETING_CANCELLED') return 'meetingId';
  return '';
}
