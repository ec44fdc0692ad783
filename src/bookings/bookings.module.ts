import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Booking } from './booking.entity';
import { BookingNotifier } from './booking-notifier';
import { BookingsController } from './bookings.controller';
import { BookingsService } from './bookings.service';
import { IdempotencyRecord } from './idempotency-record.entity';
import { ReferenceCounter } from './reference-counter.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Booking, IdempotencyRecord, ReferenceCounter])],
  controllers: [BookingsController],
  providers: [BookingsService, BookingNotifier],
  exports: [BookingsService, BookingNotifier],
})
export class BookingsModule {}
