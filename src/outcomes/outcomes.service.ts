import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { DomainError, validationFailed } from '../common/domain-error';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { CaseTextCheck } from '../case-text/case-text.check';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { NeedToKnowService } from '../need-to-know/need-to-know.service';
import { assertMinutesEditable } from '../minutes/minutes-lock';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { RecordOutcomeDto } from './dto/outcome.dto';
import { checkOutcomeFields } from './outcome-fields';
import { OutcomeNotifier } from './outcome-notifier';
import { decideOutcomeWrite, outcomeVersionConflict } from './outcome-version';
import { Outcome } from './outcome.entity';
import { OutcomeView, toOutcomeView } from './outcome.views';
import { itemNotOnAgenda, lockItemForRecording } from './record-access';

export interface OutcomeSaved {
  created: boolean;
  view: OutcomeView;
}

@Injectable()
export class OutcomesService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly referenceData: ReferenceDataService,
    private readonly caseText: CaseTextCheck,
    private readonly notifier: OutcomeNotifier,
    private readonly needToKnow: NeedToKnowService,
  ) {}

  /** PUT: records or replaces an item's outcome, naming the version it read. */
  async record(bookingId: string, dto: RecordOutcomeDto, user: User): Promise<OutcomeSaved> {
    try {
      return await this.tx.write(async (m) => {
        const { booking, meeting } = await lockItemForRecording(m, bookingId, user);
        await assertMinutesEditable(m, meeting.id);
        const saved = await this.apply(m, booking, meeting, dto, user, { viaAmendment: false });
        return { created: saved.created, view: toOutcomeView(saved.outcome, booking, this.referenceData) };
      });
    } catch (err) {
      // Two first recordings at once: the unique index on bookingId let only one in.
      if (isUniqueViolation(err)) {
        const current = await this.tx.read((m) => m.findOneBy(Outcome, { bookingId }));
        throw outcomeVersionConflict(current?.version ?? 1);
      }
      throw err;
    }
  }

  /**
   * Checks and writes an outcome inside the caller's transaction, with the item's meeting locked.
   * Also used by amendments to approved minutes (which tell the presenter it changed).
   */
  async apply(
    m: EntityManager,
    booking: Booking,
    meeting: Meeting,
    dto: RecordOutcomeDto,
    actor: User,
    opts: { viaAmendment: boolean },
  ): Promise<{ created: boolean; outcome: Outcome }> {
    if (booking.status !== 'booked') throw itemNotOnAgenda(booking.status);
    // The threshold document of the meeting's date: its levels and pathways, stamped on the outcome.
    const thresholds = this.referenceData.versionFor(meeting.startsAt);
    const errors = checkOutcomeFields(booking.kind, dto, thresholds);
    if (errors.length) throw validationFailed(errors);
    this.caseText.check(Outcome, {
      advice: dto.advice,
      response: dto.response,
      misdirectedTo: dto.referralQuality?.misdirectedTo,
    });

    const current = await m.findOneBy(Outcome, { bookingId: booking.id });
    const decision = decideOutcomeWrite(current, dto.version);
    const q = dto.referralQuality;
    const fields = {
      kind: booking.kind,
      levelAdvised: dto.levelAdvised ?? null,
      pathway: dto.pathway ?? null,
      thresholdVersion: thresholds.id,
      advice: dto.advice ?? null,
      response: dto.response ?? null,
      qualityTimely: q ? q.timely : null,
      qualityComplete: q ? q.complete : null,
      qualityAppropriate: q ? q.appropriate : null,
      qualityIssues: q ? q.issues : null,
      misdirectedTo: q?.misdirectedTo ?? null,
      updatedByUserId: actor.id,
    };
    const auditDetails = {
      meetingId: meeting.id,
      kind: booking.kind,
      levelAdvised: fields.levelAdvised,
      pathway: fields.pathway,
      viaAmendment: opts.viaAmendment,
    };

    if (decision.action === 'insert') {
      const outcome = m.create(Outcome, {
        ...fields,
        bookingId: booking.id,
        meetingId: meeting.id,
        version: 1,
        recordedByUserId: actor.id,
        // Released to the presenter when the minutes are approved, or now if the chair says it is final.
        presenterNotifiedAt: null,
        caseTextErasedAt: null,
      });
      await m.insert(Outcome, outcome);
      await this.audit.record(m, {
        action: 'outcome.recorded',
        entityType: 'booking',
        entityId: booking.id,
        details: { ...auditDetails, version: 1, final: dto.final === true },
      });
      if (dto.final) await this.release(m, outcome, booking, meeting);
      return { created: true, outcome: await m.findOneByOrFail(Outcome, { id: outcome.id }) };
    }

    // The version in the WHERE clause makes the check and the write one step.
    const version = decision.expectedVersion + 1;
    const result = await m.update(
      Outcome,
      { id: current!.id, version: decision.expectedVersion },
      { ...fields, version },
    );
    if (!result.affected) {
      const now = await m.findOneByOrFail(Outcome, { id: current!.id });
      throw outcomeVersionConflict(now.version);
    }
    await this.audit.record(m, {
      action: 'outcome.updated',
      entityType: 'booking',
      entityId: booking.id,
      details: { ...auditDetails, version, final: dto.final === true },
    });
    const saved = await m.findOneByOrFail(Outcome, { id: current!.id });
    // A correction the presenter has not seen yet needs no second e-mail; one they have seen does.
    if (saved.presenterNotifiedAt && opts.viaAmendment)
      await this.notifier.notify(m, 'amended', booking, meeting, booking.presenter);
    else if (!saved.presenterNotifiedAt && dto.final) await this.release(m, saved, booking, meeting);
    return { created: false, outcome: saved };
  }

  /**
   * Lets the presenter read the outcome, and tells them (a link, never the advice): when the
   * minutes are approved, or earlier when the chair marks it final. Only once the meeting has
   * started; only once (the update's WHERE makes two releases at once send one e-mail).
   */
  async release(m: EntityManager, outcome: Outcome, booking: Booking, meeting: Meeting): Promise<void> {
    if (this.clock.now() < meeting.startsAt) {
      throw DomainError.conflict(
        'MEETING_NOT_HELD',
        'The meeting has not started yet, so the outcome cannot be final.',
      );
    }
    const released = await m.update(
      Outcome,
      { id: outcome.id, presenterNotifiedAt: IsNull() },
      { presenterNotifiedAt: this.clock.now() },
    );
    if (!released.affected) return;
    await this.audit.record(m, {
      action: 'outcome.released',
      entityType: 'booking',
      entityId: booking.id,
      details: { meetingId: meeting.id },
    });
    await this.notifier.notify(m, 'ready', booking, meeting, booking.presenter);
  }

  /** An item's outcome for its presenter, the chair of its meeting and coordinators; others get 404. Audited. */
  async get(bookingId: string, user: User): Promise<OutcomeView> {
    return this.tx.write(async (m) => {
      const booking = await m.findOne(Booking, { where: { id: bookingId }, relations: { meeting: true } });
      if (!booking || !(await this.needToKnow.canReadItem(m, user, booking))) throw DomainError.notFound('The item');
      const outcome = await m.findOneBy(Outcome, { bookingId });
      // Until it is released (minutes approved, or marked final), only those running the meeting see it.
      if (!outcome || (!outcome.presenterNotifiedAt && !chairsMeeting(user, booking.meeting))) {
        throw new DomainError(404, 'NOT_FOUND', 'No outcome has been recorded for this item yet.');
      }
      await this.audit.record(m, {
        action: 'outcome.read',
        entityType: 'booking',
        entityId: booking.id,
        details: { version: outcome.version },
      });
      return toOutcomeView(outcome, booking, this.referenceData);
    });
  }
}
