import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { SingleSignOnService, SsoProviderView } from './single-sign-on.service';

@ApiTags('auth')
@Controller('api/auth')
export class SingleSignOnController {
  constructor(private readonly sso: SingleSignOnService) {}

  /**
   * The organisations' sign-in providers configured here. Signing in with one is a browser
   * journey (the provider's own pages): open `signInUrl`; the session ends up in the pages'
   * cookie. The API's bearer tokens come from the e-mail link (`POST /api/auth/sign-in`).
   */
  @Get('providers')
  @Public()
  providers(): SsoProviderView[] {
    return this.sso.providers();
  }
}
