import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MailOutbox } from '../mail/mail-outbox.service';
import type { CalendarPart } from '../mail/outbox-message.entity';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import { Meeting } from '../meetings/meeting.entity';
import { describeRecurrence, seriesRecurrence, wallClockToInstant } from '../scheduling/calendar-rules';
import { formatLondonDate, formatLondonDateTimeWithZone } from '../scheduling/london-format';
import { CalendarEvents } from './calendar-events';
import { buildInvite, buildSeriesInvite, CalendarPerson, isCalendarAddress } from './ical/calendar-event';
import {
  getsWholeMeeting,
  inSeriesAudience,
  MeetingAudience,
  MeetingFacts,
  reasonsToAttend,
  seriesAudience,
  wholeMeetingAudience,
} from './meeting-audience';
import { meetingCancelledMail } from './meeting-mails';
import { planSeriesInvite, SeriesPlan } from './series-plan';

/** Names of the attached `.ics`, for what it is. */
export const SERIES_FILENAMES = {
  new: 'series-invite.ics',
  update: 'series-update.ics',
  cancel: 'cancellation.ics',
  uninvite: 'series-cancellation.ics',
} as const;

/**
 * What changed in a series whose meetings go out as one recurring invite. It decides who is sent
 * what, and the words: 'new' (set up or resumed), 'extended' (the daily top-up added meetings),
 * 'moved' or 'updated' (one meeting's time, or place or link), 'chair' (one meeting's chair),
 * 'cancelled' (one meeting), 'people' (core members or the series' chair: `before` is who had the
 * series until now, `reassigned` the meetings whose chair moved with the series' chair).
 */
export type SeriesChange =
  | { kind: 'new' | 'extended' }
  | { kind: 'moved' | 'updated'; meeting: Meeting; reason?: string | null; chairChanged?: boolean }
  | { kind: 'chair'; meeting: Meeting; reason?: string | null }
  | { kind: 'cancelled'; meeting: Meeting }
  | { kind: 'people'; before: CalendarPerson[]; reassigned?: string[] };

/** What the series' people and meetings are at the moment of the change, read once. */
interface SeriesState {
  series: MeetingSeries;
  meetings: Meeting[];
  facts: Map<string, MeetingFacts>;
  people: CalendarPerson[];
}

/**
 * A series as one recurring invite (RFC 5546 with RFC 5545 RRULE, EXDATE and RECURRENCE-ID): its
 * chair and core members ({@link seriesAudience}) get one calendar object for all its meetings,
 * as {@link planSeriesInvite} lays it out for each of them. Every change raises the series'
 * SEQUENCE in the database once, then each person whose copy changed gets one message: the whole
 * series again (REQUEST), one meeting cancelled (CANCEL with its RECURRENCE-ID), or the series
 * taken out of their calendar (CANCEL of the master listing only them, the series going ahead).
 * Every message is an outbox row in the caller's transaction.
 */
@Injectable()
export class SeriesInvites {
  constructor(
    private readonly config: AppConfig,
    private readonly events: CalendarEvents,
    private readonly outbox: MailOutbox,
    private readonly audience: MeetingAudience,
  ) {}

  /** The series' people now (chair and core members) with addresses a calendar can hold. */
  async people(m: EntityManager, series: MeetingSeries): Promise<CalendarPerson[]> {
    return seriesAudience(await this.audience.seriesFacts(m, series)).filter((p) => isCalendarAddress(p.email));
  }

  /** Sends what the change means to each person whose copy of the series it changes; returns how many messages. */
  async changed(m: EntityManager, seriesId: string, change: SeriesChange): Promise<number> {
    const state = await this.state(m, seriesId);
    let sent = 0;
    if (change.kind === 'cancelled') {
      for (const person of state.people) {
        if (!this.gets(state, change.meeting, person)) continue;
        await this.sendInstanceCancel(m, state, change.meeting, person);
        sent += 1;
      }
      return sent;
    }
    const before = change.kind === 'people' ? change.before : state.people;
    for (const person of state.people) {
      const plan = this.planFor(state, person);
      if (!plan) {
        // They hold none of its meetings any more (a series' chair whose every meeting has been
        // given another chair): only a change of chair or of people can have done that.
        if (change.kind === 'chair' || change.kind === 'people' || ('chairChanged' in change && change.chairChanged)) {
          await this.sendUninvite(m, state, person);
          sent += 1;
        }
        continue;
      }
      const joining = !inSeriesAudience(before, person);
      if ((change.kind === 'moved' || change.kind === 'updated') && !change.chairChanged) {
        if (!this.gets(state, change.meeting, person)) continue; // their copy leaves that meeting out
      }
      await this.sendSeries(m, state, plan, person, joining ? { kind: 'new' } : change);
      sent += 1;
    }
    if (change.kind === 'people') {
      for (const person of change.before) {
        if (inSeriesAudience(state.people, person) || !isCalendarAddress(person.email)) continue;
        await this.sendUninvite(m, state, person);
        sent += 1;
      }
    }
    return sent;
  }

  /**
   * Someone in the series' people changed how meetings reach their calendar: the series as an
   * invitation again ('start') or the invitation copy taken out ('stop'), to them alone.
   */
  async handOver(m: EntityManager, seriesId: string, person: CalendarPerson, starting: boolean): Promise<boolean> {
    const state = await this.state(m, seriesId);
    if (!inSeriesAudience(state.people, person)) return false;
    const plan = this.planFor(state, person);
    if (!plan) return false;
    const { series } = state;
    const rule = describeRecurrence(seriesRecurrence(series)).toLowerCase();
    await this.outbox.enqueue(m, {
      kind: 'calendar-handover',
      to: person.email,
      subject: starting ? `${series.title}: ${rule}` : `Invitation taken out: ${series.title}, ${rule}`,
      content: {
        greeting: person.name ? `Hello ${person.name},` : 'Hello,',
        paragraphs: starting
          ? [
              `You asked for invitations by email again. This is the invitation for the ${series.title} (${rule}), every meeting of it in one entry.`,
            ]
          : [
              `You chose to have meetings only through your calendar link. This email takes the invitation for the ${series.title} (${rule}) out of your calendar; its meetings stay in your calendar link.`,
            ],
        action: { label: 'Open your meetings', url: `${this.config.publicUrl}/meetings` },
      },
      calendar: starting
        ? { method: 'REQUEST', content: this.render(state, plan), filename: SERIES_FILENAMES.new }
        : { method: 'CANCEL', content: this.renderUninvite(state, plan, person), filename: SERIES_FILENAMES.uninvite },
      forChoiceChange: true,
      subjectType: 'series',
      subjectId: series.id,
    });
    return true;
  }

  /** Raises the series' SEQUENCE in the database (two changes at once cannot share a number) and reads what the change needs. */
  private async state(m: EntityManager, seriesId: string): Promise<SeriesState> {
    await m.increment(MeetingSeries, { id: seriesId }, 'sequence', 1);
    const series = await m.findOneByOrFail(MeetingSeries, { id: seriesId });
    const meetings = await m.find(Meeting, { where: { seriesId }, order: { occurrenceDate: 'ASC' } });
    return {
      series,
      meetings,
      facts: await this.audience.facts(m, meetings),
      people: await this.people(m, series),
    };
  }

  private gets(state: SeriesState, meeting: Meeting, person: CalendarPerson): boolean {
    return getsWholeMeeting(reasonsToAttend(state.facts.get(meeting.id)!, { email: person.email }));
  }

  private planFor(state: SeriesState, person: CalendarPerson): SeriesPlan | null {
    return planSeriesInvite(state.series, state.meetings, (x) => this.gets(state, x as Meeting, person));
  }

  private render(state: SeriesState, plan: SeriesPlan): string {
    const input = this.events.forSeries(state.series, plan, state.people, (x) =>
      wholeMeetingAudience(state.facts.get(x.id)!).filter((p) => isCalendarAddress(p.email)),
    );
    return buildSeriesInvite('REQUEST', input);
  }

  private renderUninvite(state: SeriesState, plan: SeriesPlan, person: CalendarPerson): string {
    const input = this.events.forSeries(state.series, plan, [person], () => [person]);
    return buildSeriesInvite('CANCEL', { ...input, overrides: [] }, { removesAttendees: true });
  }

  private async sendSeries(
    m: EntityManager,
    state: SeriesState,
    plan: SeriesPlan,
    person: CalendarPerson,
    change: Exclude<SeriesChange, { kind: 'cancelled' }>,
  ): Promise<void> {
    const { series } = state;
    const rule = describeRecurrence(seriesRecurrence(series)).toLowerCase();
    const last = formatLondonDate(plan.meetings[plan.meetings.length - 1].startsAt);
    const first = formatLondonDateTimeWithZone(plan.meetings[0].startsAt);
    const one = 'meeting' in change ? change.meeting : null;
    const when = one ? formatLondonDateTimeWithZone(one.startsAt) : '';
    const reason = 'reason' in change && change.reason ? [`Reason given: ${change.reason}`] : [];
    const words: Record<Exclude<SeriesChange, { kind: 'cancelled' }>['kind'], { subject: string; first: string }> = {
      new: {
        subject: `${series.title}: ${rule}, from ${first}`,
        first: `This invitation is for every meeting of the ${series.title} (${rule}), from ${first} to ${last}, in one calendar entry. It is kept up to date as meetings are added, moved or cancelled.`,
      },
      extended: {
        subject: `Updated: ${series.title}, now to ${last}`,
        first: `More meetings of the ${series.title} are planned: the series in your calendar now runs to ${last}.`,
      },
      moved: {
        subject: `Moved: ${series.title}, now ${when}`,
        first: `One meeting of the ${series.title} has moved. It is now on ${when}${one?.location ? `, ${one.location}` : ''}. The other meetings are as they were.`,
      },
      updated: {
        subject: `Changed: ${series.title}, ${when}`,
        first: `The ${series.title} on ${when} has changed${one?.location ? `: it is at ${one.location}` : ''}. The other meetings are as they were.`,
      },
      chair: {
        subject: `Changed: ${series.title}, ${when}: another chair`,
        first: `The ${series.title} on ${when} has another chair. The other meetings are as they were.`,
      },
      people: {
        subject: `Changed: ${series.title}: who is invited`,
        first: `Who is invited to the ${series.title} has changed. The meetings are as they were.`,
      },
    };
    const text = words[change.kind];
    await this.outbox.enqueue(m, {
      kind: 'series-invite',
      to: person.email,
      subject: text.subject,
      content: {
        greeting: person.name ? `Hello ${person.name},` : 'Hello,',
        paragraphs: [
          text.first,
          ...reason,
          `Can't come to one? Send your apologies to the chair or the coordinator from the meeting's page: ${this.config.publicUrl}/meetings`,
        ],
        action: one
          ? { label: 'Open the meeting', url: `${this.config.publicUrl}/meetings/${one.id}` }
          : { label: 'Open your meetings', url: `${this.config.publicUrl}/meetings` },
      },
      calendar: {
        method: 'REQUEST',
        content: this.render(state, plan),
        filename: change.kind === 'new' ? SERIES_FILENAMES.new : SERIES_FILENAMES.update,
      },
      // A new invitation, or the series running on, tells nothing the feed does not; a move or a change is news.
      invitationOnly: change.kind === 'new' || change.kind === 'extended' || change.kind === 'people',
      subjectType: 'series',
      subjectId: series.id,
    });
  }

  /** One meeting cancelled: a CANCEL of the series' UID with that meeting's RECURRENCE-ID (RFC 5546 §3.2.5). */
  private async sendInstanceCancel(
    m: EntityManager,
    state: SeriesState,
    meeting: Meeting,
    person: CalendarPerson,
  ): Promise<void> {
    const { series } = state;
    const attendees = wholeMeetingAudience(state.facts.get(meeting.id)!).filter((p) => isCalendarAddress(p.email));
    const calendar: CalendarPart = {
      method: 'CANCEL',
      content: buildInvite('CANCEL', {
        ...this.events.forMeeting(meeting, attendees.length ? attendees : [person]),
        uid: this.events.seriesUid(series.id),
        sequence: series.sequence,
        recurrenceId: wallClockToInstant(meeting.occurrenceDate, series.startTime),
      }),
      filename: SERIES_FILENAMES.cancel,
    };
    await this.outbox.enqueue(
      m,
      meetingCancelledMail(meeting, person, calendar, {
        url: `${this.config.publicUrl}/meetings/${meeting.id}`,
        ofSeries: true,
      }),
    );
  }

  /** The series leaves this person's calendar: a CANCEL of the master listing only them, the series going ahead. */
  private async sendUninvite(m: EntityManager, state: SeriesState, person: CalendarPerson): Promise<void> {
    const { series } = state;
    // The copy they had: every meeting of the series as its people get it (the rule and UID are what count).
    const plan = planSeriesInvite(series, state.meetings, () => true);
    if (!plan) return;
    await this.outbox.enqueue(m, {
      kind: 'series-uninvite',
      to: person.email,
      subject: `No longer invited: ${series.title}`,
      content: {
        greeting: person.name ? `Hello ${person.name},` : 'Hello,',
        paragraphs: [
          `You are no longer invited to the meetings of the ${series.title}. The meetings themselves go ahead; the series is removed from your calendar.`,
          'Any meeting you still chair, and any item you present, stays in your calendar as an entry of its own.',
        ],
        action: { label: 'Open your meetings', url: `${this.config.publicUrl}/meetings` },
      },
      calendar: {
        method: 'CANCEL',
        content: this.renderUninvite(state, plan, person),
        filename: SERIES_FILENAMES.uninvite,
      },
      invitationOnly: true,
      subjectType: 'series',
      subjectId: series.id,
    });
  }
}
