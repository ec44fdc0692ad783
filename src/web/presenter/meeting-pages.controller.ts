import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { BookingsService } from '../../bookings/bookings.service';
import { UuidParam } from '../../common/uuid-param.pipe';
import { formatLondonDate } from '../../scheduling/london-format';
import { User } from '../../directory/user.entity';
import { MeetingsService } from '../../meetings/meetings.service';
import { ActionsService } from '../../outcomes/actions.service';
import { ExpectedAttendance } from '../../calendar-replies/expected-attendance';
import { REFERENCE } from '../chair/chair-pages.controller';
import { renderPage } from '../render';
import { WebPages } from '../web-pages.decorator';

/**
 * Meetings: the list presenters book from, and one meeting's page (the link in invitations and
 * reminders). Its chair and coordinators also see the agenda, the waiting list and the actions
 * carried forward, with the links to run the meeting.
 */
@WebPages()
@Controller('meetings')
export class MeetingPagesController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly bookings: BookingsService,
    private readonly actions: ActionsService,
    private readonly expected: ExpectedAttendance,
  ) {}

  @Get()
  @Roles('professional', 'coordinator')
  async list(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const meetings = (await this.meetings.list({}, user)).map((m) => ({
      ...m,
      freeSlots: m.slots.filter((s) => s.available).length,
      open: this.bookings.isOpenForBooking(m, user),
    }));
    renderPage(req, res, 'presenter/meetings', { title: 'Upcoming meetings', meetings });
  }

  @Get(':id')
  async show(
    @Param('id', UuidParam) id: string,
    @Query('deferred') deferred: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    const runsIt = meeting.agenda !== undefined;
    renderPage(req, res, 'meeting', {
      title: meeting.title,
      // Its date too (it is the caption above the heading): every meeting of a series has the same name.
      documentTitle: `${meeting.title}, ${formatLondonDate(meeting.startsAt)}`,
      meeting,
      runsIt,
      canBook: user.hasRole('professional', 'coordinator') && this.bookings.isOpenForBooking(meeting, user),
      freeSlots: meeting.slots.filter((s) => s.available).length,
      actions: runsIt ? await this.actions.listForMeeting(id, user) : null,
      expected: runsIt ? await this.expected.forMeeting(id, user) : null,
      // After carrying an item forward (only a reference is ever shown back from the URL).
      deferred: runsIt && deferred && REFERENCE.test(deferred) ? deferred : null,
    });
  }
}
