import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { Booking } from '../bookings/booking.entity';
import { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { ItemDeferral } from '../outcomes/item-deferral.entity';
import { ItemRef, meetingAccess, MeetingAccess, ReaderFacts } from './need-to-know.rule';

/**
 * Gathers the facts the need-to-know rule (need-to-know.rule.ts) decides on: whether the reader
 * runs the meeting, their lines in its attendance register, their core membership of its series
 * and the agency they lead. Reads only, in the caller's transaction or read.
 */
@Injectable()
export class NeedToKnowService {
  async factsFor(
    m: EntityManager,
    user: User,
    meeting: Pick<Meeting, 'id' | 'seriesId' | 'chairUserId'>,
  ): Promise<ReaderFacts> {
    if (chairsMeeting(user, meeting)) {
      return { userId: user.id, runsMeeting: true, leadOfAgencyId: null, attendance: [], coreMember: false };
    }
    const lines = await m.find(Attendee, {
      where: [
        { meetingId: meeting.id, userId: user.id },
        { meetingId: meeting.id, email: user.email },
      ],
      select: { id: true, status: true, bookingIds: true },
    });
    const coreMember = await m.existsBy(SeriesCoreMember, { seriesId: meeting.seriesId, email: user.email });
    return {
      userId: user.id,
      runsMeeting: false,
      leadOfAgencyId: user.active && user.hasRole('agency-lead') ? user.agencyId : null,
      attendance: lines.map((a) => ({
        present: a.status === 'present',
        wholeMeeting: a.bookingIds.length === 0,
        itemIds: a.bookingIds,
      })),
      coreMember,
    };
  }

  /** What the reader may see of a meeting whose items (on its agenda or carried forward from it) are `items`. */
  async forMeeting(
    m: EntityManager,
    user: User,
    meeting: Pick<Meeting, 'id' | 'seriesId' | 'chairUserId'>,
    items: readonly ItemRef[],
  ): Promise<MeetingAccess> {
    return meetingAccess(await this.factsFor(m, user, meeting), items);
  }

  /**
   * Whether the reader may see one item's case text: by the rule, at the meeting it is on now or
   * at any meeting that carried it forward (those present for it there heard it).
   */
  async canReadItem(m: EntityManager, user: User, booking: Booking & { meeting: Meeting }): Promise<boolean> {
    const item: ItemRef = { id: booking.id, agencyId: booking.agencyId, presenterUserId: booking.presenterUserId };
    if ((await this.forMeeting(m, user, booking.meeting, [item])).itemIds.has(booking.id)) return true;
    const earlier = await m.find(ItemDeferral, {
      where: { bookingId: booking.id },
      select: { id: true, fromMeetingId: true },
    });
    if (earlier.length === 0) return false;
    const meetings = await m.find(Meeting, { where: { id: In(earlier.map((d) => d.fromMeetingId)) } });
    for (const from of meetings) {
      if ((await this.forMeeting(m, user, from, [item])).itemIds.has(booking.id)) return true;
    }
    return false;
  }
}
