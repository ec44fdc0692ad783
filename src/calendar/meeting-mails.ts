import type { NewMail } from '../mail/mail-outbox.service';
import type { CalendarPart } from '../mail/outbox-message.entity';
import type { Meeting } from '../meetings/meeting.entity';
import { formatLondonDateTimeWithZone } from '../scheduling/london-format';
import type { CalendarPerson } from './ical/calendar-event';

/**
 * The e-mail that a meeting is cancelled, with its CANCEL: the meeting's own, or (`ofSeries`) one
 * instance of a series' recurring invite, whose other meetings stay in the calendar.
 */
export function meetingCancelledMail(
  meeting: Meeting,
  person: CalendarPerson,
  calendar: CalendarPart,
  opts: { url: string; ofSeries: boolean },
): NewMail {
  const when = formatLondonDateTimeWithZone(meeting.startsAt);
  const rest = opts.ofSeries ? ' the other meetings of the series stay.' : '';
  return {
    kind: 'meeting-cancel',
    to: person.email,
    subject: `Cancelled: ${meeting.title}, ${when}`,
    content: {
      greeting: person.name ? `Hello ${person.name},` : 'Hello,',
      paragraphs: [
        `${meeting.title} on ${when} has been cancelled${meeting.cancelReason ? `: ${meeting.cancelReason}` : ''}. It is removed from your calendar${opts.ofSeries ? ';' : '.'}${rest}`,
      ],
      action: { label: 'Open the meeting', url: opts.url },
    },
    calendar,
    subjectType: 'meeting',
    subjectId: meeting.id,
  };
}
