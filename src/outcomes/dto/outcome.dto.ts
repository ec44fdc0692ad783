import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  ValidateNested,
} from 'class-validator';
import { PATHWAYS, Pathway } from '../../reference-data/reference-data';
import { QUALITY_ISSUES, QualityIssue } from '../outcome.entity';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

export const ADVICE_MAX = 4000;

export class ReferralQualityDto {
  /** Was the referral made in good time? */
  @IsBoolean()
  timely: boolean;

  /** Did the referral hold what the MASH needed? When false, name at least one issue. */
  @IsBoolean()
  complete: boolean;

  /** Was the MASH the right place for it? False: misdirected (then say where it should have gone). */
  @IsBoolean()
  appropriate: boolean;

  /** `missing-information`, `unclear-safeguarding-concern`, `consent-not-recorded`, `other`. */
  @IsArray()
  @ArrayMaxSize(QUALITY_ISSUES.length)
  @ArrayUnique()
  @IsIn(QUALITY_ISSUES, { each: true })
  issues: QualityIssue[];

  /** For a misdirected referral: the service it should have gone to (no names of people). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  misdirectedTo?: string;
}

/**
 * The outcome of one item. Which fields apply depends on the item's kind: threshold consultation
 * and referral feedback need `levelAdvised`, `pathway` and `advice` (referral feedback also
 * `referralQuality`); agency feedback needs `response` only.
 */
export class RecordOutcomeDto {
  /**
   * `true`: the outcome is final, so tell the presenter now (once the meeting has started).
   * Otherwise the presenter is told, and can read it, when the minutes are approved.
   */
  @IsOptional()
  @IsBoolean()
  final?: boolean;

  /** The outcome's `version` as you last read it; omit (or 0) when recording it for the first time. */
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;

  /**
   * The level of need advised, 1 (lowest) to the number of levels of the threshold document
   * version the meeting uses (GET /api/reference-data `thresholdVersions`, by the meeting's date).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  levelAdvised?: number;

  /**
   * One of the pathways of the meeting's threshold document version: by default all of
   * `universal`, `early-help`, `mash-referral`, `child-protection`, `other-service`, `advice-only`.
   */
  @IsOptional()
  @IsIn(PATHWAYS)
  pathway?: Pathway;

  /** The advice given, anonymised (case text: erased after the retention period). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(ADVICE_MAX)
  advice?: string;

  /** Referral feedback only: the quality of the referral made to the MASH. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ReferralQualityDto)
  referralQuality?: ReferralQualityDto;

  /** Agency feedback only: children's social care's response (case text). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(ADVICE_MAX)
  response?: string;
}

/** An outcome changed by an amendment to approved minutes. */
export class AmendOutcomeDto extends RecordOutcomeDto {
  /** The item (of this meeting) whose outcome changes. */
  @IsUUID()
  bookingId: string;
}
