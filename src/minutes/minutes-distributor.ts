import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { AppConfig } from '../config/app-config';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Meeting } from '../meetings/meeting.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { User } from '../directory/user.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { ItemDeferral } from '../outcomes/item-deferral.entity';
import { formatLondonDateTime } from '../scheduling/london-format';
import { MINUTES_MARKING } from './minutes-content';
import { chooseRecipients, Recipient } from './minutes-recipients';
import { MinutesVersion } from './minutes-version.entity';

export const MINUTES_MAIL_SUBJECT_TYPE = 'minutes_version';

export interface DistributionSummary {
  recipients: number;
  attendees: number;
  presenters: number;
  coreMembers: number;
  agencyLeads: number;
}

/**
 * Sends the link to approved or amended minutes through the outbox, in the approving
 * transaction: nothing goes out if approval rolls back, and everything queued is delivered once
 * it commits. Each message names the version (subjectType/subjectId), which keeps the record
 * of who was sent what. No content, only the link: each reader then sees their own extract.
 */
@Injectable()
export class MinutesDistributor {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: MailOutbox,
  ) {}

  linkTo(meetingId: string): string {
    return `${this.config.publicUrl}/meetings/${meetingId}/minutes`;
  }

  async distribute(
    m: EntityManager,
    meeting: Meeting,
    version: MinutesVersion,
    event: 'approved' | 'amended',
  ): Promise<DistributionSummary> {
    const recipients = await this.recipients(m, meeting);
    const when = formatLondonDateTime(meeting.startsAt);
    const approved = event === 'approved';
    for (const r of recipients) {
      await this.outbox.enqueue(m, {
        kind: approved ? 'minutes-approved' : 'minutes-amended',
        to: r.email,
        subject: approved
          ? `Minutes approved: ${meeting.title}, ${when}`
          : `Minutes amended (version ${version.version}): ${meeting.title}, ${when}`,
        content: {
          paragraphs: [
            approved
              ? `The chair has approved the minutes of ${meeting.title} on ${when}.`
              : `The approved minutes of ${meeting.title} on ${when} have been amended (version ${version.version}). Earlier versions stay readable.`,
            'Sign in to read them. You will see the general minutes and the items you may see: those you presented or attended for, or that your agency brought if you are its lead.',
            `The minutes are ${MINUTES_MARKING}: please do not forward this email or the minutes.`,
          ],
          action: { label: 'Read the minutes', url: this.linkTo(meeting.id) },
        },
        subjectType: MINUTES_MAIL_SUBJECT_TYPE,
        subjectId: version.id,
      });
    }
    const count = (reason: Recipient['reason']) => recipients.filter((r) => r.reason === reason).length;
    return {
      recipients: recipients.length,
      attendees: count('attendee'),
      presenters: count('presenter'),
      coreMembers: count('core-member'),
      agencyLeads: count('agency-lead'),
    };
  }

  /** Who is sent the minutes of this meeting when they are approved or amended, as recorded now. */
  async recipients(m: EntityManager, meeting: Meeting): Promise<Recipient[]> {
    const attendees = await m.find(Attendee, { where: { meetingId: meeting.id }, order: { position: 'ASC' } });
    const carried = await m.find(ItemDeferral, { where: { fromMeetingId: meeting.id } });
    const agenda = await m.find(Booking, {
      where: [
        { meetingId: meeting.id, status: 'booked' },
        ...(carried.length ? [{ id: In(carried.map((d) => d.bookingId)) }] : []),
      ],
      relations: { presenter: true },
      order: { createdAt: 'ASC' },
    });
    const userIds = attendees.flatMap((a) => (a.userId ? [a.userId] : []));
    const emails = attendees.flatMap((a) => (a.email ? [a.email] : []));
    const users = [
      ...(userIds.length ? await m.findBy(User, { id: In(userIds) }) : []),
      ...(emails.length ? await m.findBy(User, { email: In(emails) }) : []),
    ];
    const agencyIds = [...new Set(agenda.map((b) => b.agencyId))];
    const leads = agencyIds.length
      ? (await m.findBy(User, { agencyId: In(agencyIds), status: 'active' })).filter((u) => u.hasRole('agency-lead'))
      : [];
    return chooseRecipients({
      attendees,
      users,
      items: agenda.map((b) => ({ agencyId: b.agencyId, presenter: b.presenter })),
      coreMembers: await m.find(SeriesCoreMember, { where: { seriesId: meeting.seriesId }, order: { email: 'ASC' } }),
      agencyLeads: leads.map((u) => ({ id: u.id, email: u.email, active: u.active, agencyId: u.agencyId! })),
    });
  }
}
