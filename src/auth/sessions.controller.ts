import { Controller, Delete, Get, HttpCode, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { AuthenticatedRequest, CurrentUser } from './current-user.decorator';
import { Roles } from './roles.decorator';
import { SessionsService } from './sessions.service';
import { SessionView, toSessionView } from './session.views';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /** Your sessions that still work, most recently used first; `current` is the one asking. */
  @Get('me/sessions')
  async mine(@Req() req: AuthenticatedRequest, @CurrentUser() user: User): Promise<SessionView[]> {
    const live = await this.sessions.live(user.id);
    return live.map((s) => toSessionView(s, this.sessions.idleExpiry(s), req.authSession!));
  }

  /** Sign out everywhere else: ends every one of your sessions but this one. */
  @Delete('me/sessions')
  async endOthers(@Req() req: AuthenticatedRequest, @CurrentUser() user: User): Promise<{ ended: number }> {
    return { ended: await this.sessions.endOthers(user, req.authSession!) };
  }

  /** Ends one of your sessions (404 for one that is not yours or has ended). */
  @Delete('me/sessions/:id')
  @HttpCode(204)
  async endOne(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<void> {
    await this.sessions.endOwn(user, id);
  }

  /** Coordinators: ends every session of a user (they must sign in again). */
  @Delete('users/:id/sessions')
  @Roles('coordinator')
  async endAllFor(@Param('id', UuidParam) id: string): Promise<{ ended: number }> {
    return { ended: await this.sessions.endAllFor(id) };
  }
}
