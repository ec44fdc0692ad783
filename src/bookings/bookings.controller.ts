import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { validationFailed } from '../common/domain-error';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { BookingResult, BookingsService, FollowUpChoice } from './bookings.service';
import { BookingDetailView, BookingSummaryView, toBookingDetail, toBookingSummary } from './booking.views';
import { CreateBookingDto, ListBookingsQuery, RebookDto, UpdateBookingDto } from './dto/booking.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('api')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  /**
   * The earlier items of your agency that an item booked into this meeting may follow up
   * (`followsBookingId`): reference, kind and date only, newest first.
   */
  @Get('meetings/:id/follow-up-choices')
  @Roles('professional')
  followUpChoices(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<FollowUpChoice[]> {
    return this.bookings.followUpChoices(id, user.agencyId);
  }

  /**
   * Book an item into a meeting. 201 booked or waitlisted; 409 SLOT_TAKEN, MEETING_FULL,
   * BOOKING_CLOSED, MEETING_CANCELLED; 422 IDENTIFYING_DETAILS, IMMEDIATE_RISK (nothing stored).
   */
  @Post('meetings/:id/bookings')
  @Roles('professional', 'coordinator')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Send the same key to retry safely: the first answer is returned again.',
  })
  async create(
    @Param('id', UuidParam) meetingId: string,
    @Body() dto: CreateBookingDto,
    @CurrentUser() user: User,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BookingResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw validationFailed([{ field: 'Idempotency-Key', messages: ['must be 1 to 200 printable characters'] }]);
    }
    const answer = await this.bookings.create(meetingId, dto, user, idempotencyKey);
    res.status(answer.statusCode);
    return answer.body;
  }

  /** Items without their text: yours (`mine=true`, the default for professionals), or a meeting's for its chair and coordinators. */
  @Get('bookings')
  async list(@Query() query: ListBookingsQuery, @CurrentUser() user: User): Promise<BookingSummaryView[]> {
    return (await this.bookings.list(query, user)).map((b) => toBookingSummary(b));
  }

  /** One item with its text: the presenter, the meeting's chair, coordinators; others get 404. Audited. */
  @Get('bookings/:id')
  async get(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<BookingDetailView> {
    const booking = await this.bookings.getForReader(id, user);
    const history = await this.bookings.historyFor(booking, user);
    return { ...toBookingDetail(booking), ...(history ? { history } : {}) };
  }

  /**
   * Change a booked item's answers before the booking deadline (the presenter; a coordinator until
   * the meeting starts), with the `version` read: 409 BOOKING_VERSION_CONFLICT if it changed since.
   */
  @Patch('bookings/:id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateBookingDto,
    @CurrentUser() user: User,
  ): Promise<BookingDetailView> {
    return toBookingDetail(await this.bookings.update(id, dto, user));
  }

  /** Withdraw an item (the presenter or a coordinator): frees the slot for the waiting list. */
  @Post('bookings/:id/withdraw')
  @HttpCode(200)
  async withdraw(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<BookingSummaryView> {
    return toBookingSummary(await this.bookings.withdraw(id, user));
  }

  /** Book a withdrawn item, or one whose meeting was cancelled, into another meeting, keeping its content. */
  @Post('bookings/:id/rebook')
  @HttpCode(200)
  rebook(
    @Param('id', UuidParam) id: string,
    @Body() dto: RebookDto,
    @CurrentUser() user: User,
  ): Promise<BookingResult> {
    return this.bookings.rebook(id, dto, user);
  }
}
