/**
 * How meetings reach a person's calendar: e-mailed invitations, their subscribed calendar link
 * (the feed), or both. Someone who subscribes and still gets invitations sees everything twice,
 * so the calendar page asks, once they have a link, whether to stop the invitations.
 *
 * THE rule for what one e-mail with an iCalendar part becomes for its recipient. MailOutbox
 * applies it to every message it queues; the tests read the same function.
 */
export const CALENDAR_DELIVERIES = ['invites', 'feed', 'both'] as const;
export type CalendarDelivery = (typeof CALENDAR_DELIVERIES)[number];

/** The choice of someone who has not made one, and of addresses without an account. */
export const DEFAULT_CALENDAR_DELIVERY: CalendarDelivery = 'invites';

/** The words for each choice, as the calendar page offers them. */
export const CALENDAR_DELIVERY_CHOICES: Record<CalendarDelivery, { label: string; hint: string }> = {
  invites: {
    label: 'Invitations by email',
    hint: 'Each meeting and each of your slots arrives as an email invitation that your calendar adds.',
  },
  feed: {
    label: 'Only my calendar link',
    hint: 'No invitations by email: your subscribed calendar keeps itself up to date. The invitations already in your calendar are taken out, one email each, so that nothing shows twice. You still get emails when one of your items or meetings changes.',
  },
  both: {
    label: 'Both',
    hint: 'Invitations and your calendar link: your calendar may show each meeting twice.',
  },
};

export interface CalendarMail {
  /** Whether the message carries an iCalendar part (an invitation, an update or a CANCEL). */
  hasCalendar: boolean;
  /**
   * The message exists only to carry the invitation: it tells nothing the feed does not (a new
   * whole-meeting invitation, or being taken off a meeting's attendees).
   */
  invitationOnly?: boolean;
  /**
   * The message exists because the person changed this choice: it puts invitations into their
   * calendar or takes them out (see invitationsChange), so it always goes as it is.
   */
  forChoiceChange?: boolean;
}

/** What happens to one message: sent as it is, sent without its iCalendar part, or not sent. */
export type CalendarMailFate = 'as-is' | 'without-calendar' | 'not-sent';

export function calendarMailFate(delivery: CalendarDelivery | undefined, mail: CalendarMail): CalendarMailFate {
  if (!mail.hasCalendar || delivery !== 'feed' || mail.forChoiceChange) return 'as-is';
  return mail.invitationOnly ? 'not-sent' : 'without-calendar';
}

/** Only the calendar link needs one: without a link, nothing would reach the calendar at all. */
export function needsCalendarLink(delivery: CalendarDelivery): boolean {
  return delivery === 'feed';
}

/** Whether e-mailed invitations reach someone with this choice. */
export function getsInvitations(delivery: CalendarDelivery): boolean {
  return delivery !== 'feed';
}

/**
 * What a change of choice does to the invitation copies in someone's calendar. 'start': they had
 * only the link, so each upcoming meeting and slot is sent as an invitation again. 'stop': they
 * chose only the link, so each invitation copy is taken out (it would go stale beside the feed,
 * since news then comes without its calendar part). Null: invitations carry on, or stay off.
 */
export type InvitationsChange = 'start' | 'stop';

export function invitationsChange(before: CalendarDelivery, after: CalendarDelivery): InvitationsChange | null {
  if (getsInvitations(before) === getsInvitations(after)) return null;
  return getsInvitations(after) ? 'start' : 'stop';
}
