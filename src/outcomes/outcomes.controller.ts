import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { DeferralResult, DeferralService } from './deferral.service';
import { RecordOutcomeDto } from './dto/outcome.dto';
import { OutcomeView } from './outcome.views';
import { OutcomesService } from './outcomes.service';

@ApiTags('outcomes and minutes')
@ApiBearerAuth()
@Controller('api/bookings/:id')
export class OutcomesController {
  constructor(
    private readonly outcomes: OutcomesService,
    private readonly deferrals: DeferralService,
  ) {}

  /**
   * Record (201) or replace (200) an item's outcome (chair of its meeting, coordinators). Send the
   * `version` you read: 409 OUTCOME_VERSION_CONFLICT with `details.currentVersion` when someone
   * saved in between. 400 VALIDATION_FAILED (level out of range, unknown pathway, fields that do
   * not apply to the item's kind, oversize text); 409 ITEM_NOT_ON_AGENDA (withdrawn, cancelled or
   * waiting items), MINUTES_APPROVED; 403 for the presenter, 404 for those who may not see the item.
   * The presenter is e-mailed a link (no advice) the first time.
   */
  @Put('outcome')
  async record(
    @Param('id', UuidParam) id: string,
    @Body() dto: RecordOutcomeDto,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OutcomeView> {
    const saved = await this.outcomes.record(id, dto, user);
    res.status(saved.created ? 201 : 200);
    return saved.view;
  }

  /** An item's outcome: its presenter, the chair of its meeting, coordinators; others 404. Audited. */
  @Get('outcome')
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<OutcomeView> {
    return this.outcomes.get(id, user);
  }

  /**
   * Carry an item the meeting did not reach to the next scheduled meeting of the series (chair of
   * its meeting, coordinators): same item and reference, first free slot or the waiting list.
   * 409 OUTCOME_RECORDED, ITEM_NOT_ON_AGENDA, NO_NEXT_MEETING, MINUTES_APPROVED.
   */
  @Post('defer')
  @HttpCode(200)
  defer(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<DeferralResult> {
    return this.deferrals.defer(id, user);
  }
}
