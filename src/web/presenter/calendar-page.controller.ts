import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { CalendarFeedsService } from '../../calendar/calendar-feeds.service';
import { User } from '../../directory/user.entity';
import { formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

/**
 * /calendar: your subscription feed (your slots, the meetings you chair). The secret URL is shown
 * once, when it is made (only its hash is kept); getting a new one stops the old one.
 */
@WebPages()
@Controller('calendar')
export class CalendarPageController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Get()
  async show(
    @Query('removed') removed: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    renderPage(req, res, 'presenter/calendar', {
      title: 'Your calendar',
      hasFeed: await this.feeds.hasFeed(user),
      removed: removed === '1',
    });
  }

  /**
   * One form, two buttons: a new link (`action=rotate`) or no link (`action=remove`). When a link
   * exists, either stops it for every calendar subscribed to it, so a page asks first
   * (`confirmed=yes` then does it).
   */
  @Post()
  async change(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const action = text(fields, 'action') === 'remove' ? 'remove' : 'rotate';
    if (text(fields, 'confirmed') !== 'yes' && (await this.feeds.hasFeed(user))) {
      return renderPage(req, res, 'presenter/calendar-confirm', {
        title: action === 'remove' ? 'Remove your calendar link?' : 'Get a new calendar link?',
        action,
        backLink: '/calendar',
      });
    }
    if (action === 'remove') {
      await this.feeds.remove(user);
      return seeOther(res, '/calendar?removed=1');
    }
    const feed = await this.feeds.rotate(user);
    // Shown in this response only (not after a redirect): the URL is a secret and is not stored.
    renderPage(req, res, 'presenter/calendar', { title: 'Your calendar', hasFeed: true, feed });
  }
}
