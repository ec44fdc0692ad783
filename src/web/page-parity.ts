/**
 * What the API can do, the pages can do: for every state-changing API operation (as OpenAPI
 * names it, `METHOD /api/path/{param}`), the page routes (`METHOD /path/:param`, as the web
 * controllers map them) that do the same through the same service, or the reason there is none.
 * `test/page-parity.e2e-spec.ts` reads the OpenAPI document and the app's routes and fails when an
 * operation is missing here, a page named here is not mapped, or an entry names no operation.
 */
export type PageParity =
  | { pages: string[] }
  /** No page, on purpose: why. */
  | { noPage: string };

export const PAGE_PARITY: Record<string, PageParity> = {
  // Signing in and out.
  'POST /api/auth/sign-in': { pages: ['POST /sign-in'] },
  'POST /api/auth/token': { pages: ['POST /sign-in/verify'] },
  'POST /api/auth/sign-out': { pages: ['POST /sign-out'] },
  'PATCH /api/me': { pages: ['POST /account'] },
  'POST /api/me/calendar-feed': { pages: ['POST /calendar'] },
  'DELETE /api/me/calendar-feed': { pages: ['POST /calendar'] },
  'PUT /api/me/calendar-delivery': { pages: ['POST /calendar/delivery'] },
  'DELETE /api/me/sessions': { pages: ['POST /account/sessions'] },
  'DELETE /api/me/sessions/{id}': { pages: ['POST /account/sessions/:id/end'] },

  // Presenters.
  'POST /api/meetings/{id}/bookings': { pages: ['POST /book/check'] },
  'POST /api/bookings/{id}/withdraw': { pages: ['POST /bookings/:id/withdraw'] },
  'POST /api/bookings/{id}/rebook': { pages: ['POST /bookings/:id/rebook'] },
  'PATCH /api/bookings/{id}': { pages: ['POST /bookings/:id/edit/:step'] },
  'PUT /api/bookings/{id}/next-steps': { pages: ['POST /bookings/:id/next-steps'] },

  // Chairs.
  'PUT /api/meetings/{id}/attendance': { pages: ['POST /meetings/:id/attendance'] },
  'PUT /api/bookings/{id}/outcome': { pages: ['POST /meetings/:id/items/:bookingId'] },
  'POST /api/bookings/{id}/defer': { pages: ['POST /meetings/:id/items/:bookingId/defer'] },
  'POST /api/meetings/{id}/actions': { pages: ['POST /meetings/:id/actions'] },
  'PATCH /api/actions/{id}': { pages: ['POST /meetings/:id/actions/:actionId'] },
  'PATCH /api/meetings/{id}/minutes': { pages: ['POST /meetings/:id/minutes/note'] },
  'POST /api/meetings/{id}/minutes/approve': { pages: ['POST /meetings/:id/minutes/approve'] },
  // Once the minutes are approved, the pages that recorded them amend them, with a reason.
  'POST /api/meetings/{id}/minutes/amendments': {
    pages: [
      'POST /meetings/:id/minutes/amend',
      'POST /meetings/:id/items/:bookingId',
      'POST /meetings/:id/attendance',
      'POST /meetings/:id/actions',
    ],
  },
  'PATCH /api/meetings/{id}': { pages: ['POST /meetings/:id/reschedule'] },
  'POST /api/meetings/{id}/cancel': { pages: ['POST /meetings/:id/cancel'] },

  // Coordinators.
  'POST /api/series': { pages: ['POST /admin/series/new'] },
  'PATCH /api/series/{id}': {
    pages: [
      'POST /admin/series/:id/settings',
      'POST /admin/series/:id/chair',
      'POST /admin/series/:id/end',
      'POST /admin/series/:id/resume',
    ],
  },
  'POST /api/agencies': { pages: ['POST /admin/agencies/new'] },
  'PATCH /api/agencies/{id}': { pages: ['POST /admin/agencies/:id'] },
  'POST /api/users': { pages: ['POST /admin/users/new'] },
  'DELETE /api/users/{id}/sessions': { pages: ['POST /admin/users/:id/sessions'] },
  'DELETE /api/users/{id}/sign-in-accounts/{provider}': {
    pages: ['POST /admin/users/:id/roles/sign-in-accounts/:provider'],
  },
  'PATCH /api/users/{id}': {
    pages: ['POST /admin/users/:id/roles', 'POST /admin/users/:id/status', 'POST /agency/users/:id/status'],
  },
  'POST /api/outbox/{id}/retry': { pages: ['POST /admin/outbox/:id/retry'] },
  'POST /api/bookings/{id}/legal-hold': { pages: ['POST /admin/items/:id/legal-hold'] },
  'POST /api/bookings/{id}/legal-hold/lift': { pages: ['POST /admin/items/:id/legal-hold/lift'] },
};
