import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim } from '../../common/input-rules';

export class LegalHoldReasonDto {
  /** Why (a practice review, proceedings, a complaint…): on one line, no identifying details. */
  @Transform(trim)
  @IsString()
  @MinLength(5)
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  reason: string;
}
