import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan, MoreThanOrEqual } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DateTime } from 'luxon';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, validationFailed } from '../common/domain-error';
import { toFieldErrors } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { IdentifyingDetailWarning } from '../identifying-details/identifying-details.check';
import { CaseTextCheck } from '../case-text/case-text.check';
import { findMeetingForUpdate } from '../meetings/meeting-lock';
import { Meeting } from '../meetings/meeting.entity';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { ThresholdVersion } from '../reference-data/threshold-versions';
import { LONDON_ZONE } from '../scheduling/calendar-rules';
import { canWithdrawBooking, mayBookFor } from './booking-access';
import { chairsMeeting } from '../meetings/meeting-access';
import { itemState } from '../meetings/meeting-lifecycle';
import { Outcome } from '../outcomes/outcome.entity';
import { NeedToKnowService } from '../need-to-know/need-to-know.service';
import { seesItemHistory } from '../need-to-know/need-to-know.rule';
import { ACTIVE_STATUSES, Booking } from './booking.entity';
import { BookingNotifier } from './booking-notifier';
import { bookingAnswers, bookingVersion, itemTimes } from './booking.views';
import {
  CreateBookingDto,
  EDITABLE_BOOKING_FIELDS,
  ListBookingsQuery,
  PlacementDto,
  RebookDto,
  UpdateBookingDto,
} from './dto/booking.dto';
import { IdempotencyRecord } from './idempotency-record.entity';
import { ReferenceCounter } from './reference-counter.entity';
import { choosePlacement } from './slot-placement';

/** Someone an item may be booked for (besides oneself), as the booking pages offer them. */
export interface PresenterChoice {
  id: string;
  name: string;
  agencyId: string;
  agencyName: string;
}

/** An earlier item that a new one may follow up: what identifies it, never its case text. */
export interface FollowUpChoice {
  id: string;
  reference: string;
  kind: string;
  meetingStartsAt: Date;
}

/** One earlier discussion of a case, as the chair sees it at the meeting. */
export interface ItemHistoryEntry {
  id: string;
  reference: string;
  kind: string;
  meetingStartsAt: Date;
  levelConsidered: number | null;
  /** The threshold document version of the level considered (null: the oldest). */
  thresholdVersion: string | null;
  outcome: {
    levelAdvised: number | null;
    pathway: string | null;
    advice: string | null;
    /** The threshold document version of the level and pathway advised (null: the oldest). */
    thresholdVersion: string | null;
  } | null;
}

export interface BookingResult {
  id: string;
  reference: string;
  status: 'booked' | 'waitlisted';
  slotIndex: number | null;
  startsAt: Date;
  endsAt: Date;
  warnings?: IdentifyingDetailWarning[];
}

export interface Answer<T> {
  statusCode: number;
  body: T;
}

/** How many times an automatic slot choice is retried after losing a race (PostgreSQL only). */
const MAX_ATTEMPTS = 5;

@Injectable()
export class BookingsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly referenceData: ReferenceDataService,
    private readonly caseText: CaseTextCheck,
    private readonly notifier: BookingNotifier,
    private readonly needToKnow: NeedToKnowService,
  ) {}

  /**
   * Books an item into a meeting (or its waiting list). With an Idempotency-Key the first answer
   * is kept and replayed for the same request; the key reused for another request is refused.
   */
  async create(
    meetingId: string,
    dto: CreateBookingDto,
    user: User,
    idempotencyKey?: string,
  ): Promise<Answer<BookingResult>> {
    const requestHash = hashRequest(meetingId, dto);
    if (idempotencyKey) {
      const replay = await this.replay(user.id, idempotencyKey, requestHash);
      if (replay) return replay;
    }
    if (dto.immediateRisk) {
      await this.tx.write((m) =>
        this.audit.record(m, {
          action: 'booking.immediate-risk-redirected',
          entityType: 'meeting',
          entityId: meetingId,
        }),
      );
      throw DomainError.unprocessable('IMMEDIATE_RISK', this.config.MASH_CONTACT_GUIDANCE, {
        guidance: this.config.MASH_CONTACT_GUIDANCE,
        telephone: this.config.MASH_TELEPHONE ?? null,
        outOfHoursTelephone: this.config.MASH_OUT_OF_HOURS_TELEPHONE ?? null,
      });
    }
    if (!user.agencyId && (dto.presenterUserId === undefined || dto.presenterUserId === user.id)) {
      throw DomainError.unprocessable(
        'NO_AGENCY',
        'Your account is not linked to an agency. Ask a coordinator to add you to one.',
      );
    }
    this.checkVocabulary(dto, await this.versionOfMeeting(meetingId));
    const warnings = await this.checkIdentifyingDetails(dto, meetingId);

    for (let attempt = 1; ; attempt++) {
      try {
        const body = await this.tx.write(async (m) => {
          const meeting = await this.openMeeting(m, meetingId, user);
          const presenter = await this.presenterFor(m, user, dto.presenterUserId);
          // The presenter's caps, whoever books; and the booker's daily cap on what they book for
          // others, so booking for colleagues is no way round it (coordinators are not capped).
          if (!user.hasRole('coordinator')) {
            await this.assertWithinLimits(m, presenter, meeting.id, { creating: true, booker: user });
          }
          if (dto.followsBookingId !== undefined) {
            await this.assertFollowsUp(m, dto.followsBookingId, presenter.agencyId!, meeting);
          }
          // The meeting's threshold document, read again under its lock (it may have moved since).
          const version = this.referenceData.versionFor(meeting.startsAt);
          this.checkVocabulary(dto, version);
          const placement = await this.place(m, meeting, dto);
          const booking = m.create(Booking, {
            reference: await this.nextReference(m),
            followsBookingId: dto.followsBookingId ?? null,
            meetingId: meeting.id,
            presenterUserId: presenter.id,
            agencyId: presenter.agencyId!,
            bookedByUserId: user.id,
            kind: dto.kind,
            status: placement.status,
            slotIndex: placement.slotIndex,
            waitlistedAt: placement.status === 'waitlisted' ? this.clock.now() : null,
            ...contentOf(dto),
            thresholdVersion: version.id,
            withdrawnAt: null,
            withdrawnByUserId: null,
            promotedAt: null,
            sequence: 0,
            // The service's clock, not the database's: the per-day limit counts from the same clock.
            createdAt: this.clock.now(),
          });
          await m.insert(Booking, booking);
          const result: BookingResult = {
            id: booking.id,
            reference: booking.reference,
            status: placement.status,
            slotIndex: booking.slotIndex,
            ...itemTimes(booking, meeting),
            ...(warnings.length ? { warnings } : {}),
          };
          if (idempotencyKey) {
            const record = m.create(IdempotencyRecord, {
              userId: user.id,
              key: idempotencyKey,
              requestHash,
              responseStatus: 201,
              responseBody: serialise(result),
            });
            await m.insert(IdempotencyRecord, record as QueryDeepPartialEntity<IdempotencyRecord>);
          }
          await this.audit.record(m, {
            action: 'booking.created',
            entityType: 'booking',
            entityId: booking.id,
            details: {
              meetingId: meeting.id,
              kind: booking.kind,
              status: booking.status,
              slotIndex: booking.slotIndex,
              identifyingDetailWarnings: warnings.length,
              ...(presenter.id !== user.id ? { presenterUserId: presenter.id } : {}),
            },
          });
          await this.notifier.notify(
            m,
            placement.status === 'booked' ? 'booked' : 'waitlisted',
            booking,
            meeting,
            presenter,
            presenter.id !== user.id ? { bookedBy: user } : {},
          );
          return result;
        });
        return { statusCode: 201, body };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Lost a race. The same key sent twice at once: answer as the winner did.
        if (idempotencyKey) {
          const replay = await this.replay(user.id, idempotencyKey, requestHash);
          if (replay) return replay;
        }
        if (dto.slotIndex !== undefined)
          throw DomainError.conflict('SLOT_TAKEN', 'That slot has just been taken. Choose another slot.');
        if (attempt >= MAX_ATTEMPTS)
          throw DomainError.conflict('TRY_AGAIN', 'Many people are booking this meeting right now. Try again.');
      }
    }
  }

  /** Moves a withdrawn item, or one whose meeting was cancelled, into another meeting, keeping its content. */
  async rebook(bookingId: string, dto: RebookDto, user: User): Promise<BookingResult> {
    try {
      return await this.tx.write(async (m) => {
        const booking = await this.loadForChange(m, bookingId, user);
        if (booking.status !== 'meeting-cancelled' && booking.status !== 'withdrawn') {
          throw DomainError.conflict(
            'NOT_REBOOKABLE',
            'Only a withdrawn item, or one whose meeting was cancelled, can be booked again.',
          );
        }
        const meeting = await this.openMeeting(m, dto.meetingId, user);
        await this.assertWithinLimits(m, booking.presenter, meeting.id, { creating: false });
        const placement = await this.place(m, meeting, dto);
        const fromMeetingId = booking.meetingId;
        await m.update(
          Booking,
          { id: booking.id },
          {
            meetingId: meeting.id,
            status: placement.status,
            slotIndex: placement.slotIndex,
            waitlistedAt: placement.status === 'waitlisted' ? this.clock.now() : null,
            withdrawnAt: null,
            withdrawnByUserId: null,
            sequence: booking.sequence + 1,
          },
        );
        Object.assign(booking, {
          meetingId: meeting.id,
          meeting,
          status: placement.status,
          slotIndex: placement.slotIndex,
          sequence: booking.sequence + 1,
        });
        await this.audit.record(m, {
          action: 'booking.rebooked',
          entityType: 'booking',
          entityId: booking.id,
          details: { fromMeetingId, toMeetingId: meeting.id, status: placement.status, slotIndex: placement.slotIndex },
        });
        await this.notifier.notify(
          m,
          placement.status === 'booked' ? 'rebooked' : 'waitlisted',
          booking,
          meeting,
          booking.presenter,
        );
        return {
          id: booking.id,
          reference: booking.reference,
          status: placement.status,
          slotIndex: placement.slotIndex,
          ...itemTimes(booking, meeting),
        };
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw DomainError.conflict('SLOT_TAKEN', 'That slot has just been taken. Choose another slot.');
      throw err;
    }
  }

  /** Takes an item off the agenda; its slot goes to the first item on the waiting list. */
  async withdraw(bookingId: string, user: User): Promise<Booking> {
    return this.tx.write(async (m) => {
      const booking = await this.loadForChange(m, bookingId, user);
      const meeting = (await findMeetingForUpdate(m, booking.meetingId))!;
      if (!ACTIVE_STATUSES.includes(booking.status)) {
        throw DomainError.conflict('NOT_ACTIVE', 'This item is not on an agenda, so there is nothing to withdraw.');
      }
      if (this.clock.now() >= meeting.startsAt) {
        throw DomainError.conflict(
          'MEETING_STARTED',
          'The meeting has started, so the item can no longer be withdrawn.',
        );
      }
      const freedSlot = booking.slotIndex;
      await m.update(
        Booking,
        { id: booking.id },
        {
          status: 'withdrawn',
          slotIndex: null,
          waitlistedAt: null,
          withdrawnAt: this.clock.now(),
          withdrawnByUserId: user.id,
          sequence: booking.sequence + 1,
        },
      );
      // In memory the item keeps its old slot, so that the notice and the calendar CANCEL name it.
      Object.assign(booking, { status: 'withdrawn', sequence: booking.sequence + 1 });
      await this.audit.record(m, {
        action: 'booking.withdrawn',
        entityType: 'booking',
        entityId: booking.id,
        details: { meetingId: meeting.id, freedSlot },
      });
      await this.notifier.notify(m, 'withdrawn', booking, meeting, booking.presenter, { hadSlot: freedSlot !== null });
      booking.slotIndex = null;
      if (freedSlot !== null) await this.promoteFirstWaiting(m, meeting, freedSlot);
      return booking;
    });
  }

  /**
   * Changes a booked (or waiting) item's answers, by its presenter or a coordinator, until the
   * booking deadline (coordinators until the meeting starts), by the same rules as booking: the
   * answers after the change are checked as a whole for the item's kind, vocabularies and
   * identifying details. `version` must be the one read: a change made since (another tab) is not
   * overwritten (409 BOOKING_VERSION_CONFLICT). Audited with the names of the answers changed.
   */
  async update(bookingId: string, dto: UpdateBookingDto, user: User): Promise<Booking> {
    const { version, ...changes } = dto;
    // Checked before the write (the identifying-details refusal is audited in its own transaction);
    // the write then holds only if the item is still at the version these answers were merged onto.
    const current = await this.tx.read((m) => this.loadForChange(m, bookingId, user));
    const stored = contentOf({ ...changes, kind: current.kind } as CreateBookingDto);
    const notForKind = Object.keys(changes).filter(
      (f) => changes[f as keyof typeof changes] !== undefined && stored[f as keyof typeof stored] === null,
    );
    if (notForKind.length)
      throw validationFailed(notForKind.map((field) => ({ field, messages: ['does not apply to this kind of item'] })));
    const merged = plainToInstance(CreateBookingDto, {
      ...bookingAnswers(current),
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
      kind: current.kind,
      immediateRisk: false,
    });
    const invalid = await validate(merged, { validationError: { target: false, value: false } });
    if (invalid.length) throw validationFailed(toFieldErrors(invalid));
    // A level is checked against the meeting's threshold document only when it is given anew.
    const levelGiven = (b: Booking, version: ThresholdVersion) =>
      this.referenceData.thresholds.levelGivenAnew(changes.levelConsidered, b, version);
    const meetingVersion = this.referenceData.versionFor(current.meeting.startsAt);
    this.checkVocabulary(merged, levelGiven(current, meetingVersion) ? meetingVersion : undefined);
    await this.checkIdentifyingDetails(merged, current.meetingId);
    const content = contentOf(merged);

    return this.tx.write(async (m) => {
      const booking = await this.loadForChange(m, bookingId, user);
      const meeting = (await findMeetingForUpdate(m, booking.meetingId))!;
      if (!ACTIVE_STATUSES.includes(booking.status))
        throw DomainError.conflict('NOT_ACTIVE', 'This item is not on an agenda, so it can no longer be changed.');
      if (!this.isOpenForBooking(meeting, user))
        throw DomainError.conflict(
          'BOOKING_CLOSED',
          'Bookings for this meeting have closed, so the item can no longer be changed. Ask the coordinator if something must be corrected.',
          { bookingClosesAt: meeting.bookingClosesAt },
        );
      const now = bookingVersion(booking);
      if (now !== version || now !== bookingVersion(current))
        throw DomainError.conflict(
          'BOOKING_VERSION_CONFLICT',
          'This item has been changed since you opened it, so nothing was saved. Check its answers and make your change again.',
          { version: now },
        );
      const changed = EDITABLE_BOOKING_FIELDS.filter(
        (f) => JSON.stringify(booking[f] ?? null) !== JSON.stringify(content[f] ?? null),
      );
      const thresholds = this.referenceData.versionFor(meeting.startsAt);
      const restamp = levelGiven(booking, thresholds);
      if (restamp && !changed.includes('levelConsidered')) changed.push('levelConsidered');
      if (changed.length === 0) return booking;
      const stamped = { ...content, thresholdVersion: booking.thresholdVersion };
      if (restamp) {
        this.checkVocabulary(merged, thresholds);
        stamped.thresholdVersion = thresholds.id;
      }
      await m.update(Booking, { id: booking.id }, stamped);
      Object.assign(booking, stamped);
      // The names of the answers changed, never their values.
      await this.audit.record(m, {
        action: 'booking.updated',
        entityType: 'booking',
        entityId: booking.id,
        details: { meetingId: meeting.id, changed },
      });
      return booking;
    });
  }

  /** Gives a freed slot to the item that has waited longest, and tells its presenter. */
  async promoteFirstWaiting(m: EntityManager, meeting: Meeting, slotIndex: number): Promise<Booking | null> {
    const next = await m.findOne(Booking, {
      where: { meetingId: meeting.id, status: 'waitlisted' },
      order: { waitlistedAt: 'ASC', createdAt: 'ASC' },
      relations: { presenter: true, agency: true },
    });
    if (!next) return null;
    await m.update(
      Booking,
      { id: next.id },
      { status: 'booked', slotIndex, promotedAt: this.clock.now(), sequence: next.sequence + 1 },
    );
    Object.assign(next, { status: 'booked', slotIndex, sequence: next.sequence + 1 });
    await this.audit.record(m, {
      action: 'booking.promoted',
      entityType: 'booking',
      entityId: next.id,
      details: { meetingId: meeting.id, slotIndex },
    });
    await this.notifier.notify(m, 'promoted', next, meeting, next.presenter);
    return next;
  }

  /** One item with its case text, for those entitled to it; the read is audited. Others get 404. */
  async getForReader(bookingId: string, user: User): Promise<Booking> {
    return this.tx.write(async (m) => {
      const booking = await m.findOne(Booking, {
        where: { id: bookingId },
        relations: { meeting: true, presenter: true, agency: true },
      });
      if (!booking || !(await this.needToKnow.canReadItem(m, user, booking))) throw DomainError.notFound('The item');
      await this.audit.record(m, { action: 'booking.read', entityType: 'booking', entityId: booking.id });
      await this.setStates(m, [booking]);
      return booking;
    });
  }

  /**
   * Items without their text: your own; your agency's (`agency=true`, agency leads); or a meeting's
   * (coordinators, and chairs for the meetings they chair).
   */
  async list(query: ListBookingsQuery, user: User): Promise<Booking[]> {
    const where: Record<string, unknown> = {};
    const agency = query.agency === 'true' && user.hasRole('agency-lead') && user.agencyId !== null;
    const mine = !agency && (query.mine === 'true' || !user.hasRole('coordinator', 'chair'));
    if (mine) where.presenterUserId = user.id;
    if (agency) where.agencyId = user.agencyId;
    if (query.meetingId) where.meetingId = query.meetingId;
    if (query.reference) where.reference = query.reference;
    const rows = await this.tx.read((m) =>
      m.find(Booking, {
        where,
        relations: { meeting: true, presenter: true, agency: true },
        order: { createdAt: 'DESC' },
        take: 500,
      }),
    );
    const visible = mine || agency ? rows : rows.filter((b) => chairsMeeting(user, b.meeting));
    await this.tx.read((m) => this.setStates(m, visible));
    return visible;
  }

  /**
   * The checks `create` makes on an item's content (vocabularies, dates, identifying details),
   * without booking anything: the web form runs them page by page, on the answers it has so far.
   * Refusals are audited as they are for a booking.
   */
  async checkContent(meetingId: string, dto: CreateBookingDto): Promise<IdentifyingDetailWarning[]> {
    this.checkVocabulary(dto, await this.versionOfMeeting(meetingId));
    return this.checkIdentifyingDetails(dto, meetingId);
  }

  /** Whether `user` may change this item's answers now (what `update` enforces; pages offer "Change"). */
  isEditable(booking: Booking & { meeting: Meeting }, user: User): boolean {
    return (
      canWithdrawBooking(user, booking) &&
      ACTIVE_STATUSES.includes(booking.status) &&
      this.isOpenForBooking(booking.meeting, user)
    );
  }

  /** Whether `user` may still book into this meeting now (what `create` enforces; pages show it). */
  isOpenForBooking(meeting: { status: string; startsAt: Date; bookingClosesAt: Date }, user: User): boolean {
    const now = this.clock.now();
    return (
      meeting.status !== 'cancelled' &&
      now < meeting.startsAt &&
      (now < meeting.bookingClosesAt || user.hasRole('coordinator'))
    );
  }

  // --- shared steps ---

  /** The meeting must exist, be open and (for everyone but coordinators) before its booking deadline. */
  private async openMeeting(m: EntityManager, meetingId: string, user: User): Promise<Meeting> {
    const meeting = await findMeetingForUpdate(m, meetingId);
    if (!meeting) throw DomainError.notFound('The meeting');
    if (meeting.status === 'cancelled')
      throw DomainError.conflict('MEETING_CANCELLED', 'This meeting has been cancelled. Choose another meeting.');
    if (!this.isOpenForBooking(meeting, user)) {
      throw DomainError.conflict(
        'BOOKING_CLOSED',
        'Bookings for this meeting have closed. Choose a later meeting, or ask the coordinator.',
        {
          bookingClosesAt: meeting.bookingClosesAt,
        },
      );
    }
    return meeting;
  }

  private async place(m: EntityManager, meeting: Meeting, placement: PlacementDto) {
    const booked = await m.find(Booking, {
      where: { meetingId: meeting.id, status: 'booked' },
      select: { id: true, slotIndex: true },
    });
    return choosePlacement({
      slotCount: meeting.slots.length,
      taken: new Set(booked.map((b) => b.slotIndex!)),
      requestedSlot: placement.slotIndex,
      joinWaitlist: placement.joinWaitlist,
    });
  }

  /** The presenter or a coordinator may change an item; anyone else who may read it gets 403, others 404. */
  private async loadForChange(m: EntityManager, bookingId: string, user: User): Promise<Booking> {
    const booking = await m.findOne(Booking, {
      where: { id: bookingId },
      relations: { meeting: true, presenter: true, agency: true },
    });
    if (!booking || !(await this.needToKnow.canReadItem(m, user, booking))) throw DomainError.notFound('The item');
    if (!canWithdrawBooking(user, booking))
      throw DomainError.forbidden('Only the presenter or a coordinator can change this item.');
    return booking;
  }

  /**
   * A presenter's caps: active items on one meeting, and items booked in one London day (floods
   * of bookings flood the chair's agenda and the outbox). Counted inside the booking transaction
   * with the presenter's row locked (PostgreSQL; SQLite writes one at a time), so parallel
   * requests cannot all slip under the cap. Coordinators are not capped.
   */
  private async assertWithinLimits(
    m: EntityManager,
    presenter: User,
    meetingId: string,
    opts: { creating: boolean; booker?: User },
  ) {
    if (presenter.hasRole('coordinator')) return;
    const booker = opts.booker ?? presenter;
    const forColleague = booker.id !== presenter.id;
    if (this.tx.isPostgres) {
      await m
        .createQueryBuilder(User, 'u')
        .setLock('pessimistic_write')
        .where('u.id IN (:...ids)', { ids: [...new Set([presenter.id, booker.id])] })
        .orderBy('u.id')
        .getMany();
    }
    const onMeeting = await m.countBy(Booking, {
      presenterUserId: presenter.id,
      meetingId,
      status: In(ACTIVE_STATUSES),
    });
    if (onMeeting >= this.config.BOOKING_LIMIT_PER_MEETING) {
      throw bookingLimit(
        forColleague
          ? `${presenter.name} already has ${onMeeting} items on this meeting, the most one person can bring. Choose another meeting, or ask them to withdraw one.`
          : `You already have ${onMeeting} items on this meeting, the most one person can bring. Withdraw one, or choose another meeting.`,
        {
          per: 'meeting',
          limit: this.config.BOOKING_LIMIT_PER_MEETING,
        },
      );
    }
    if (!opts.creating) return;
    const dayStart = DateTime.fromJSDate(this.clock.now(), { zone: LONDON_ZONE }).startOf('day').toJSDate();
    const since = MoreThanOrEqual(dayStart);
    const today = await m.countBy(Booking, { presenterUserId: presenter.id, createdAt: since });
    // What the booker booked today for colleagues counts for them too: no way round their own cap.
    const bookedToday = await m.countBy(Booking, { bookedByUserId: booker.id, createdAt: since });
    if (today >= this.config.BOOKING_LIMIT_PER_DAY || bookedToday >= this.config.BOOKING_LIMIT_PER_DAY) {
      throw bookingLimit(
        forColleague && today >= this.config.BOOKING_LIMIT_PER_DAY
          ? `${presenter.name} has had ${today} items booked today, the most one person can have in a day. Try again tomorrow, or ask the coordinator.`
          : `You have booked ${Math.max(today, bookedToday)} items today, the most one person can book in a day. Try again tomorrow, or ask the coordinator.`,
        {
          per: 'day',
          limit: this.config.BOOKING_LIMIT_PER_DAY,
        },
      );
    }
  }

  /**
   * The item's presenter: the booker, or the colleague (or, for a coordinator, anyone) they name
   * (mayBookFor). Anyone else, or no one, is refused alike, so the answer says nothing of who exists.
   */
  private async presenterFor(m: EntityManager, booker: User, presenterUserId: string | undefined): Promise<User> {
    if (presenterUserId === undefined || presenterUserId === booker.id) return booker;
    const presenter = await m.findOneBy(User, { id: presenterUserId });
    if (!presenter || !mayBookFor(booker, presenter)) {
      throw validationFailed([
        {
          field: 'presenterUserId',
          messages: [
            booker.hasRole('coordinator')
              ? 'presenterUserId must be an active user with an agency'
              : 'presenterUserId must be an active colleague of your agency',
          ],
        },
      ]);
    }
    return presenter;
  }

  /**
   * An item may follow up only an earlier item of the same agency: one on a meeting before this
   * one. Anything else (another agency's, a later one, an unknown id) is refused alike.
   */
  private async assertFollowsUp(m: EntityManager, earlierId: string, agencyId: string, meeting: Meeting) {
    const earlier = await m.findOne(Booking, { where: { id: earlierId }, relations: { meeting: true } });
    if (!earlier || earlier.agencyId !== agencyId || earlier.meeting.startsAt >= meeting.startsAt) {
      throw validationFailed([
        { field: 'followsBookingId', messages: ['followsBookingId must be an earlier item of your agency'] },
      ]);
    }
  }

  /**
   * The earlier items an item of this agency may follow up, for a meeting: by reference, date and
   * kind only (never case text), newest first.
   */
  async followUpChoices(meetingId: string, agencyId: string | null): Promise<FollowUpChoice[]> {
    const meeting = await this.tx.read((m) => m.findOneBy(Meeting, { id: meetingId }));
    if (!meeting) throw DomainError.notFound('The meeting');
    if (!agencyId) return [];
    const before = meeting.startsAt;
    const items = await this.tx.read((m) =>
      m.find(Booking, {
        where: { agencyId, meeting: { startsAt: LessThan(before) } },
        relations: { meeting: true },
        order: { meeting: { startsAt: 'DESC' } },
        take: 50,
      }),
    );
    return items.map((b) => ({ id: b.id, reference: b.reference, kind: b.kind, meetingStartsAt: b.meeting.startsAt }));
  }

  /**
   * The case's history at the meeting: the chain of earlier items this one follows up (at most
   * ten back), each with its date, level considered and the advice given (whatever retention has
   * left). Only for those who run the item's meeting (need to know, rule 5), and audited; null
   * for anyone else.
   */
  async historyFor(booking: Booking & { meeting: Meeting }, user: User): Promise<ItemHistoryEntry[] | null> {
    if (!booking.followsBookingId) return null;
    return this.tx.write(async (m) => {
      const item = { id: booking.id, agencyId: booking.agencyId, presenterUserId: booking.presenterUserId };
      if (!seesItemHistory(await this.needToKnow.forMeeting(m, user, booking.meeting, [item]))) return null;
      const entries: ItemHistoryEntry[] = [];
      const seen = new Set([booking.id]);
      for (let id = booking.followsBookingId; id && !seen.has(id) && entries.length < 10;) {
        seen.add(id);
        const earlier = await m.findOne(Booking, { where: { id }, relations: { meeting: true } });
        if (!earlier) break;
        const outcome = await m.findOneBy(Outcome, { bookingId: earlier.id });
        entries.push({
          id: earlier.id,
          reference: earlier.reference,
          kind: earlier.kind,
          meetingStartsAt: earlier.meeting.startsAt,
          levelConsidered: earlier.levelConsidered,
          thresholdVersion: earlier.thresholdVersion,
          outcome: outcome
            ? {
                levelAdvised: outcome.levelAdvised,
                pathway: outcome.pathway,
                advice: outcome.advice,
                thresholdVersion: outcome.thresholdVersion,
              }
            : null,
        });
        id = earlier.followsBookingId;
      }
      await this.audit.record(m, {
        action: 'booking.history-read',
        entityType: 'booking',
        entityId: booking.id,
        details: { earlierItemIds: entries.map((e) => e.id) },
      });
      return entries;
    });
  }

  /**
   * An item this user booked for someone else, for its confirmation page: only what the summary
   * shows (reference, meeting, time, presenter), never its case text, which is the presenter's to
   * see. Null if they did not book it, or present it themselves.
   */
  async bookedForSomeoneElse(bookingId: string, user: User): Promise<Booking | null> {
    const booking = await this.tx.read((m) =>
      m.findOne(Booking, { where: { id: bookingId }, relations: { meeting: true, presenter: true, agency: true } }),
    );
    return booking && booking.bookedByUserId === user.id && booking.presenterUserId !== user.id ? booking : null;
  }

  /** The people this user may book an item for (besides themselves), by name: for the booking pages. */
  async presenterChoices(user: User): Promise<PresenterChoice[]> {
    const people = await this.tx.read((m) =>
      m.find(User, {
        where: user.hasRole('coordinator') ? { status: 'active' } : { status: 'active', agencyId: user.agencyId ?? '' },
        relations: { agency: true },
        order: { name: 'ASC' },
      }),
    );
    return people
      .filter((p) => p.id !== user.id && mayBookFor(user, p))
      .map((p) => ({ id: p.id, name: p.name, agencyId: p.agencyId!, agencyName: p.agency?.name ?? '' }));
  }

  /** Works out where each item stands now (discussed, not reached…): one query for their outcomes. */
  private async setStates(m: EntityManager, bookings: Array<Booking & { meeting: Meeting }>): Promise<void> {
    if (bookings.length === 0) return;
    const withOutcome = new Set(
      (
        await m.find(Outcome, {
          where: { bookingId: In(bookings.map((b) => b.id)) },
          select: { id: true, bookingId: true },
        })
      ).map((o) => o.bookingId),
    );
    const now = this.clock.now();
    for (const b of bookings) b.state = itemState(b, b.meeting, now, withOutcome.has(b.id));
  }

  /** TRM-<year>-<n>: numbered per calendar year (Europe/London), never reused. */
  private async nextReference(m: EntityManager): Promise<string> {
    const year = DateTime.fromJSDate(this.clock.now(), { zone: LONDON_ZONE }).year;
    await m.createQueryBuilder().insert().into(ReferenceCounter).values({ year, lastNumber: 0 }).orIgnore().execute();
    const column = m.connection.driver.escape('lastNumber');
    await m
      .createQueryBuilder()
      .update(ReferenceCounter)
      .set({ lastNumber: () => `${column} + 1` })
      .where('year = :year', { year })
      .execute();
    const { lastNumber } = await m.findOneByOrFail(ReferenceCounter, { year });
    return `TRM-${year}-${String(lastNumber).padStart(4, '0')}`;
  }

  /** The threshold document version of a meeting, by its date (undefined: no such meeting; the write says so). */
  private async versionOfMeeting(meetingId: string): Promise<ThresholdVersion | undefined> {
    const meeting = await this.tx.read((m) =>
      m.findOne(Meeting, { where: { id: meetingId }, select: { id: true, startsAt: true } }),
    );
    return meeting ? this.referenceData.versionFor(meeting.startsAt) : undefined;
  }

  /** The answers' codes against the vocabularies; the level against `version`, the meeting's threshold document, when given. */
  private checkVocabulary(dto: CreateBookingDto, version: ThresholdVersion | undefined): void {
    if (dto.kind === 'agency-feedback') return;
    const errors = [];
    // The message names positions, not values: whatever was sent is never echoed back.
    const positions = (dto.concernCategories ?? []).flatMap((c, i) =>
      this.referenceData.isConcernCategory(c) ? [] : [i],
    );
    if (positions.length)
      errors.push({
        field: 'concernCategories',
        messages: [`entries ${positions.join(', ')} are not known categories; see GET /api/reference-data`],
      });
    if (version && dto.levelConsidered !== undefined && dto.levelConsidered > version.levels.length) {
      errors.push({
        field: 'levelConsidered',
        messages: [`must be between 1 and ${version.levels.length}, the levels of ${version.name}`],
      });
    }
    if (
      dto.kind === 'referral-feedback' &&
      dto.mashReference &&
      !this.config.mashReferencePattern.test(dto.mashReference)
    ) {
      errors.push({
        field: 'mashReference',
        messages: [`must be in the MASH’s format, like ${this.config.MASH_REFERENCE_EXAMPLE}`],
      });
    }
    if (dto.kind === 'referral-feedback' && dto.referralDate) {
      const date = DateTime.fromISO(dto.referralDate, { zone: LONDON_ZONE });
      if (!date.isValid) errors.push({ field: 'referralDate', messages: ['is not a real date'] });
      else if (date > DateTime.fromJSDate(this.clock.now(), { zone: LONDON_ZONE }).endOf('day')) {
        errors.push({ field: 'referralDate', messages: ['cannot be in the future'] });
      }
    }
    if (errors.length) throw validationFailed(errors);
  }

  private async checkIdentifyingDetails(dto: CreateBookingDto, meetingId: string): Promise<IdentifyingDetailWarning[]> {
    try {
      return this.caseText.check(Booking, dto);
    } catch (err) {
      if (err instanceof DomainError) {
        const kinds = (err.details as IdentifyingDetailWarning[]).map((f) => f.kind);
        await this.tx.write((m) =>
          this.audit.record(m, {
            action: 'booking.identifying-details-refused',
            entityType: 'meeting',
            entityId: meetingId,
            details: { kinds },
          }),
        );
      }
      throw err;
    }
  }

  private async replay(userId: string, key: string, requestHash: string): Promise<Answer<BookingResult> | null> {
    const record = await this.tx.read((m) => m.findOneBy(IdempotencyRecord, { userId, key }));
    if (!record) return null;
    if (record.requestHash !== requestHash) {
      throw DomainError.unprocessable(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request.',
      );
    }
    return { statusCode: record.responseStatus, body: record.responseBody as unknown as BookingResult };
  }
}

function contentOf(dto: CreateBookingDto) {
  const child = dto.kind !== 'agency-feedback';
  return {
    agencyReference: dto.agencyReference ?? null,
    ageBand: child ? (dto.ageBand ?? null) : null,
    concernCategories: child ? (dto.concernCategories ?? []) : [],
    levelConsidered: child ? (dto.levelConsidered ?? null) : null,
    question: dto.question ?? null,
    summary: dto.summary,
    mashReference: dto.kind === 'referral-feedback' ? (dto.mashReference ?? null) : null,
    referralDate: dto.kind === 'referral-feedback' ? (dto.referralDate ?? null) : null,
  };
}

/** A stable hash of what was asked: the meeting and the body with its keys sorted. */
function hashRequest(meetingId: string, dto: object): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify([meetingId, canonical({ ...dto })]))
    .digest('hex');
}

function serialise(result: BookingResult): Record<string, unknown> {
  return JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
}

function bookingLimit(message: string, details: { per: 'meeting' | 'day'; limit: number }): DomainError {
  return new DomainError(429, 'BOOKING_LIMIT', message, details);
}
