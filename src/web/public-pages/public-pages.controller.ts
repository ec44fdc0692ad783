import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { AllowPending, Public } from '../../auth/roles.decorator';
import { AppConfig } from '../../config/app-config';
import { User } from '../../directory/user.entity';
import { serviceCookies } from '../cookies';
import { renderPage } from '../render';
import { WebPages } from '../web-pages.decorator';
import { WebSession } from '../web-session';

/** The start page, the accessibility statement, the privacy notice, the cookies page, and each person's home page. */
@WebPages()
@Controller()
export class PublicPagesController {
  constructor(
    private readonly config: AppConfig,
    private readonly session: WebSession,
  ) {}

  @Get()
  @Public()
  async start(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const user = await this.session.identify(req);
    renderPage(req, res, 'start', { title: this.config.SERVICE_NAME, signedIn: Boolean(user) });
  }

  @Get('accessibility')
  @Public()
  async accessibility(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.session.identify(req);
    renderPage(req, res, 'accessibility', { title: `Accessibility statement for ${this.config.SERVICE_NAME}` });
  }

  /** The privacy notice: what the service holds about whom, why, for how long, and people's rights. */
  @Get('privacy')
  @Public()
  async privacy(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.session.identify(req);
    renderPage(req, res, 'privacy', {
      title: 'Privacy notice',
      retentionMonths: this.config.RETENTION_CASE_TEXT_MONTHS,
      idleMinutes: this.config.SESSION_IDLE_MINUTES,
    });
  }

  /** The cookies page: every cookie the service sets (src/web/cookies.ts), all strictly necessary. */
  @Get('cookies')
  @Public()
  async cookies(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.session.identify(req);
    renderPage(req, res, 'cookies', { title: 'Cookies', cookies: serviceCookies(this.config) });
  }

  /** Where signing in leads: what this person can do, by role. */
  @Get('home')
  @AllowPending()
  home(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): void {
    if (!user.active) {
      renderPage(req, res, 'waiting-approval', {
        title: 'Your account is waiting for approval',
        agencyName: user.agency?.name ?? null,
      });
      return;
    }
    renderPage(req, res, 'home', {
      title: `Hello ${user.name}`,
      isProfessional: user.hasRole('professional'),
      isChair: user.hasRole('chair'),
      isCoordinator: user.hasRole('coordinator'),
      isAgencyLead: user.hasRole('agency-lead'),
      agencyName: user.agency?.name ?? null,
    });
  }
}
