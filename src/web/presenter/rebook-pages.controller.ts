import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
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
import { MeetingsService } from '../../meetings/meetings.service';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

/** The statuses of an item that can be booked into another meeting (BookingsService.rebook decides). */
export const REBOOKABLE_STATUSES = ['withdrawn', 'meeting-cancelled'];

const REBOOK_COPY: FormCopy = {
  meetingId: {
    label: 'The meeting',
    id: 'meetingId',
    required: 'Select the meeting to book the item into',
    invalid: 'Select one of the meetings shown',
  },
  joinWaitlist: { label: 'The waiting list', id: 'joinWaitlist', required: '' },
};

/**
 * Booking a withdrawn item, or one whose meeting was cancelled, into another meeting: the same
 * BookingsService.rebook as POST /api/bookings/:id/rebook, so the same people and rules.
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
    await this.render(req, res, booking, user, {});
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
    const dto = { meetingId: text(fields, 'meetingId'), joinWaitlist: text(fields, 'joinWaitlist') === 'yes' };
    const checked = await checkWith(RebookDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, REBOOK_COPY);
    let status = 400;
    if (!errors.any) {
      const done = await formAttempt(
        () => this.bookings.rebook(id, checked.value, user),
        (err) => errorsFromDomain(err, REBOOK_COPY, { fallbackField: 'meetingId' }),
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
    await this.render(req, res, booking, user, { errors, form: dto }, status);
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

  private async render(
    req: AuthenticatedRequest,
    res: Response,
    booking: Booking,
    user: User,
    opts: { errors?: FormErrors; form?: { meetingId?: string; joinWaitlist?: boolean } },
    status = 200,
  ): Promise<void> {
    // Upcoming meetings still open to this person, other than the one the item was in.
    const meetings = (await this.meetings.list({}, user))
      .filter((m) => m.id !== booking.meetingId && this.bookings.isOpenForBooking(m, user))
      .map((m) => ({ ...m, freeSlots: m.slots.filter((s) => s.available).length }));
    renderPage(
      req,
      res,
      'presenter/rebook',
      {
        title: `Book ${booking.reference} into another meeting`,
        item: toBookingSummary(booking),
        meetings,
        form: opts.form ?? {},
        errors: opts.errors,
        backLink: `/bookings/${booking.id}`,
      },
      status,
    );
  }
}
