import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { CaseTextCheck } from '../case-text/case-text.check';
import { LegalHoldReasonDto } from './dto/legal-hold.dto';
import { LegalHold } from './legal-hold.entity';
import { LegalHoldsOfItem, LegalHoldView, toLegalHoldView } from './legal-hold.views';
import { retentionNotice } from './retention-notice';

/**
 * Legal holds (coordinators only, checked by the controller): an item on hold keeps its case
 * text past the retention period. Placing and lifting are audited with the hold's id; the
 * reasons stay on the hold, not in the append-only audit log, and go through the
 * identifying-details check like any free text.
 */
@Injectable()
export class LegalHoldsService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly caseText: CaseTextCheck,
  ) {}

  /** 201; 404 unknown item; 409 LEGAL_HOLD_IN_FORCE, CASE_TEXT_ERASED; 422 IDENTIFYING_DETAILS. */
  async place(bookingId: string, dto: LegalHoldReasonDto, user: User): Promise<LegalHoldView> {
    this.caseText.check(LegalHold, { reason: dto.reason });
    try {
      return await this.tx.write(async (m) => {
        const booking = await m.findOne(Booking, {
          where: { id: bookingId },
          select: { id: true, reference: true, caseTextErasedAt: true },
        });
        if (!booking) throw DomainError.notFound('The item');
        if (booking.caseTextErasedAt) {
          throw DomainError.conflict(
            'CASE_TEXT_ERASED',
            `The case text of ${booking.reference} was ${retentionNotice(booking.caseTextErasedAt)}, so there is nothing left to hold.`,
          );
        }
        if (await m.existsBy(LegalHold, { bookingId, liftedAt: IsNull() })) throw inForce(booking.reference);
        const hold = m.create(LegalHold, {
          bookingId,
          reason: dto.reason,
          placedAt: this.clock.now(),
          placedByUserId: user.id,
          liftedAt: null,
          liftedByUserId: null,
          liftReason: null,
        });
        await m.insert(LegalHold, hold);
        await this.audit.record(m, {
          action: 'retention.legal-hold-placed',
          entityType: 'booking',
          entityId: bookingId,
          details: { holdId: hold.id },
        });
        return toLegalHoldView(hold);
      });
    } catch (err) {
      // Two coordinators at once: the partial unique index let one hold in.
      if (isUniqueViolation(err)) throw inForce('This item');
      throw err;
    }
  }

  /** 200 with the lifted hold; 404 unknown item; 409 NO_LEGAL_HOLD. The job may erase the item on its next run. */
  async lift(bookingId: string, dto: LegalHoldReasonDto, user: User): Promise<LegalHoldView> {
    this.caseText.check(LegalHold, { liftReason: dto.reason });
    return this.tx.write(async (m) => {
      if (!(await m.existsBy(Booking, { id: bookingId }))) throw DomainError.notFound('The item');
      const hold = await m.findOneBy(LegalHold, { bookingId, liftedAt: IsNull() });
      if (!hold) throw DomainError.conflict('NO_LEGAL_HOLD', 'This item is not on legal hold.');
      const now = this.clock.now();
      // `liftedAt IS NULL` in the WHERE: two lifts at once cannot both record themselves.
      const result = await m.update(
        LegalHold,
        { id: hold.id, liftedAt: IsNull() },
        { liftedAt: now, liftedByUserId: user.id, liftReason: dto.reason },
      );
      if (!result.affected) throw DomainError.conflict('NO_LEGAL_HOLD', 'This item is not on legal hold.');
      Object.assign(hold, { liftedAt: now, liftedByUserId: user.id, liftReason: dto.reason });
      await this.audit.record(m, {
        action: 'retention.legal-hold-lifted',
        entityType: 'booking',
        entityId: bookingId,
        details: { holdId: hold.id },
      });
      return toLegalHoldView(hold);
    });
  }

  /** The hold in force and every earlier one. */
  async ofItem(bookingId: string): Promise<LegalHoldsOfItem> {
    return this.tx.write(async (m) => {
      const booking = await m.findOne(Booking, {
        where: { id: bookingId },
        select: { id: true, reference: true, caseTextErasedAt: true },
      });
      if (!booking) throw DomainError.notFound('The item');
      const holds = await m.find(LegalHold, { where: { bookingId }, order: { placedAt: 'DESC', id: 'DESC' } });
      const inForceHold = holds.find((h) => h.liftedAt === null);
      return {
        bookingId,
        reference: booking.reference,
        caseTextErasedAt: booking.caseTextErasedAt,
        inForce: inForceHold ? toLegalHoldView(inForceHold) : null,
        history: holds.map(toLegalHoldView),
      };
    });
  }
}

function inForce(what: string): DomainError {
  return DomainError.conflict(
    'LEGAL_HOLD_IN_FORCE',
    `${what} is already on legal hold. Lift the hold first to place a new one.`,
  );
}
