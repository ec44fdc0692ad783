import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { BookingsService } from '../bookings/bookings.service';
import { CreateBookingDto } from '../bookings/dto/booking.dto';
import { Clock } from '../common/clock';
import { User } from '../directory/user.entity';
import { MeetingsService } from '../meetings/meetings.service';
import { MinutesService } from '../minutes/minutes.service';
import { AttendanceService } from '../outcomes/attendance.service';
import { OutcomesService } from '../outcomes/outcomes.service';
import { isWorkingDay } from '../scheduling/calendar-rules';

const LONDON = 'Europe/London';

/** Anonymised demo items: no names, dates of birth, addresses or other identifying details. */
const SCHOOL_ITEM: CreateBookingDto = {
  kind: 'threshold-consultation',
  immediateRisk: false,
  agencyReference: 'RA-DEMO-001',
  ageBand: '11-15',
  concernCategories: ['neglect', 'mental-health'],
  levelConsidered: 2,
  question:
    'Does the pattern of attendance and presentation meet the threshold for early help or a referral to the MASH?',
  summary:
    'Year 9 pupil, attendance has fallen to 70% this term; arrives hungry most days; parent reports low mood. No disclosures.',
};
const HEALTH_ITEM: CreateBookingDto = {
  kind: 'threshold-consultation',
  immediateRisk: false,
  agencyReference: 'NCH-DEMO-002',
  ageBand: '0-4',
  concernCategories: ['neglect'],
  levelConsidered: 2,
  question: 'Do the home conditions seen at recent visits meet the threshold for early help?',
  summary:
    'Toddler seen at three home visits; the home was cold and there was little food; the parent accepts help with the health visitor.',
};
const SCHOOL_NEXT: CreateBookingDto = {
  ...SCHOOL_ITEM,
  agencyReference: 'RA-DEMO-003',
  ageBand: '5-10',
  concernCategories: ['domestic-abuse'],
  question: 'Should the school make a referral to the MASH after what a Year 4 pupil said about arguments at home?',
  summary:
    'Year 4 pupil told a teaching assistant about shouting at home most nights; no injuries seen; parent engaged with the school.',
};
const HEALTH_NEXT: CreateBookingDto = {
  ...HEALTH_ITEM,
  agencyReference: 'NCH-DEMO-004',
  question: 'Is a referral to the MASH needed, or is a team around the family enough?',
  summary: 'Baby missed two health checks; the family moved recently and has not yet registered with a doctor.',
};

export interface DemoPeople {
  chair: User;
  schoolLead: User;
  healthVisitor: User;
}

/**
 * The demo partnership's story, told through the services the API uses (so audit, outbox and the
 * identifying-details check all apply): a fortnightly series chaired by the demo chair whose first
 * meeting took place a week or more ago, with items from two agencies, attendance, outcomes and
 * approved minutes; and the next meeting, with two items booked and free slots. The past is told
 * with the clock moved back for this work only (`Clock.at`).
 */
@Injectable()
export class DemoStory {
  constructor(
    private readonly clock: Clock,
    private readonly meetings: MeetingsService,
    private readonly bookings: BookingsService,
    private readonly attendance: AttendanceService,
    private readonly outcomes: OutcomesService,
    private readonly minutes: MinutesService,
  ) {}

  async tell(people: DemoPeople): Promise<void> {
    const today = DateTime.fromJSDate(this.clock.now(), { zone: LONDON }).startOf('day');
    // The held meeting: the last working day at least a week ago (so the next, a fortnight on, is
    // at least four days away and still open for booking).
    let held = today.minus({ days: 7 });
    while (!isWorkingDay(held.toISODate()!)) held = held.minus({ days: 1 });
    const weekBefore = held.minus({ days: 7 }).set({ hour: 9 }).toJSDate();

    const { meetings, heldIds } = await this.clock.at(weekBefore, async () => {
      const { meetings } = await this.meetings.createSeries({
        title: 'Thresholds and Referrals Meeting',
        firstMeetingDate: held.toISODate()!,
        startTime: '10:00',
        durationMinutes: 120,
        slotMinutes: 20,
        intervalWeeks: 2,
        location: 'Room 2, County Hall',
        chairUserId: people.chair.id,
        bankHolidayPolicy: 'next-working-day',
        horizonWeeks: 12,
      });
      const first = meetings[0].id;
      const school = await this.bookings.create(first, SCHOOL_ITEM, people.schoolLead);
      const health = await this.bookings.create(first, HEALTH_ITEM, people.healthVisitor);
      return { meetings, heldIds: [school.body.id, health.body.id] };
    });

    const first = meetings[0];
    const afterwards = new Date(first.endsAt.getTime() + 3600_000);
    await this.clock.at(afterwards, async () => {
      const present = (user: User, role: string, bookingIds: string[] = []) => ({
        name: user.name,
        email: user.email,
        agencyId: user.agencyId!,
        role,
        status: 'present' as const,
        bookingIds,
        confidentialityAccepted: true,
      });
      await this.attendance.replace(
        first.id,
        [
          present(people.chair, 'MASH manager (chair)'),
          present(people.schoolLead, 'Designated Safeguarding Lead', [heldIds[0]]),
          present(people.healthVisitor, 'Health visitor', [heldIds[1]]),
        ],
        people.chair,
      );
      await this.outcomes.record(
        heldIds[0],
        {
          levelAdvised: 2,
          pathway: 'early-help',
          advice: 'Offer an early help assessment with consent; the school’s pastoral lead to coordinate.',
        },
        people.chair,
      );
      await this.outcomes.record(
        heldIds[1],
        {
          levelAdvised: 2,
          pathway: 'early-help',
          advice: 'Early help through the family hub; the health visitor to review at the next visit.',
        },
        people.chair,
      );
      await this.minutes.updateDraft(
        first.id,
        { themesNote: 'Both items were about neglect; agencies asked for the early help offer to be circulated.' },
        people.chair,
      );
      await this.minutes.approve(first.id, people.chair);
    });

    // Now: the next meeting, with an item from each agency and slots still free.
    const next = meetings.find((m) => m.startsAt > this.clock.now() && m.bookingClosesAt > this.clock.now());
    if (!next) return;
    await this.bookings.create(next.id, SCHOOL_NEXT, people.schoolLead);
    await this.bookings.create(next.id, HEALTH_NEXT, people.healthVisitor);
  }
}
