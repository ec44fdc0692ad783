import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CreateActionDto } from '../../outcomes/dto/action.dto';
import { AttendeeDto, MAX_ATTENDEES } from '../../outcomes/dto/attendance.dto';
import { AmendOutcomeDto } from '../../outcomes/dto/outcome.dto';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

export const THEMES_NOTE_MAX = 4000;

export class MinutesQuery {
  /** An approved version (1, 2, …); default: the latest (or the draft, for the chair and coordinators). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  version?: number;
}

export class UpdateDraftMinutesDto {
  /** The chair's note on the meeting's themes, for the general part (no case details). Empty clears it. */
  @Transform(trim)
  @IsString()
  @MaxLength(THEMES_NOTE_MAX)
  themesNote: string;
}

/** An amendment to approved minutes: a reason and at least one change. It becomes the next version. */
export class AmendMinutesDto {
  /** Why the approved minutes are amended (kept with the version; shown to chairs and coordinators). */
  @Transform(trim)
  @IsString()
  @MinLength(5)
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  reason: string;

  /**
   * The minutes' latest version as you last read it (`latestVersion`). If given and the minutes
   * have been amended since, nothing changes: 409 MINUTES_VERSION_CONFLICT, with the current one.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  version?: number;

  /** A corrected attendance register (replaces the whole register). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTENDEES)
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendance?: AttendeeDto[];

  /** Corrected outcomes, each naming its item and the outcome version it corrects. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AmendOutcomeDto)
  outcomes?: AmendOutcomeDto[];

  /** Actions agreed at the meeting but missing from the minutes. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CreateActionDto)
  actions?: CreateActionDto[];

  /** A corrected themes note. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(THEMES_NOTE_MAX)
  themesNote?: string;
}
