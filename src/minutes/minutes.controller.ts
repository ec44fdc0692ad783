import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { AppConfig } from '../config/app-config';
import { User } from '../directory/user.entity';
import { AmendMinutesDto, MinutesQuery, UpdateDraftMinutesDto } from './dto/minutes.dto';
import { renderMinutesHtml } from './minutes-html';
import { renderMinutesPdf } from './minutes-pdf';
import { MinutesService } from './minutes.service';
import { DistributionEntry, MinutesDocument } from './minutes.views';

/** Minutes are case records: never cached by browsers or proxies. */
const NO_STORE = 'no-store';

/**
 * The printable minutes need no script, font, image or frame: a policy that allows only their
 * own inline styles means that even text that slipped past escaping could not run or load anything.
 */
const MINUTES_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

@ApiTags('outcomes and minutes')
@ApiBearerAuth()
@Controller('api/meetings/:id')
export class MinutesController {
  constructor(
    private readonly minutes: MinutesService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The minutes as you may see them: the chair of the meeting and coordinators everything
   * (including the draft); anyone else, once approved, the general part (attendance by agency,
   * agency feedback, themes) and only the items their agency brought. `?version=n` for an
   * earlier approved version. Audited.
   */
  @Get('minutes')
  @Header('Cache-Control', NO_STORE)
  read(
    @Param('id', UuidParam) id: string,
    @Query() query: MinutesQuery,
    @CurrentUser() user: User,
  ): Promise<MinutesDocument> {
    return this.minutes.read(id, user, query, 'json');
  }

  /** The same extract as a PDF, marked OFFICIAL-SENSITIVE with the confidentiality notice on every page. Audited as an export. */
  @Get('minutes.pdf')
  @ApiProduces('application/pdf')
  async pdf(
    @Param('id', UuidParam) id: string,
    @Query() query: MinutesQuery,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const doc = await this.minutes.read(id, user, query, 'pdf');
    const bytes = await renderMinutesPdf(doc, this.config.PARTNERSHIP_NAME);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="minutes-${doc.content.meeting.startsAt.slice(0, 10)}${doc.version ? `-v${doc.version}` : '-draft'}.pdf"`,
      'Cache-Control': NO_STORE,
    });
    return new StreamableFile(bytes);
  }

  /** The same extract as a printable HTML page. Audited as an export. */
  @Get('minutes.html')
  @ApiProduces('text/html')
  async html(
    @Param('id', UuidParam) id: string,
    @Query() query: MinutesQuery,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const doc = await this.minutes.read(id, user, query, 'html');
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': NO_STORE,
      'Content-Security-Policy': MINUTES_PAGE_CSP,
    });
    return renderMinutesHtml(doc, this.config.PARTNERSHIP_NAME);
  }

  /** Edit the draft's themes note (chair of the meeting, coordinators). 409 MINUTES_APPROVED. */
  @Patch('minutes')
  @Header('Cache-Control', NO_STORE)
  updateDraft(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateDraftMinutesDto,
    @CurrentUser() user: User,
  ): Promise<MinutesDocument> {
    return this.minutes.updateDraft(id, dto, user);
  }

  /**
   * Approve the minutes (chair of the meeting, coordinators): they become version 1 and are
   * locked, and the link is e-mailed to every attendee and every invited agency nobody attended
   * from. 409 MINUTES_APPROVED, MEETING_NOT_HELD, ITEMS_WITHOUT_OUTCOME, MEETING_CANCELLED.
   */
  @Post('minutes/approve')
  @HttpCode(200)
  @Header('Cache-Control', NO_STORE)
  approve(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<MinutesDocument> {
    return this.minutes.approve(id, user);
  }

  /**
   * Amend approved minutes with a reason (chair of the meeting, coordinators): the corrections
   * make the next version; earlier versions stay readable. 409 MINUTES_NOT_APPROVED for a draft.
   */
  @Post('minutes/amendments')
  @HttpCode(201)
  @Header('Cache-Control', NO_STORE)
  amend(
    @Param('id', UuidParam) id: string,
    @Body() dto: AmendMinutesDto,
    @CurrentUser() user: User,
  ): Promise<MinutesDocument> {
    return this.minutes.amend(id, dto, user);
  }

  /** Who was sent each version's link, from the outbox (chair of the meeting, coordinators). */
  @Get('minutes/distribution')
  distribution(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<DistributionEntry[]> {
    return this.minutes.distribution(id, user);
  }
}
