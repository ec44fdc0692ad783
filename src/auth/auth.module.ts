import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { mailboxKey } from '../common/email-address';
import { DirectoryModule } from '../directory/directory.module';
import { DatabaseThrottlerStorage } from '../rate-limits/database-throttler-storage';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { AccessGuard } from './access.guard';
import { AuthController, MeController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { Session } from './session.entity';
import { SignInToken } from './sign-in-token.entity';

@Module({
  imports: [
    DirectoryModule,
    TypeOrmModule.forFeature([Session, SignInToken]),
    // Sign-in is limited per client address and per e-mail address. The counters are in the
    // database, so the limits hold in total across every app instance.
    ThrottlerModule.forRootAsync({
      imports: [RateLimitsModule],
      inject: [AppConfig, DatabaseThrottlerStorage],
      useFactory: (config: AppConfig, storage: DatabaseThrottlerStorage) => {
        const ttl = config.SIGN_IN_LIMIT_WINDOW_MINUTES * 60_000;
        return {
          storage,
          throttlers: [
            { name: 'ip', ttl, limit: config.SIGN_IN_LIMIT_PER_IP },
            {
              name: 'email',
              ttl,
              limit: config.SIGN_IN_LIMIT_PER_EMAIL,
              skipIf: (ctx) => typeof ctx.switchToHttp().getRequest<Request>().body?.email !== 'string',
              getTracker: (req) => Promise.resolve(mailboxKey(String(req.body.email))),
              // One count per mailbox, whichever route asks (the API or the sign-in page).
              generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
            },
          ],
        };
      },
    }),
  ],
  controllers: [AuthController, MeController, SessionsController],
  providers: [AuthService, SessionsService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [SessionsService, AuthService],
})
export class AuthModule {}
