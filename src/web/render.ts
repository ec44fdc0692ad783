import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-user.decorator';
import type { User } from '../directory/user.entity';

export interface NavigationItem {
  text: string;
  href: string;
  current?: boolean;
  active?: boolean;
}

/** The service navigation for what this person does here. */
export function navigationFor(user: User | undefined, path: string): NavigationItem[] {
  if (!user) return [];
  const items: NavigationItem[] = [];
  if (!user.active) return [{ text: 'Sign out', href: '/sign-out' }];
  if (user.hasRole('professional', 'coordinator')) items.push({ text: 'Meetings', href: '/meetings' });
  if (user.hasRole('professional')) items.push({ text: 'Your items', href: '/bookings' });
  if (user.hasRole('chair', 'coordinator')) items.push({ text: 'Chairing', href: '/chair' });
  if (user.hasRole('chair', 'coordinator')) items.push({ text: 'Reports', href: '/reports' });
  if (user.hasRole('coordinator')) items.push({ text: 'Manage', href: '/admin' });
  else if (user.hasRole('agency-lead')) items.push({ text: 'Your agency', href: '/agency' });
  items.push({ text: 'Calendar', href: '/calendar' });
  items.push({ text: 'Your account', href: '/account' });
  items.push({ text: 'Sign out', href: '/sign-out' });
  for (const item of items) {
    if (path === item.href) item.current = true;
    else if (path.startsWith(`${item.href}/`)) item.active = true;
  }
  return items;
}

export interface PageLocals {
  /** The page's <h1>, also the start of its <title>. */
  title: string;
  /** The start of its <title> when the heading alone would not tell it from another page. */
  documentTitle?: string;
  [name: string]: unknown;
}

/**
 * Renders a page with what every page needs: the signed-in user and navigation, and a CSRF
 * token for its forms. Pages are never cached (they may show case text on a shared computer).
 */
export function renderPage(
  req: Request,
  res: Response,
  view: string,
  locals: PageLocals,
  status = 200,
  onRenderError: (err: Error) => void = (err) => req.next?.(err),
): void {
  const user = (req as AuthenticatedRequest).user;
  res.status(status);
  res.setHeader('Cache-Control', 'no-store');
  res.render(
    view,
    {
      ...locals,
      currentUser: user ? { name: user.name, email: user.email, roles: user.roles } : null,
      navigation: navigationFor(user, req.path),
      csrfToken: req.csrfToken ? req.csrfToken() : '',
    },
    (err: Error | null, html?: string) => (err ? onRenderError(err) : res.send(html)),
  );
}

/** After a successful POST: GET the next page (303, so a reload does not post again). */
export function seeOther(res: Response, url: string): void {
  res.redirect(303, url);
}
