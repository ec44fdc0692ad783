import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsEmailAddress } from '../../common/email-address';
import { ATTENDANCE_STATUSES, AttendanceStatus } from '../attendee.entity';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

export const MAX_ATTENDEES = 200;

/** One person in the attendance register. */
export class AttendeeDto {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;

  /** Their work e-mail: the approved minutes' link is sent here. Not printed in the minutes. */
  @IsOptional()
  @IsEmailAddress()
  email?: string;

  /**
   * Their account, when they have one (GET /api/users, or an item's presenter). Without it, a line
   * whose e-mail address is a user's is linked to that user.
   */
  @IsOptional()
  @IsUUID()
  userId?: string;

  /** Their agency (GET /api/agencies). */
  @IsUUID()
  agencyId: string;

  /** Their role, e.g. "Designated Safeguarding Lead". */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  role?: string;

  @IsIn(ATTENDANCE_STATUSES)
  status: AttendanceStatus;

  /** The items (of this meeting) they joined for; omit for the whole meeting. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  bookingIds?: string[];

  /** They accepted the confidentiality statement (its text: GET /api/meetings/:id/attendance). Only someone present can. */
  @IsOptional()
  @IsBoolean()
  confidentialityAccepted?: boolean;
}

/** The register as the body of PUT /api/meetings/:id/attendance is wrapped for validation (see AttendanceBodyPipe). */
export class AttendanceRegisterDto {
  @IsArray()
  @ArrayMaxSize(MAX_ATTENDEES)
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees: AttendeeDto[];
}
