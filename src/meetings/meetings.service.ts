import { Injectable, Logger } from '@nestjs/common';
import { And, EntityManager, In, LessThan, MoreThanOrEqual } from 'typeorm';
import { DateTime } from 'luxon';
import { AuditService } from '../audit/audit.service';
import { ACTIVE_STATUSES, Booking } from '../bookings/booking.entity';
import { BookingNotifier } from '../bookings/booking-notifier';
import { CalendarInvites } from '../calendar/calendar-invites';
import { CaseTextCheck } from '../case-text/case-text.check';
import { Clock } from '../common/clock';
import { DomainError, validationFailed } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import {
  LONDON_ZONE,
  bookingClosesAt,
  instantToLondon,
  isBankHoliday,
  isWorkingDay,
  planOccurrences,
  londonToday,
  formatRecurrence,
  parseRecurrence,
  seriesRecurrence,
} from '../scheduling/calendar-rules';
import type { Recurrence } from '../scheduling/calendar-rules';
import { CreateSeriesDto, UpdateSeriesDto } from './dto/series.dto';
import { SeriesCoreMember } from './series-core-member.entity';
import { ListMeetingsQuery, UpdateMeetingDto } from './dto/meeting.dto';
import { formatLondonDate } from '../scheduling/london-format';
import { chairsMeeting } from './meeting-access';
import { meetingState } from './meeting-lifecycle';
import { Minutes } from '../minutes/minutes.entity';
import { MeetingGenerator } from './meeting-generator';
import { findMeetingForUpdate } from './meeting-lock';
import { MeetingSeries } from './meeting-series.entity';
import { Meeting } from './meeting.entity';
import { MeetingView, toMeetingView } from './meeting.views';

const DEFAULT_LIST_WEEKS = 12;
const MAX_LIST_DAYS = 800;

@Injectable()
export class MeetingsService {
  private readonly logger = new Logger(MeetingsService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly generator: MeetingGenerator,
    private readonly notifier: BookingNotifier,
    private readonly invites: CalendarInvites,
    private readonly caseText: CaseTextCheck,
  ) {}

  // --- series ---

  async createSeries(dto: CreateSeriesDto): Promise<{ series: MeetingSeries; meetings: Meeting[] }> {
    const rule = this.seriesRule(dto);
    const series = Object.assign(new MeetingSeries(), {
      title: dto.title,
      firstMeetingDate: dto.firstMeetingDate,
      startTime: dto.startTime,
      durationMinutes: dto.durationMinutes,
      slotMinutes: dto.slotMinutes,
      intervalWeeks: rule?.freq === 'weekly' ? rule.interval : (dto.intervalWeeks ?? 2),
      // A weekly rule is every N weeks; only a monthly one needs its RRULE kept.
      recurrence: rule?.freq === 'monthly' ? formatRecurrence(rule) : null,
      location: dto.location ?? null,
      onlineUrl: dto.onlineUrl ?? null,
      chairUserId: dto.chairUserId ?? null,
      bookingClosesWorkingDaysBefore: dto.bookingClosesWorkingDaysBefore ?? 2,
      bankHolidayPolicy: dto.bankHolidayPolicy,
      horizonWeeks: dto.horizonWeeks ?? 26,
      active: true,
      calendarInvites: dto.calendarInvites ?? 'series',
      sequence: 0,
    });
    this.checkSeriesRules(series, rule);
    // A new series starts today or later: its meetings are invitations, not history.
    if (series.firstMeetingDate < londonToday(this.clock.now()))
      throw validationFailed([{ field: 'firstMeetingDate', messages: ['must be today or later'] }]);
    return this.tx.write(async (m) => {
      if (series.chairUserId) await this.requireChair(m, series.chairUserId, 'chairUserId');
      await m.insert(MeetingSeries, series);
      const added = await this.generator.topUp(m, series);
      await this.invites.meetingsAdded(m, series, added, 'new');
      await this.audit.record(m, {
        action: 'series.created',
        entityType: 'series',
        entityId: series.id,
        details: { meetingsGenerated: added.length },
      });
      const meetings = await m.find(Meeting, { where: { seriesId: series.id }, order: { startsAt: 'ASC' } });
      return { series, meetings };
    });
  }

  /**
   * Changes a series' core members (who are sent, or lose, its upcoming meetings), its public dates
   * feed, its chair (the upcoming meetings that had the series' chair move with it) or whether it
   * goes on (an ended series adds no more meetings).
   */
  async updateSeries(id: string, dto: UpdateSeriesDto): Promise<MeetingSeries> {
    return this.tx.write(async (m) => {
      const series = await m.findOneBy(MeetingSeries, { id });
      if (!series) throw DomainError.notFound('The series');
      if (dto.chairUserId !== undefined && dto.chairUserId !== series.chairUserId) {
        await this.requireChair(m, dto.chairUserId, 'chairUserId');
        const from = series.chairUserId;
        const recurring = series.calendarInvites === 'series';
        const before = recurring ? await this.invites.seriesPeople(m, series) : [];
        const reassigned: string[] = [];
        for (const meeting of await this.invites.upcoming(m, id, this.clock.now())) {
          if (meeting.chairUserId !== from) continue; // given another chair on its own: kept
          await this.changeChair(m, meeting, dto.chairUserId, { series: true, quiet: recurring });
          reassigned.push(meeting.id);
        }
        const moved = reassigned.length;
        series.chairUserId = dto.chairUserId;
        await m.update(MeetingSeries, { id }, { chairUserId: dto.chairUserId });
        // One recurring invite: one message to each person for the whole change.
        if (recurring) await this.invites.seriesPeopleChanged(m, series, before, this.clock.now(), reassigned);
        await this.audit.record(m, {
          action: 'series.chair-changed',
          entityType: 'series',
          entityId: id,
          details: { from, to: dto.chairUserId, meetingsMoved: moved },
        });
      }
      if (dto.active !== undefined && dto.active !== series.active) {
        series.active = dto.active;
        await m.update(MeetingSeries, { id }, { active: dto.active });
        let added = 0;
        if (dto.active) {
          const meetings = await this.generator.topUp(m, series);
          await this.invites.meetingsAdded(m, series, meetings, 'new');
          added = meetings.length;
        }
        await this.audit.record(m, {
          action: dto.active ? 'series.resumed' : 'series.ended',
          entityType: 'series',
          entityId: id,
          details: dto.active ? { meetingsGenerated: added } : {},
        });
      }
      if (dto.publicDatesFeed !== undefined && dto.publicDatesFeed !== series.publicDatesFeed) {
        series.publicDatesFeed = dto.publicDatesFeed;
        await m.update(MeetingSeries, { id }, { publicDatesFeed: dto.publicDatesFeed });
        await this.audit.record(m, {
          action: 'series.public-feed-changed',
          entityType: 'series',
          entityId: id,
          details: { enabled: dto.publicDatesFeed },
        });
      }
      if (dto.coreMembers) {
        const before = await m.findBy(SeriesCoreMember, { seriesId: id });
        const wanted = new Map(dto.coreMembers.map((c) => [c.email, c]));
        const removed = before.filter((c) => !wanted.has(c.email));
        const added = dto.coreMembers.filter((c) => !before.some((b) => b.email === c.email));
        const peopleBefore = await this.invites.seriesPeople(m, series);
        // The new list first: who still has a reason to be at each meeting is read from it.
        await m.delete(SeriesCoreMember, { seriesId: id });
        for (const c of dto.coreMembers)
          await m.insert(SeriesCoreMember, { seriesId: id, email: c.email, name: c.name ?? null });
        if (removed.length || added.length) {
          await this.invites.coreMembersChanged(m, series, {
            peopleBefore,
            removed: removed.map((c) => ({ email: c.email, name: c.name ?? undefined })),
            added: added.map((c) => ({ email: c.email, name: c.name ?? undefined })),
            now: this.clock.now(),
          });
        }
        await this.audit.record(m, {
          action: 'series.core-members-changed',
          entityType: 'series',
          entityId: id,
          details: { added: added.length, removed: removed.length },
        });
      }
      return series;
    });
  }

  coreMembers(seriesId: string): Promise<SeriesCoreMember[]> {
    return this.tx.read((m) => m.find(SeriesCoreMember, { where: { seriesId }, order: { email: 'ASC' } }));
  }

  listSeries(): Promise<MeetingSeries[]> {
    return this.tx.read((m) => m.find(MeetingSeries, { order: { createdAt: 'ASC' } }));
  }

  /** Adds the meetings each active series is missing up to its horizon (the daily job). */
  async topUpAll(): Promise<number> {
    const all = await this.tx.read((m) => m.findBy(MeetingSeries, { active: true }));
    let added = 0;
    for (const series of all) {
      // One series that fails (a bad row, a bug) is logged and retried tomorrow; the others go on.
      try {
        added += await this.tx.write(async (m) => {
          const meetings = await this.generator.topUp(m, series);
          await this.invites.meetingsAdded(m, series, meetings, 'extended');
          return meetings.length;
        });
      } catch (err) {
        this.logger.error(`Meeting top-up failed for series ${series.id}: ${(err as Error).message}`);
      }
    }
    return added;
  }

  // --- meetings ---

  async list(query: ListMeetingsQuery, reader: User): Promise<MeetingView[]> {
    const from = query.from
      ? parseBoundary(query.from)
      : DateTime.fromJSDate(this.clock.now(), { zone: LONDON_ZONE }).startOf('day').toJSDate();
    const to = query.to ? parseBoundary(query.to) : new Date(from.getTime() + DEFAULT_LIST_WEEKS * 7 * 86_400_000);
    if (to <= from) throw validationFailed([{ field: 'to', messages: ['must be after from'] }]);
    if (to.getTime() - from.getTime() > MAX_LIST_DAYS * 86_400_000) {
      throw validationFailed([{ field: 'to', messages: [`must be within ${MAX_LIST_DAYS} days of from`] }]);
    }
    return this.tx.read(async (m) => {
      const meetings = await m.find(Meeting, {
        where: { startsAt: And(MoreThanOrEqual(from), LessThan(to)) },
        order: { startsAt: 'ASC' },
      });
      return this.withAgendas(m, meetings, reader);
    });
  }

  async get(id: string, reader: User): Promise<MeetingView> {
    return this.tx.read(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id });
      if (!meeting) throw DomainError.notFound('The meeting');
      return (await this.withAgendas(m, [meeting], reader))[0];
    });
  }

  /** Moves a meeting (its slots move with it) or changes its place, link or chair; presenters are told. */
  async update(id: string, dto: UpdateMeetingDto, actor: User): Promise<MeetingView> {
    await this.tx.write(async (m) => {
      const meeting = await findMeetingForUpdate(m, id);
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(actor, meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can change it.');
      // The reason goes to presenters by e-mail and into the audit log: no identifying details.
      if (dto.reason) this.caseText.check(Meeting, { cancelReason: dto.reason });
      if (meeting.status === 'cancelled')
        throw DomainError.conflict('MEETING_CANCELLED', 'This meeting has been cancelled and cannot be changed.');
      // A meeting that has taken place is a record: moving it would re-send invites for the past.
      if (meeting.endsAt <= this.clock.now())
        throw DomainError.conflict('MEETING_OVER', 'This meeting has already taken place.');
      if (dto.version !== undefined && dto.version !== meeting.sequence) {
        throw DomainError.conflict(
          'MEETING_VERSION_CONFLICT',
          'This meeting has changed since you opened it. Reload it, check the changes and try again.',
          { version: meeting.sequence },
        );
      }
      const changes: Record<string, unknown> = {};

      if (dto.startsAt !== undefined) {
        const startsAt = new Date(dto.startsAt);
        if (startsAt <= this.clock.now())
          throw validationFailed([{ field: 'startsAt', messages: ['must be in the future'] }]);
        // A weekend or bank holiday is allowed, but only when asked for: it also moves the booking deadline.
        const day = instantToLondon(startsAt).date;
        if (!isWorkingDay(day) && !dto.confirmNonWorkingDay) {
          throw DomainError.conflict(
            'NON_WORKING_DAY',
            `${formatLondonDate(startsAt)} is ${isBankHoliday(day) ? 'a bank holiday' : 'a weekend'}. Confirm that the meeting should be held then.`,
            { date: day, reason: isBankHoliday(day) ? 'bank-holiday' : 'weekend' },
          );
        }
        const series = await m.findOneByOrFail(MeetingSeries, { id: meeting.seriesId });
        const length = meeting.endsAt.getTime() - meeting.startsAt.getTime();
        changes.startsAt = { from: meeting.startsAt.toISOString(), to: startsAt.toISOString() };
        meeting.startsAt = startsAt;
        meeting.movedAt = this.clock.now();
        meeting.endsAt = new Date(startsAt.getTime() + length);
        meeting.bookingClosesAt = bookingClosesAt(
          instantToLondon(startsAt).date,
          series.bookingClosesWorkingDaysBefore,
          this.config.BOOKING_CLOSING_TIME,
        );
      }
      if (dto.location !== undefined && dto.location !== meeting.location) {
        changes.location = true;
        meeting.location = dto.location || null;
      }
      if (dto.onlineUrl !== undefined && dto.onlineUrl !== meeting.onlineUrl) {
        changes.onlineUrl = true;
        meeting.onlineUrl = dto.onlineUrl || null;
      }
      const newChair = dto.chairUserId !== undefined && dto.chairUserId !== meeting.chairUserId;
      if (newChair) await this.requireChair(m, dto.chairUserId!, 'chairUserId');
      if (Object.keys(changes).length === 0) {
        if (newChair) await this.changeChair(m, meeting, dto.chairUserId!, { reason: dto.reason });
        return;
      }
      if (newChair) {
        changes.chairUserId = { from: meeting.chairUserId, to: dto.chairUserId };
        meeting.chairUserId = dto.chairUserId!;
      }

      const timeOrPlace = changes.startsAt || changes.location || changes.onlineUrl;
      meeting.sequence += 1; // every change of time, place or attendees is a new version of the calendar entry
      await m.save(meeting);
      await this.audit.record(m, {
        action: 'meeting.updated',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { ...changes, reason: dto.reason ?? null },
      });

      if (timeOrPlace) {
        const items = await this.activeItems(m, [meeting.id]);
        for (const item of items) {
          if (item.status === 'booked') {
            item.sequence += 1;
            await m.update(Booking, { id: item.id }, { sequence: item.sequence });
          }
          await this.notifier.notify(m, 'moved', item, meeting, item.presenter, { reason: dto.reason });
        }
      }
      const change = changes.startsAt ? 'moved' : 'updated';
      const chairFrom = changes.chairUserId ? (changes.chairUserId as { from: string | null }).from : undefined;
      // Time or place changed: everyone (the new chair included) gets the new version.
      await this.invites.meetingUpdated(m, meeting, change, { reason: dto.reason, chairFrom });
    });
    return this.get(id, actor);
  }

  /**
   * A new chair for one meeting and nothing else: a new version of the entry, the old chair told
   * they are no longer invited (unless still a core member), the new chair sent the meeting.
   */
  private async changeChair(
    m: EntityManager,
    meeting: Meeting,
    chairUserId: string,
    opts: { reason?: string; series?: boolean; quiet?: boolean },
  ): Promise<void> {
    const from = meeting.chairUserId;
    meeting.chairUserId = chairUserId;
    meeting.sequence += 1;
    await m.update(Meeting, { id: meeting.id }, { chairUserId, sequence: meeting.sequence });
    await this.audit.record(m, {
      action: 'meeting.updated',
      entityType: 'meeting',
      entityId: meeting.id,
      details: {
        chairUserId: { from, to: chairUserId },
        reason: opts.reason ?? null,
        ...(opts.series ? { bySeries: true } : {}),
      },
    });
    // `quiet`: part of a change of the series' chair, whose recurring invite goes once for all its meetings.
    if (!opts.quiet) await this.invites.meetingChairChanged(m, meeting, from);
  }

  /** Cancels a meeting; every item on it is kept, marked so that it can be rebooked, and its presenter told. */
  async cancel(id: string, reason: string, actor: User): Promise<MeetingView> {
    await this.tx.write(async (m) => {
      const meeting = await findMeetingForUpdate(m, id);
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(actor, meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can cancel it.');
      // The reason is shown to everyone and e-mailed to presenters: no identifying details.
      this.caseText.check(Meeting, { cancelReason: reason });
      if (meeting.status === 'cancelled')
        throw DomainError.conflict('MEETING_CANCELLED', 'This meeting is already cancelled.');
      if (meeting.endsAt <= this.clock.now())
        throw DomainError.conflict('MEETING_OVER', 'This meeting has already taken place.');
      const items = await this.activeItems(m, [meeting.id]);
      await m.update(
        Meeting,
        { id: meeting.id },
        {
          status: 'cancelled',
          cancelledAt: this.clock.now(),
          cancelledByUserId: actor.id,
          cancelReason: reason,
          sequence: meeting.sequence + 1,
        },
      );
      Object.assign(meeting, { status: 'cancelled', cancelReason: reason, sequence: meeting.sequence + 1 });
      for (const item of items) {
        const hadSlot = item.status === 'booked';
        Object.assign(item, { status: 'meeting-cancelled', sequence: item.sequence + 1 });
        await m.update(
          Booking,
          { id: item.id },
          { status: 'meeting-cancelled', slotIndex: null, waitlistedAt: null, sequence: item.sequence },
        );
        // The notification (and its CANCEL) still names the slot the item had.
        await this.notifier.notify(m, 'meeting-cancelled', item, meeting, item.presenter, { reason, hadSlot });
      }
      await this.invites.meetingCancelled(m, meeting);
      await this.audit.record(m, {
        action: 'meeting.cancelled',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { reason, itemsAffected: items.length },
      });
    });
    return this.get(id, actor);
  }

  // --- helpers ---

  private async withAgendas(m: EntityManager, meetings: Meeting[], reader: User): Promise<MeetingView[]> {
    const items = await this.activeItems(
      m,
      meetings.map((x) => x.id),
    );
    const byMeeting = new Map<string, Booking[]>();
    for (const item of items) byMeeting.set(item.meetingId, [...(byMeeting.get(item.meetingId) ?? []), item]);
    const ids = meetings.map((x) => x.id);
    const approved = new Set(
      ids.length
        ? (
            await m.find(Minutes, {
              where: { meetingId: In(ids), status: 'approved' },
              select: { id: true, meetingId: true },
            })
          ).map((x) => x.meetingId)
        : [],
    );
    const now = this.clock.now();
    return meetings.map((meeting) =>
      toMeetingView(meeting, byMeeting.get(meeting.id) ?? [], {
        id: reader.id,
        seesAgenda: chairsMeeting(reader, meeting),
        state: meetingState(meeting, now, approved.has(meeting.id)),
      }),
    );
  }

  private activeItems(m: EntityManager, meetingIds: string[]): Promise<Booking[]> {
    if (meetingIds.length === 0) return Promise.resolve([]);
    return m.find(Booking, {
      where: { meetingId: In(meetingIds), status: In(ACTIVE_STATUSES) },
      relations: { presenter: true, agency: true },
    });
  }

  private async requireChair(m: EntityManager, userId: string, field: string): Promise<void> {
    const user = await m.findOneBy(User, { id: userId });
    if (!user || !user.active || !user.hasRole('chair', 'coordinator')) {
      throw validationFailed([{ field, messages: ['must be an active user with the chair role'] }]);
    }
  }

  /** The request's RRULE, read and checked (field `recurrence`); undefined for every N weeks. */
  private seriesRule(dto: CreateSeriesDto): Recurrence | undefined {
    if (dto.recurrence === undefined) return undefined;
    if (dto.intervalWeeks !== undefined)
      throw validationFailed([
        { field: 'recurrence', messages: ['must not be given with intervalWeeks: give one or the other'] },
      ]);
    try {
      return parseRecurrence(dto.recurrence);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw validationFailed([{ field: 'recurrence', messages: [err.message] }]);
    }
  }

  /** The calendar rules throw RangeError for impossible series; they become field messages. */
  private checkSeriesRules(series: MeetingSeries, rule = seriesRecurrence(series)): void {
    const errors = [];
    if (series.slotMinutes > series.durationMinutes)
      errors.push({ field: 'slotMinutes', messages: ['must not be longer than the meeting'] });
    if (!DateTime.fromISO(series.firstMeetingDate, { zone: LONDON_ZONE }).isValid) {
      errors.push({ field: 'firstMeetingDate', messages: ['is not a real date'] });
    } else {
      try {
        planOccurrences({
          firstMeetingDate: series.firstMeetingDate,
          intervalWeeks: series.intervalWeeks,
          recurrence: rule,
          until: series.firstMeetingDate,
          policy: series.bankHolidayPolicy,
        });
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        errors.push({ field: 'firstMeetingDate', messages: [err.message.replace(/^firstMeetingDate /, '')] });
      }
    }
    if (errors.length) throw validationFailed(errors);
  }
}

/** A date alone means the start of that day in London; an instant is taken as given. */
function parseBoundary(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone: LONDON_ZONE }).startOf('day').toJSDate()
    : new Date(value);
}
