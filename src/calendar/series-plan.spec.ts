/**
 * The recurring invite of a series: planSeriesInvite (which instances, EXDATEs and overrides)
 * rendered by buildSeriesInvite, then read back by two independent parsers. ical.js expands the
 * rule with its EXDATEs and overrides and must give exactly the person's scheduled meetings at
 * their own times; node-ical reads the same structure; `rrule`, given the RRULE text, must give
 * the held dates and the EXDATEs and nothing else.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import * as nodeIcal from 'node-ical';
import { rrulestr } from 'rrule';
import { parseRecurrence, planOccurrences, type BankHolidayPolicy } from '../scheduling/calendar-rules';
import { buildSeriesInvite, type CalendarEventInput, type SeriesEventInput } from './ical/calendar-event';
import { planSeriesInvite, type SeriesMeeting, type SeriesPlan, type SeriesShape } from './series-plan';

type Component = InstanceType<typeof ICAL.Component>;

const UID = 'series-7d1e0c52-5a9b-4c11-8e0f-2b6f4a9c1d33@thresholds.example.org';
const ORGANIZER = { email: 'meetings@thresholds.example.org', name: 'Thresholds Meetings' };
const CHAIR = { email: 'chair@council.example.gov.uk', name: 'Morgan Chair' };
const CORE = { email: 'duty@police.example.gov.uk', name: 'Duty, Team "B"' };
const STAMP = new Date('2027-03-01T12:00:00Z');

/** Weekly on Mondays at 10:00 for two hours from 15 March 2027: Easter Monday, two May bank holidays, the August one, and both clock changes (28 March, 31 October). */
const WEEKLY: SeriesShape = {
  firstMeetingDate: '2027-03-15',
  intervalWeeks: 1,
  recurrence: null,
  startTime: '10:00',
  durationMinutes: 120,
  title: 'Thresholds and Referrals Meeting',
  location: 'Civic Centre, Room 2.14',
  onlineUrl: null,
  chairUserId: 'chair-1',
};

/** London wall time to an instant, computed here with luxon rather than the service's helper. */
function london(date: string, time: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: 'Europe/London' }).toJSDate();
}

/** The meetings a generator would hold for the series and policy, through `until`. */
function meetingsOf(series: SeriesShape, policy: BankHolidayPolicy, until: string): SeriesMeeting[] {
  return planOccurrences({
    firstMeetingDate: series.firstMeetingDate,
    intervalWeeks: series.intervalWeeks,
    recurrence: series.recurrence ? parseRecurrence(series.recurrence) : undefined,
    until,
    policy,
  }).map((o, i) => {
    const startsAt = london(o.date, series.startTime);
    return {
      id: `meeting-${i}`,
      occurrenceDate: o.occurrenceDate,
      startsAt,
      endsAt: new Date(startsAt.getTime() + series.durationMinutes * 60_000),
      status: 'scheduled' as const,
      title: series.title,
      location: series.location,
      onlineUrl: series.onlineUrl,
      chairUserId: series.chairUserId,
    };
  });
}

function event(start: Date, end: Date, attendees = [CHAIR, CORE], extra: Partial<CalendarEventInput> = {}) {
  return {
    uid: UID,
    sequence: 3,
    status: 'CONFIRMED' as const,
    start,
    end,
    summary: WEEKLY.title,
    location: WEEKLY.location ?? undefined,
    organizer: ORGANIZER,
    attendees,
    stamp: STAMP,
    ...extra,
  };
}

/** The plan as the calendar object it is sent as (what the invites service will do). */
function render(plan: SeriesPlan, attendees = [CHAIR, CORE]): string {
  const input: SeriesEventInput = {
    master: event(plan.start, plan.end, attendees),
    rrule: plan.rrule,
    until: plan.until,
    exdates: plan.exdates,
    overrides: plan.overrides.map(({ meeting, recurrenceId }) =>
      event(meeting.startsAt, meeting.endsAt, attendees, {
        recurrenceId,
        summary: meeting.title,
        location: meeting.location ?? undefined,
      }),
    ),
  };
  return buildSeriesInvite('REQUEST', input);
}

function parse(text: string): Component {
  const read = () => new ICAL.Component(ICAL.parse(text) as unknown[]);
  ICAL.TimezoneService.reset();
  for (const tz of read().getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return read();
}

/** Every instance ical.js expands from the master, its EXDATEs and its overrides. */
function expand(text: string): Array<{ start: string; end: string; location: string }> {
  const vevents = parse(text).getAllSubcomponents('vevent');
  const masterComponent = vevents.find((v) => !v.hasProperty('recurrence-id'))!;
  const master = new ICAL.Event(masterComponent);
  for (const v of vevents) if (v !== masterComponent) master.relateException(v);
  const it = master.iterator();
  const out: Array<{ start: string; end: string; location: string }> = [];
  for (let next = it.next(); next && out.length < 500; next = it.next()) {
    const details = master.getOccurrenceDetails(next);
    out.push({
      start: details.startDate.toJSDate().toISOString(),
      end: details.endDate.toJSDate().toISOString(),
      location: details.item.location,
    });
  }
  return out;
}

const held = (meetings: SeriesMeeting[]) =>
  meetings.map((x) => ({ start: x.startsAt.toISOString(), end: x.endsAt.toISOString(), location: x.location }));

describe('planSeriesInvite + buildSeriesInvite, expanded by ical.js', () => {
  it('weekly, bank holidays skipped, across both clock changes: the expansion is the meetings, each at 10:00 London', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-11-15');
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    // Easter Monday, both May Mondays and the August one: four dates of the rule with no meeting.
    expect(plan.exdates.map((d) => d.toISOString())).toEqual([
      london('2027-03-29', '10:00').toISOString(),
      london('2027-05-03', '10:00').toISOString(),
      london('2027-05-31', '10:00').toISOString(),
      london('2027-08-30', '10:00').toISOString(),
    ]);
    expect(plan.overrides).toEqual([]);
    const text = render(plan);
    expect(expand(text)).toEqual(held(meetings));
    // 10:00 GMT before 28 March and after 31 October, 10:00 BST between.
    const starts = expand(text).map((x) => x.start);
    expect(starts[0]).toBe('2027-03-15T10:00:00.000Z');
    expect(starts).toContain('2027-04-05T09:00:00.000Z');
    expect(starts[starts.length - 1]).toBe('2027-11-15T10:00:00.000Z');
  });

  it('weekly, bank holidays moved to the next working day: each moved meeting is an override of the Monday it replaces', () => {
    const meetings = meetingsOf(WEEKLY, 'next-working-day', '2027-11-15');
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    expect(plan.exdates).toEqual([]);
    expect(plan.overrides.map((o) => [o.recurrenceId.toISOString(), o.meeting.startsAt.toISOString()])).toEqual([
      ['2027-03-29T09:00:00.000Z', '2027-03-30T09:00:00.000Z'],
      ['2027-05-03T09:00:00.000Z', '2027-05-04T09:00:00.000Z'],
      ['2027-05-31T09:00:00.000Z', '2027-06-01T09:00:00.000Z'],
      ['2027-08-30T09:00:00.000Z', '2027-08-31T09:00:00.000Z'],
    ]);
    const text = render(plan);
    expect(expand(text)).toEqual(held(meetings));
    const overrides = parse(text)
      .getAllSubcomponents('vevent')
      .filter((v) => v.hasProperty('recurrence-id'));
    expect(overrides).toHaveLength(4);
    expect(text).toContain('RECURRENCE-ID;TZID=Europe/London:20270329T100000\r\n');
  });

  it('a cancelled meeting and one chaired by someone else are EXDATEs for the series chair, who is not a core member', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-05-24');
    meetings[1].status = 'cancelled'; // 22 March
    meetings[3].chairUserId = 'chair-2'; // 12 April
    const chairGets = (x: SeriesMeeting) => x.chairUserId === 'chair-1';
    const plan = planSeriesInvite(WEEKLY, meetings, chairGets)!;
    expect(plan.exdates.map((d) => d.toISOString())).toEqual([
      london('2027-03-22', '10:00').toISOString(),
      london('2027-03-29', '10:00').toISOString(),
      london('2027-04-12', '10:00').toISOString(),
      london('2027-05-03', '10:00').toISOString(),
    ]);
    expect(expand(render(plan))).toEqual(held(meetings.filter((x) => x.status === 'scheduled' && chairGets(x))));
  });

  it('for a core member the meeting with another chair is an override (its attendees differ), and a moved one carries its new time and place', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-05-24');
    meetings[3].chairUserId = 'chair-2';
    meetings[4].startsAt = london('2027-04-19', '14:00');
    meetings[4].endsAt = london('2027-04-19', '15:30');
    meetings[4].location = 'Police station, Room 1';
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    expect(plan.overrides.map((o) => o.meeting.id)).toEqual([meetings[3].id, meetings[4].id]);
    expect(plan.overrides[1].recurrenceId).toEqual(london('2027-04-19', '10:00'));
    const instances = expand(render(plan));
    expect(instances).toEqual(held(meetings));
    expect(instances.find((x) => x.start === london('2027-04-19', '14:00').toISOString())?.location).toBe(
      'Police station, Room 1',
    );
  });

  it('the invite covers only the meetings given: it starts at the first and ends (UNTIL) at the last that the person holds', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-06-28').slice(5); // from 26 April
    meetings[meetings.length - 1].status = 'cancelled'; // 28 June
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    expect(plan.start).toEqual(london('2027-04-26', '10:00'));
    expect(plan.end).toEqual(london('2027-04-26', '12:00'));
    expect(plan.until).toEqual(london('2027-06-21', '10:00'));
    expect(plan.meetings.map((x) => x.occurrenceDate)[0]).toBe('2027-04-26');
    expect(render(plan)).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270621T090000Z\r\n');
  });

  it('a first meeting moved off its date still starts the master at the date the rule gave it', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-04-12');
    meetings[0].startsAt = london('2027-03-16', '10:00');
    meetings[0].endsAt = london('2027-03-16', '12:00');
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    expect(plan.start).toEqual(london('2027-03-15', '10:00'));
    expect(plan.overrides.map((o) => o.recurrenceId)).toEqual([london('2027-03-15', '10:00')]);
    expect(expand(render(plan))).toEqual(held(meetings));
  });

  it.each([
    ['title', { title: 'Extra Thresholds Meeting' }],
    ['online link', { onlineUrl: 'https://meet.example.org/j/1' }],
    ['end time', { endsAt: london('2027-03-22', '12:30') }],
    ['start time alone (a shorter meeting, ending as usual)', { startsAt: london('2027-03-22', '10:30') }],
    ['place', { location: 'Police station, Room 1' }],
  ] as const)('a meeting whose %s differs from the series is an override', (_what, change) => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-04-05');
    Object.assign(meetings[1], change);
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    expect(plan.overrides.map((o) => o.meeting.id)).toEqual([meetings[1].id]);
  });

  it('nothing held (none given, all cancelled, none theirs) is no invite', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-04-12');
    expect(planSeriesInvite(WEEKLY, [], () => true)).toBeNull();
    expect(planSeriesInvite(WEEKLY, meetings, () => false)).toBeNull();
    expect(
      planSeriesInvite(
        WEEKLY,
        meetings.map((x) => ({ ...x, status: 'cancelled' as const })),
        () => true,
      ),
    ).toBeNull();
  });

  it('meetings given out of order are planned in the order of the rule', () => {
    const meetings = meetingsOf(WEEKLY, 'skip', '2027-04-12');
    const plan = planSeriesInvite(WEEKLY, [...meetings].reverse(), () => true)!;
    expect(plan.meetings.map((x) => x.id)).toEqual(meetings.map((x) => x.id));
    expect(plan.start).toEqual(london('2027-03-15', '10:00'));
  });
});

describe('a first-Tuesday series across a year', () => {
  const MONTHLY: SeriesShape = {
    ...WEEKLY,
    firstMeetingDate: '2027-01-05',
    recurrence: 'FREQ=MONTHLY;BYDAY=1TU',
    startTime: '09:30',
  };
  const meetings = meetingsOf(MONTHLY, 'skip', '2027-12-31');

  it('carries the monthly rule; rrule and ical.js both read it back as the twelve first Tuesdays, at 09:30 London', () => {
    const plan = planSeriesInvite(MONTHLY, meetings, () => true)!;
    expect(plan.rrule).toBe('FREQ=MONTHLY;BYDAY=1TU');
    const text = render(plan);
    expect(expand(text)).toEqual(held(meetings));
    expect(meetings).toHaveLength(12);
    // rrule, from the RRULE line and a DTSTART of the first date: the dates only.
    // The event's own RRULE (the VTIMEZONE has rules of its own).
    const vevent = text.slice(text.indexOf('BEGIN:VEVENT'));
    const rule = /^RRULE:(.*)$/m.exec(vevent)![1].trim();
    expect(rule).toBe('FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271207T093000Z');
    const dates = rrulestr(
      `DTSTART:20270105T093000Z\nRRULE:${rule.replace(/UNTIL=\d{8}T\d{6}Z/, 'UNTIL=20271207T235959Z')}`,
    )
      .all()
      .map((d) => d.toISOString().slice(0, 10));
    expect(dates).toEqual(meetings.map((x) => x.occurrenceDate));
    expect(dates).toContain('2027-04-06');
    expect(dates).toContain('2027-11-02');
  });
});

describe('a first-Tuesday series whose January meeting falls on New Year’s Day (1 January 2030)', () => {
  const SERIES: SeriesShape = { ...WEEKLY, firstMeetingDate: '2029-03-06', recurrence: 'FREQ=MONTHLY;BYDAY=1TU' };
  const meetings = (policy: BankHolidayPolicy) => meetingsOf(SERIES, policy, '2030-04-02');

  it('skipped: an EXDATE; the rest expand at 10:00 London across 25 March, 28 October and 31 March', () => {
    const held = meetings('skip');
    const plan = planSeriesInvite(SERIES, held, () => true)!;
    expect(plan.exdates).toEqual([london('2030-01-01', '10:00')]);
    const starts = expand(render(plan)).map((x) => x.start);
    expect(starts).toEqual(held.map((x) => x.startsAt.toISOString()));
    expect(starts).toHaveLength(13);
    expect(starts).toContain('2029-03-06T10:00:00.000Z'); // GMT
    expect(starts).toContain('2029-04-03T09:00:00.000Z'); // BST
    expect(starts).toContain('2029-11-06T10:00:00.000Z'); // GMT again
    expect(starts[starts.length - 1]).toBe('2030-04-02T09:00:00.000Z'); // BST again
  });

  it('moved: an override of 1 January on the 2nd', () => {
    const held = meetings('next-working-day');
    const plan = planSeriesInvite(SERIES, held, () => true)!;
    expect(plan.overrides.map((o) => [o.recurrenceId, o.meeting.startsAt])).toEqual([
      [london('2030-01-01', '10:00'), london('2030-01-02', '10:00')],
    ]);
    expect(expand(render(plan)).map((x) => x.start)).toEqual(held.map((x) => x.startsAt.toISOString()));
  });
});

describe('node-ical reads the same series', () => {
  it('one master with the rule, its EXDATEs and its overrides, all under one UID', () => {
    const meetings = meetingsOf(WEEKLY, 'next-working-day', '2027-06-07');
    meetings[2].status = 'cancelled'; // 29 March moved to the 30th, then cancelled
    const plan = planSeriesInvite(WEEKLY, meetings, () => true)!;
    const parsed = nodeIcal.sync.parseICS(render(plan)) as Record<string, Record<string, unknown>>;
    const vevents = Object.values(parsed).filter((c) => c.type === 'VEVENT');
    expect(vevents).toHaveLength(1); // node-ical folds the overrides into the master's `recurrences`
    const master = vevents[0] as {
      uid: string;
      rrule: { toString(): string };
      exdate: Record<string, Date>;
      recurrences: Record<string, { start: Date; recurrenceid: Date }>;
    };
    expect(master.uid).toBe(UID);
    expect(master.rrule.toString()).toContain('FREQ=WEEKLY');
    expect(master.rrule.toString()).toContain('UNTIL=20270607T090000Z');
    const exdates = [...new Set(Object.values(master.exdate).map((d) => d.toISOString()))];
    expect(exdates).toEqual([london('2027-03-29', '10:00').toISOString()]);
    const overrides = [...new Set(Object.values(master.recurrences).map((r) => r.start.toISOString()))].sort();
    expect(overrides).toEqual([
      london('2027-05-04', '10:00').toISOString(),
      london('2027-06-01', '10:00').toISOString(),
    ]);
  });
});
