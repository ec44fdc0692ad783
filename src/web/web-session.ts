import { Injectable } from '@nestjs/common';
import { sessionCookieName, sessionTokenFrom } from '../auth/access.guard';
import type { AuthenticatedRequest } from '../auth/current-user.decorator';
import { SessionsService } from '../auth/sessions.service';
import { AppConfig } from '../config/app-config';
import type { User } from '../directory/user.entity';

/**
 * Public pages (start, sign-in, accessibility) run without the access guard, but still show
 * who is signed in: this reads the session cookie the same way the guard does.
 */
@Injectable()
export class WebSession {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  async identify(req: AuthenticatedRequest): Promise<User | undefined> {
    if (req.user) return req.user;
    const token = sessionTokenFrom(req, sessionCookieName(this.config));
    const session = token ? await this.sessions.authenticate(token) : null;
    if (!session) return undefined;
    req.user = session.user;
    req.authSession = session;
    return session.user;
  }
}
