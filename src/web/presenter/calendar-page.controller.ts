import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import {
  CALENDAR_DELIVERIES,
  CALENDAR_DELIVERY_CHOICES,
  type InvitationsChange,
} from '../../calendar/calendar-delivery';
import { CalendarFeedsService } from '../../calendar/calendar-feeds.service';
import { CalendarDeliveryView, SetCalendarDeliveryDto } from '../../calendar/dto/calendar-delivery.dto';
import { User } from '../../directory/user.entity';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const DELIVERY_COPY: FormCopy = {
  calendarDelivery: {
    label: 'How meetings reach your calendar',
    id: 'calendarDelivery',
    required: 'Select how you want meetings to reach your calendar',
    invalid: 'Select one of the options',
  },
};

/**
 * /calendar: your subscription feed (your slots, the meetings you chair), and how meetings reach
 * your calendar (invitations, the link, or both). The secret URL is shown once, when it is made
 * (only its hash is kept); getting a new one stops the old one. Once someone has a link, the page
 * asks whether to stop the invitations, so that meetings do not show twice.
 */
@WebPages()
@Controller('calendar')
export class CalendarPageController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Get()
  async show(
    @Query('removed') removed: string | undefined,
    @Query('saved') saved: string | undefined,
    @Query('invitations') invitations: string | undefined,
    @Query('messages') messages: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.render(req, res, user, {
      removed: removed === '1',
      saved: saved === 'delivery',
      handedOver: handedOverFrom(invitations, messages),
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
      const changed = await this.feeds.remove(user);
      return seeOther(res, `/calendar?removed=1${changed?.invitations ? handedOverQuery(changed) : ''}`);
    }
    const feed = await this.feeds.rotate(user);
    // Shown in this response only (not after a redirect): the URL is a secret and is not stored.
    await this.render(req, res, user, { feed });
  }

  /** Invitations, the link, or both (PUT /api/me/calendar-delivery). */
  @Post('delivery')
  async setDelivery(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const dto = { calendarDelivery: text(formFields(body), 'calendarDelivery') };
    const checked = await checkWith(SetCalendarDeliveryDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, DELIVERY_COPY);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.feeds.setDelivery(user, checked.value.calendarDelivery),
        (err) => errorsFromDomain(err, DELIVERY_COPY, { fallbackField: 'calendarDelivery' }),
      );
      if (done.ok) return seeOther(res, `/calendar?saved=delivery${handedOverQuery(done.value)}`);
      errors = done.errors;
    }
    await this.render(req, res, user, { errors, chosen: dto.calendarDelivery }, 400);
  }

  private async render(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    opts: {
      feed?: { url: string; webcalUrl: string };
      removed?: boolean;
      saved?: boolean;
      handedOver?: HandedOver | null;
      errors?: FormErrors;
      chosen?: string;
    },
    status = 200,
  ): Promise<void> {
    const hasFeed = opts.feed !== undefined || (await this.feeds.hasFeed(user));
    const chosen = opts.chosen ?? user.calendarDelivery;
    renderPage(
      req,
      res,
      'presenter/calendar',
      {
        title: 'Your calendar',
        hasFeed,
        feed: opts.feed,
        removed: opts.removed ?? false,
        saved: opts.saved ?? false,
        handedOver: opts.handedOver ?? null,
        errors: opts.errors,
        delivery: user.calendarDelivery,
        deliveryChoices: CALENDAR_DELIVERIES.map((value) => ({
          value,
          text: CALENDAR_DELIVERY_CHOICES[value].label,
          hint: { text: CALENDAR_DELIVERY_CHOICES[value].hint },
          checked: value === chosen,
        })),
      },
      status,
    );
  }
}

/** What a change of choice did to the invitations (CalendarDeliveryView), carried across the redirect. */
interface HandedOver {
  invitations: InvitationsChange;
  messages: number;
}

function handedOverQuery(view: CalendarDeliveryView): string {
  return view.invitations ? `&invitations=${view.invitations}&messages=${view.messages}` : '';
}

/** The query's words back, or null for anything else (a hand-edited URL shows no banner). */
function handedOverFrom(invitations: string | undefined, messages: string | undefined): HandedOver | null {
  if (invitations !== 'start' && invitations !== 'stop') return null;
  if (!messages || !/^\d{1,4}$/.test(messages)) return null;
  return { invitations, messages: Number(messages) };
}
