import type { LegalHold } from './legal-hold.entity';

export interface LegalHoldView {
  id: string;
  bookingId: string;
  reason: string;
  placedAt: Date;
  placedByUserId: string;
  liftedAt: Date | null;
  liftedByUserId: string | null;
  liftReason: string | null;
}

/** An item's holds: the one in force (if any) and every hold ever placed, newest first. */
export interface LegalHoldsOfItem {
  bookingId: string;
  reference: string;
  /** When the retention job replaced the item's case text; null while it is kept. */
  caseTextErasedAt: Date | null;
  inForce: LegalHoldView | null;
  history: LegalHoldView[];
}

export function toLegalHoldView(h: LegalHold): LegalHoldView {
  return {
    id: h.id,
    bookingId: h.bookingId,
    reason: h.reason,
    placedAt: h.placedAt,
    placedByUserId: h.placedByUserId,
    liftedAt: h.liftedAt,
    liftedByUserId: h.liftedByUserId,
    liftReason: h.liftReason,
  };
}
