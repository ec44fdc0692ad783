import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { AuditService } from '../../audit/audit.service';
import { ListAuditQuery } from '../../audit/dto/list-audit.query';
import { CurrentUser } from '../../auth/current-user.decorator';
import { toBookingSummary } from '../../bookings/booking.views';
import { BookingsService } from '../../bookings/bookings.service';
import { ListBookingsQuery } from '../../bookings/dto/booking.dto';
import { User } from '../../directory/user.entity';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { ListUsersQuery } from '../../directory/dto/directory.dto';
import { MailOutbox } from '../../mail/mail-outbox.service';
import { OperatorAlerts } from '../../observability/operator-alerts';
import { ListOutboxQuery } from '../../mail/dto/list-outbox.query';
import { LONDON_ZONE } from '../../scheduling/calendar-rules';
import { DateTime } from 'luxon';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, dateFromParts, dateParts, FormBody } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const AUDIT_COPY: FormCopy = {
  action: { label: 'The action', id: 'action', required: '', invalid: 'The action must be 80 characters or fewer' },
  entityType: {
    label: 'The record type',
    id: 'entityType',
    required: '',
    invalid: 'The record type must be 40 characters or fewer',
  },
  entityId: {
    label: 'The record id',
    id: 'entityId',
    required: '',
    invalid: 'Enter a record id in the form shown in the log (a UUID)',
  },
  actorUserId: { label: 'The person', id: 'actorUserId', required: '', invalid: 'Select one of the people shown' },
  from: {
    label: 'The start date',
    id: 'from-day',
    required: '',
    invalid: 'The start date must be a real date, like 1 11 2026',
  },
  to: {
    label: 'The end date',
    id: 'to-day',
    required: '',
    invalid: 'The end date must be a real date, like 30 11 2026',
  },
};

/** Audit events a page. */
/** Rows on one page of the audit log and of the outbox. */
const PAGE_SIZE = 50;

const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

/** The audit log and the outgoing mail, for coordinators. */
@WebPages()
@Controller('admin')
@Roles('coordinator')
export class RecordsPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly alerts: OperatorAlerts,
    private readonly directory: DirectoryService,
    private readonly bookings: BookingsService,
  ) {}

  /** Filtered with a GET form, so a filtered view can be bookmarked; never case text in the log. */
  @Get('audit')
  async auditLog(@Query() query: FormBody, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const single = (name: string) => {
      const v = query[name];
      const s = Array.isArray(v) ? v[0] : v;
      return s && s.trim() !== '' ? s.trim() : undefined;
    };
    const fromDate = dateFromParts(query, 'from');
    const toDate = dateFromParts(query, 'to');
    const filters = {
      action: single('action'),
      entityType: single('entityType'),
      entityId: single('entityId'),
      actorUserId: single('actorUserId'),
      // Dates are London days: from the start of `from` to the end of `to`.
      from: fromDate ? londonDayStart(fromDate, 0) : undefined,
      to: toDate ? londonDayStart(toDate, 1) : undefined,
    };
    const page = { before: single('before'), beforeId: single('beforeId') };
    const dto = Object.fromEntries(
      Object.entries({ ...filters, ...page, limit: PAGE_SIZE + 1 }).filter(([, v]) => v !== undefined),
    );
    const checked = await checkWith(ListAuditQuery, dto);
    const errors = errorsFromValidation(checked.errors, { ...dto, from: fromDate, to: toDate }, AUDIT_COPY);
    const users = await this.directory.listUsers({} as ListUsersQuery);
    const found = errors.any ? [] : await this.audit.list(checked.value);
    const events = found.slice(0, PAGE_SIZE);
    const olderLink =
      found.length > PAGE_SIZE ? olderPage('/admin/audit', query, events.at(-1)!.at, events.at(-1)!.id) : null;
    renderPage(
      req,
      res,
      'admin/audit',
      {
        title: 'Audit log',
        events,
        olderLink,
        firstPage: page.before !== undefined,
        users,
        userNames: Object.fromEntries(users.map((u) => [u.id, u.name])),
        form: { ...filters, from: dateParts(fromDate), to: dateParts(toDate) },
        errors,
      },
      errors.any ? 400 : 200,
    );
  }

  /** Find an item by its reference (as GET /api/bookings?reference=), with a link to its page. */
  @Get('items')
  async findItem(
    @Query('reference') reference: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const asked = typeof reference === 'string' && reference.trim() !== '';
    const checked = await checkWith(ListBookingsQuery, asked ? { reference } : {});
    const items = asked && !checked.errors.length ? await this.bookings.list(checked.value, user) : [];
    renderPage(req, res, 'admin/items', {
      title: 'Find an item',
      reference: asked ? reference : '',
      searched: asked,
      items: items.map((b) => ({ ...toBookingSummary(b), meetingStartsAt: b.meeting.startsAt })),
      backLink: '/admin',
    });
  }

  @Get('outbox')
  async outboxPage(@Query() query: FormBody, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const single = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    await this.renderOutbox(req, res, single('status'), {
      retried: single('retried') === '1',
      recipient: single('recipient'),
      page: { before: single('before'), beforeId: single('beforeId') },
      query,
    });
  }

  @Post('outbox/:id/retry')
  async retry(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const done = await formAttempt(
      () => this.outbox.retry(id),
      (err) => errorsFromDomain(err, {}),
    );
    if (done.ok) return seeOther(res, '/admin/outbox?status=failed&retried=1');
    await this.renderOutbox(req, res, 'failed', { errors: done.errors, status: 409 });
  }

  private async renderOutbox(
    req: AuthenticatedRequest,
    res: Response,
    status: string | undefined,
    opts: {
      retried?: boolean;
      errors?: FormErrors;
      status?: number;
      recipient?: string;
      page?: { before?: string; beforeId?: string };
      query?: FormBody;
    },
  ): Promise<void> {
    const recipient = typeof opts.recipient === 'string' && opts.recipient.trim() ? opts.recipient.trim() : undefined;
    const checked = await checkWith(ListOutboxQuery, {
      ...(status ? { status } : {}),
      ...(recipient ? { recipient } : {}),
      ...Object.fromEntries(Object.entries(opts.page ?? {}).filter(([, v]) => v)),
      limit: PAGE_SIZE + 1,
    });
    const filter = checked.errors.length ? undefined : checked.value.status;
    const found = await this.outbox.list(checked.errors.length ? { limit: PAGE_SIZE + 1 } : checked.value);
    const messages = found.slice(0, PAGE_SIZE);
    const last = messages.at(-1);
    const olderLink =
      found.length > PAGE_SIZE && last ? olderPage('/admin/outbox', opts.query ?? {}, last.createdAt, last.id) : null;
    // The operator's alerts, as the log and /metrics have them (mail and jobs alike).
    const alerts = await this.alerts.check();
    renderPage(
      req,
      res,
      'admin/outbox',
      {
        title: 'Outgoing email',
        messages,
        olderLink,
        firstPage: checked.errors.length === 0 && checked.value.before !== undefined,
        filter: filter ?? null,
        recipient: checked.errors.length ? null : (checked.value.recipient ?? null),
        statuses: OUTBOX_STATUSES,
        alerts: alerts.map((a) => a.message),
        retried: opts.retried,
        errors: opts.errors,
      },
      opts.status ?? 200,
    );
  }
}

/** The next (older) page of a keyset-paged list: the same filters, from after this page's last row. */
function olderPage(path: string, query: FormBody, lastAt: Date, lastId: string): string {
  const filters = Object.entries(query).flatMap(([k, v]): Array<[string, string]> =>
    typeof v === 'string' && v !== '' && !['before', 'beforeId', 'retried'].includes(k) ? [[k, v]] : [],
  );
  return `${path}?${new URLSearchParams([...filters, ['before', lastAt.toISOString()], ['beforeId', lastId]]).toString()}`;
}

function londonDayStart(isoDate: string, plusDays: number): string {
  const d = DateTime.fromISO(isoDate, { zone: LONDON_ZONE });
  return d.isValid ? d.plus({ days: plusDays }).toUTC().toISO()! : isoDate;
}
