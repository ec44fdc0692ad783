import { Body, Controller, Get, HttpCode, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentUser, AuthenticatedRequest } from './current-user.decorator';
import { AllowPending, Public } from './roles.decorator';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';
import { SignInRequestDto, TokenExchangeDto } from './dto/auth.dto';
import { DirectoryService } from '../directory/directory.service';
import { MeView, toMeView, toUserView, UserView } from '../directory/directory.views';
import { UpdateMeDto } from '../directory/dto/directory.dto';
import { User } from '../directory/user.entity';

@ApiTags('auth')
@Controller('api/auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  /** Always 202: a link is mailed if the address may sign in, and nothing says whether it was. */
  @Post('sign-in')
  @Public()
  @HttpCode(202)
  async requestLink(@Body() dto: SignInRequestDto): Promise<{ message: string }> {
    await this.auth.requestLink(dto.email);
    return { message: 'If this address can sign in, a link is on its way. It expires in a few minutes.' };
  }

  /** Exchange the token from the link for a session token (`Authorization: Bearer …`). */
  @Post('token')
  @Public()
  @HttpCode(201)
  async exchange(@Body() dto: TokenExchangeDto): Promise<{ accessToken: string; expiresAt: Date; user: UserView }> {
    const signedIn = await this.auth.exchange(dto.token);
    return {
      accessToken: signedIn.accessToken,
      expiresAt: signedIn.session.expiresAt,
      user: toUserView(signedIn.user),
    };
  }

  @Post('sign-out')
  @AllowPending()
  @ApiBearerAuth()
  @HttpCode(204)
  async signOut(@Req() req: AuthenticatedRequest): Promise<void> {
    await this.auth.signOut(req.authSession!);
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/me')
export class MeController {
  constructor(private readonly directory: DirectoryService) {}

  /** Your account, with `status` (`pending` while it waits for approval). */
  @Get()
  @AllowPending()
  me(@CurrentUser() user: User): MeView {
    return toMeView(user);
  }

  /** Change your own display name. */
  @Patch()
  async update(@CurrentUser() user: User, @Body() dto: UpdateMeDto): Promise<MeView> {
    return toMeView(await this.directory.updateOwnName(user.id, dto.name));
  }
}
