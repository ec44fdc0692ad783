import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { DirectoryModule } from '../directory/directory.module';
import { OidcClient } from './oidc-client';
import { SingleSignOnController } from './single-sign-on.controller';
import { SingleSignOnService } from './single-sign-on.service';
import { SsoAttempt } from './sso-attempt.entity';
import { SsoIdentity } from './sso-identity.entity';

/** Sign-in with an organisation's OpenID Connect provider (`OIDC_PROVIDERS`), beside the e-mail link. */
@Module({
  imports: [AuthModule, DirectoryModule, TypeOrmModule.forFeature([SsoIdentity, SsoAttempt])],
  controllers: [SingleSignOnController],
  providers: [OidcClient, SingleSignOnService],
  exports: [SingleSignOnService],
})
export class SingleSignOnModule {}
