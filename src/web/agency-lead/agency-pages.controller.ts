import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { toBookingSummary } from '../../bookings/booking.views';
import { BookingsService } from '../../bookings/bookings.service';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { toUserView } from '../../directory/directory.views';
import { UpdateUserDto } from '../../directory/dto/directory.dto';
import { User } from '../../directory/user.entity';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const DONE = ['approved', 'refused'] as const;

/**
 * An agency lead's page (the agency's designated safeguarding lead): accounts of their agency
 * waiting for approval, and the items the agency has brought. Through the same services as the API.
 */
@WebPages()
@Controller('agency')
@Roles('agency-lead')
export class AgencyPagesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly bookings: BookingsService,
  ) {}

  @Get()
  async index(
    @Query('done') done: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.render(req, res, user, { done: DONE.find((d) => d === done) ?? null });
  }

  /** Approve or refuse a pending account of the lead's agency. */
  @Post('users/:id/status')
  async setStatus(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const dto = { status: text(formFields(body), 'status') };
    const checked = await checkWith(UpdateUserDto, dto);
    const copy: FormCopy = { status: { label: 'Decision', id: `user-${id}`, required: 'Choose approve or refuse' } };
    let errors = errorsFromValidation(checked.errors, dto, copy);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.directory.updateUser(id, { status: checked.value.status }, user),
        (err) => errorsFromDomain(err, copy, { fallbackField: 'status' }),
      );
      if (done.ok) return seeOther(res, `/agency?done=${checked.value.status === 'active' ? 'approved' : 'refused'}`);
      errors = done.errors;
    }
    await this.render(req, res, user, { done: null, errors, status: 409 });
  }

  private async render(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    opts: { done: string | null; errors?: FormErrors; status?: number },
  ): Promise<void> {
    const pending = (await this.directory.listUsers({ status: 'pending' }, user)).map(toUserView);
    const items = (await this.bookings.list({ agency: 'true' }, user)).map((b) => toBookingSummary(b));
    renderPage(
      req,
      res,
      'agency/index',
      { title: user.agency?.name ?? 'Your agency', pending, items, done: opts.done, errors: opts.errors },
      opts.status ?? 200,
    );
  }
}
