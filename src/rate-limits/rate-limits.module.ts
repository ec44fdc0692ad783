import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseThrottlerStorage } from './database-throttler-storage';
import { RateLimitCounter } from './rate-limit-counter.entity';

/** Rate limits shared by every app instance: their counters live in the database. */
@Module({
  imports: [TypeOrmModule.forFeature([RateLimitCounter])],
  providers: [DatabaseThrottlerStorage],
  exports: [DatabaseThrottlerStorage],
})
export class RateLimitsModule {}
