import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/roles.decorator';
import { DomainError } from '../common/domain-error';
import { User } from '../directory/user.entity';
import { CalendarFeedsService, FeedBody } from './calendar-feeds.service';
import { CalendarDeliveryView, SetCalendarDeliveryDto } from './dto/calendar-delivery.dto';

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  /** A new secret feed URL for your calendar (the previous one stops working). Subscribe with `webcalUrl`. */
  @Post('api/me/calendar-feed')
  @ApiBearerAuth()
  @HttpCode(201)
  issue(@CurrentUser() user: User): Promise<{ url: string; webcalUrl: string }> {
    return this.feeds.rotate(user);
  }

  /** Remove your feed: its URL stops working. */
  @Delete('api/me/calendar-feed')
  @ApiBearerAuth()
  @HttpCode(204)
  async remove(@CurrentUser() user: User): Promise<void> {
    await this.feeds.remove(user);
  }

  /**
   * How meetings reach your calendar: `invites`, `feed` (no invitation e-mails; e-mails about
   * changes still come, without their calendar part) or `both`. `feed` needs a calendar link
   * (409 NO_CALENDAR_LINK); removing the link brings invitations back. When invitations start or
   * stop, each upcoming meeting and slot is e-mailed once: as an invitation again, or to take the
   * invitation copy out, so that the calendar holds each entry once and none goes stale.
   */
  @Put('api/me/calendar-delivery')
  @ApiBearerAuth()
  setDelivery(@CurrentUser() user: User, @Body() dto: SetCalendarDeliveryDto): Promise<CalendarDeliveryView> {
    return this.feeds.setDelivery(user, dto.calendarDelivery);
  }

  /** Your slots and the meetings you chair or attend as a core member (iCalendar). Unknown, revoked and malformed tokens all get the same 404. */
  @Get('calendar/:file')
  @Public()
  @ApiProduces('text/calendar')
  async userFeed(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-modified-since') ifModifiedSince: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
    const found = token ? await this.feeds.feedFor(token) : null;
    if (!found) throw DomainError.notFound('The calendar');
    const { user, fingerprint } = found;
    if (notModified(fingerprint, ifNoneMatch, ifModifiedSince)) return sendNotModified(res, fingerprint);
    send(res, await this.feeds.userFeed(user, fingerprint));
  }

  /** A series' meeting dates, times and status only, when its coordinator has published them. */
  @Get('calendar/series/:file')
  @Public()
  @ApiProduces('text/calendar')
  async seriesFeed(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-modified-since') ifModifiedSince: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const id = file.endsWith('.ics') ? file.slice(0, -4) : '';
    const feed = /^[0-9a-f-]{36}$/.test(id) ? await this.feeds.seriesDates(id) : null;
    if (!feed) throw DomainError.notFound('The calendar');
    if (notModified(feed, ifNoneMatch, ifModifiedSince)) return sendNotModified(res, feed);
    send(res, feed);
  }
}

function notModified(f: { etag: string; lastModified: Date }, ifNoneMatch?: string, ifModifiedSince?: string): boolean {
  if (ifNoneMatch !== undefined)
    return ifNoneMatch
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .includes(f.etag);
  if (ifModifiedSince) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(f.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

function cacheHeaders(res: Response, f: { etag: string; lastModified: Date }): void {
  res.setHeader('ETag', f.etag);
  res.setHeader('Last-Modified', f.lastModified.toUTCString());
  // Private: the URL is a secret. Clients revalidate cheaply with the ETag.
  res.setHeader('Cache-Control', 'private, max-age=300');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
}

function sendNotModified(res: Response, f: { etag: string; lastModified: Date }): void {
  cacheHeaders(res, f);
  res.status(304).end();
}

function send(res: Response, feed: FeedBody): void {
  cacheHeaders(res, feed);
  res.status(200).type('text/calendar; charset=utf-8').send(feed.body);
}
