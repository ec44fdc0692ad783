import { PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { AGE_BANDS, AgeBand, BOOKING_KINDS, BookingKind } from '../../reference-data/reference-data';
import { ISO_DATE, SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

/** Content is only checked when the presenter has said the child is not at immediate risk. */
const needsContent = (o: CreateBookingDto) => o.immediateRisk !== true;
/** Agency feedback is about how the system works, not about a child. */
const needsChildFields = (o: CreateBookingDto) => needsContent(o) && o.kind !== 'agency-feedback';
const isReferralFeedback = (o: CreateBookingDto) => needsContent(o) && o.kind === 'referral-feedback';

export const QUESTION_MAX = 1000;
export const SUMMARY_MAX = 4000;

export class PlacementDto {
  /** A particular slot (0-based, from the meeting's `slots`); omit for the first free slot. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(99)
  slotIndex?: number;

  /** When the meeting is full, wait for a slot instead of getting 409 MEETING_FULL. */
  @IsOptional()
  @IsBoolean()
  joinWaitlist?: boolean;
}

export class CreateBookingDto extends PlacementDto {
  @ValidateIf(needsContent)
  @IsIn(BOOKING_KINDS)
  kind: BookingKind;

  /** Is a child at immediate risk of significant harm? If so, nothing is booked: contact the MASH now. */
  @IsBoolean()
  immediateRisk: boolean;

  /** Your agency's own reference for the case (no names). */
  @ValidateIf(needsChildFields)
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  agencyReference?: string;

  @ValidateIf(needsChildFields)
  @IsIn(AGE_BANDS)
  ageBand?: AgeBand;

  /** Codes from GET /api/reference-data. */
  @ValidateIf(needsChildFields)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  concernCategories?: string[];

  /**
   * The level of need being considered (1 = lowest), one of the levels of the threshold document
   * version the meeting uses (GET /api/reference-data `thresholdVersions`, by the meeting's date).
   */
  @ValidateIf(needsChildFields)
  @IsInt()
  @Min(1)
  @Max(10)
  levelConsidered?: number;

  /** What you would like the meeting to advise on. */
  @ValidateIf(needsChildFields)
  @Transform(trim)
  @IsString()
  @MinLength(10)
  @MaxLength(QUESTION_MAX)
  question?: string;

  /** A short anonymised summary (for agency feedback: the feedback itself). */
  @ValidateIf(needsContent)
  @Transform(trim)
  @IsString()
  @MinLength(10)
  @MaxLength(SUMMARY_MAX)
  summary: string;

  /**
   * The MASH's reference for the referral (referral feedback only), in the partnership's format
   * (MASH_REFERENCE_PATTERN, checked by the service), e.g. `MASH/2026/1234`.
   */
  @ValidateIf(isReferralFeedback)
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(40)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  mashReference?: string;

  /** When the referral was made, 'YYYY-MM-DD' (referral feedback only). */
  @ValidateIf(isReferralFeedback)
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  referralDate?: string;

  /**
   * Book for a colleague of your agency, who becomes the presenter (gets the invite, may change or
   * withdraw it); coordinators may book for anyone with an agency. Omit to present it yourself.
   */
  @IsOptional()
  @IsUUID()
  presenterUserId?: string;

  /** An earlier item of the same agency that this one follows up (its id; see GET /api/bookings/follow-up-choices). */
  @IsOptional()
  @IsUUID()
  followsBookingId?: string;
}

/** The answers of an item that its presenter may change before the booking deadline (not its kind). */
export const EDITABLE_BOOKING_FIELDS = [
  'agencyReference',
  'ageBand',
  'concernCategories',
  'levelConsidered',
  'question',
  'summary',
  'mashReference',
  'referralDate',
] as const;

/**
 * A change to a booked item's answers (PATCH /api/bookings/:id): any of its answers, checked by
 * the same rules as booking (for the item's kind), and the version it was read at.
 */
export class UpdateBookingDto extends PartialType(PickType(CreateBookingDto, EDITABLE_BOOKING_FIELDS)) {
  /** The item's `version` as you last read it (GET /api/bookings/:id). */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  version: string;
}

export class RebookDto extends PlacementDto {
  @IsUUID()
  meetingId: string;
}

export class ListBookingsQuery {
  /** `true`: only your own items (the default for professionals). */
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';

  @IsOptional()
  @IsUUID()
  meetingId?: string;

  /** `true` (agency leads): the items your agency brought. */
  @IsOptional()
  @IsIn(['true', 'false'])
  agency?: 'true' | 'false';

  /** One item by its reference (`TRM-2027-0001`; any case, full-width digits folded). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFKC').trim().toUpperCase() : value,
  )
  @IsString()
  @MaxLength(40)
  reference?: string;
}
