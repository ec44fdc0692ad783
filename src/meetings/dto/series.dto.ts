import { IsEmailAddress } from '../../common/email-address';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { BankHolidayPolicy } from '../../scheduling/calendar-rules';
import { CALENDAR_INVITE_FORMS, type CalendarInviteForm } from '../meeting-series.entity';
import { HH_MM, ISO_DATE, SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

export class CreateSeriesDto {
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(160)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  title: string;

  /** The first meeting's date, 'YYYY-MM-DD' (a weekday). */
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  firstMeetingDate: string;

  /** Start time in Europe/London, 'HH:mm'; it stays the same wall-clock time across the clock changes. */
  @Matches(HH_MM, { message: 'must be a time HH:mm' })
  startTime: string;

  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes: number;

  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8)
  intervalWeeks?: number;

  /**
   * An RFC 5545 RRULE value instead of intervalWeeks: `FREQ=MONTHLY;BYDAY=1TU` (the first Tuesday
   * of every month; 1 to 4 or -1 for the last, Monday to Friday, INTERVAL up to 12 months) or
   * `FREQ=WEEKLY;INTERVAL=2`. The first meeting's date must be a date of the rule.
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recurrence?: string;

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

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  bookingClosesWorkingDaysBefore?: number;

  @IsIn(['skip', 'next-working-day'])
  bankHolidayPolicy: BankHolidayPolicy;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(104)
  horizonWeeks?: number;

  /**
   * How the meetings reach the chair's and core members' calendars by e-mail: `series` (default),
   * one recurring invitation for the whole series, kept up to date as meetings are added, moved or
   * cancelled; or `meetings`, an invitation per meeting. Presenters always get one per slot.
   */
  @IsOptional()
  @IsIn(CALENDAR_INVITE_FORMS)
  calendarInvites?: CalendarInviteForm;
}

export class CoreMemberDto {
  @IsEmailAddress()
  email: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name?: string;
}

export class UpdateSeriesDto {
  /** Who attends every meeting besides the chair: they get each whole meeting in their calendar. Replaces the list. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CoreMemberDto)
  coreMembers?: CoreMemberDto[];

  /** Publish the meeting dates (times and status only) at a public URL for agencies' shared calendars. */
  @IsOptional()
  @IsBoolean()
  publicDatesFeed?: boolean;

  /**
   * The series' chair. Upcoming meetings that had the series' chair (or none) move to the new
   * chair, who is sent them; the old chair is told they are no longer invited unless they still
   * have a reason to be there. Meetings given another chair one by one keep theirs.
   */
  @IsOptional()
  @IsUUID()
  chairUserId?: string;

  /**
   * `false` ends the series: no more meetings are added (those already planned stay, and each can
   * be cancelled on its own). `true` resumes it and plans its meetings up to the horizon again.
   */
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
