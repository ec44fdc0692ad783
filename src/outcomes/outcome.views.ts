import type { Booking } from '../bookings/booking.entity';
import type { ReferenceDataService } from '../reference-data/reference-data.service';
import { Outcome, QUALITY_ISSUE_LABELS, QualityIssue } from './outcome.entity';

export interface OutcomeView {
  bookingId: string;
  reference: string;
  meetingId: string;
  kind: string;
  levelAdvised: number | null;
  levelLabel: string | null;
  pathway: string | null;
  pathwayLabel: string | null;
  /** The threshold document version the level and pathway are of (GET /api/reference-data). */
  thresholdVersion: string;
  /** Case text. */
  advice: string | null;
  /** Case text (agency feedback only). */
  response: string | null;
  referralQuality: {
    timely: boolean;
    complete: boolean;
    appropriate: boolean;
    issues: Array<{ code: QualityIssue; label: string }>;
    misdirectedTo: string | null;
  } | null;
  /** Send this back as `version` with your next save. */
  version: number;
  recordedAt: Date;
  updatedAt: Date;
  /** The presenter can read it and has been told (minutes approved, or marked final). */
  released: boolean;
}

export function toOutcomeView(
  o: Outcome,
  booking: Pick<Booking, 'id' | 'reference'>,
  referenceData: ReferenceDataService,
): OutcomeView {
  return {
    bookingId: booking.id,
    reference: booking.reference,
    meetingId: o.meetingId,
    kind: o.kind,
    levelAdvised: o.levelAdvised,
    levelLabel: o.levelAdvised !== null ? (referenceData.levelLabel(o.levelAdvised, o.thresholdVersion) ?? null) : null,
    pathway: o.pathway,
    pathwayLabel: o.pathway ? (referenceData.pathwayLabel(o.pathway, o.thresholdVersion) ?? null) : null,
    thresholdVersion: referenceData.thresholds.idOf(o.thresholdVersion),
    advice: o.advice,
    response: o.response,
    referralQuality:
      o.qualityTimely === null
        ? null
        : {
            timely: o.qualityTimely,
            complete: o.qualityComplete!,
            appropriate: o.qualityAppropriate!,
            issues: (o.qualityIssues ?? []).map((code) => ({ code, label: QUALITY_ISSUE_LABELS[code] })),
            misdirectedTo: o.misdirectedTo,
          },
    version: o.version,
    recordedAt: o.createdAt,
    updatedAt: o.updatedAt,
    released: o.presenterNotifiedAt !== null,
  };
}
