import type { Request, Response } from 'express';
import type { ErrorBody, ErrorPageRenderer } from '../common/error.filter';
import { AppConfig } from '../config/app-config';
import { renderPage } from './render';
import { clearSessionCookie, setReturnTo } from './session-cookie';
import { safeReturnPath, wantsHtml } from './web-paths';

/**
 * Errors on page routes, as pages in the same design: 404, 403 and 500 have their own; other
 * refusals show the error's message (written for the reader, never case text). A request that
 * needs a session is sent to sign in, and comes back to the page it asked for afterwards.
 */
export class ErrorPages implements ErrorPageRenderer {
  constructor(private readonly config: AppConfig) {}

  handles(req: Request): boolean {
    return wantsHtml(req);
  }

  render(req: Request, res: Response, error: ErrorBody): void {
    if (error.statusCode === 401) {
      // A stale cookie would only bind the sign-in form's CSRF token to a dead session.
      clearSessionCookie(res, this.config);
      const back = req.method === 'GET' ? safeReturnPath(req.originalUrl) : null;
      if (back) setReturnTo(res, this.config, back);
      res.redirect(303, '/sign-in');
      return;
    }
    if (error.code === 'ACCOUNT_PENDING') {
      renderPage(
        req,
        res,
        'waiting-approval',
        { title: 'Your account is waiting for approval', agencyName: null },
        403,
      );
      return;
    }
    const view =
      error.statusCode === 404
        ? 'errors/not-found'
        : error.statusCode === 403 && error.code !== 'CSRF_FAILED'
          ? 'errors/forbidden'
          : error.statusCode >= 500
            ? 'errors/server-error'
            : 'errors/problem';
    const title =
      error.code === 'CSRF_FAILED'
        ? 'This form could not be sent'
        : error.statusCode === 404
          ? 'Page not found'
          : error.statusCode === 403
            ? 'You cannot see this page'
            : error.statusCode >= 500
              ? 'Sorry, there is a problem with the service'
              : error.statusCode === 429
                ? 'Too many attempts'
                : 'Sorry, that did not work';
    // If the error page itself fails (a broken template), plain words, still no details.
    const plain = () => {
      if (!res.headersSent) res.status(error.statusCode).type('text/plain').send(error.message);
    };
    try {
      renderPage(req, res, view, { title, error }, error.statusCode, plain);
    } catch {
      plain();
    }
  }
}
