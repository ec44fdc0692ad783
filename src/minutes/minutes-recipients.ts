import type { AttendanceStatus } from '../outcomes/attendee.entity';

/** Why someone is sent the minutes' link. */
export type RecipientReason = 'attendee' | 'presenter' | 'core-member' | 'agency-lead';

export interface Recipient {
  email: string;
  reason: RecipientReason;
  /** The agency they are sent it for (attendees, presenters, leads); null for core members. */
  agencyId: string | null;
}

export interface Person {
  id: string;
  email: string;
  active: boolean;
}

/**
 * Who is sent the link to approved (or amended) minutes: the people the need-to-know rule lets
 * read them (src/need-to-know/need-to-know.rule.ts), each once, in this order:
 * - every attendee in the register who is a known user (by account, or by the address typed),
 *   whether present, sending apologies or absent: all were expected;
 * - every presenter of an item on the agenda (or carried forward from it);
 * - the series' core members (invited to every meeting);
 * - the agency leads of every agency that had an item, whether or not anyone came from it.
 * Disabled accounts get nothing; a typed address that is nobody's account gets nothing (it could
 * not sign in to read them). Pure.
 */
export function chooseRecipients(input: {
  attendees: Array<{ userId: string | null; email: string | null; agencyId: string; status: AttendanceStatus }>;
  /** Known users, by id and by address, among the attendees. */
  users: Person[];
  items: Array<{ agencyId: string; presenter: Person }>;
  coreMembers: Array<{ email: string }>;
  /** Active agency leads, with their agency. */
  agencyLeads: Array<Person & { agencyId: string }>;
}): Recipient[] {
  const out = new Map<string, Recipient>();
  const add = (email: string, reason: RecipientReason, agencyId: string | null) => {
    const key = email.trim().toLowerCase();
    if (!out.has(key)) out.set(key, { email: key, reason, agencyId });
  };
  const byId = new Map(input.users.map((u) => [u.id, u]));
  const byEmail = new Map(input.users.map((u) => [u.email.toLowerCase(), u]));
  for (const a of input.attendees) {
    const user =
      (a.userId ? byId.get(a.userId) : undefined) ?? (a.email ? byEmail.get(a.email.toLowerCase()) : undefined);
    if (user?.active) add(user.email, 'attendee', a.agencyId);
  }
  for (const item of input.items) if (item.presenter.active) add(item.presenter.email, 'presenter', item.agencyId);
  for (const member of input.coreMembers) add(member.email, 'core-member', null);
  const agenciesWithItems = new Set(input.items.map((i) => i.agencyId));
  for (const lead of input.agencyLeads) {
    if (lead.active && agenciesWithItems.has(lead.agencyId)) add(lead.email, 'agency-lead', lead.agencyId);
  }
  return [...out.values()];
}
