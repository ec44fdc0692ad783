import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { canWithdrawBooking } from '../../bookings/booking-access';
import { Booking } from '../../bookings/booking.entity';
import { toBookingSummary } from '../../bookings/booking.views';
import { BookingsService } from '../../bookings/bookings.service';
import { RebookDto } from '../../bookings/dto/booking.dto';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { MeetingView } from '../../meetings/meeting.views';
import { MeetingsService } from '../../meetings/meetings.service';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';
import { slotChoiceFrom } from './booking-steps';

/** The statuses of an item that can be booked into another meeting (BookingsService.rebook decides). */
export const REBOOKABLE_STATUSES = ['withdrawn', 'meeting-cancelled'];

const REBOOK_COPY: FormCopy = {
  meetingId: {
    label: 'The meeting',
    id: 'meetingId',
    required: 'Select the meeting to book the item into',
    invalid: 'Select one of the meetings shown',
  },
  slotIndex: { label: 'The time', id: 'slot', required: 'Select a time', invalid: 'Select one of the times shown' },
  joinWaitlist: { label: 'The time', id: 'slot', required: 'Select a time' },
};

/** The refusals that are about the time chosen, not the meeting (shown on the time page). */
const ABOUT_THE_TIME = ['SLOT_TAKEN', 'MEETING_FULL', 'VALIDATION_FAILED'];

/**
 * Booking a withdrawn item, or one whose meeting was cancelled, into another meeting: the same
 * BookingsService.rebook as POST /api/bookings/:id/rebook, so the same people and rules. Two
 * questions, one a page: which meeting, then which time (or the waiting list, when it is full).
 */
@WebPages()
@Controller('bookings/:id/rebook')
export class RebookPagesController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly meetings: MeetingsService,
  ) {}

  @Get()
  async page(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const booking = await this.rebookable(id, user);
    await this.renderMeetings(req, res, booking, user, {});
  }

  /** The meeting chosen (a GET form: nothing changes yet): its free times, or the waiting list. */
  @Get('time')
  async timePage(
    @Param('id', UuidParam) id: string,
    @Query('meetingId') meetingId: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const booking = await this.rebookable(id, user);
    const meeting = (await this.openMeetings(booking, user)).find((m) => m.id === meetingId);
    if (!meeting) {
      const errors = new FormErrors([
        {
          field: 'meetingId',
          text: meetingId ? REBOOK_COPY.meetingId.invalid! : REBOOK_COPY.meetingId.required,
          href: '#meetingId',
        },
      ]);
      return this.renderMeetings(req, res, booking, user, { errors }, 400);
    }
    this.renderTime(req, res, booking, meeting, {});
  }

  @Post()
  async rebook(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const choice = slotChoiceFrom(fields);
    const dto = {
      meetingId: text(fields, 'meetingId'),
      slotIndex: choice.slotIndex,
      joinWaitlist: choice.joinWaitlist,
    };
    const checked = await checkWith(RebookDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, REBOOK_COPY);
    if (!errors.any && !choice.slotChosen)
      errors = errors.add([{ field: 'slotIndex', text: REBOOK_COPY.slotIndex.required, href: '#slot' }]);
    let status = 400;
    if (!errors.any) {
      const done = await formAttempt(
        () => this.bookings.rebook(id, checked.value, user),
        (err) =>
          errorsFromDomain(err, REBOOK_COPY, {
            fallbackField: ABOUT_THE_TIME.includes(err.code) ? 'slotIndex' : 'meetingId',
          }),
      );
      if (done.ok)
        return seeOther(
          res,
          `/bookings/${id}?rebooked=${done.value.status === 'waitlisted' ? 'waitlisted' : 'booked'}`,
        );
      errors = done.errors;
      status = 409;
    }
    const booking = await this.bookings.getForReader(id, user);
    // A refusal about the time (taken meanwhile, now full) is answered on the time page, if the meeting is still open.
    const aboutTheMeeting = errors.items.some((e) => e.field === 'meetingId');
    const meeting = aboutTheMeeting
      ? undefined
      : (await this.openMeetings(booking, user)).find((m) => m.id === dto.meetingId);
    if (meeting) return this.renderTime(req, res, booking, meeting, { errors }, status);
    await this.renderMeetings(req, res, booking, user, { errors, meetingId: dto.meetingId }, status);
  }

  /** The item, if this reader may rebook it and it can be rebooked (otherwise its own page says why). */
  private async rebookable(id: string, user: User): Promise<Booking> {
    const booking = await this.bookings.getForReader(id, user);
    if (!canWithdrawBooking(user, booking))
      throw DomainError.forbidden('Only the presenter or a coordinator can book this item into another meeting.');
    if (!REBOOKABLE_STATUSES.includes(booking.status))
      throw DomainError.conflict(
        'NOT_REBOOKABLE',
        'Only a withdrawn item, or one whose meeting was cancelled, can be booked again.',
      );
    return booking;
  }

  /** Upcoming meetings still open to this person, other than the one the item was in. */
  private async openMeetings(booking: Booking, user: User): Promise<MeetingView[]> {
    return (await this.meetings.list({}, user)).filter(
      (m) => m.id !== booking.meetingId && this.bookings.isOpenForBooking(m, user),
    );
  }

  private async renderMeetings(
    req: AuthenticatedRequest,
    res: Response,
    booking: Booking,
    user: User,
    opts: { errors?: FormErrors; meetingId?: string },
    status = 200,
  ): Promise<void> {
    const meetings = (await this.openMeetings(booking, user)).map((m) => ({
      ...m,
      freeSlots: m.slots.filter((s) => s.available).length,
    }));
    renderPage(
      req,
      res,
      'presenter/rebook',
      {
        title: `Book ${booking.reference} into another meeting`,
        item: toBookingSummary(booking),
        meetings,
        form: { meetingId: opts.meetingId },
        errors: opts.errors,
        backLink: `/bookings/${booking.id}`,
      },
      status,
    );
  }

  private renderTime(
    req: AuthenticatedRequest,
    res: Response,
    booking: Booking,
    meeting: MeetingView,
    opts: { errors?: FormErrors },
    status = 200,
  ): void {
    const freeSlots = meeting.slots.filter((s) => s.available);
    renderPage(
      req,
      res,
      'presenter/rebook-time',
      {
        title: freeSlots.length ? 'What time would you like?' : 'This meeting is full',
        item: toBookingSummary(booking),
        meeting,
        freeSlots,
        slotChoice: null,
        errors: opts.errors,
        backLink: `/bookings/${booking.id}/rebook`,
      },
      status,
    );
  }
}
