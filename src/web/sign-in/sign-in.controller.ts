import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { SignInRequestDto, TokenExchangeDto } from '../../auth/dto/auth.dto';
import { AuthService } from '../../auth/auth.service';
import { AllowPending, Public } from '../../auth/roles.decorator';
import { DomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { SingleSignOnService } from '../../single-sign-on/single-sign-on.service';
import { errorsFromValidation, FormCopy } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { BookingDraftsService } from '../presenter/booking-drafts.service';
import { renderPage, seeOther } from '../render';
import { clearReturnTo, clearSessionCookie, RETURN_TO_COOKIE, setSessionCookie } from '../session-cookie';
import { WebPages } from '../web-pages.decorator';
import { safeReturnPath } from '../web-paths';
import { WebSession } from '../web-session';

const COPY: FormCopy = {
  email: {
    label: 'Email address',
    id: 'email',
    required: 'Enter your work email address',
    invalid: 'Enter an email address in the correct format, like name@school.sch.uk',
  },
};

/**
 * Sign-in without passwords, through the same AuthService as the API: an e-mailed single-use
 * link. Opening the link (GET) only shows a button: mail scanners fetch links to check them, and
 * must not spend the token; the button POSTs it, and the session goes into an HttpOnly cookie.
 */
@WebPages()
@Controller()
export class SignInController {
  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly session: WebSession,
    private readonly drafts: BookingDraftsService,
    private readonly sso: SingleSignOnService,
  ) {}

  @Get('sign-in')
  @Public()
  async emailPage(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    if (await this.session.identify(req)) return seeOther(res, '/home');
    renderPage(req, res, 'sign-in/email', { title: 'Sign in', providers: this.sso.providers() });
  }

  @Post('sign-in')
  @Public()
  @UseGuards(ThrottlerGuard)
  async requestLink(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const fields = formFields(body);
    const input = { email: text(fields, 'email') };
    const checked = await checkWith(SignInRequestDto, input);
    if (checked.errors.length) {
      const errors = errorsFromValidation(checked.errors, input, COPY);
      return renderPage(
        req,
        res,
        'sign-in/email',
        { title: 'Sign in', errors, email: input.email, providers: this.sso.providers() },
        400,
      );
    }
    await this.auth.requestLink(checked.value.email);
    seeOther(res, '/sign-in/check-email');
  }

  @Get('sign-in/check-email')
  @Public()
  checkEmail(@Req() req: AuthenticatedRequest, @Res() res: Response): void {
    renderPage(req, res, 'sign-in/check-email', {
      title: 'Check your email',
      minutes: this.config.SIGN_IN_LINK_MINUTES,
    });
  }

  /** The link in the e-mail. Shows a button; does not use the token. */
  @Get('sign-in/verify')
  @Public()
  verifyPage(@Req() req: AuthenticatedRequest, @Res() res: Response, @Query('token') token: unknown): void {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) {
      return renderPage(req, res, 'sign-in/link-expired', { title: 'This sign-in link does not work' }, 400);
    }
    // The token must not leak to other sites through Referer (helmet sets no-referrer everywhere).
    renderPage(req, res, 'sign-in/verify', { title: 'Continue signing in', token });
  }

  @Post('sign-in/verify')
  @Public()
  @UseGuards(ThrottlerGuard)
  async verify(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const input = { token: text(formFields(body), 'token') };
    const checked = await checkWith(TokenExchangeDto, input);
    let signedIn;
    try {
      if (checked.errors.length) throw new DomainError(401, 'INVALID_TOKEN', 'This sign-in link does not work.');
      signedIn = await this.auth.exchange(checked.value.token);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'INVALID_TOKEN') {
        return renderPage(
          req,
          res,
          'sign-in/link-expired',
          { title: 'This sign-in link has expired or has been used' },
          400,
        );
      }
      throw err;
    }
    setSessionCookie(res, this.config, signedIn.accessToken, signedIn.session.expiresAt);
    const back = safeReturnPath(req.cookies?.[RETURN_TO_COOKIE]);
    clearReturnTo(res, this.config);
    seeOther(res, back ?? '/home');
  }

  @Get('sign-out')
  @AllowPending()
  signOutPage(@Req() req: AuthenticatedRequest, @Res() res: Response): void {
    renderPage(req, res, 'sign-in/sign-out', { title: 'Sign out' });
  }

  @Post('sign-out')
  @AllowPending()
  async signOut(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const session = req.authSession!;
    // Unfinished booking answers are case text: they go with the session.
    await this.drafts.clear(session.id);
    await this.auth.signOut(session);
    clearSessionCookie(res, this.config);
    const provider = this.sso.singleLogoutProvider(session.ssoProvider);
    seeOther(res, provider ? `/signed-out?provider=${provider.id}` : '/signed-out');
  }

  @Get('signed-out')
  @Public()
  signedOut(@Req() req: AuthenticatedRequest, @Res() res: Response, @Query('provider') providerId: unknown): void {
    const provider = this.sso.singleLogoutProvider(typeof providerId === 'string' ? providerId : null);
    renderPage(req, res, 'sign-in/signed-out', { title: 'You have signed out', provider });
  }
}
