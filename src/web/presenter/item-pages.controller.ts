import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { canWithdrawBooking } from '../../bookings/booking-access';
import { ACTIVE_STATUSES } from '../../bookings/booking.entity';
import { toBookingDetail, toBookingSummary } from '../../bookings/booking.views';
import { BookingsService } from '../../bookings/bookings.service';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { chairsMeeting } from '../../meetings/meeting-access';
import { OutcomeView } from '../../outcomes/outcome.views';
import { OutcomesService } from '../../outcomes/outcomes.service';
import { NextStepsService } from '../../next-steps/next-steps.service';
import { errorsFromDomain, formAttempt } from '../forms/form-errors';
import { renderPage, seeOther } from '../render';
import { REBOOKABLE_STATUSES } from './rebook-pages.controller';
import { WebPages } from '../web-pages.decorator';

/**
 * A presenter's items: the list, one item with its outcome (the link in e-mails and calendar
 * entries), the confirmation after booking, and withdrawing. Who may see or change an item is
 * BookingsService's decision: others get 404, exactly as from the API.
 */
@WebPages()
@Controller('bookings')
export class ItemPagesController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly outcomes: OutcomesService,
    private readonly nextSteps: NextStepsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const items = (await this.bookings.list({ mine: 'true' }, user)).map((b) => toBookingSummary(b));
    renderPage(req, res, 'presenter/items', { title: 'Your items', items });
  }

  @Get(':id')
  async show(
    @Param('id', UuidParam) id: string,
    @Query('withdrawn') withdrawn: string | undefined,
    @Query('rebooked') rebooked: string | undefined,
    @Query('changed') changed: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const booking = await this.bookings.getForReader(id, user);
    renderPage(req, res, 'presenter/item', {
      title: `Item ${booking.reference}`,
      item: toBookingDetail(booking),
      meeting: booking.meeting,
      outcome: await this.outcomeOf(id, user),
      // The case's history, for the chair of its meeting and coordinators (need to know, rule 5).
      history: await this.bookings.historyFor(booking, user),
      // After the meeting has started the item is a record: the service refuses (409 MEETING_STARTED).
      canWithdraw:
        canWithdrawBooking(user, booking) &&
        ACTIVE_STATUSES.includes(booking.status) &&
        this.clock.now() < booking.meeting.startsAt,
      meetingStarted: this.clock.now() >= booking.meeting.startsAt,
      isPresenter: booking.presenterUserId === user.id,
      // Once asked what happened after the advice (issue 17, part 2).
      nextStep: booking.presenterUserId === user.id ? await this.nextSteps.askedAbout(booking.id) : null,
      runsIt: chairsMeeting(user, booking.meeting),
      withdrawn: withdrawn === '1',
      changed: changed === '1',
      // Its answers can be changed until bookings close (BookingsService.update decides).
      canEdit: this.bookings.isEditable(booking, user),
      canRebook: canWithdrawBooking(user, booking) && REBOOKABLE_STATUSES.includes(booking.status),
      // After rebooking (only these two words are ever shown back from the URL).
      rebooked: rebooked === 'booked' || rebooked === 'waitlisted' ? rebooked : null,
    });
  }

  @Get(':id/confirmation')
  async confirmation(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    // Booked for a colleague: the booker sees that it is booked and for whom, not the item itself.
    const bookedFor = await this.bookings.bookedForSomeoneElse(id, user);
    if (bookedFor) {
      const item = toBookingSummary(bookedFor);
      return renderPage(req, res, 'presenter/confirmation-for-colleague', {
        title:
          item.status === 'waitlisted'
            ? `${item.presenter.name} is on the waiting list`
            : `Booked for ${item.presenter.name}`,
        item,
        meeting: bookedFor.meeting,
      });
    }
    const booking = await this.bookings.getForReader(id, user);
    const item = toBookingSummary(booking);
    renderPage(req, res, 'presenter/confirmation', {
      title: item.status === 'waitlisted' ? 'You are on the waiting list' : 'Your item is booked',
      item,
      meeting: booking.meeting,
    });
  }

  @Get(':id/withdraw')
  async withdrawPage(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const booking = await this.bookings.getForReader(id, user);
    if (!canWithdrawBooking(user, booking))
      throw DomainError.forbidden('Only the presenter or a coordinator can withdraw this item.');
    renderPage(req, res, 'presenter/withdraw', {
      title: `Withdraw ${booking.reference}?`,
      item: toBookingSummary(booking),
      backLink: `/bookings/${id}`,
    });
  }

  @Post(':id/withdraw')
  async withdraw(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const attempt = await formAttempt(
      () => this.bookings.withdraw(id, user),
      (err) => errorsFromDomain(err, {}),
    );
    if (attempt.ok) return seeOther(res, `/bookings/${id}?withdrawn=1`);
    const booking = await this.bookings.getForReader(id, user);
    renderPage(
      req,
      res,
      'presenter/withdraw',
      {
        title: `Withdraw ${booking.reference}?`,
        item: toBookingSummary(booking),
        errors: attempt.errors,
        backLink: `/bookings/${id}`,
      },
      409,
    );
  }

  /** The item's outcome once recorded (null before). */
  private async outcomeOf(bookingId: string, user: User): Promise<OutcomeView | null> {
    try {
      return await this.outcomes.get(bookingId, user);
    } catch (err) {
      // The item itself was readable (checked first), so a 404 here means "no outcome yet".
      if (err instanceof DomainError && err.statusCode === 404) return null;
      throw err;
    }
  }
}
