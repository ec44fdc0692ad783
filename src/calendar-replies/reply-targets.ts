import { instantToLondon } from '../scheduling/calendar-rules';
import type { CalendarReply, ReplyAnswer } from './reply-reader';

/** What a reply can answer: a presenter's slot, one meeting's own invite, or a series as one recurring invite. */
export interface ReplyTarget {
  kind: 'booking' | 'meeting' | 'series';
  id: string;
}

/** The calendar objects this service sends, by their UID (see CalendarEvents). */
const UID_PATTERN = /^(booking|meeting|series)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@(.+)$/i;

/** The object a reply's UID names, or null for a UID this service (with `domain`) never sent. */
export function replyTarget(uid: string, domain: string): ReplyTarget | null {
  const match = UID_PATTERN.exec(uid);
  if (!match || match[3].toLowerCase() !== domain.toLowerCase()) return null;
  return { kind: match[1].toLowerCase() as ReplyTarget['kind'], id: match[2].toLowerCase() };
}

/** What {@link answersByMeeting} needs of a meeting. */
export interface AnsweredMeeting {
  id: string;
  occurrenceDate: string;
  startsAt: Date;
  status: string;
}

/**
 * Which meeting each answer is for. A meeting's own invite: that meeting. An answer to a whole
 * series counts for each of its meetings still to come; an answer to one instance (its
 * RECURRENCE-ID, the rule's start on the meeting's own date) for that meeting, and wins over the
 * whole-series answer in the same reply. Cancelled meetings take no answers.
 */
export function answersByMeeting(
  kind: 'meeting' | 'series',
  meetings: AnsweredMeeting[],
  reply: CalendarReply,
  now: Date,
): Map<string, ReplyAnswer> {
  const scheduled = meetings.filter((x) => x.status === 'scheduled');
  if (kind === 'meeting') {
    // A reply always holds at least one answer (readReply leaves alone one without).
    const last = reply.parts[reply.parts.length - 1];
    return new Map(scheduled.map((x) => [x.id, last.answer] as const));
  }
  const answers = new Map<string, ReplyAnswer>();
  // A meeting that has begun takes no whole-series answer.
  const toCome = scheduled.filter((x) => x.startsAt > now);
  for (const part of reply.parts.filter((p) => p.recurrenceId === null))
    for (const meeting of toCome) answers.set(meeting.id, part.answer);
  for (const part of reply.parts) {
    if (part.recurrenceId === null) continue;
    const date = instantToLondon(part.recurrenceId).date;
    const meeting = scheduled.find((x) => x.occurrenceDate === date);
    if (meeting) answers.set(meeting.id, part.answer);
  }
  return answers;
}
