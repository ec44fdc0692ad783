import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public, Roles } from '../auth/roles.decorator';
import { UuidParam } from '../common/uuid-param.pipe';
import { User } from '../directory/user.entity';
import { SingleSignOnService, SsoIdentityView, SsoProviderView } from './single-sign-on.service';

@ApiTags('auth')
@Controller('api')
export class SingleSignOnController {
  constructor(private readonly sso: SingleSignOnService) {}

  /**
   * The organisations' sign-in providers configured here. Signing in with one is a browser
   * journey (the provider's own pages): open `signInUrl`; the session ends up in the pages'
   * cookie. The API's bearer tokens come from the e-mail link (`POST /api/auth/sign-in`).
   */
  @Get('auth/providers')
  @Public()
  providers(): SsoProviderView[] {
    return this.sso.providers();
  }

  /** Coordinators: a user's accounts at the providers, by provider. */
  @Get('users/:id/sign-in-accounts')
  @Roles('coordinator')
  @ApiBearerAuth()
  identities(@Param('id', UuidParam) id: string): Promise<SsoIdentityView[]> {
    return this.sso.identitiesOf(id);
  }

  /** Coordinators: unlink a user from their account at a provider; their next sign-in links again by address. */
  @Delete('users/:id/sign-in-accounts/:provider')
  @Roles('coordinator')
  @ApiBearerAuth()
  @HttpCode(204)
  async unlink(
    @Param('id', UuidParam) id: string,
    @Param('provider') provider: string,
    @CurrentUser() actor: User,
  ): Promise<void> {
    await this.sso.unlink(id, provider, actor);
  }
}
