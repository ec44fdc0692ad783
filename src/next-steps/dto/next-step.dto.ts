import { IsBoolean, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { ISO_DATE } from '../../common/input-rules';

/** The presenter's answer: what happened after the meeting's advice. Yes or no, and dates; no free text. */
export class NextStepAnswerDto {
  /** The `version` that GET gave: 409 NEXT_STEP_VERSION_CONFLICT when the answer changed since. */
  @IsInt()
  @Min(1)
  version: number;

  /** Whether the referral or request the meeting advised was made. */
  @IsOptional()
  @IsBoolean()
  referralMade?: boolean;

  /** 'YYYY-MM-DD': when it was made (on or after the meeting, not in the future). Only when made. */
  @IsOptional()
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  madeOn?: string;

  /** Whether the MASH (or the service) has answered. Only when made. */
  @IsOptional()
  @IsBoolean()
  heardBack?: boolean;

  /** 'YYYY-MM-DD': when they answered (on or after madeOn). Only when heard back. */
  @IsOptional()
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  heardBackOn?: string;
}
