import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { CancelMeetingDto, ListMeetingsQuery, UpdateMeetingDto } from './dto/meeting.dto';
import { CreateSeriesDto } from './dto/series.dto';
import { MeetingsService } from './meetings.service';
import { MeetingView, SeriesView, toMeetingView, toSeriesView } from './meeting.views';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  /** Create a series; its meetings are generated through the horizon (bank holidays skipped or moved by policy). */
  @Post('series')
  @Roles('coordinator')
  @HttpCode(201)
  async createSeries(@Body() dto: CreateSeriesDto, @CurrentUser() user: User): Promise<SeriesView & { meetings: MeetingView[] }> {
    const { series, meetings } = await this.meetings.createSeries(dto);
    return { ...toSeriesView(series), meetings: meetings.map((m) => toMeetingView(m, [], { id: user.id, seesAgenda: true })) };
  }

  @Get('series')
  @Roles('coordinator', 'chair')
  async listSeries(): Promise<SeriesView[]> {
    return (await this.meetings.listSeries()).map(toSeriesView);
  }

  /** Meetings starting in [from, to) with slot availability; the chair of a meeting and coordinators also see its agenda. */
  @Get('meetings')
  list(@Query() query: ListMeetingsQuery, @CurrentUser() user: User): Promise<MeetingView[]> {
    return this.meetings.list(query, user);
  }

  @Get('meetings/:id')
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<MeetingView> {
    return this.meetings.get(id, user);
  }

  /** Reschedule (slots move with the meeting) or change place, link or chair; presenters are told. */
  @Patch('meetings/:id')
  @Roles('chair', 'coordinator')
  update(@Param('id', UuidParam) id: string, @Body() dto: UpdateMeetingDto, @CurrentUser() user: User): Promise<MeetingView> {
    return this.meetings.update(id, dto, user);
  }

  /** Cancel with a reason: every item is kept for rebooking and its presenter told. */
  @Post('meetings/:id/cancel')
  @Roles('chair', 'coordinator')
  @HttpCode(200)
  cancel(@Param('id', UuidParam) id: string, @Body() dto: CancelMeetingDto, @CurrentUser() user: User): Promise<MeetingView> {
    return this.meetings.cancel(id, dto.reason, user);
  }
}
