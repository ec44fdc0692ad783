import {
  CALENDAR_DELIVERIES,
  CALENDAR_DELIVERY_CHOICES,
  calendarMailFate,
  getsInvitations,
  invitationsChange,
  needsCalendarLink,
} from './calendar-delivery';

describe('how meetings reach a calendar', () => {
  it('sends invitations as they are to everyone but those who chose only their calendar link', () => {
    for (const delivery of ['invites', 'both', undefined] as const) {
      expect(calendarMailFate(delivery, { hasCalendar: true })).toBe('as-is');
      expect(calendarMailFate(delivery, { hasCalendar: true, invitationOnly: true })).toBe('as-is');
    }
  });

  it('to someone with only their calendar link: news without its iCalendar part, an invitation alone not at all', () => {
    expect(calendarMailFate('feed', { hasCalendar: true })).toBe('without-calendar');
    expect(calendarMailFate('feed', { hasCalendar: true, invitationOnly: true })).toBe('not-sent');
  });

  it('sends a message that follows a change of the choice itself as it is, even to someone with only the link', () => {
    for (const delivery of [...CALENDAR_DELIVERIES, undefined]) {
      expect(calendarMailFate(delivery, { hasCalendar: true, invitationOnly: true, forChoiceChange: true })).toBe(
        'as-is',
      );
      expect(calendarMailFate(delivery, { hasCalendar: true, forChoiceChange: true })).toBe('as-is');
    }
  });

  it('starts invitations when the choice leaves "only my link", stops them when it arrives there, else neither', () => {
    expect(CALENDAR_DELIVERIES.filter(getsInvitations)).toEqual(['invites', 'both']);
    const table = CALENDAR_DELIVERIES.flatMap((before) =>
      CALENDAR_DELIVERIES.map((after) => `${before}→${after}: ${invitationsChange(before, after)}`),
    );
    expect(table).toEqual([
      'invites→invites: null',
      'invites→feed: stop',
      'invites→both: null',
      'feed→invites: start',
      'feed→feed: null',
      'feed→both: start',
      'both→invites: null',
      'both→feed: stop',
      'both→both: null',
    ]);
  });

  it('leaves every message without a calendar part alone', () => {
    for (const delivery of [...CALENDAR_DELIVERIES, undefined])
      expect(calendarMailFate(delivery, { hasCalendar: false, invitationOnly: true })).toBe('as-is');
  });

  it('needs a calendar link only when invitations stop, and words every choice', () => {
    expect(CALENDAR_DELIVERIES.filter(needsCalendarLink)).toEqual(['feed']);
    for (const delivery of CALENDAR_DELIVERIES) {
      expect(CALENDAR_DELIVERY_CHOICES[delivery].label).toMatch(/^[A-Z]/);
      expect(CALENDAR_DELIVERY_CHOICES[delivery].hint).toMatch(/\.$/);
    }
  });
});
