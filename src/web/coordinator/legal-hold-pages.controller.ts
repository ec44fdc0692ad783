import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { LegalHoldReasonDto } from '../../retention/dto/legal-hold.dto';
import { LegalHoldsService } from '../../retention/legal-holds.service';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const REASON_COPY: FormCopy = {
  reason: {
    label: 'The reason',
    id: 'reason',
    inWords: 'the reason',
    required: 'Enter the reason, like ‘child safeguarding practice review’',
    invalid: 'The reason must be on one line',
  },
};

/**
 * An item's legal hold, for coordinators (as /api/bookings/:id/legal-hold): while a hold is in
 * force the retention job keeps the item's case text. Placing and lifting both need a reason.
 */
@WebPages()
@Controller('admin/items/:id/legal-hold')
@Roles('coordinator')
export class LegalHoldPagesController {
  constructor(private readonly holds: LegalHoldsService) {}

  @Get()
  async show(
    @Param('id', UuidParam) id: string,
    @Query('done') done: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(req, res, id, { done: ['placed', 'lifted'].includes(done ?? '') ? done : undefined });
  }

  @Post()
  place(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    return this.change(req, res, id, body, 'placed', (dto) => this.holds.place(id, dto, user));
  }

  @Post('lift')
  lift(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    return this.change(req, res, id, body, 'lifted', (dto) => this.holds.lift(id, dto, user));
  }

  private async change(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    body: unknown,
    done: 'placed' | 'lifted',
    work: (dto: LegalHoldReasonDto) => Promise<unknown>,
  ): Promise<void> {
    const dto = { reason: text(formFields(body), 'reason') };
    const checked = await checkWith(LegalHoldReasonDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, REASON_COPY);
    if (!errors.any) {
      const made = await formAttempt(
        () => work(checked.value),
        (err) => errorsFromDomain(err, REASON_COPY, { fallbackField: 'reason' }),
      );
      if (made.ok) return seeOther(res, `/admin/items/${id}/legal-hold?done=${done}`);
      errors = made.errors;
    }
    await this.render(req, res, id, { errors, reason: dto.reason, status: errors.refusal?.statusCode ?? 400 });
  }

  private async render(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    opts: { done?: string; errors?: FormErrors; reason?: string; status?: number },
  ): Promise<void> {
    const holds = await this.holds.ofItem(id);
    renderPage(
      req,
      res,
      'admin/legal-hold',
      { title: `Legal hold: ${holds.reference}`, holds, done: opts.done, errors: opts.errors, reason: opts.reason },
      opts.status ?? 200,
    );
  }
}
