import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingsModule } from '../bookings/bookings.module';
import { NextStep } from './next-step.entity';
import { NextStepsController } from './next-steps.controller';
import { NextStepsService } from './next-steps.service';

/** What happened after the advice: asking the presenter, reminding once, the answers. */
@Module({
  imports: [TypeOrmModule.forFeature([NextStep]), BookingsModule],
  controllers: [NextStepsController],
  providers: [NextStepsService],
  exports: [NextStepsService],
})
export class NextStepsModule {}
