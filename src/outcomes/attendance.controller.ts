import { Body, Controller, Get, Headers, Param, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
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
  async get(
    @Param('id', UuidParam) id: string,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttendanceRegisterView> {
    const register = await this.attendance.get(id, user);
    res.setHeader('ETag', `"${register.version}"`);
    return register;
  }

  /**
   * Replace the attendance register with this JSON array (chair of the meeting, coordinators).
   * 400 VALIDATION_FAILED with fields such as `[2].agencyId`; 403; 409 MINUTES_APPROVED (amend
   * the minutes instead), 409 MEETING_CANCELLED. Send `If-Match` with the register's `version`
   * (its ETag) to have a change made since refused with 409 ATTENDANCE_VERSION_CONFLICT.
   */
  @Put()
  @ApiBody({ type: [AttendeeDto] })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The register’s version (ETag) this change is based on.',
  })
  replace(
    @Param('id', UuidParam) id: string,
    @Body(AttendanceBodyPipe) attendees: AttendeeDto[],
    @CurrentUser() user: User,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<AttendanceRegisterView> {
    return this.attendance.replace(id, attendees, user, ifMatch?.replace(/^W\//, '').replace(/"/g, '').trim());
  }
}
