import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { Public } from '../../auth/roles.decorator';
import { AppConfig } from '../../config/app-config';
import { SingleSignOnService, SsoSignInRefused } from '../../single-sign-on/single-sign-on.service';
import { renderPage, seeOther } from '../render';
import {
  clearReturnTo,
  clearSsoState,
  RETURN_TO_COOKIE,
  setSessionCookie,
  setSsoState,
  ssoStateCookieName,
} from '../session-cookie';
import { WebPages } from '../web-pages.decorator';
import { safeReturnPath } from '../web-paths';

/**
 * "Sign in with <provider>": the button's link sends the browser to the provider with a state
 * kept in a cookie; the provider sends it back to the callback, which signs the person in through
 * SingleSignOnService and sets the same session cookie as the e-mail link. Both are GETs (the
 * provider redirects), rate-limited per client address like the e-mail sign-in.
 */
@WebPages()
@Controller()
export class SingleSignOnPagesController {
  constructor(
    private readonly config: AppConfig,
    private readonly sso: SingleSignOnService,
  ) {}

  @Get('sign-in/with/:provider')
  @Public()
  @UseGuards(ThrottlerGuard)
  async begin(@Req() req: AuthenticatedRequest, @Res() res: Response, @Param('provider') id: string): Promise<void> {
    try {
      const { url, state } = await this.sso.begin(id);
      setSsoState(res, this.config, state);
      seeOther(res, url);
    } catch (err) {
      if (err instanceof SsoSignInRefused) return this.refused(req, res, err);
      throw err;
    }
  }

  @Get('sign-in/callback/:provider')
  @Public()
  @UseGuards(ThrottlerGuard)
  async callback(@Req() req: AuthenticatedRequest, @Res() res: Response, @Param('provider') id: string): Promise<void> {
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    const browserState: unknown = req.cookies?.[ssoStateCookieName(this.config)];
    clearSsoState(res, this.config);
    let signedIn;
    try {
      signedIn = await this.sso.complete(id, query, typeof browserState === 'string' ? browserState : undefined);
    } catch (err) {
      if (err instanceof SsoSignInRefused) return this.refused(req, res, err);
      throw err;
    }
    setSessionCookie(res, this.config, signedIn.accessToken, signedIn.session.expiresAt);
    const back = safeReturnPath(req.cookies?.[RETURN_TO_COOKIE]);
    clearReturnTo(res, this.config);
    seeOther(res, back ?? '/home');
  }

  /** From the signed-out page: on to the provider's own sign-out (RP-initiated logout). */
  @Get('sign-out/provider/:provider')
  @Public()
  async providerSignOut(@Res() res: Response, @Param('provider') id: string): Promise<void> {
    const url = await this.sso.endSessionUrl(id);
    seeOther(res, url ?? '/signed-out');
  }

  private refused(req: AuthenticatedRequest, res: Response, err: SsoSignInRefused): void {
    renderPage(
      req,
      res,
      'sign-in/sso-refused',
      { title: `You have not been signed in with ${err.providerName}`, message: err.message },
      err.statusCode,
    );
  }
}
