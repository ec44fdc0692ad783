import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { AttendanceBodyPipe } from './attendance-body.pipe';
import { AttendanceRegisterView, AttendanceService } from './attendance.service';
import { AttendeeDto } from './dto/attendance.dto';

@ApiTags('outcomes and minutes')
@ApiBearerAuth()
@Controller('api/meetings/:id/attendance')
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  /** The attendance register and the confidentiality statement to read out (chair of the meeting, coordinators; others 403). */
  @Get()
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<AttendanceRegisterView> {
    return this.attendance.get(id, user);
  }

  /**
   * Replace the attendance register with this JSON array (chair of the meeting, coordinators).
   * 400 VALIDATION_FAILED with fields such as `[2].agencyId`; 403; 409 MINUTES_APPROVED (amend
   * the minutes instead), 409 MEETING_CANCELLED.
   */
  @Put()
  @ApiBody({ type: [AttendeeDto] })
  replace(
    @Param('id', UuidParam) id: string,
    @Body(AttendanceBodyPipe) attendees: AttendeeDto[],
    @CurrentUser() user: User,
  ): Promise<AttendanceRegisterView> {
    return this.attendance.replace(id, attendees, user);
  }
}
