import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { FirstRunService } from './first-run/first-run.service';
import { HealthController } from './health/health.controller';
import { MailModule } from './mail/mail.module';

@Module({
  imports: [ConfigModule, CommonModule, DatabaseModule, AuditModule, MailModule, DirectoryModule, AuthModule],
  controllers: [HealthController],
  providers: [FirstRunService],
})
export class AppModule {}
