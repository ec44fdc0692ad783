import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { ActionView, MeetingActionsView } from './action.views';
import { ActionsService } from './actions.service';
import { CreateActionDto, UpdateActionDto } from './dto/action.dto';

@ApiTags('outcomes and minutes')
@ApiBearerAuth()
@Controller('api')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  /**
   * Agree an action at this meeting (chair of the meeting, coordinators). 400 for a due date in
   * the past, an unknown agency, an item not on this agenda; 409 MINUTES_APPROVED.
   */
  @Post('meetings/:id/actions')
  @HttpCode(201)
  create(
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateActionDto,
    @CurrentUser() user: User,
  ): Promise<ActionView> {
    return this.actions.create(id, dto, user);
  }

  /** The actions for this meeting's agenda: agreed here, and open ones carried forward from earlier meetings of the series; overdue ones flagged. */
  @Get('meetings/:id/actions')
  list(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<MeetingActionsView> {
    return this.actions.listForMeeting(id, user);
  }

  /** Mark an action done, close it with a reason, or reopen it (a chair of the series' meetings, coordinators). */
  @Patch('actions/:id')
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateActionDto,
    @CurrentUser() user: User,
  ): Promise<ActionView> {
    return this.actions.update(id, dto, user);
  }
}
