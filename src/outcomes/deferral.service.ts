import { Injectable } from '@nestjs/common';
import { EntityManager, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { BookingNotifier } from '../bookings/booking-notifier';
import { ACTIVE_STATUSES, Booking } from '../bookings/booking.entity';
import { itemTimes } from '../bookings/booking.views';
import { choosePlacement } from '../bookings/slot-placement';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import { findMeetingForUpdate } from '../meetings/meeting-lock';
import { Meeting } from '../meetings/meeting.entity';
import { assertMinutesEditable } from '../minutes/minutes-lock';
import { ItemDeferral } from './item-deferral.entity';
import { Outcome } from './outcome.entity';
import { itemNotOnAgenda, lockItemForRecording } from './record-access';

export interface DeferralResult {
  id: string;
  reference: string;
  status: 'booked' | 'waitlisted';
  slotIndex: number | null;
  meetingId: string;
  startsAt: Date;
  endsAt: Date;
  deferredFromMeetingId: string;
  deferrals: number;
}

/** A lost race for a slot in the next meeting (PostgreSQL) is retried this many times. */
const MAX_ATTEMPTS = 5;

@Injectable()
export class DeferralService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly notifier: BookingNotifier,
  ) {}

  /**
   * Carries an item the meeting did not reach to the next scheduled meeting of the same series,
   * in one step: the same booking row (id, reference, content) moves, into the first free slot
   * or, when that meeting is full, onto its waiting list. The booking deadline of the next
   * meeting does not apply: this is the chair's decision, not a new booking.
   *
   * The slot it leaves is not offered to the waiting list: the meeting is being held (or over),
   * so nobody could use it.
   */
  async defer(bookingId: string, user: User): Promise<DeferralResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tx.write((m) => this.deferOnce(m, bookingId, user));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (attempt >= MAX_ATTEMPTS)
          throw DomainError.conflict('TRY_AGAIN', 'The next meeting is being booked right now. Try again.');
      }
    }
  }

  /**
   * Where carrying the item forward would take it now, for the confirmation page (the chair of
   * its meeting, coordinators): the next meeting, and whether it has a free slot; null when none.
   */
  async whereNext(bookingId: string, user: User): Promise<{ meeting: Meeting; slotFree: boolean } | null> {
    return this.tx.read(async (m) => {
      const booking = await m.findOne(Booking, { where: { id: bookingId }, relations: { meeting: true } });
      if (!booking) throw DomainError.notFound('The item');
      if (!chairsMeeting(user, booking.meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can carry its items forward.');
      const next = await this.nextMeetingAfter(m, booking.meeting);
      if (!next) return null;
      const taken = await m.countBy(Booking, { meetingId: next.id, status: 'booked' });
      return { meeting: next, slotFree: taken < next.slots.length };
    });
  }

  /** The series' next scheduled meeting after this one (or after now, if it is already over). */
  private nextMeetingAfter(m: EntityManager, meeting: Meeting): Promise<Meeting | null> {
    const after = new Date(Math.max(meeting.startsAt.getTime(), this.clock.now().getTime()));
    return m.findOne(Meeting, {
      where: { seriesId: meeting.seriesId, status: 'scheduled', startsAt: MoreThan(after) },
      order: { startsAt: 'ASC' },
    });
  }

  private async deferOnce(m: EntityManager, bookingId: string, user: User): Promise<DeferralResult> {
    const { booking, meeting } = await lockItemForRecording(m, bookingId, user);
    if (!ACTIVE_STATUSES.includes(booking.status)) throw itemNotOnAgenda(booking.status);
    if (await m.existsBy(Outcome, { bookingId: booking.id })) {
      throw DomainError.conflict(
        'OUTCOME_RECORDED',
        'This item already has an outcome, so it was reached and cannot be carried forward.',
      );
    }
    await assertMinutesEditable(m, meeting.id);

    const next = await this.nextMeetingAfter(m, meeting);
    if (!next)
      throw DomainError.conflict(
        'NO_NEXT_MEETING',
        'There is no later meeting in this series to carry the item forward to.',
      );
    const target = (await findMeetingForUpdate(m, next.id))!;

    const booked = await m.find(Booking, {
      where: { meetingId: target.id, status: 'booked' },
      select: { id: true, slotIndex: true },
    });
    const placement = choosePlacement({
      slotCount: target.slots.length,
      taken: new Set(booked.map((b) => b.slotIndex!)),
      joinWaitlist: true,
    });
    // The slot it held here, if any: a deferral onto the next meeting's waiting list takes it out of the calendar.
    const lostSlot =
      booking.status === 'booked' && booking.slotIndex !== null ? { meeting, slotIndex: booking.slotIndex } : undefined;
    const changes = {
      meetingId: target.id,
      status: placement.status,
      slotIndex: placement.slotIndex,
      waitlistedAt: placement.status === 'waitlisted' ? this.clock.now() : null,
      promotedAt: null,
      deferredFromMeetingId: meeting.id,
      deferrals: booking.deferrals + 1,
      sequence: booking.sequence + 1,
    };
    await m.update(Booking, { id: booking.id }, changes);
    Object.assign(booking, changes, { meeting: target });
    await m.insert(
      ItemDeferral,
      m.create(ItemDeferral, {
        bookingId: booking.id,
        fromMeetingId: meeting.id,
        toMeetingId: target.id,
        placement: placement.status,
        slotIndex: placement.slotIndex,
        deferredByUserId: user.id,
      }),
    );
    await this.audit.record(m, {
      action: 'booking.deferred',
      entityType: 'booking',
      entityId: booking.id,
      details: {
        fromMeetingId: meeting.id,
        toMeetingId: target.id,
        status: placement.status,
        slotIndex: placement.slotIndex,
        deferrals: booking.deferrals,
      },
    });
    await this.notifier.notify(m, 'deferred', booking, target, booking.presenter, { lostSlot });
    return {
      id: booking.id,
      reference: booking.reference,
      status: placement.status,
      slotIndex: placement.slotIndex,
      meetingId: target.id,
      ...itemTimes(booking, target),
      deferredFromMeetingId: meeting.id,
      deferrals: booking.deferrals,
    };
  }
}
