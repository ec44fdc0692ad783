import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { DomainError } from '../common/domain-error';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { NextStepAnswerDto } from './dto/next-step.dto';
import { NextStepView, toNextStepView } from './next-step.views';
import { NextStepsService } from './next-steps.service';

@ApiTags('outcomes and minutes')
@ApiBearerAuth()
@Controller('api/bookings/:id/next-steps')
export class NextStepsController {
  constructor(private readonly nextSteps: NextStepsService) {}

  /**
   * What happened after the advice, once the presenter has been asked (the item's presenter and
   * coordinators; others 404; 404 too before the question goes out).
   */
  @Get()
  async get(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<NextStepView> {
    const step = await this.nextSteps.forReader(id, user);
    if (!step) throw DomainError.notFound('The question about what happened next');
    return toNextStepView(step, this.nextSteps.expected());
  }

  /**
   * The presenter's answer, or a correction of it: `{version, referralMade, madeOn?, heardBack?,
   * heardBackOn?}`. 400 VALIDATION_FAILED by field (a date before the meeting or in the future, an
   * answer to a question a "no" made irrelevant); 409 NEXT_STEP_VERSION_CONFLICT; 403 for anyone
   * but the presenter. Audited (the state, not the dates).
   */
  @Put()
  async answer(
    @Param('id', UuidParam) id: string,
    @Body() dto: NextStepAnswerDto,
    @CurrentUser() user: User,
  ): Promise<NextStepView> {
    return toNextStepView(await this.nextSteps.answer(id, user, dto), this.nextSteps.expected());
  }
}
