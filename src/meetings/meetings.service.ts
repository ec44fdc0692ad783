import { Injectable } from '@nestjs/common';
import { And, DataSource, EntityManager, In, LessThan, MoreThanOrEqual } from 'typeorm';
import { DateTime } from 'luxon';
import { AuditService } from '../audit/audit.service';
import { ACTIVE_STATUSES, Booking } from '../bookings/booking.entity';
import { BookingNotifier } from '../bookings/booking-notifier';
import { Clock } from '../common/clock';
import { DomainError, validationFailed } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { bookingClosesAt, instantToLondon, LONDON_ZONE, planOccurrences } from '../scheduling/calendar-rules';
import { CreateSeriesDto } from './dto/series.dto';
import { ListMeetingsQuery, UpdateMeetingDto } from './dto/meeting.dto';
import { chairsMeeting } from './meeting-access';
import { MeetingGenerator } from './meeting-generator';
import { findMeetingForUpdate } from './meeting-lock';
import { MeetingSeries } from './meeting-series.entity';
import { Meeting } from './meeting.entity';
import { MeetingView, toMeetingView } from './meeting.views';

const DEFAULT_LIST_WEEKS = 12;
const MAX_LIST_DAYS = 800;

@Injectable()
export class MeetingsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly generator: MeetingGenerator,
    private readonly notifier: BookingNotifier,
  ) {}

  // --- series ---

  async createSeries(dto: CreateSeriesDto): Promise<{ series: MeetingSeries; meetings: Meeting[] }> {
    const series = this.dataSource.manager.create(MeetingSeries, {
      title: dto.title,
      firstMeetingDate: dto.firstMeetingDate,
      startTime: dto.startTime,
      durationMinutes: dto.durationMinutes,
      slotMinutes: dto.slotMinutes,
      intervalWeeks: dto.intervalWeeks ?? 2,
      location: dto.location ?? null,
      onlineUrl: dto.onlineUrl ?? null,
      chairUserId: dto.chairUserId ?? null,
      bookingClosesWorkingDaysBefore: dto.bookingClosesWorkingDaysBefore ?? 2,
      bankHolidayPolicy: dto.bankHolidayPolicy,
      horizonWeeks: dto.horizonWeeks ?? 26,
      active: true,
    });
    this.checkSeriesRules(series);
    return this.tx.run(async (m) => {
      if (series.chairUserId) await this.requireChair(m, series.chairUserId, 'chairUserId');
      await m.insert(MeetingSeries, series);
      const added = await this.generator.topUp(m, series);
      await this.audit.record(m, { action: 'series.created', entityType: 'series', entityId: series.id, details: { meetingsGenerated: added } });
      const meetings = await m.find(Meeting, { where: { seriesId: series.id }, order: { startsAt: 'ASC' } });
      return { series, meetings };
    });
  }

  listSeries(): Promise<MeetingSeries[]> {
    return this.dataSource.manager.find(MeetingSeries, { order: { createdAt: 'ASC' } });
  }

  /** Adds the meetings each active series is missing up to its horizon (the daily job). */
  async topUpAll(): Promise<number> {
    const all = await this.dataSource.manager.findBy(MeetingSeries, { active: true });
    let added = 0;
    for (const series of all) {
      added += await this.tx.run((m) => this.generator.topUp(m, series));
    }
    return added;
  }

  // --- meetings ---

  async list(query: ListMeetingsQuery, reader: User): Promise<MeetingView[]> {
    const from = query.from ? parseBoundary(query.from) : DateTime.fromJSDate(this.clock.now(), { zone: LONDON_ZONE }).startOf('day').toJSDate();
    const to = query.to ? parseBoundary(query.to) : new Date(from.getTime() + DEFAULT_LIST_WEEKS * 7 * 86_400_000);
    if (to <= from) throw validationFailed([{ field: 'to', messages: ['must be after from'] }]);
    if (to.getTime() - from.getTime() > MAX_LIST_DAYS * 86_400_000) {
      throw validationFailed([{ field: 'to', messages: [`must be within ${MAX_LIST_DAYS} days of from`] }]);
    }
    const m = this.dataSource.manager;
    const meetings = await m.find(Meeting, {
      where: { startsAt: And(MoreThanOrEqual(from), LessThan(to)) },
      order: { startsAt: 'ASC' },
    });
    return this.withAgendas(m, meetings, reader);
  }

  async get(id: string, reader: User): Promise<MeetingView> {
    const m = this.dataSource.manager;
    const meeting = await m.findOneBy(Meeting, { id });
    if (!meeting) throw DomainError.notFound('The meeting');
    return (await this.withAgendas(m, [meeting], reader))[0];
  }

  /** Moves a meeting (its slots move with it) or changes its place, link or chair; presenters are told. */
  async update(id: string, dto: UpdateMeetingDto, actor: User): Promise<MeetingView> {
    await this.tx.run(async (m) => {
      const meeting = await findMeetingForUpdate(m, id);
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(actor, meeting)) throw DomainError.forbidden('Only the chair of this meeting or a coordinator can change it.');
      if (meeting.status === 'cancelled') throw DomainError.conflict('MEETING_CANCELLED', 'This meeting has been cancelled and cannot be changed.');
      const changes: Record<string, unknown> = {};

      if (dto.startsAt !== undefined) {
        const startsAt = new Date(dto.startsAt);
        if (startsAt <= this.clock.now()) throw validationFailed([{ field: 'startsAt', messages: ['must be in the future'] }]);
        const series = await m.findOneByOrFail(MeetingSeries, { id: meeting.seriesId });
        const length = meeting.endsAt.getTime() - meeting.startsAt.getTime();
        changes.startsAt = { from: meeting.startsAt.toISOString(), to: startsAt.toISOString() };
        meeting.startsAt = startsAt;
        meeting.endsAt = new Date(startsAt.getTime() + length);
        meeting.bookingClosesAt = bookingClosesAt(instantToLondon(startsAt).date, series.bookingClosesWorkingDaysBefore, this.config.BOOKING_CLOSING_TIME);
      }
      if (dto.location !== undefined && dto.location !== meeting.location) {
        changes.location = true;
        meeting.location = dto.location || null;
      }
      if (dto.onlineUrl !== undefined && dto.onlineUrl !== meeting.onlineUrl) {
        changes.onlineUrl = true;
        meeting.onlineUrl = dto.onlineUrl || null;
      }
      if (dto.chairUserId !== undefined && dto.chairUserId !== meeting.chairUserId) {
        await this.requireChair(m, dto.chairUserId, 'chairUserId');
        changes.chairUserId = { from: meeting.chairUserId, to: dto.chairUserId };
        meeting.chairUserId = dto.chairUserId;
      }
      if (Object.keys(changes).length === 0) return;

      const timeOrPlace = changes.startsAt || changes.location || changes.onlineUrl;
      if (timeOrPlace) meeting.sequence += 1;
      await m.save(meeting);
      await this.audit.record(m, { action: 'meeting.updated', entityType: 'meeting', entityId: meeting.id, details: { ...changes, reason: dto.reason ?? null } });

      if (timeOrPlace) {
        const items = await this.activeItems(m, [meeting.id]);
        for (const item of items) {
          if (item.status === 'booked') await m.update(Booking, { id: item.id }, { sequence: item.sequence + 1 });
          await this.notifier.notify(m, 'moved', item, meeting, item.presenter, { reason: dto.reason });
        }
      }
    });
    return this.get(id, actor);
  }

  /** Cancels a meeting; every item on it is kept, marked so that it can be rebooked, and its presenter told. */
  async cancel(id: string, reason: string, actor: User): Promise<MeetingView> {
    await this.tx.run(async (m) => {
      const meeting = await findMeetingForUpdate(m, id);
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(actor, meeting)) throw DomainError.forbidden('Only the chair of this meeting or a coordinator can cancel it.');
      if (meeting.status === 'cancelled') throw DomainError.conflict('MEETING_CANCELLED', 'This meeting is already cancelled.');
      if (meeting.endsAt <= this.clock.now()) throw DomainError.conflict('MEETING_OVER', 'This meeting has already taken place.');
      const items = await this.activeItems(m, [meeting.id]);
      await m.update(
        Meeting,
        { id: meeting.id },
        { status: 'cancelled', cancelledAt: this.clock.now(), cancelledByUserId: actor.id, cancelReason: reason, sequence: meeting.sequence + 1 },
      );
      Object.assign(meeting, { status: 'cancelled', cancelReason: reason });
      for (const item of items) {
        await m.update(Booking, { id: item.id }, { status: 'meeting-cancelled', slotIndex: null, waitlistedAt: null, sequence: item.sequence + 1 });
        await this.notifier.notify(m, 'meeting-cancelled', item, meeting, item.presenter, { reason });
      }
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
    const items = await this.activeItems(m, meetings.map((x) => x.id));
    const byMeeting = new Map<string, Booking[]>();
    for (const item of items) byMeeting.set(item.meetingId, [...(byMeeting.get(item.meetingId) ?? []), item]);
    return meetings.map((meeting) =>
      toMeetingView(meeting, byMeeting.get(meeting.id) ?? [], { id: reader.id, seesAgenda: chairsMeeting(reader, meeting) }),
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

  /** The calendar rules throw RangeError for impossible series; they become field messages. */
  private checkSeriesRules(series: MeetingSeries): void {
    const errors = [];
    if (series.slotMinutes > series.durationMinutes) errors.push({ field: 'slotMinutes', messages: ['must not be longer than the meeting'] });
    if (!DateTime.fromISO(series.firstMeetingDate, { zone: LONDON_ZONE }).isValid) {
      errors.push({ field: 'firstMeetingDate', messages: ['is not a real date'] });
    } else {
      try {
        planOccurrences({
          firstMeetingDate: series.firstMeetingDate,
          intervalWeeks: series.intervalWeeks,
          until: series.firstMeetingDate,
          policy: series.bankHolidayPolicy,
        });
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        errors.push({ field: 'firstMeetingDate', messages: [err.message] });
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

