import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { LegalHoldReasonDto } from './dto/legal-hold.dto';
import { LegalHoldsOfItem, LegalHoldView } from './legal-hold.views';
import { LegalHoldsService } from './legal-holds.service';

@ApiTags('retention')
@ApiBearerAuth()
@Controller('api/bookings/:id/legal-hold')
@Roles('coordinator')
export class LegalHoldsController {
  constructor(private readonly holds: LegalHoldsService) {}

  /**
   * Place a legal hold on an item (coordinators) with a reason: the retention job keeps its case
   * text, its outcome's, its actions' and its sections of the minutes until the hold is lifted.
   * 201; 409 LEGAL_HOLD_IN_FORCE, CASE_TEXT_ERASED (already removed); 422 IDENTIFYING_DETAILS. Audited.
   */
  @Post()
  place(
    @Param('id', UuidParam) id: string,
    @Body() dto: LegalHoldReasonDto,
    @CurrentUser() user: User,
  ): Promise<LegalHoldView> {
    return this.holds.place(id, dto, user);
  }

  /** Lift the hold in force, with a reason (coordinators). 409 NO_LEGAL_HOLD. Audited. */
  @Post('lift')
  @HttpCode(200)
  lift(
    @Param('id', UuidParam) id: string,
    @Body() dto: LegalHoldReasonDto,
    @CurrentUser() user: User,
  ): Promise<LegalHoldView> {
    return this.holds.lift(id, dto, user);
  }

  /** The hold in force (if any), every earlier hold, and whether the case text has been removed (coordinators). */
  @Get()
  ofItem(@Param('id', UuidParam) id: string): Promise<LegalHoldsOfItem> {
    return this.holds.ofItem(id);
  }
}
