import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { DomainError, validationFailed } from '../common/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { CaseTextCheck } from '../case-text/case-text.check';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { ActionsService } from '../outcomes/actions.service';
import { AttendanceService } from '../outcomes/attendance.service';
import { Outcome } from '../outcomes/outcome.entity';
import { OutcomesService } from '../outcomes/outcomes.service';
import { lockMeetingForRecording, prefixFieldErrors } from '../outcomes/record-access';
import { AmendMinutesDto, MinutesQuery, UpdateDraftMinutesDto } from './dto/minutes.dto';
import { MinutesComposer } from './minutes-composer';
import { MINUTES_MARKING, MinutesContent } from './minutes-content';
import { MINUTES_MAIL_SUBJECT_TYPE, MinutesDistributor } from './minutes-distributor';
import { minutesApprovedError } from './minutes-lock';
import { MinutesVersion } from './minutes-version.entity';
import { itemIdsIn, minutesScope, MinutesScope, visibleMinutes } from './minutes-visibility';
import { NeedToKnowService } from '../need-to-know/need-to-know.service';
import { Minutes } from './minutes.entity';
import { DistributionEntry, MinutesDocument } from './minutes.views';

export type MinutesFormat = 'json' | 'html' | 'pdf';

@Injectable()
export class MinutesService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly caseText: CaseTextCheck,
    private readonly composer: MinutesComposer,
    private readonly distributor: MinutesDistributor,
    private readonly attendance: AttendanceService,
    private readonly outcomes: OutcomesService,
    private readonly actions: ActionsService,
    private readonly needToKnow: NeedToKnowService,
  ) {}

  /**
   * The minutes as this reader may see them, in any format: the latest approved version (or the
   * one asked for), or, for the chair and coordinators, the live draft. Professionals see nothing
   * before approval (404). Every read and export is audited, with the version and scope.
   */
  async read(meetingId: string, user: User, query: MinutesQuery, format: MinutesFormat): Promise<MinutesDocument> {
    return this.tx.write(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw DomainError.notFound('The meeting');
      const runsIt = chairsMeeting(user, meeting);
      const minutes = await m.findOneBy(Minutes, { meetingId });
      const approved = minutes?.status === 'approved';
      if (!approved && !runsIt) {
        throw new DomainError(404, 'NOT_FOUND', 'The minutes of this meeting have not been approved yet.');
      }
      let content: MinutesContent;
      let shown: number | null = null;
      if (query.version !== undefined || approved) {
        const wanted = query.version ?? minutes!.currentVersion;
        const version = await m.findOneBy(MinutesVersion, { meetingId, version: wanted });
        if (!version) throw DomainError.notFound('That version of the minutes');
        content = version.content;
        shown = version.version;
      } else {
        content = await this.composer.compose(m, meeting, minutes);
      }
      const scope = runsIt ? ({ kind: 'full' } as const) : minutesScope(await this.accessTo(m, user, meeting, content));
      // Not connected with the meeting: as if there were no minutes to read.
      if (!scope) throw DomainError.notFound('The minutes');
      await this.audit.record(m, {
        action: format === 'json' ? 'minutes.read' : 'minutes.exported',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { format, version: shown, scope: scope.kind },
      });
      return this.document(m, meeting.id, minutes, shown, content, scope, user);
    });
  }

  /** The chair's themes note on draft minutes. */
  async updateDraft(meetingId: string, dto: UpdateDraftMinutesDto, user: User): Promise<MinutesDocument> {
    return this.tx.write(async (m) => {
      const meeting = await lockMeetingForRecording(m, meetingId, user);
      const minutes = await this.ensureMinutes(m, meeting.id);
      if (minutes.status === 'approved') throw minutesApprovedError();
      this.caseText.check(Minutes, { themesNote: dto.themesNote });
      minutes.themesNote = dto.themesNote || null;
      await m.update(Minutes, { id: minutes.id }, { themesNote: minutes.themesNote });
      await this.audit.record(m, {
        action: 'minutes.draft-updated',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { themesNote: minutes.themesNote !== null },
      });
      return this.document(
        m,
        meeting.id,
        minutes,
        null,
        await this.composer.compose(m, meeting, minutes),
        { kind: 'full' },
        user,
      );
    });
  }

  /**
   * Approves the draft: its content is frozen as version 1, the records it was made from are
   * locked (changes only by amendment), and the link goes to every attendee and invited-but-
   * absent agency. Only once the meeting has started, and once every item on the agenda has an
   * outcome (items not reached are deferred first).
   */
  async approve(meetingId: string, user: User): Promise<MinutesDocument> {
    return this.tx.write(async (m) => {
      const meeting = await lockMeetingForRecording(m, meetingId, user);
      if (this.clock.now() < meeting.startsAt) {
        throw DomainError.conflict(
          'MEETING_NOT_HELD',
          'The meeting has not taken place yet, so its minutes cannot be approved.',
        );
      }
      const minutes = await this.ensureMinutes(m, meeting.id);
      if (minutes.status === 'approved') throw minutesApprovedError();
      const pending = await this.itemsWithoutOutcome(m, meeting.id);
      if (pending.length) {
        throw DomainError.conflict(
          'ITEMS_WITHOUT_OUTCOME',
          'Record an outcome for every item on the agenda, or carry forward the items not reached, before approving.',
          {
            items: pending,
          },
        );
      }
      const content = await this.composer.compose(m, meeting, minutes);
      const version = await this.addVersion(m, meeting.id, 1, 'approval', null, content, user);
      const now = this.clock.now();
      Object.assign(minutes, { status: 'approved', currentVersion: 1, approvedAt: now, approvedByUserId: user.id });
      await m.update(
        Minutes,
        { id: minutes.id },
        { status: 'approved', currentVersion: 1, approvedAt: now, approvedByUserId: user.id },
      );
      const sent = await this.distributor.distribute(m, meeting, version, 'approved');
      // Presenters are told their outcome is ready (those the chair marked final were told already).
      for (const item of await m.find(Booking, {
        where: { meetingId: meeting.id, status: 'booked' },
        relations: { presenter: true },
      })) {
        const outcome = await m.findOneBy(Outcome, { bookingId: item.id });
        if (outcome) await this.outcomes.release(m, outcome, item, meeting);
      }
      await this.audit.record(m, {
        action: 'minutes.approved',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { version: 1, ...sent },
      });
      return this.document(m, meeting.id, minutes, 1, content, { kind: 'full' }, user);
    });
  }

  /**
   * Amends approved minutes: applies the corrections to the records (as the chair would have
   * recorded them) and freezes the result as the next version, with the reason. Every earlier
   * version stays readable. The same people are told, with a link.
   */
  async amend(meetingId: string, dto: AmendMinutesDto, user: User): Promise<MinutesDocument> {
    const changed = (['attendance', 'outcomes', 'actions', 'themesNote'] as const).filter((k) => dto[k] !== undefined);
    if (changed.length === 0) {
      throw validationFailed([
        {
          field: 'body',
          messages: ['an amendment must change at least one of attendance, outcomes, actions or themesNote'],
        },
      ]);
    }
    return this.tx.write(async (m) => {
      const meeting = await lockMeetingForRecording(m, meetingId, user);
      const minutes = await m.findOneBy(Minutes, { meetingId: meeting.id });
      if (minutes?.status !== 'approved') {
        throw DomainError.conflict(
          'MINUTES_NOT_APPROVED',
          'These minutes are still a draft: change the records directly. Amendments are for approved minutes.',
        );
      }
      if (dto.version !== undefined && dto.version !== minutes.currentVersion) {
        throw DomainError.conflict(
          'MINUTES_VERSION_CONFLICT',
          `The minutes have been amended since you opened them (they are now at version ${minutes.currentVersion}), so nothing was changed. Reload them, check the changes and amend again.`,
          { version: minutes.currentVersion },
        );
      }
      this.caseText.check(MinutesVersion, { reason: dto.reason });
      this.caseText.check(Minutes, { themesNote: dto.themesNote });
      const amendment = { viaAmendment: true };

      if (dto.attendance) {
        await this.attendance.apply(m, meeting, dto.attendance, amendment).catch((err) => {
          throw prefixFieldErrors(err, 'attendance');
        });
      }
      for (const [i, change] of (dto.outcomes ?? []).entries()) {
        const booking = await m.findOne(Booking, {
          where: { id: change.bookingId, meetingId: meeting.id },
          relations: { presenter: true, agency: true },
        });
        if (!booking)
          throw validationFailed([
            { field: `outcomes[${i}].bookingId`, messages: ['must be an item of this meeting'] },
          ]);
        await this.outcomes.apply(m, booking, meeting, change, user, amendment).catch((err) => {
          throw prefixFieldErrors(err, `outcomes[${i}]`);
        });
      }
      for (const [i, action] of (dto.actions ?? []).entries()) {
        await this.actions.apply(m, meeting, action, user, amendment).catch((err) => {
          throw prefixFieldErrors(err, `actions[${i}]`);
        });
      }
      if (dto.themesNote !== undefined) {
        minutes.themesNote = dto.themesNote || null;
        await m.update(Minutes, { id: minutes.id }, { themesNote: minutes.themesNote });
      }

      const number = minutes.currentVersion + 1;
      const content = await this.composer.compose(m, meeting, minutes);
      const version = await this.addVersion(m, meeting.id, number, 'amendment', dto.reason, content, user);
      minutes.currentVersion = number;
      await m.update(Minutes, { id: minutes.id }, { currentVersion: number });
      const sent = await this.distributor.distribute(m, meeting, version, 'amended');
      await this.audit.record(m, {
        action: 'minutes.amended',
        entityType: 'meeting',
        entityId: meeting.id,
        details: { version: number, changed, ...sent },
      });
      return this.document(m, meeting.id, minutes, number, content, { kind: 'full' }, user);
    });
  }

  /**
   * The latest approved version of a meeting's minutes, or null while they are a draft (or not
   * started). No case text: the pages use it to decide between recording and amending.
   */
  async approvedVersion(meetingId: string): Promise<number | null> {
    return this.tx.read(async (m) => {
      const minutes = await m.findOneBy(Minutes, { meetingId });
      return minutes?.status === 'approved' ? minutes.currentVersion : null;
    });
  }

  /**
   * What approving would do now, for the confirmation page (chair of the meeting, coordinators):
   * who would be emailed a link, and which items still need an outcome first.
   */
  async approvalPreview(
    meetingId: string,
    user: User,
  ): Promise<{
    status: 'draft' | 'approved';
    held: boolean;
    recipients: string[];
    itemsWithoutOutcome: Array<{ bookingId: string; reference: string }>;
  }> {
    return this.tx.read(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(user, meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can approve its minutes.');
      const minutes = await m.findOneBy(Minutes, { meetingId });
      return {
        status: minutes?.status === 'approved' ? 'approved' : 'draft',
        held: this.clock.now() >= meeting.startsAt,
        recipients: (await this.distributor.recipients(m, meeting)).map((r) => r.email),
        itemsWithoutOutcome: await this.itemsWithoutOutcome(m, meetingId),
      };
    });
  }

  /** Who was sent which version's link, and whether it has gone (chair of the meeting, coordinators). */
  async distribution(meetingId: string, user: User): Promise<DistributionEntry[]> {
    return this.tx.write(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw DomainError.notFound('The meeting');
      if (!chairsMeeting(user, meeting))
        throw DomainError.forbidden(
          'Only the chair of this meeting or a coordinator can see who was sent the minutes.',
        );
      const versions = await m.find(MinutesVersion, { where: { meetingId }, select: { id: true, version: true } });
      if (versions.length === 0) return [];
      const number = new Map(versions.map((v) => [v.id, v.version]));
      const messages = await m.find(OutboxMessage, {
        where: { subjectType: MINUTES_MAIL_SUBJECT_TYPE, subjectId: In(versions.map((v) => v.id)) },
        order: { createdAt: 'ASC' },
      });
      return messages.map((o) => ({
        version: number.get(o.subjectId!)!,
        recipient: o.recipient,
        kind: o.kind,
        status: o.status,
        queuedAt: o.createdAt,
        sentAt: o.sentAt,
      }));
    });
  }

  // --- helpers ---

  /** The need-to-know rule over the items these minutes mention, as they are recorded now. */
  private async accessTo(m: EntityManager, user: User, meeting: Meeting, content: MinutesContent) {
    const ids = itemIdsIn(content);
    const items = ids.length
      ? await m.find(Booking, { where: { id: In(ids) }, select: { id: true, agencyId: true, presenterUserId: true } })
      : [];
    return this.needToKnow.forMeeting(m, user, meeting, items);
  }

  private async ensureMinutes(m: EntityManager, meetingId: string): Promise<Minutes> {
    const existing = await m.findOneBy(Minutes, { meetingId });
    if (existing) return existing;
    const minutes = m.create(Minutes, {
      meetingId,
      status: 'draft',
      themesNote: null,
      currentVersion: 0,
      approvedAt: null,
      approvedByUserId: null,
    });
    await m.insert(Minutes, minutes);
    return minutes;
  }

  private async itemsWithoutOutcome(
    m: EntityManager,
    meetingId: string,
  ): Promise<Array<{ bookingId: string; reference: string }>> {
    const items = await m.find(Booking, { where: { meetingId, status: 'booked' }, order: { slotIndex: 'ASC' } });
    if (items.length === 0) return [];
    const done = new Set(
      (
        await m.find(Outcome, {
          where: { bookingId: In(items.map((b) => b.id)) },
          select: { id: true, bookingId: true },
        })
      ).map((o) => o.bookingId),
    );
    return items.filter((b) => !done.has(b.id)).map((b) => ({ bookingId: b.id, reference: b.reference }));
  }

  private async addVersion(
    m: EntityManager,
    meetingId: string,
    version: number,
    kind: MinutesVersion['kind'],
    reason: string | null,
    content: MinutesContent,
    user: User,
  ): Promise<MinutesVersion> {
    const row = m.create(MinutesVersion, {
      meetingId,
      version,
      kind,
      reason,
      content,
      createdByUserId: user.id,
      caseTextErasedAt: null,
    });
    // (The cast: TypeORM's deep-partial type cannot see through a free-form JSON column.)
    await m.insert(MinutesVersion, row as QueryDeepPartialEntity<MinutesVersion>);
    return row;
  }

  private async document(
    m: EntityManager,
    meetingId: string,
    minutes: Minutes | null,
    shown: number | null,
    content: MinutesContent,
    scope: MinutesScope,
    reader: User,
  ): Promise<MinutesDocument> {
    const versions = await m.find(MinutesVersion, {
      where: { meetingId },
      select: { id: true, version: true, kind: true, reason: true, createdAt: true },
      order: { version: 'ASC' },
    });
    return {
      meetingId,
      status: minutes?.status ?? 'draft',
      scope: scope.kind,
      extractFor: scope.kind === 'extract' ? reader.name : null,
      version: shown,
      latestVersion: minutes?.currentVersion ?? 0,
      approvedAt: minutes?.approvedAt ?? null,
      marking: MINUTES_MARKING,
      versions: versions.map((v) => ({
        version: v.version,
        kind: v.kind,
        createdAt: v.createdAt,
        ...(scope.kind === 'full' ? { reason: v.reason } : {}),
      })),
      content: visibleMinutes(content, scope),
    };
  }
}
