import type { AttendanceStatus } from '../outcomes/attendee.entity';

export interface Recipient {
  email: string;
  agencyId: string;
  /** `attendee`: in the register with an e-mail; `absent-agency`: presenter for an invited agency nobody came from. */
  reason: 'attendee' | 'absent-agency';
}

/**
 * Who is sent the link to approved (or amended) minutes:
 * - everyone in the attendance register with an e-mail address (present, apologies or absent:
 *   all were expected at the meeting);
 * - for every invited agency that nobody attended from, the presenters of its items. An agency
 *   is "invited" when it had an item on the agenda (including items carried forward from it);
 *   its presenters are the people it put forward for the meeting, so they receive it.
 * One message per address, in register order then agenda order. Pure.
 */
export function chooseRecipients(
  attendees: Array<{ email: string | null; agencyId: string; status: AttendanceStatus }>,
  agenda: Array<{ agencyId: string; presenterEmail: string; presenterActive: boolean }>,
): Recipient[] {
  const out = new Map<string, Recipient>();
  for (const a of attendees) {
    const email = a.email?.trim().toLowerCase();
    if (email && !out.has(email)) out.set(email, { email, agencyId: a.agencyId, reason: 'attendee' });
  }
  const present = new Set(attendees.filter((a) => a.status === 'present').map((a) => a.agencyId));
  for (const item of agenda) {
    if (present.has(item.agencyId) || !item.presenterActive) continue;
    const email = item.presenterEmail.trim().toLowerCase();
    if (!out.has(email)) out.set(email, { email, agencyId: item.agencyId, reason: 'absent-agency' });
  }
  return [...out.values()];
}
