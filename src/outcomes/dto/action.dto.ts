import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ACTION_STATUSES, ActionStatus, CLOSED_REASONS, ClosedReason } from '../meeting-action.entity';
import { ISO_DATE, SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

export const ACTION_DESCRIPTION_MAX = 1000;

export class CreateActionDto {
  /** What is to be done (anonymised; case text). */
  @Transform(trim)
  @IsString()
  @MinLength(5)
  @MaxLength(ACTION_DESCRIPTION_MAX)
  description: string;

  /** The agency that owns the action (GET /api/agencies). */
  @IsUUID()
  ownerAgencyId: string;

  /** The person at that agency, if named. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  ownerName?: string;

  /** 'YYYY-MM-DD', today or later (Europe/London). */
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  dueDate: string;

  /** The item of this meeting it arises from, if any: then only that item's agency sees it in the minutes. */
  @IsOptional()
  @IsUUID()
  bookingId?: string;
}

export class UpdateActionDto {
  /** `open` (reopen), `done`, or `closed` with a reason. */
  @IsIn(ACTION_STATUSES)
  status: ActionStatus;

  /** Required when closing: `circumstances-changed` or `agency-not-completed`. */
  @IsOptional()
  @IsIn(CLOSED_REASONS)
  closedReason?: ClosedReason;
}
