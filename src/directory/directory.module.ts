import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgencyEmailDomain } from './agency-email-domain.entity';
import { Agency } from './agency.entity';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { UserLifecycle } from './user-lifecycle';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Agency, AgencyEmailDomain, User])],
  controllers: [DirectoryController],
  providers: [DirectoryService, UserLifecycle],
  exports: [DirectoryService, UserLifecycle],
})
export class DirectoryModule {}
