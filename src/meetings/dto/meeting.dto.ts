import { Transform } from 'class-transformer';
import {
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
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

  /** Why the meeting changed: required when the time changes; told to presenters. */
  @ValidateIf((o: UpdateMeetingDto) => o.startsAt !== undefined || o.reason !== undefined)
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  reason?: string;
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
