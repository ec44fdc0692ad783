import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { toSessionView } from '../../auth/session.views';
import { SessionsService } from '../../auth/sessions.service';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { toUserView } from '../../directory/directory.views';
import { UpdateMeDto } from '../../directory/dto/directory.dto';
import { User } from '../../directory/user.entity';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const NAME_COPY: FormCopy = {
  name: { label: 'Your name', id: 'name', required: 'Enter your name', invalid: 'Your name must be on one line' },
};

/**
 * /account: who you are signed in as, and your name as others see it (PATCH /api/me);
 * /account/sessions: where you are signed in, and signing out of the others (/api/me/sessions).
 */
@WebPages()
@Controller('account')
export class AccountPagesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('sessions')
  async sessionsPage(
    @Query('ended') ended: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const live = await this.sessions.live(user.id);
    const views = live.map((s) => toSessionView(s, this.sessions.idleExpiry(s), req.authSession!));
    renderPage(req, res, 'account/sessions', {
      title: 'Where you are signed in',
      sessions: views,
      others: views.filter((v) => !v.current).length,
      ended: /^\d{1,4}$/.test(ended ?? '') ? Number(ended) : null,
      backLink: '/account',
    });
  }

  /** Sign out everywhere else (DELETE /api/me/sessions). */
  @Post('sessions')
  async endOthers(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const ended = await this.sessions.endOthers(user, req.authSession!);
    seeOther(res, `/account/sessions?ended=${ended}`);
  }

  /** Sign out of one other session (DELETE /api/me/sessions/:id); one already ended is a 404 page. */
  @Post('sessions/:id/end')
  async endOne(@Param('id', UuidParam) id: string, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    await this.sessions.endOwn(user, id);
    seeOther(res, '/account/sessions?ended=1');
  }

  @Get()
  show(
    @Query('saved') saved: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): void {
    this.render(req, res, user, { name: user.name }, { saved: saved === '1' });
  }

  /**
   * "Stay signed in" on the timeout warning: any signed-in request keeps the session alive (the
   * access guard has just done so); this answers how long it now has, for the warning's timer.
   */
  @Get('keep-alive')
  keepAlive(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ secondsLeft: res.locals.sessionSecondsLeft as number });
  }

  @Post()
  async change(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const dto = { name: text(formFields(body), 'name') };
    const checked = await checkWith(UpdateMeDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, NAME_COPY);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.directory.updateOwnName(user.id, checked.value.name),
        (err) => errorsFromDomain(err, NAME_COPY, { fallbackField: 'name' }),
      );
      if (done.ok) return seeOther(res, '/account?saved=1');
      errors = done.errors;
    }
    this.render(req, res, user, dto, { errors, status: 400 });
  }

  private render(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    form: { name?: string },
    opts: { saved?: boolean; errors?: FormErrors; status?: number },
  ): void {
    renderPage(
      req,
      res,
      'account/account',
      { title: 'Your account', person: toUserView(user), form, saved: opts.saved ?? false, errors: opts.errors },
      opts.status ?? 200,
    );
  }
}
