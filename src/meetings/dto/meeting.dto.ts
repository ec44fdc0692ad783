import { Transform } from 'class-transformer';
import {
  Min,
  IsInt,
  IsBoolean,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

export class ListMeetingsQuery {
  /** ISO 8601 date or instant; default: today. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** ISO 8601 date or instant (exclusive); default: 12 weeks after `from`. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class UpdateMeetingDto {
  /** New start, ISO 8601 with an offset; the meeting keeps its length and its slots move with it. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'must include a time-zone offset, e.g. 2027-01-11T10:00:00Z' })
  startsAt?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  location?: string;

  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'must be an https:// link' })
  @MaxLength(500)
  onlineUrl?: string;

  @IsOptional()
  @IsUUID()
  chairUserId?: string;

  /** Why the meeting changed, told to presenters (optional: without it they are told only what changed). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  reason?: string;

  /** `true` to hold the meeting on a weekend or an England and Wales bank holiday (else 409 NON_WORKING_DAY). */
  @IsOptional()
  @IsBoolean()
  confirmNonWorkingDay?: boolean;

  /** The meeting's `version` as you read it: if it has changed since, 409 MEETING_VERSION_CONFLICT and nothing changes. */
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;
}

export class CancelMeetingDto {
  /** Why the meeting is cancelled; told to every presenter. */
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  reason: string;
}
