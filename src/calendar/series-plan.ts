import { formatRecurrence, nominalDates, seriesRecurrence, wallClockToInstant } from '../scheduling/calendar-rules';

/** What the plan needs of a series: its rhythm and what each of its meetings is by default. */
export interface SeriesShape {
  firstMeetingDate: string;
  intervalWeeks: number;
  recurrence: string | null;
  /** 'HH:mm', Europe/London. */
  startTime: string;
  durationMinutes: number;
  title: string;
  location: string | null;
  onlineUrl: string | null;
  chairUserId: string | null;
}

/** What the plan needs of one meeting of the series. */
export interface SeriesMeeting {
  id: string;
  /** The date the rhythm gave it (before any move): the instance it is. */
  occurrenceDate: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  title: string;
  location: string | null;
  onlineUrl: string | null;
  chairUserId: string | null;
}

/** One recurring calendar object for a series, as one person receives it. */
export interface SeriesPlan {
  /** The RRULE value without UNTIL: `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO`. */
  rrule: string;
  /** The first instance by the rule (the master's DTSTART and DTEND). */
  start: Date;
  end: Date;
  /** The rule's start of the last instance: UNTIL. */
  until: Date;
  /** The rule's starts of the instances this person does not have (no meeting, cancelled, not theirs). */
  exdates: Date[];
  /** The meetings that differ from the rule (time, title, place, link or chair), with the instance each is. */
  overrides: Array<{ meeting: SeriesMeeting; recurrenceId: Date }>;
  /** The meetings this calendar object holds, in order. */
  meetings: SeriesMeeting[];
}

/**
 * THE rule for what a series' recurring invite holds for one person: the rule from the first to
 * the last of the meetings they get, an EXDATE for every date of the rule in between that they
 * do not get (skipped for a bank holiday, cancelled, not generated, or chaired by someone else
 * while they are not a core member), and an override for every meeting of theirs that is not
 * what the rule says (moved for a bank holiday or by hand, another place, link, title or chair).
 * Expanding the result gives exactly their scheduled meetings, at their own times. Null when they
 * get none of the meetings.
 *
 * `meetings` are the series' meetings from the point the invite covers (upcoming ones); `gets`
 * says whether this person gets a scheduled meeting whole.
 */
export function planSeriesInvite(
  series: SeriesShape,
  meetings: SeriesMeeting[],
  gets: (meeting: SeriesMeeting) => boolean,
): SeriesPlan | null {
  const held = meetings
    .filter((x) => x.status === 'scheduled' && gets(x))
    .sort((a, b) => a.occurrenceDate.localeCompare(b.occurrenceDate));
  if (held.length === 0) return null;
  const first = held[0].occurrenceDate;
  const last = held[held.length - 1].occurrenceDate;
  const rule = seriesRecurrence(series);
  const nominalStart = (date: string) => wallClockToInstant(date, series.startTime);
  const byDate = new Map(held.map((x) => [x.occurrenceDate, x] as const));
  const exdates: Date[] = [];
  const overrides: SeriesPlan['overrides'] = [];
  for (const date of nominalDates(series.firstMeetingDate, rule, last).dates) {
    if (date < first) continue;
    const meeting = byDate.get(date);
    if (!meeting) {
      exdates.push(nominalStart(date));
      continue;
    }
    const start = nominalStart(date);
    if (!followsRule(series, meeting, start)) overrides.push({ meeting, recurrenceId: start });
  }
  const start = nominalStart(first);
  return {
    rrule: formatRecurrence(rule, series.firstMeetingDate),
    start,
    end: new Date(start.getTime() + series.durationMinutes * 60_000),
    until: nominalStart(last),
    exdates,
    overrides,
    meetings: held,
  };
}

/** Whether a meeting is what its series' rule gives on its date, so the master alone shows it. */
function followsRule(series: SeriesShape, meeting: SeriesMeeting, nominalStart: Date): boolean {
  return (
    meeting.startsAt.getTime() === nominalStart.getTime() &&
    meeting.endsAt.getTime() === nominalStart.getTime() + series.durationMinutes * 60_000 &&
    meeting.title === series.title &&
    meeting.location === series.location &&
    meeting.onlineUrl === series.onlineUrl &&
    meeting.chairUserId === series.chairUserId
  );
}
