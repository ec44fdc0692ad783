import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { AppConfig } from '../config/app-config';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Meeting } from '../meetings/meeting.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { ItemDeferral } from '../outcomes/item-deferral.entity';
import { formatLondonDateTime } from '../scheduling/london-format';
import { MINUTES_MARKING } from './minutes-content';
import { chooseRecipients } from './minutes-recipients';
import { MinutesVersion } from './minutes-version.entity';

export const MINUTES_MAIL_SUBJECT_TYPE = 'minutes_version';

export interface DistributionSummary {
  recipients: number;
  attendees: number;
  absentAgencies: number;
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
    const recipients = chooseRecipients(
      attendees,
      agenda.map((b) => ({
        agencyId: b.agencyId,
        presenterEmail: b.presenter.email,
        presenterActive: b.presenter.active,
      })),
    );
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
            'Sign in to read them. You will see the general minutes and the items your agency brought.',
            `The minutes are ${MINUTES_MARKING}: please do not forward this e-mail or the minutes.`,
          ],
          action: { label: 'Read the minutes', url: this.linkTo(meeting.id) },
        },
        subjectType: MINUTES_MAIL_SUBJECT_TYPE,
        subjectId: version.id,
      });
    }
    return {
      recipients: recipients.length,
      attendees: recipients.filter((r) => r.reason === 'attendee').length,
      absentAgencies: new Set(recipients.filter((r) => r.reason === 'absent-agency').map((r) => r.agencyId)).size,
    };
  }
}
