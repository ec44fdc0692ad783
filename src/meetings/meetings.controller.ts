import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { CancelMeetingDto, ListMeetingsQuery, UpdateMeetingDto } from './dto/meeting.dto';
import { CreateSeriesDto, UpdateSeriesDto } from './dto/series.dto';
import { AppConfig } from '../config/app-config';
import { MeetingSeries } from './meeting-series.entity';
import { MeetingsService } from './meetings.service';
import { MeetingView, publicDatesFeedUrl, SeriesView, toMeetingView, toSeriesView } from './meeting.views';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api')
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly config: AppConfig,
  ) {}

  private publicFeedUrl(series: MeetingSeries): string | null {
    return publicDatesFeedUrl(this.config.publicUrl, series);
  }

  /** Create a series; its meetings are generated through the horizon (bank holidays skipped or moved by policy). */
  @Post('series')
  @Roles('coordinator')
  @HttpCode(201)
  async createSeries(
    @Body() dto: CreateSeriesDto,
    @CurrentUser() user: User,
  ): Promise<SeriesView & { meetings: MeetingView[] }> {
    const { series, meetings } = await this.meetings.createSeries(dto);
    return {
      ...toSeriesView(series, [], null),
      meetings: meetings.map((m) => toMeetingView(m, [], { id: user.id, seesAgenda: true, state: 'scheduled' })),
    };
  }

  /**
   * Change a series' core members (they get every upcoming meeting in their calendar; someone
   * removed is sent "No longer invited" for each meeting they neither chair nor present at) or
   * publish its meeting dates feed.
   */
  @Patch('series/:id')
  @Roles('coordinator')
  async updateSeries(@Param('id', UuidParam) id: string, @Body() dto: UpdateSeriesDto): Promise<SeriesView> {
    const series = await this.meetings.updateSeries(id, dto);
    return toSeriesView(series, await this.meetings.coreMembers(id), this.publicFeedUrl(series));
  }

  @Get('series')
  @Roles('coordinator', 'chair')
  async listSeries(): Promise<SeriesView[]> {
    const all = await this.meetings.listSeries();
    return Promise.all(
      all.map(async (s) => toSeriesView(s, await this.meetings.coreMembers(s.id), this.publicFeedUrl(s))),
    );
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
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateMeetingDto,
    @CurrentUser() user: User,
  ): Promise<MeetingView> {
    return this.meetings.update(id, dto, user);
  }

  /** Cancel with a reason: every item is kept for rebooking and its presenter told. */
  @Post('meetings/:id/cancel')
  @Roles('chair', 'coordinator')
  @HttpCode(200)
  cancel(
    @Param('id', UuidParam) id: string,
    @Body() dto: CancelMeetingDto,
    @CurrentUser() user: User,
  ): Promise<MeetingView> {
    return this.meetings.cancel(id, dto.reason, user);
  }
}
