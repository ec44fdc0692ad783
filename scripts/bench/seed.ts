/**
 * Bench only: run in a child process (`node dist/scripts/bench/seed.js`) on the benchmark's own
 * fresh database, before the app is started, never in the load generator and never in
 * production. It boots the application's context (which applies the migrations), gives one
 * presenter a year of items (a weekly series: one slot in each of 52 meetings, which they also
 * chair), publishes the series' dates feed, issues the presenter's feed URL and opens two
 * sessions the way signing in does (SessionsService.create), and prints what the load generator
 * needs as one JSON line on stdout.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { CalendarFeedsService } from '../../src/calendar/calendar-feeds.service';
import { SessionsService } from '../../src/auth/sessions.service';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { Agency } from '../../src/directory/agency.entity';
import { User } from '../../src/directory/user.entity';
import { Booking } from '../../src/bookings/booking.entity';
import { MeetingsService } from '../../src/meetings/meetings.service';
import { londonToday } from '../../src/scheduling/calendar-rules';

export interface BenchSeed {
  feedPath: string;
  seriesFeedPath: string;
  presenterToken: string;
  coordinatorToken: string;
  /** The meeting the booking case books into (with joinWaitlist). */
  bookingMeetingId: string;
  meetings: number;
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const tx = app.get(TransactionRunner);
  const sessions = app.get(SessionsService);
  const { presenter, coordinator } = await tx.write(async (m) => {
    const agency = m.create(Agency, { name: 'Bench Academy', sector: 'education', emailDomains: [] });
    await m.save(agency);
    const presenter = m.create(User, {
      email: 'presenter@bench.test',
      name: 'Bench Presenter',
      agencyId: agency.id,
      roles: ['professional', 'chair'],
      active: true,
    });
    const coordinator = m.create(User, {
      email: 'coordinator@bench.test',
      name: 'Bench Coordinator',
      agencyId: agency.id,
      roles: ['coordinator'],
      active: true,
    });
    await m.insert(User, presenter);
    await m.insert(User, coordinator);
    return { presenter, coordinator };
  });

  const today = londonToday(new Date());
  const monday = new Date(`${today}T12:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
  const meetingsService = app.get(MeetingsService);
  const { series, meetings } = await meetingsService.createSeries({
    title: 'Thresholds and Referrals Meeting',
    firstMeetingDate: monday.toISOString().slice(0, 10),
    startTime: '10:00',
    durationMinutes: 120,
    slotMinutes: 15,
    intervalWeeks: 1,
    location: 'Council Chamber, County Hall',
    onlineUrl: 'https://meet.example.org/trm',
    chairUserId: presenter.id,
    bankHolidayPolicy: 'next-working-day',
    horizonWeeks: 52,
  });
  await meetingsService.updateSeries(series.id, { publicDatesFeed: true });
  const sorted = [...meetings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  await tx.write(async (m) => {
    let n = 0;
    // Every meeting but the last, which the booking case fills.
    for (const meeting of sorted.slice(0, -1)) {
      await m.insert(
        Booking,
        m.create(Booking, {
          reference: `TRM-BENCH-${String(++n).padStart(4, '0')}`,
          meetingId: meeting.id,
          presenterUserId: presenter.id,
          agencyId: presenter.agencyId!,
          kind: 'threshold-consultation',
          status: 'booked',
          slotIndex: n % 8,
          concernCategories: ['neglect'],
          summary: 'Benchmark item',
          sequence: 0,
        }),
      );
    }
  });
  const { url } = await app.get(CalendarFeedsService).rotate(presenter);
  const presenterSession = await tx.write((m) => sessions.create(m, presenter));
  const coordinatorSession = await tx.write((m) => sessions.create(m, coordinator));
  await app.close();
  const seed: BenchSeed = {
    feedPath: new URL(url).pathname,
    seriesFeedPath: `/calendar/series/${series.id}.ics`,
    presenterToken: presenterSession.token,
    coordinatorToken: coordinatorSession.token,
    bookingMeetingId: sorted[sorted.length - 1].id,
    meetings: sorted.length,
  };
  process.stdout.write(`BENCH_SEED ${JSON.stringify(seed)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
