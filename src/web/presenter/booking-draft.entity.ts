import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Session } from '../../auth/session.entity';
import { BaseEntity } from '../../database/base.entity';
import type { AgeBand, BookingKind } from '../../reference-data/reference-data';

/**
 * What a presenter has answered so far in the web booking form. Field names are those of
 * CreateBookingDto, so the same DTO validates a page, the whole draft and the final booking.
 */
export interface BookingAnswers {
  meetingId: string;
  /** Sent with the booking, so that a double-clicked "Confirm" books once. */
  idempotencyKey: string;
  immediateRisk: false;
  kind?: BookingKind;
  slotIndex?: number;
  joinWaitlist?: boolean;
  /** The slot question was answered (with "first free slot", a slot, or the waiting list). */
  slotChosen?: boolean;
  agencyReference?: string;
  ageBand?: AgeBand;
  concernCategories?: string[];
  levelConsidered?: number;
  question?: string;
  summary?: string;
  mashReference?: string;
  referralDate?: string;
  /** A colleague who will present it (unset: the person booking). */
  presenterUserId?: string;
  /** The earlier item of the agency it follows up (unset: none). */
  followsBookingId?: string;
}

/** One per session: the booking form's answers between its pages (case text: short-lived). */
@Entity('web_booking_draft')
@Index('UQ_web_booking_draft_session', ['sessionId'], { unique: true })
@Index('IDX_web_booking_draft_expires', ['expiresAt'])
export class BookingDraft extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sessionId' })
  session: Session;

  @Column({ type: 'simple-json' })
  answers: BookingAnswers;

  @Column({ type: Date })
  expiresAt: Date;
}
