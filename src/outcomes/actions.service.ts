import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager, In, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { DomainError, FieldError, validationFailed } from '../common/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { CaseTextCheck } from '../case-text/case-text.check';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { assertMinutesEditable } from '../minutes/minutes-lock';
import { LONDON_ZONE, londonToday } from '../scheduling/calendar-rules';
import { carriedForwardTo, isOverdue } from './action-rules';
import { ActionView, MeetingActionsView, toActionView } from './action.views';
import { CreateActionDto, UpdateActionDto } from './dto/action.dto';
import { MeetingAction } from './meeting-action.entity';
import { lockMeetingForRecording } from './record-access';

/** A meeting's actions as records: those agreed there, and those carried forward to it. */
export interface MeetingActions {
  raised: MeetingAction[];
  carriedForward: MeetingAction[];
  /** The items the actions arose from, by id. */
  items: Map<string, Booking>;
}

@Injectable()
export class ActionsService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly caseText: CaseTextCheck,
  ) {}

  async create(meetingId: string, dto: CreateActionDto, user: User): Promise<ActionView> {
    return this.tx.write(async (m) => {
      const meeting = await lockMeetingForRecording(m, meetingId, user);
      await assertMinutesEditable(m, meeting.id);
      const action = await this.apply(m, meeting, dto, user, { viaAmendment: false });
      return this.viewOf(m, action, meeting);
    });
  }

  /** Adds an action inside the caller's transaction (meeting locked); also used by amendments. */
  async apply(
    m: EntityManager,
    meeting: Meeting,
    dto: CreateActionDto,
    actor: User,
    opts: { viaAmendment: boolean },
  ): Promise<MeetingAction> {
    const errors: FieldError[] = [];
    const due = DateTime.fromISO(dto.dueDate, { zone: LONDON_ZONE });
    if (!due.isValid) errors.push({ field: 'dueDate', messages: ['is not a real date'] });
    else if (dto.dueDate < londonToday(this.clock.now()))
      errors.push({ field: 'dueDate', messages: ['must be today or later'] });
    if (!(await m.findOneBy(Agency, { id: dto.ownerAgencyId })))
      errors.push({ field: 'ownerAgencyId', messages: ['is not a known agency'] });
    if (dto.bookingId) {
      const item = await m.findOneBy(Booking, { id: dto.bookingId, meetingId: meeting.id, status: 'booked' });
      if (!item) errors.push({ field: 'bookingId', messages: ['must be an item on this meeting’s agenda'] });
    }
    if (errors.length) throw validationFailed(errors);
    this.caseText.check(MeetingAction, { description: dto.description, ownerName: dto.ownerName });

    const action = m.create(MeetingAction, {
      meetingId: meeting.id,
      seriesId: meeting.seriesId,
      bookingId: dto.bookingId ?? null,
      description: dto.description,
      ownerAgencyId: dto.ownerAgencyId,
      ownerName: dto.ownerName ?? null,
      dueDate: dto.dueDate,
      status: 'open',
      closedReason: null,
      resolvedAt: null,
      resolvedByUserId: null,
      createdByUserId: actor.id,
      caseTextErasedAt: null,
    });
    await m.insert(MeetingAction, action);
    await this.audit.record(m, {
      action: 'action.created',
      entityType: 'action',
      entityId: action.id,
      details: {
        meetingId: meeting.id,
        ownerAgencyId: action.ownerAgencyId,
        dueDate: action.dueDate,
        bookingId: action.bookingId,
        viaAmendment: opts.viaAmendment,
      },
    });
    return action;
  }

  /**
   * Marks an action done, closes it with a reason, or reopens it. This changes the ledger, not
   * the approved minutes (their snapshots keep the status as it was), so it is allowed at any
   * time, by a coordinator, the chair of the meeting that agreed it, or the chair of a later
   * meeting of the series (where it is carried forward).
   */
  async update(actionId: string, dto: UpdateActionDto, user: User): Promise<ActionView> {
    return this.tx.write(async (m) => {
      const action = await m.findOne(MeetingAction, {
        where: { id: actionId },
        relations: { meeting: true, ownerAgency: true },
      });
      if (!action) throw DomainError.notFound('The action');
      if (!(await this.canManage(m, user, action))) {
        throw DomainError.forbidden('Only a chair of this series’ meetings or a coordinator can change an action.');
      }
      const errors: FieldError[] = [];
      if (dto.status === 'closed' && !dto.closedReason)
        errors.push({ field: 'closedReason', messages: ['is required when closing an action'] });
      if (dto.status !== 'closed' && dto.closedReason)
        errors.push({ field: 'closedReason', messages: ['applies only when closing an action'] });
      if (errors.length) throw validationFailed(errors);

      const from = action.status;
      const resolved = dto.status !== 'open';
      const changes = {
        status: dto.status,
        closedReason: dto.status === 'closed' ? dto.closedReason! : null,
        resolvedAt: resolved ? (from === dto.status && action.resolvedAt ? action.resolvedAt : this.clock.now()) : null,
        resolvedByUserId: resolved ? user.id : null,
      };
      await m.update(MeetingAction, { id: action.id }, changes);
      Object.assign(action, changes);
      await this.audit.record(m, {
        action: 'action.updated',
        entityType: 'action',
        entityId: action.id,
        details: { from, to: dto.status, closedReason: changes.closedReason },
      });
      return this.viewOf(m, action, action.meeting);
    });
  }

  /** GET /api/meetings/:id/actions: the chair's list for the agenda, overdue ones flagged. Audited (descriptions are case text). */
  async listForMeeting(meetingId: string, user: User): Promise<MeetingActionsView> {
    return this.tx.write(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(user, meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can see its actions.');
      const actions = await this.forMeeting(m, meeting);
      const today = londonToday(this.clock.now());
      const view = (a: MeetingAction, carriedForward: boolean) =>
        toActionView(a, a.bookingId ? (actions.items.get(a.bookingId) ?? null) : null, {
          overdue: isOverdue(a, today),
          carriedForward,
        });
      const raised = actions.raised.map((a) => view(a, false));
      const carriedForward = actions.carriedForward.map((a) => view(a, true));
      await this.audit.record(m, {
        action: 'actions.read',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { raised: raised.length, carriedForward: carriedForward.length },
      });
      return {
        meetingId: meeting.id,
        raised,
        carriedForward,
        overdueCount: [...raised, ...carriedForward].filter((a) => a.overdue).length,
      };
    });
  }

  /** The actions agreed at a meeting and those carried forward to it from earlier meetings of its series. */
  async forMeeting(m: EntityManager, meeting: Meeting): Promise<MeetingActions> {
    const rows = await m
      .createQueryBuilder(MeetingAction, 'a')
      .innerJoinAndSelect('a.meeting', 'raisedAt')
      .innerJoinAndSelect('a.ownerAgency', 'ownerAgency')
      .where('a.seriesId = :seriesId', { seriesId: meeting.seriesId })
      .andWhere('raisedAt.startsAt <= :startsAt', { startsAt: meeting.startsAt })
      .orderBy('a.dueDate', 'ASC')
      .addOrderBy('a.createdAt', 'ASC')
      .getMany();
    const raised = rows.filter((a) => a.meetingId === meeting.id);
    const carriedForward = rows.filter(
      (a) =>
        a.meetingId !== meeting.id &&
        carriedForwardTo({ ...a, raisedAtMeetingStartsAt: a.meeting.startsAt }, meeting.startsAt),
    );
    const bookingIds = [
      ...new Set([...raised, ...carriedForward].map((a) => a.bookingId).filter((id): id is string => Boolean(id))),
    ];
    const items = new Map(
      (bookingIds.length ? await m.find(Booking, { where: { id: In(bookingIds) } }) : []).map((b) => [b.id, b]),
    );
    return { raised, carriedForward, items };
  }

  private async canManage(m: EntityManager, user: User, action: MeetingAction): Promise<boolean> {
    if (chairsMeeting(user, action.meeting)) return true;
    if (!user.hasRole('chair')) return false;
    const later = await m.count(Meeting, {
      where: { seriesId: action.seriesId, chairUserId: user.id, startsAt: MoreThan(action.meeting.startsAt) },
    });
    return later > 0;
  }

  private async viewOf(m: EntityManager, action: MeetingAction, raisedAt: Meeting): Promise<ActionView> {
    const full = await m.findOneOrFail(MeetingAction, { where: { id: action.id }, relations: { ownerAgency: true } });
    full.meeting = raisedAt;
    const item = full.bookingId ? await m.findOneBy(Booking, { id: full.bookingId }) : null;
    return toActionView(full, item, { overdue: isOverdue(full, londonToday(this.clock.now())), carriedForward: false });
  }
}
