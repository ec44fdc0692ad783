import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegalHold } from './legal-hold.entity';
import { LegalHoldsController } from './legal-holds.controller';
import { LegalHoldsService } from './legal-holds.service';
import { RetentionJob } from './retention.job';
import { RetentionService } from './retention.service';

/** Case text kept no longer than the partnership's policy: the nightly job and legal holds. */
@Module({
  imports: [TypeOrmModule.forFeature([LegalHold])],
  controllers: [LegalHoldsController],
  providers: [RetentionService, RetentionJob, LegalHoldsService],
  exports: [RetentionService, LegalHoldsService],
})
export class RetentionModule {}
