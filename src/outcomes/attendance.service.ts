import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CaseTextCheck } from '../case-text/case-text.check';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { DomainError, FieldError, validationFailed } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { Agency } from '../directory/agency.entity';
import { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { assertMinutesEditable } from '../minutes/minutes-lock';
import { Attendee } from './attendee.entity';
import { AttendeeDto } from './dto/attendance.dto';
import { ItemDeferral } from './item-deferral.entity';
import { lockMeetingForRecording } from './record-access';

export interface AttendeeView {
  name: string;
  email: string | null;
  userId: string | null;
  agency: { id: string; name: string };
  role: string | null;
  status: string;
  bookingIds: string[];
  confidentialityAccepted: boolean;
  confidentialityAcceptedAt: Date | null;
}

export interface AttendanceRegisterView {
  meetingId: string;
  /** Changes with every change to the register: send it back (If-Match) so a stale register is not saved over a newer one. */
  version: string;
  /** The statement each attendee accepts (CONFIDENTIALITY_STATEMENT). */
  confidentialityStatement: string;
  attendees: AttendeeView[];
}

@Injectable()
export class AttendanceService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly caseText: CaseTextCheck,
  ) {}

  get statementHash(): string {
    return createHash('sha256').update(this.config.CONFIDENTIALITY_STATEMENT).digest('hex');
  }

  /** The register with e-mail addresses: for the chair of the meeting and coordinators. */
  async get(meetingId: string, user: User): Promise<AttendanceRegisterView> {
    return this.tx.write(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(user, meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can see its register.');
      return this.view(m, meeting.id);
    });
  }

  /**
   * Replaces the whole register (PUT). Refused once the minutes are approved: amend them instead.
   * With `expectedVersion` (the register's version when the form was opened), a change made since
   * is not overwritten: 409 ATTENDANCE_VERSION_CONFLICT.
   */
  async replace(
    meetingId: string,
    attendees: AttendeeDto[],
    user: User,
    expectedVersion?: string,
  ): Promise<AttendanceRegisterView> {
    return this.tx.write(async (m) => {
      const meeting = await lockMeetingForRecording(m, meetingId, user);
      await assertMinutesEditable(m, meeting.id);
      if (expectedVersion) {
        const current = (await this.view(m, meeting.id)).version;
        if (current !== expectedVersion) {
          throw DomainError.conflict(
            'ATTENDANCE_VERSION_CONFLICT',
            'The attendance register has changed since you opened it. Reload it, check the changes and save again.',
            { version: current },
          );
        }
      }
      await this.apply(m, meeting, attendees, { viaAmendment: false });
      return this.view(m, meeting.id);
    });
  }

  /** Replaces the register inside the caller's transaction (the meeting already locked); also used by amendments. */
  async apply(
    m: EntityManager,
    meeting: Meeting,
    attendees: AttendeeDto[],
    opts: { viaAmendment: boolean },
  ): Promise<void> {
    await this.check(m, meeting, attendees);
    const previous = await m.findBy(Attendee, { meetingId: meeting.id });
    // Someone who had already accepted keeps the time of their acceptance when the register is saved again.
    const accepted = new Map(
      previous
        .filter((a) => a.confidentialityAcceptedAt)
        .map((a) => [personKey(a), { at: a.confidentialityAcceptedAt!, hash: a.confidentialityStatementHash }]),
    );
    const accounts = await this.accountsOf(m, attendees);
    const now = this.clock.now();
    const hash = this.statementHash;
    await m.delete(Attendee, { meetingId: meeting.id });
    const rows = attendees.map((a, position) => {
      const earlier = accepted.get(personKey({ email: a.email ?? null, agencyId: a.agencyId, name: a.name }));
      const keep = a.confidentialityAccepted && earlier && earlier.hash === hash;
      return m.create(Attendee, {
        meetingId: meeting.id,
        position,
        name: a.name,
        email: a.email ?? accounts.byId.get(a.userId ?? '')?.email ?? null,
        userId: a.userId ?? (a.email ? (accounts.byEmail.get(a.email)?.id ?? null) : null),
        agencyId: a.agencyId,
        role: a.role || null,
        status: a.status,
        bookingIds: a.bookingIds ?? [],
        confidentialityAcceptedAt: a.confidentialityAccepted ? (keep ? earlier.at : now) : null,
        confidentialityStatementHash: a.confidentialityAccepted ? hash : null,
      });
    });
    if (rows.length) await m.insert(Attendee, rows);
    await this.audit.record(m, {
      action: 'attendance.recorded',
      entityType: 'meeting',
      entityId: meeting.id,
      details: {
        attendees: rows.length,
        present: rows.filter((r) => r.status === 'present').length,
        confidentialityAccepted: rows.filter((r) => r.confidentialityAcceptedAt).length,
        viaAmendment: opts.viaAmendment,
      },
    });
  }

  /** The accounts the register names: by `userId`, or by an address that is a user's. */
  private async accountsOf(m: EntityManager, attendees: AttendeeDto[]) {
    const ids = attendees.flatMap((a) => (a.userId ? [a.userId] : []));
    const emails = attendees.flatMap((a) => (a.email ? [a.email] : []));
    const users = [
      ...(ids.length ? await m.findBy(User, { id: In(ids) }) : []),
      ...(emails.length ? await m.findBy(User, { email: In(emails) }) : []),
    ];
    return { byId: new Map(users.map((u) => [u.id, u])), byEmail: new Map(users.map((u) => [u.email, u])) };
  }

  private async check(m: EntityManager, meeting: Meeting, attendees: AttendeeDto[]): Promise<void> {
    this.caseText.checkRows(Attendee, attendees);
    const errors: FieldError[] = [];
    const accounts = await this.accountsOf(m, attendees);
    const people = new Map<string, number>();
    const agencyIds = [...new Set(attendees.map((a) => a.agencyId))];
    const known = new Set((agencyIds.length ? await m.findBy(Agency, { id: In(agencyIds) }) : []).map((a) => a.id));
    const items = new Set(await this.itemsOfMeeting(m, meeting.id));
    const emails = new Map<string, number>();
    attendees.forEach((a, i) => {
      if (!known.has(a.agencyId)) errors.push({ field: `[${i}].agencyId`, messages: ['is not a known agency'] });
      const strangers = (a.bookingIds ?? []).filter((id) => !items.has(id));
      if (strangers.length) errors.push({ field: `[${i}].bookingIds`, messages: ['must be items of this meeting'] });
      if (a.email) {
        if (emails.has(a.email))
          errors.push({
            field: `[${i}].email`,
            messages: [`is already in the register (entry ${emails.get(a.email)})`],
          });
        else emails.set(a.email, i);
      }
      if (a.userId) {
        const account = accounts.byId.get(a.userId);
        if (!account) errors.push({ field: `[${i}].userId`, messages: ['is not a known user'] });
        else if (a.email && a.email !== account.email)
          errors.push({ field: `[${i}].email`, messages: ['is not this user’s address'] });
        if (people.has(a.userId))
          errors.push({
            field: `[${i}].userId`,
            messages: [`is already in the register (entry ${people.get(a.userId)})`],
          });
        else people.set(a.userId, i);
      }
      if (a.confidentialityAccepted && a.status !== 'present') {
        errors.push({
          field: `[${i}].confidentialityAccepted`,
          messages: ['only someone present can accept the confidentiality statement'],
        });
      }
    });
    if (errors.length) throw validationFailed(errors);
  }

  /** Items a person may have attended for: those on the meeting now, and those carried forward from it. */
  private async itemsOfMeeting(m: EntityManager, meetingId: string): Promise<string[]> {
    const onIt = await m.find(Booking, { where: { meetingId }, select: { id: true } });
    const carried = await m.find(ItemDeferral, {
      where: { fromMeetingId: meetingId },
      select: { id: true, bookingId: true },
    });
    return [...onIt.map((b) => b.id), ...carried.map((d) => d.bookingId)];
  }

  async view(m: EntityManager, meetingId: string): Promise<AttendanceRegisterView> {
    const rows = await m.find(Attendee, {
      where: { meetingId },
      relations: { agency: true },
      order: { position: 'ASC' },
    });
    const attendees = rows.map((a) => ({
      name: a.name,
      email: a.email,
      userId: a.userId,
      agency: { id: a.agency.id, name: a.agency.name },
      role: a.role,
      status: a.status,
      bookingIds: a.bookingIds,
      confidentialityAccepted: a.confidentialityAcceptedAt !== null,
      confidentialityAcceptedAt: a.confidentialityAcceptedAt,
    }));
    return {
      meetingId,
      version: createHash('sha256').update(JSON.stringify(attendees)).digest('base64url').slice(0, 22),
      confidentialityStatement: this.config.CONFIDENTIALITY_STATEMENT,
      attendees,
    };
  }
}

function personKey(a: { email: string | null; agencyId: string; name: string }): string {
  return a.email ?? `${a.agencyId}|${a.name.trim().toLowerCase()}`;
}
