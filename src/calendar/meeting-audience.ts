import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { User } from '../directory/user.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { Meeting } from '../meetings/meeting.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import type { CalendarPerson } from './ical/calendar-event';

/** Why someone is expected at a meeting. */
export type AttendanceReason = 'chair' | 'core-member' | 'presenter';

/** What decides who is at a meeting, loaded once for one or many meetings. */
export interface MeetingFacts {
  chair: { id: string; email: string; name: string } | null;
  coreMembers: CalendarPerson[];
  /** Presenters of items holding a slot at the meeting. */
  presenters: Array<CalendarPerson & { userId: string }>;
}

/**
 * THE rule for who has a reason to be at a meeting. The chair (an active account), each core
 * member of the series, and each presenter with a slot. Invites, un-invites and feeds all ask it:
 * a person with any reason is never sent a CANCEL for the meeting.
 */
export function reasonsToAttend(facts: MeetingFacts, person: { email: string; userId?: string }): AttendanceReason[] {
  const email = person.email.toLowerCase();
  const reasons: AttendanceReason[] = [];
  if (facts.chair && (facts.chair.id === person.userId || facts.chair.email.toLowerCase() === email))
    reasons.push('chair');
  if (facts.coreMembers.some((c) => c.email.toLowerCase() === email)) reasons.push('core-member');
  if (facts.presenters.some((p) => p.userId === person.userId || p.email.toLowerCase() === email))
    reasons.push('presenter');
  return reasons;
}

/**
 * Whether the reasons bring the whole meeting into a person's calendar (invites and feed). A
 * presenter has their own slot entry instead, so presenting alone does not.
 */
export function getsWholeMeeting(reasons: AttendanceReason[]): boolean {
  return reasons.includes('chair') || reasons.includes('core-member');
}

/** The people who get the whole meeting (chair first, then core members), each once. */
export function wholeMeetingAudience(facts: MeetingFacts): CalendarPerson[] {
  const people = new Map<string, CalendarPerson>();
  if (facts.chair) people.set(facts.chair.email.toLowerCase(), { email: facts.chair.email, name: facts.chair.name });
  for (const c of facts.coreMembers) {
    const key = c.email.toLowerCase();
    if (!people.has(key)) people.set(key, c);
  }
  return [...people.values()];
}

/**
 * THE rule for who gets a series as one recurring invite (a series with `calendarInvites:
 * 'series'`): its chair (an active account) and its core members, each once. Anyone else with a
 * reason to be at one of its meetings (the chair of one meeting alone) gets that meeting's own
 * invite, and presenters their slots.
 */
export function seriesAudience(facts: Pick<MeetingFacts, 'chair' | 'coreMembers'>): CalendarPerson[] {
  return wholeMeetingAudience({ ...facts, presenters: [] });
}

/** Whether the person is in {@link seriesAudience}. */
export function inSeriesAudience(audience: CalendarPerson[], person: { email: string }): boolean {
  return audience.some((p) => p.email.toLowerCase() === person.email.toLowerCase());
}

/** Loads {@link MeetingFacts} for meetings in three queries, whatever their number. */
@Injectable()
export class MeetingAudience {
  async facts(m: EntityManager, meetings: Meeting[]): Promise<Map<string, MeetingFacts>> {
    const result = new Map<string, MeetingFacts>();
    if (meetings.length === 0) return result;
    const chairIds = [...new Set(meetings.map((x) => x.chairUserId).filter((x): x is string => !!x))];
    const chairs = new Map(
      (chairIds.length ? await m.findBy(User, { id: In(chairIds) }) : []).map((u) => [u.id, u] as const),
    );
    const seriesIds = [...new Set(meetings.map((x) => x.seriesId))];
    const core = await m.find(SeriesCoreMember, { where: { seriesId: In(seriesIds) }, order: { email: 'ASC' } });
    const booked = await m.find(Booking, {
      where: { meetingId: In(meetings.map((x) => x.id)), status: 'booked' },
      relations: { presenter: true },
    });
    for (const meeting of meetings) {
      const chair = meeting.chairUserId ? chairs.get(meeting.chairUserId) : undefined;
      result.set(meeting.id, {
        chair: chair?.active ? { id: chair.id, email: chair.email, name: chair.name } : null,
        coreMembers: core
          .filter((c) => c.seriesId === meeting.seriesId)
          .map((c) => ({ email: c.email, name: c.name ?? undefined })),
        presenters: booked
          .filter((b) => b.meetingId === meeting.id && b.presenter?.active)
          .map((b) => ({ userId: b.presenterUserId, email: b.presenter.email, name: b.presenter.name })),
      });
    }
    return result;
  }

  async factsFor(m: EntityManager, meeting: Meeting): Promise<MeetingFacts> {
    return (await this.facts(m, [meeting])).get(meeting.id)!;
  }

  /** The series' own chair and core members, for {@link seriesAudience}. */
  async seriesFacts(m: EntityManager, series: MeetingSeries): Promise<Pick<MeetingFacts, 'chair' | 'coreMembers'>> {
    const chair = series.chairUserId ? await m.findOneBy(User, { id: series.chairUserId }) : null;
    const core = await m.find(SeriesCoreMember, { where: { seriesId: series.id }, order: { email: 'ASC' } });
    return {
      chair: chair?.active ? { id: chair.id, email: chair.email, name: chair.name } : null,
      coreMembers: core.map((c) => ({ email: c.email, name: c.name ?? undefined })),
    };
  }
}
