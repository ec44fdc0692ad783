import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In, MoreThan } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { AttendanceReply } from '../calendar-replies/attendance-reply.entity';
import { AppConfig } from '../config/app-config';
import { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import type { CalendarPart } from '../mail/outbox-message.entity';
import { Meeting } from '../meetings/meeting.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { formatLondonDateTimeWithZone } from '../scheduling/london-format';
import type { InvitationsChange } from './calendar-delivery';
import { CalendarEvents } from './calendar-events';
import { buildInvite, CalendarPerson, isCalendarAddress } from './ical/calendar-event';
import {
  getsWholeMeeting,
  inSeriesAudience,
  MeetingAudience,
  MeetingFacts,
  reasonsToAttend,
  wholeMeetingAudience,
} from './meeting-audience';
import { meetingCancelledMail } from './meeting-mails';
import { SeriesInvites } from './series-invites';

/** Why a whole-meeting REQUEST goes out: it decides the subject, the words and the attachment's name. */
export type MeetingChange = 'new' | 'updated' | 'moved';

/** Names of the attached `.ics`, for what it is. */
export const CALENDAR_FILENAMES = { new: 'invite.ics', update: 'update.ics', cancel: 'cancellation.ics' } as const;

/**
 * iTIP invites by e-mail (RFC 5546). A presenter's slot: REQUEST while the item holds a slot,
 * CANCEL when it leaves it. A whole meeting: REQUEST to everyone who gets it (see
 * {@link MeetingAudience}), CANCEL with STATUS:CANCELLED when the meeting is cancelled, and an
 * un-invite (CANCEL listing only that person, no STATUS) when someone stops getting it and has
 * no other reason to be there. Every message is an outbox row written in the caller's
 * transaction, with the MIME part's method equal to the body's METHOD.
 */
@Injectable()
export class CalendarInvites {
  private readonly logger = new Logger('CalendarInvites');

  constructor(
    private readonly config: AppConfig,
    private readonly events: CalendarEvents,
    private readonly outbox: MailOutbox,
    private readonly audience: MeetingAudience,
    private readonly series: SeriesInvites,
  ) {}

  // --- what the meetings service calls: each routes to the series' recurring invite or to the
  // meeting's own invite, as the series' `calendarInvites` says, and to the meeting's own invite
  // for anyone with a reason to be there who is not one of the series' people.

  /** Meetings added to a series: set up or resumed ('new'), or the daily top-up ('extended'). */
  async meetingsAdded(
    m: EntityManager,
    series: MeetingSeries,
    added: Meeting[],
    how: 'new' | 'extended',
  ): Promise<void> {
    if (added.length === 0) return;
    if (series.calendarInvites === 'series') {
      // A new meeting has the series' chair and core members: nobody outside the series to invite.
      await this.series.changed(m, series.id, { kind: how });
      return;
    }
    for (const meeting of added) await this.sendMeeting(m, meeting, 'new');
  }

  /**
   * A meeting's time or place changed ('moved', 'updated'), perhaps its chair too (`chairFrom`,
   * the chair before). The caller has raised the meeting's SEQUENCE.
   */
  async meetingUpdated(
    m: EntityManager,
    meeting: Meeting,
    change: 'moved' | 'updated',
    opts: { reason?: string | null; chairFrom?: string | null } = {},
  ): Promise<void> {
    const series = await m.findOneByOrFail(MeetingSeries, { id: meeting.seriesId });
    const chairChanged = opts.chairFrom !== undefined;
    // An answer was for the old time: calendars ask again (a higher SEQUENCE, a new DTSTART), so does this service.
    if (change === 'moved') await m.delete(AttendanceReply, { meetingId: meeting.id });
    if (series.calendarInvites !== 'series') {
      if (chairChanged) await this.uninviteChair(m, meeting, opts.chairFrom!, []);
      // Everyone (the new chair included) gets the new version.
      await this.sendMeeting(m, meeting, change, { reason: opts.reason });
      return;
    }
    const people = await this.series.people(m, series);
    await this.series.changed(m, series.id, { kind: change, meeting, reason: opts.reason, chairChanged });
    if (chairChanged) await this.uninviteChair(m, meeting, opts.chairFrom!, people);
    await this.sendMeeting(m, meeting, change, {
      reason: opts.reason,
      recipients: await this.outside(m, meeting, people),
    });
  }

  /** One meeting has a new chair and nothing else changed (the caller has raised its SEQUENCE). */
  async meetingChairChanged(m: EntityManager, meeting: Meeting, from: string | null): Promise<void> {
    const series = await m.findOneByOrFail(MeetingSeries, { id: meeting.seriesId });
    const people = series.calendarInvites === 'series' ? await this.series.people(m, series) : [];
    if (series.calendarInvites === 'series') await this.series.changed(m, series.id, { kind: 'chair', meeting });
    await this.uninviteChair(m, meeting, from, people);
    const chair = meeting.chairUserId ? await m.findOneBy(User, { id: meeting.chairUserId }) : null;
    if (chair && !inSeriesAudience(people, chair)) {
      await this.sendMeeting(m, meeting, 'new', { recipients: [{ email: chair.email, name: chair.name }] });
    }
  }

  /** A meeting is cancelled (the caller has raised its SEQUENCE). */
  async meetingCancelled(m: EntityManager, meeting: Meeting): Promise<void> {
    const series = await m.findOneByOrFail(MeetingSeries, { id: meeting.seriesId });
    if (series.calendarInvites !== 'series') {
      await this.cancelMeeting(m, meeting);
      return;
    }
    const people = await this.series.people(m, series);
    await this.series.changed(m, series.id, { kind: 'cancelled', meeting });
    await this.cancelMeeting(m, meeting, await this.outside(m, meeting, people));
  }

  /**
   * The series' core members changed (the new list is stored). One recurring invite: see
   * {@link seriesPeopleChanged}. An invite per meeting: each upcoming meeting is a new version for
   * everyone who gets it; those removed with no other reason to be there (the chair, a presenter)
   * are un-invited, those added are sent it (a chair who becomes a core member already has it).
   */
  async coreMembersChanged(
    m: EntityManager,
    series: MeetingSeries,
    change: { peopleBefore: CalendarPerson[]; removed: CalendarPerson[]; added: CalendarPerson[]; now: Date },
  ): Promise<void> {
    if (series.calendarInvites === 'series') {
      await this.seriesPeopleChanged(m, series, change.peopleBefore, change.now);
      return;
    }
    for (const meeting of await this.upcoming(m, series.id, change.now)) {
      // A re-added member's REQUEST then carries a higher SEQUENCE than the CANCEL they had.
      meeting.sequence += 1;
      await m.update(Meeting, { id: meeting.id }, { sequence: meeting.sequence });
      await this.uninvite(m, meeting, change.removed);
      const newToThem = [];
      for (const c of change.added) {
        const user = await m.findOneBy(User, { email: c.email });
        if (meeting.chairUserId && user?.id === meeting.chairUserId) continue;
        newToThem.push(c);
      }
      if (newToThem.length) await this.sendMeeting(m, meeting, 'new', { recipients: newToThem });
    }
  }

  /** The series' people before a change of its core members or its chair, for {@link seriesPeopleChanged}. */
  seriesPeople(m: EntityManager, series: MeetingSeries): Promise<CalendarPerson[]> {
    return this.series.people(m, series);
  }

  /**
   * The core members or the series' chair changed, in a series with one recurring invite: the
   * series to each of its people as they are now, taken out for those who left; a meeting that
   * someone who left still chairs comes to them on its own, and one that someone who joined
   * chaired on its own until now is taken out (the series now holds it). `reassigned`: meetings
   * whose chair moved with the series' chair (the new chair never had them on their own).
   */
  async seriesPeopleChanged(
    m: EntityManager,
    series: MeetingSeries,
    before: CalendarPerson[],
    now: Date,
    reassigned: string[] = [],
  ): Promise<void> {
    const after = await this.series.people(m, series);
    await this.series.changed(m, series.id, { kind: 'people', before, reassigned });
    const leaving = before.filter((p) => !inSeriesAudience(after, p));
    const joining = after.filter((p) => !inSeriesAudience(before, p));
    if (leaving.length === 0 && joining.length === 0) return;
    const upcoming = await this.upcoming(m, series.id, now);
    const facts = await this.audience.facts(m, upcoming);
    for (const meeting of upcoming) {
      const reasons = (p: CalendarPerson) => reasonsToAttend(facts.get(meeting.id)!, { email: p.email });
      const stillTheirs = leaving.filter((p) => getsWholeMeeting(reasons(p)));
      if (stillTheirs.length) await this.sendMeeting(m, meeting, 'new', { recipients: stillTheirs });
      if (reassigned.includes(meeting.id)) continue;
      for (const person of joining.filter((p) => reasons(p).includes('chair'))) {
        await this.handedToSeries(m, meeting, person);
      }
    }
  }

  /**
   * The calendar part for a presenter's notification, from the item's state after the change:
   * a booked item gets REQUEST (new or updated times); an item that has left its slot gets
   * CANCEL; an item that never had a slot (straight onto the waiting list) gets none.
   * `lostSlot`: the meeting and slot the item held before the change (a deferral), named by the CANCEL.
   */
  forBooking(
    booking: Booking,
    meeting: Meeting,
    presenter: User,
    hadSlot: boolean,
    lostSlot?: { meeting: Meeting; slotIndex: number },
  ): CalendarPart | undefined {
    // An address stored before today's e-mail rule that a calendar cannot hold: the notice goes without an invite.
    if (!isCalendarAddress(presenter.email)) return undefined;
    const attendee = [{ email: presenter.email, name: presenter.name }];
    if (booking.status === 'booked' && meeting.status === 'scheduled') {
      return {
        method: 'REQUEST',
        content: buildInvite('REQUEST', this.events.forBooking(booking, meeting, attendee, false), {}),
        filename: booking.sequence === 0 ? CALENDAR_FILENAMES.new : CALENDAR_FILENAMES.update,
      };
    }
    if (!hadSlot && !lostSlot) return undefined;
    const named = lostSlot
      ? Object.assign(Object.create(Object.getPrototypeOf(booking)) as Booking, booking, {
          slotIndex: lostSlot.slotIndex,
        })
      : booking;
    return {
      method: 'CANCEL',
      content: buildInvite('CANCEL', this.events.forBooking(named, lostSlot?.meeting ?? meeting, attendee, true), {}),
      filename: CALENDAR_FILENAMES.cancel,
    };
  }

  /** The people who get the whole meeting, with addresses a calendar can hold. */
  async meetingRecipients(m: EntityManager, meeting: Meeting, facts?: MeetingFacts): Promise<CalendarPerson[]> {
    const people = wholeMeetingAudience(facts ?? (await this.audience.factsFor(m, meeting)));
    // One address a calendar cannot hold (stored before today's e-mail rule) never stops the others' invites.
    const usable = people.filter((p) => isCalendarAddress(p.email));
    if (usable.length < people.length) {
      this.logger.warn(
        `Meeting ${meeting.id}: ${people.length - usable.length} recipient address(es) cannot take a calendar invite; skipped.`,
      );
    }
    return usable;
  }

  /**
   * Sends the whole meeting as a REQUEST to `recipients` (default: everyone who gets it). The
   * invite lists everyone who gets the meeting as attendees, so each can see who else is invited.
   * `change` says what happened: 'moved' (the time changed) gives "Moved: …", 'updated' (place,
   * link) "Changed: …", 'new' an invitation with invite.ics.
   */
  async sendMeeting(
    m: EntityManager,
    meeting: Meeting,
    change: MeetingChange,
    opts: { recipients?: CalendarPerson[]; reason?: string | null } = {},
  ): Promise<number> {
    const everyone = await this.meetingRecipients(m, meeting);
    const to = (opts.recipients ?? everyone).filter((p) => isCalendarAddress(p.email));
    if (to.length === 0) return 0;
    const attendees = everyone.length ? everyone : to;
    const content = buildInvite('REQUEST', this.events.forMeeting(meeting, attendees), {});
    const when = formatLondonDateTimeWithZone(meeting.startsAt);
    const place = meeting.location ? `, ${meeting.location}` : '';
    const subject =
      change === 'moved'
        ? `Moved: ${meeting.title}, now ${when}`
        : change === 'updated'
          ? `Changed: ${meeting.title}, ${when}`
          : `${meeting.title}: ${when}`;
    const first =
      change === 'moved'
        ? `${meeting.title} has moved. It is now on ${when}${place}.`
        : change === 'updated'
          ? `${meeting.title} on ${when} has changed${place ? `: it is at ${meeting.location}` : ''}.`
          : `${meeting.title} on ${when}${place}. This invitation is for the whole meeting.`;
    for (const person of to) {
      await this.outbox.enqueue(m, {
        kind: 'meeting-invite',
        to: person.email,
        subject,
        content: {
          greeting: person.name ? `Hello ${person.name},` : 'Hello,',
          paragraphs: [
            first,
            ...(change !== 'new' && opts.reason ? [`Reason given: ${opts.reason}`] : []),
            this.cantCome(meeting),
          ],
          action: { label: 'Open the meeting', url: this.meetingUrl(meeting) },
        },
        calendar: {
          method: 'REQUEST',
          content,
          filename: change === 'new' ? CALENDAR_FILENAMES.new : CALENDAR_FILENAMES.update,
        },
        // A new invitation tells nothing the feed does not; a move or a change is news.
        invitationOnly: change === 'new',
        subjectType: 'meeting',
        subjectId: meeting.id,
      });
    }
    return to.length;
  }

  /**
   * The meeting is cancelled: METHOD:CANCEL with STATUS:CANCELLED to everyone who had it (or to
   * `recipients` among them: those who had it as an invite of its own).
   */
  async cancelMeeting(m: EntityManager, meeting: Meeting, recipients?: CalendarPerson[]): Promise<number> {
    const everyone = await this.meetingRecipients(m, meeting);
    const to = recipients ?? everyone;
    if (to.length === 0) return 0;
    const content = buildInvite('CANCEL', this.events.forMeeting(meeting, everyone), {});
    const calendar: CalendarPart = { method: 'CANCEL', content, filename: CALENDAR_FILENAMES.cancel };
    for (const person of to) {
      await this.outbox.enqueue(
        m,
        meetingCancelledMail(meeting, person, calendar, { url: this.meetingUrl(meeting), ofSeries: false }),
      );
    }
    return to.length;
  }

  /** Who gets the whole meeting but is not one of the series' `people`: they get the meeting's own invite. */
  private async outside(m: EntityManager, meeting: Meeting, people: CalendarPerson[]): Promise<CalendarPerson[]> {
    return (await this.meetingRecipients(m, meeting)).filter((p) => !inSeriesAudience(people, p));
  }

  /** The chair before a change loses the meeting's own invite, unless they still have a reason to be there or have it through the series. */
  private async uninviteChair(
    m: EntityManager,
    meeting: Meeting,
    from: string | null,
    people: CalendarPerson[],
  ): Promise<void> {
    const oldChair = from ? await m.findOneBy(User, { id: from }) : null;
    if (oldChair && !inSeriesAudience(people, oldChair)) {
      await this.uninvite(m, meeting, [{ email: oldChair.email, name: oldChair.name }]);
    }
  }

  /**
   * Someone who chaired this meeting on its own joined the series' people: the meeting's own
   * invite is taken out (a CANCEL listing only them), since the series' invite now holds it.
   */
  private async handedToSeries(m: EntityManager, meeting: Meeting, person: CalendarPerson): Promise<void> {
    if (!isCalendarAddress(person.email)) return;
    const when = formatLondonDateTimeWithZone(meeting.startsAt);
    await this.outbox.enqueue(m, {
      kind: 'meeting-uninvite',
      to: person.email,
      subject: `Now in the series invitation: ${meeting.title}, ${when}`,
      content: {
        greeting: person.name ? `Hello ${person.name},` : 'Hello,',
        paragraphs: [
          `${meeting.title} on ${when} is now part of your invitation for the whole series, so its own invitation is taken out of your calendar. Nothing about the meeting has changed.`,
        ],
        action: { label: 'Open the meeting', url: this.meetingUrl(meeting) },
      },
      calendar: {
        method: 'CANCEL',
        content: buildInvite('CANCEL', this.events.forMeeting(meeting, [person]), { removesAttendees: true }),
        filename: CALENDAR_FILENAMES.cancel,
      },
      invitationOnly: true,
      subjectType: 'meeting',
      subjectId: meeting.id,
    });
  }

  /**
   * Takes the meeting out of these people's calendars because they no longer get it (a core
   * member removed, a chair replaced): RFC 5546 §3.2.5, a CANCEL listing only that attendee and
   * without STATUS:CANCELLED, since the meeting itself goes ahead. Anyone who still has a reason
   * to be there (chair, core member, presenter) is skipped: this is checked here, against the
   * meeting as it is now, so no caller can un-invite the wrong person. The caller has already
   * raised the meeting's SEQUENCE for the change. Returns who was un-invited.
   */
  async uninvite(m: EntityManager, meeting: Meeting, people: CalendarPerson[]): Promise<CalendarPerson[]> {
    const facts = await this.audience.factsFor(m, meeting);
    const users = people.length ? await m.findBy(User, { email: In(people.map((p) => p.email.toLowerCase())) }) : [];
    const reasonsOf = (p: CalendarPerson) => {
      const userId = users.find((u) => u.email.toLowerCase() === p.email.toLowerCase())?.id;
      return reasonsToAttend(facts, { email: p.email, userId });
    };
    // The whole meeting leaves the calendar of anyone who no longer gets it; a presenter's own
    // slot is a calendar object of its own (its own UID) and stays.
    const gone = people.filter((p) => !getsWholeMeeting(reasonsOf(p)) && isCalendarAddress(p.email));
    const when = formatLondonDateTimeWithZone(meeting.startsAt);
    for (const person of gone) {
      const presenting = reasonsOf(person).includes('presenter');
      const content = buildInvite('CANCEL', this.events.forMeeting(meeting, [person]), { removesAttendees: true });
      await this.outbox.enqueue(m, {
        kind: 'meeting-uninvite',
        to: person.email,
        subject: `No longer invited: ${meeting.title}, ${when}`,
        content: {
          greeting: person.name ? `Hello ${person.name},` : 'Hello,',
          paragraphs: [
            `You are no longer invited to ${meeting.title} on ${when}. The meeting itself goes ahead; it is removed from your calendar.`,
            ...(presenting
              ? [
                  'Your own item at the meeting stays booked, and its time stays in your calendar as an entry of its own.',
                ]
              : []),
          ],
          action: { label: 'Open the meeting', url: this.meetingUrl(meeting) },
        },
        calendar: { method: 'CANCEL', content, filename: CALENDAR_FILENAMES.cancel },
        invitationOnly: true,
        subjectType: 'meeting',
        subjectId: meeting.id,
      });
    }
    return gone;
  }

  /**
   * The person changed how meetings reach their calendar and invitations start or stop
   * (invitationsChange in calendar-delivery.ts). Each upcoming meeting they get whole and each
   * slot they hold gets one message, to them only: 'start' sends it as an invitation again (the
   * link alone had it meanwhile, and a copy they had may be out of date); 'stop' takes the
   * invitation copy out (a CANCEL listing only them, the event itself going ahead), since it
   * would go stale beside the feed once news comes without its calendar part. Each entry's
   * SEQUENCE goes up first (in the database, so a change at the same moment cannot take the same
   * number), so the message is newer than anything they had. Returns how many were sent.
   */
  async handOver(m: EntityManager, user: User, change: InvitationsChange, now: Date): Promise<number> {
    if (!isCalendarAddress(user.email)) return 0;
    const me: CalendarPerson = { email: user.email, name: user.name };
    const { meetings: whole, slots } = await this.heldBy(m, user, now);
    const starting = change === 'start';
    // A series with one recurring invite that they have as one of its people: one message for all its meetings.
    const seriesIds = [...new Set(whole.map((x) => x.seriesId))];
    const recurring = seriesIds.length
      ? await m.findBy(MeetingSeries, { id: In(seriesIds), calendarInvites: 'series' })
      : [];
    const viaSeries = new Set<string>();
    for (const series of recurring) {
      if (await this.series.handOver(m, series.id, me, starting)) viaSeries.add(series.id);
    }
    const meetings = whole.filter((x) => !viaSeries.has(x.seriesId));
    for (const held of meetings) {
      const meeting = await this.nextSequence(m, held);
      const when = formatLondonDateTimeWithZone(meeting.startsAt);
      await this.outbox.enqueue(m, {
        kind: 'calendar-handover',
        to: user.email,
        subject: starting ? `${meeting.title}: ${when}` : `Invitation taken out: ${meeting.title}, ${when}`,
        content: {
          greeting: `Hello ${user.name},`,
          paragraphs: starting
            ? [
                `You asked for invitations by email again. This is the invitation for ${meeting.title} on ${when}, for the whole meeting.`,
              ]
            : [
                `You chose to have meetings only through your calendar link. This email takes the invitation for ${meeting.title} on ${when} out of your calendar; the meeting stays in your calendar link.`,
              ],
          action: { label: 'Open the meeting', url: this.meetingUrl(meeting) },
        },
        calendar: starting
          ? {
              method: 'REQUEST',
              content: buildInvite('REQUEST', this.events.forMeeting(meeting, [me]), {}),
              filename: CALENDAR_FILENAMES.new,
            }
          : {
              method: 'CANCEL',
              content: buildInvite('CANCEL', this.events.forMeeting(meeting, [me]), { removesAttendees: true }),
              filename: CALENDAR_FILENAMES.cancel,
            },
        forChoiceChange: true,
        subjectType: 'meeting',
        subjectId: meeting.id,
      });
    }
    for (const held of slots) {
      const booking = await this.nextSequence(m, held);
      const meeting = held.meeting;
      const event = this.events.forBooking(booking, meeting, [me], false);
      const what = `your item ${booking.reference} at the ${meeting.title} on ${formatLondonDateTimeWithZone(event.start)}`;
      await this.outbox.enqueue(m, {
        kind: 'calendar-handover',
        to: user.email,
        subject: starting
          ? `Your slot: ${meeting.title}, ${formatLondonDateTimeWithZone(event.start)} (${booking.reference})`
          : `Invitation taken out: your slot, ${formatLondonDateTimeWithZone(event.start)} (${booking.reference})`,
        content: {
          greeting: `Hello ${user.name},`,
          paragraphs: starting
            ? [`You asked for invitations by email again. This puts the slot for ${what} in your calendar.`]
            : [
                `You chose to have meetings only through your calendar link. This email takes the invitation for ${what} out of your calendar; the item stays booked and in your calendar link.`,
              ],
          action: { label: 'View your item', url: `${this.config.publicUrl}/bookings/${booking.id}` },
        },
        calendar: starting
          ? { method: 'REQUEST', content: buildInvite('REQUEST', event, {}), filename: CALENDAR_FILENAMES.update }
          : {
              method: 'CANCEL',
              content: buildInvite('CANCEL', event, { removesAttendees: true }),
              filename: CALENDAR_FILENAMES.cancel,
            },
        forChoiceChange: true,
        subjectType: 'booking',
        subjectId: booking.id,
      });
    }
    return viaSeries.size + meetings.length + slots.length;
  }

  /** What reaches this person's calendar from now on: the meetings they get whole, and their slots. */
  private async heldBy(m: EntityManager, user: User, now: Date): Promise<{ meetings: Meeting[]; slots: Booking[] }> {
    const coreSeries = (await m.findBy(SeriesCoreMember, { email: user.email })).map((c) => c.seriesId);
    const upcoming = { status: 'scheduled' as const, endsAt: MoreThan(now) };
    const candidates = await m.find(Meeting, {
      where: [
        { ...upcoming, chairUserId: user.id },
        ...(coreSeries.length ? [{ ...upcoming, seriesId: In(coreSeries) }] : []),
      ],
      order: { startsAt: 'ASC' },
    });
    const facts = await this.audience.facts(m, candidates);
    const meetings = candidates.filter((x) =>
      getsWholeMeeting(reasonsToAttend(facts.get(x.id)!, { email: user.email, userId: user.id })),
    );
    const slots = await m.find(Booking, {
      where: { presenterUserId: user.id, status: 'booked', meeting: upcoming },
      relations: { meeting: true },
      order: { meeting: { startsAt: 'ASC' }, slotIndex: 'ASC' },
    });
    return { meetings, slots };
  }

  /** Raises a meeting's or an item's SEQUENCE in the database and returns the row with it. */
  private async nextSequence<T extends Meeting | Booking>(m: EntityManager, row: T): Promise<T> {
    const entity = row instanceof Meeting ? Meeting : Booking;
    await m.increment(entity, { id: row.id }, 'sequence', 1);
    const now = await m.findOneOrFail(entity, { where: { id: row.id }, select: { id: true, sequence: true } });
    row.sequence = now.sequence;
    return row;
  }

  /** Whether this person gets the whole meeting now (chair or core member). */
  async getsMeeting(m: EntityManager, meeting: Meeting, person: { email: string; userId?: string }): Promise<boolean> {
    return getsWholeMeeting(reasonsToAttend(await this.audience.factsFor(m, meeting), person));
  }

  /** Upcoming scheduled meetings of a series: for invites when its core members change. */
  async upcoming(m: EntityManager, seriesId: string, now: Date): Promise<Meeting[]> {
    const all = await m.find(Meeting, { where: { seriesId, status: In(['scheduled']) }, order: { startsAt: 'ASC' } });
    return all.filter((x) => x.startsAt > now);
  }

  /** Until a replies mailbox is read, invites say RSVP=FALSE and the e-mail offers this instead. */
  private cantCome(meeting: Meeting): string {
    return `Can't come? Send your apologies to the chair or the coordinator from the meeting page: ${this.meetingUrl(meeting)}`;
  }

  private meetingUrl(meeting: Meeting): string {
    return `${this.config.publicUrl}/meetings/${meeting.id}`;
  }
}
