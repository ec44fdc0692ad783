import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager, In, IsNull } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatabaseMaintenance } from '../database/database-maintenance';
import { TransactionRunner } from '../database/transaction-runner';
import { Meeting } from '../meetings/meeting.entity';
import { MinutesContent } from '../minutes/minutes-content';
import { MinutesVersion } from '../minutes/minutes-version.entity';
import { Minutes } from '../minutes/minutes.entity';
import { MeetingAction } from '../outcomes/meeting-action.entity';
import { Outcome } from '../outcomes/outcome.entity';
import { LONDON_ZONE } from '../scheduling/calendar-rules';
import { LegalHold } from './legal-hold.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { caseTextOf, caseTextProperties } from '../case-text/case-text.registry';
import { eraseCarriedActions, eraseMinutesContent, MinutesErasure, retentionNotice } from './retention-notice';

/** One item whose case text goes now. Field names only: the job never reads the text itself. */
export interface ItemErasure {
  bookingId: string;
  reference: string;
  /** The item's fields that held text not yet erased (`question`, `summary`, `agencyReference`). */
  fields: string[];
  /** Its outcome, with the fields that held text (`advice`, `response`). */
  outcome: { id: string; fields: string[] } | null;
  /** Actions that arose from it. */
  actionIds: string[];
}

/** Everything the job would erase in one meeting. */
export interface MeetingErasure {
  meetingId: string;
  startsAt: Date;
  endsAt: Date;
  items: ItemErasure[];
  /** Items whose text is kept because they are on legal hold. */
  heldItems: Array<{ bookingId: string; reference: string }>;
  /** Actions erased at meeting level: not from an item, or from an item of another meeting. */
  actionIds: string[];
  /** Outcomes whose item is not erased in this pass (normally none). */
  outcomeIds: string[];
  themesNote: boolean;
  /** Approved minutes versions: what erasing changes, and whether no case text is left after. */
  minutesVersions: Array<{ id: string; version: number; erasure: MinutesErasure; complete: boolean }>;
  /**
   * The meeting's other case text: its cancellation reason, the names and roles in its attendance
   * register, the amendment reasons of its minutes, and the reasons of legal holds since lifted.
   */
  records: { cancelReason: boolean; attendees: number; versionReasons: number; liftedHoldIds: string[] };
  /** Later meetings' minutes into which the erased actions were carried forward, with the actions erased there. */
  carriedInto: Array<{ id: string; meetingId: string; version: number; content: MinutesContent; actionIds: string[] }>;
}

export interface RetentionReport {
  dryRun: boolean;
  months: number;
  /** Meetings that ended before this instant are past the retention period. */
  cutoff: Date;
  meetings: MeetingErasure[];
  totals: {
    items: number;
    outcomes: number;
    actions: number;
    themesNotes: number;
    minutesVersions: number;
    heldItems: number;
  };
  /** How the freed bytes were cleared from the database files (null on a dry run or when nothing was erased). */
  compaction: string | null;
}

/** The tables whose rows the job rewrites. */
const TOUCHED_TABLES = {
  booking: 'booking',
  outcome: 'item_outcome',
  action: 'meeting_action',
  minutes: 'minutes',
  version: 'minutes_version',
} as const;

/**
 * Erases case text kept longer than the partnership's policy (RETENTION_CASE_TEXT_MONTHS after
 * the meeting ended): items' question, summary and agency reference; outcomes' advice and the
 * responses to agency feedback; action descriptions; the minutes' themes note; and every
 * `caseText` section of the approved minutes versions. Each becomes the retention notice (see
 * retention-notice.ts); structured fields stay for the reports. Items on legal hold are kept
 * with their outcome, their actions and their minutes sections.
 *
 * One transaction per meeting; on PostgreSQL the meeting row is claimed with
 * `FOR UPDATE SKIP LOCKED`, so instances running the job at once never erase (or audit) the same
 * thing twice. Idempotent: what is erased is decided by the content (text that is not already the
 * notice), so a second run changes and audits nothing, and text written after an erasure (an
 * amendment to old minutes) goes on the next run. Every erasure is audited with ids and field
 * names, never text.
 *
 * Afterwards the old bytes are cleared from the files: SQLite overwrites freed space already
 * (`secure_delete`), and a `wal_checkpoint(TRUNCATE)` moves the new pages into the database and
 * empties the WAL, which still held the old ones; PostgreSQL keeps old row versions until VACUUM,
 * so the touched tables are vacuumed (FULL by default, see RETENTION_POSTGRES_VACUUM).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly maintenance: DatabaseMaintenance,
  ) {}

  /** Meetings that ended before this are past the period (London calendar months). */
  cutoff(now: Date): Date {
    return DateTime.fromJSDate(now, { zone: LONDON_ZONE })
      .minus({ months: this.config.RETENTION_CASE_TEXT_MONTHS })
      .toJSDate();
  }

  /** What a run would erase now, changing nothing. */
  async dryRun(): Promise<RetentionReport> {
    const now = this.clock.now();
    const cutoff = this.cutoff(now);
    const notice = retentionNotice(now);
    const meetings: MeetingErasure[] = [];
    await this.tx.readSnapshot(async (m) => {
      const held = await this.heldBookingIds(m);
      for (const meetingId of await this.candidateMeetings(m, cutoff)) {
        const work = await this.inspect(m, meetingId, held, notice);
        if (hasWork(work) || work.heldItems.length) meetings.push(work);
      }
    });
    return report(true, this.config.RETENTION_CASE_TEXT_MONTHS, cutoff, meetings, null);
  }

  /** Erases, audits, then clears the freed bytes from the database files. */
  async run(): Promise<RetentionReport> {
    const now = this.clock.now();
    const cutoff = this.cutoff(now);
    const notice = retentionNotice(now);
    const meetings: MeetingErasure[] = [];
    const touched = new Set<string>();
    const candidates = await this.tx.read((m) => this.candidateMeetings(m, cutoff));
    for (const meetingId of candidates) {
      const work = await this.tx.write(async (m) => {
        if (!(await this.claim(m, meetingId))) return null;
        const found = await this.inspect(m, meetingId, await this.heldBookingIds(m), notice);
        await this.apply(m, found, now, notice, touched);
        return found;
      });
      if (work && (hasWork(work) || work.heldItems.length)) meetings.push(work);
    }
    const compaction = touched.size ? await this.compact(touched) : null;
    const result = report(false, this.config.RETENTION_CASE_TEXT_MONTHS, cutoff, meetings, compaction);
    if (
      result.totals.items +
        result.totals.actions +
        result.totals.minutesVersions +
        result.totals.themesNotes +
        result.totals.outcomes >
      0
    ) {
      this.logger.log(
        `Erased case text past ${this.config.RETENTION_CASE_TEXT_MONTHS} months: ${result.totals.items} item(s), ${result.totals.outcomes} outcome(s), ` +
          `${result.totals.actions} action(s), ${result.totals.minutesVersions} minutes version(s), ${result.totals.themesNotes} themes note(s); ` +
          `${result.totals.heldItems} item(s) kept on legal hold. ${compaction ?? ''}`,
      );
    }
    return result;
  }

  // --- finding the work (reads only; never selects case text, except the minutes JSON it rewrites) ---

  /** Meetings that ended before the cutoff and still hold some text not erased, oldest first. */
  private async candidateMeetings(m: EntityManager, cutoff: Date): Promise<string[]> {
    const pending = async (
      entity:
        | typeof Booking
        | typeof Outcome
        | typeof MeetingAction
        | typeof Minutes
        | typeof MinutesVersion
        | typeof Attendee,
      alias: string,
      condition: string,
    ) =>
      m
        .createQueryBuilder()
        .from(entity, alias)
        .innerJoin(Meeting, 'mt', `mt.id = ${alias}.meetingId`)
        .select('mt.id', 'id')
        .addSelect('mt.endsAt', 'ends_at')
        .distinct(true)
        .where('mt.endsAt < :cutoff', { cutoff })
        .andWhere(condition, { noticePattern: NOTICE_PATTERN })
        .getRawMany<{ id: string; ends_at: unknown }>();
    const rows = [
      ...(await pending(Booking, 'b', anyText(...textColumns(Booking, 'b')))),
      ...(await pending(Outcome, 'o', anyText(...textColumns(Outcome, 'o')))),
      ...(await pending(MeetingAction, 'ac', anyText(...textColumns(MeetingAction, 'ac')))),
      ...(await pending(Minutes, 'mi', anyText(...textColumns(Minutes, 'mi')))),
      ...(await pending(MinutesVersion, 'v', 'v.caseTextErasedAt IS NULL')),
      ...(await pending(Attendee, 'at', anyText(...textColumns(Attendee, 'at')))),
      ...(await m
        .createQueryBuilder()
        .from(Meeting, 'mt')
        .select('mt.id', 'id')
        .addSelect('mt.endsAt', 'ends_at')
        .where('mt.endsAt < :cutoff', { cutoff })
        .andWhere(anyText(...textColumns(Meeting, 'mt')), { noticePattern: NOTICE_PATTERN })
        .getRawMany<{ id: string; ends_at: unknown }>()),
      ...(await m
        .createQueryBuilder()
        .from(LegalHold, 'h')
        .innerJoin(Booking, 'hb', 'hb.id = h.bookingId')
        .innerJoin(Meeting, 'mt', 'mt.id = hb.meetingId')
        .select('mt.id', 'id')
        .addSelect('mt.endsAt', 'ends_at')
        .distinct(true)
        .where('mt.endsAt < :cutoff', { cutoff })
        .andWhere('h.liftedAt IS NOT NULL')
        .andWhere(anyText(...textColumns(LegalHold, 'h')), { noticePattern: NOTICE_PATTERN })
        .getRawMany<{ id: string; ends_at: unknown }>()),
    ];
    const endsAt = new Map(
      rows.map((r) => [r.id, String(r.ends_at instanceof Date ? r.ends_at.toISOString() : r.ends_at)]),
    );
    return [...endsAt.keys()].sort((a, b) => endsAt.get(a)!.localeCompare(endsAt.get(b)!) || a.localeCompare(b));
  }

  private async heldBookingIds(m: EntityManager): Promise<Set<string>> {
    const holds = await m.find(LegalHold, { where: { liftedAt: IsNull() }, select: { id: true, bookingId: true } });
    return new Set(holds.map((h) => h.bookingId));
  }

  /** PostgreSQL: this instance takes the meeting, or another instance is on it and this one moves on. */
  private async claim(m: EntityManager, meetingId: string): Promise<boolean> {
    if (!this.tx.isPostgres) return true;
    const row = await m
      .createQueryBuilder(Meeting, 'mt')
      .select('mt.id')
      .where('mt.id = :meetingId', { meetingId })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    return row !== null;
  }

  private async inspect(
    m: EntityManager,
    meetingId: string,
    held: ReadonlySet<string>,
    notice: string,
  ): Promise<MeetingErasure> {
    const meeting = await m.findOneOrFail(Meeting, {
      where: { id: meetingId },
      select: { id: true, seriesId: true, startsAt: true, endsAt: true },
    });
    /** 1 when the column holds text that is not already the notice. */
    const filled = (column: string) => `CASE WHEN ${anyText(column)} THEN 1 ELSE 0 END`;
    const yes = (v: unknown) => v === 1 || v === '1' || v === true;
    /** Per row: which case-text columns hold text not yet erased (`has_<column>` is 1). */
    const withText = (
      entity: typeof Booking | typeof Outcome | typeof MeetingAction,
      alias: string,
      extra: string[],
    ) => {
      const qb = m.createQueryBuilder().from(entity, alias).select(`${alias}.id`, 'id');
      for (const column of extra) qb.addSelect(`${alias}.${column}`, column);
      for (const column of caseTextProperties(entity)) qb.addSelect(filled(`${alias}.${column}`), `has_${column}`);
      return qb
        .where(`${alias}.meetingId = :meetingId`, { meetingId, noticePattern: NOTICE_PATTERN })
        .andWhere(anyText(...textColumns(entity, alias)));
    };
    const fieldsOf = (entity: typeof Booking | typeof Outcome | typeof MeetingAction, row: Record<string, unknown>) =>
      caseTextProperties(entity).filter((column) => yes(row[`has_${column}`]));
    const bookings = await withText(Booking, 'b', ['reference'])
      .orderBy('b.reference', 'ASC')
      .getRawMany<Record<string, unknown> & { id: string; reference: string }>();
    const outcomes = await withText(Outcome, 'o', ['bookingId']).getRawMany<
      Record<string, unknown> & { id: string; bookingId: string }
    >();
    const actions = await withText(MeetingAction, 'ac', ['bookingId'])
      .orderBy('ac.id', 'ASC')
      .getRawMany<Record<string, unknown> & { id: string; bookingId: string | null }>();
    const minutes = await m
      .createQueryBuilder(Minutes, 'mi')
      .select(['mi.id'])
      .where('mi.meetingId = :meetingId', { meetingId, noticePattern: NOTICE_PATTERN })
      .andWhere(anyText('mi.themesNote'))
      .getOne();
    const versions = await m.find(MinutesVersion, {
      where: { meetingId, caseTextErasedAt: IsNull() },
      order: { version: 'ASC' },
    });
    const params = { meetingId, noticePattern: NOTICE_PATTERN };
    const records = {
      cancelReason: await m
        .createQueryBuilder()
        .from(Meeting, 'mt')
        .where('mt.id = :meetingId', params)
        .andWhere(anyText(...textColumns(Meeting, 'mt')))
        .getExists(),
      attendees: await m
        .createQueryBuilder()
        .from(Attendee, 'at')
        .where('at.meetingId = :meetingId', params)
        .andWhere(anyText(...textColumns(Attendee, 'at')))
        .getCount(),
      versionReasons: await m
        .createQueryBuilder()
        .from(MinutesVersion, 'v')
        .where('v.meetingId = :meetingId', params)
        .andWhere(anyText('v.reason'))
        .getCount(),
      liftedHoldIds: (
        await m
          .createQueryBuilder()
          .from(LegalHold, 'h')
          .innerJoin(Booking, 'hb', 'hb.id = h.bookingId')
          .select('h.id', 'id')
          .where('hb.meetingId = :meetingId', params)
          .andWhere('h.liftedAt IS NOT NULL')
          .andWhere(anyText(...textColumns(LegalHold, 'h')))
          .orderBy('h.id', 'ASC')
          .getRawMany<{ id: string }>()
      ).map((r) => r.id),
    };

    const items: ItemErasure[] = [];
    const heldItems: MeetingErasure['heldItems'] = [];
    for (const b of bookings) {
      if (held.has(b.id)) {
        heldItems.push({ bookingId: b.id, reference: b.reference });
        continue;
      }
      items.push({
        bookingId: b.id,
        reference: b.reference,
        fields: fieldsOf(Booking, b),
        outcome: null,
        actionIds: [],
      });
    }
    const itemById = new Map(items.map((i) => [i.bookingId, i]));
    const outcomeIds: string[] = [];
    for (const o of outcomes) {
      if (held.has(o.bookingId)) continue;
      const fields = fieldsOf(Outcome, o);
      const item = itemById.get(o.bookingId);
      if (item) item.outcome = { id: o.id, fields };
      else outcomeIds.push(o.id);
    }
    const actionIds: string[] = [];
    for (const a of actions) {
      if (a.bookingId !== null && held.has(a.bookingId)) continue;
      const item = a.bookingId !== null ? itemById.get(a.bookingId) : undefined;
      if (item) item.actionIds.push(a.id);
      else actionIds.push(a.id);
    }
    return {
      meetingId,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      items,
      heldItems,
      actionIds,
      outcomeIds,
      themesNote: minutes !== null,
      records,
      minutesVersions: versions.map((v) => {
        const erasure = eraseMinutesContent(v.content, held, notice);
        return { id: v.id, version: v.version, erasure, complete: !erasure.textLeft };
      }),
      carriedInto: await this.carriedCopies(m, meeting, [...items.flatMap((i) => i.actionIds), ...actionIds], notice),
    };
  }

  /**
   * The later minutes of the same series that show an action erased now (carried forward while it
   * was open). Found by the action's id in the stored JSON, then checked entry by entry.
   */
  private async carriedCopies(
    m: EntityManager,
    meeting: Meeting,
    actionIds: string[],
    notice: string,
  ): Promise<MeetingErasure['carriedInto']> {
    if (actionIds.length === 0) return [];
    const wanted = new Set(actionIds);
    const qb = m
      .createQueryBuilder(MinutesVersion, 'v')
      .innerJoin(Meeting, 'mt', 'mt.id = v.meetingId')
      .where('mt.seriesId = :seriesId', { seriesId: meeting.seriesId })
      .andWhere('mt.startsAt > :startsAt', { startsAt: meeting.startsAt })
      .andWhere('v.caseTextErasedAt IS NULL');
    qb.andWhere(
      `(${actionIds.map((_, i) => `v.content LIKE :action${i}`).join(' OR ')})`,
      Object.fromEntries(actionIds.map((id, i) => [`action${i}`, `%${id}%`])),
    );
    const copies: MeetingErasure['carriedInto'] = [];
    for (const v of await qb.orderBy('v.meetingId').addOrderBy('v.version').getMany()) {
      const erased = eraseCarriedActions(v.content, wanted, notice);
      if (erased.actionIds.length)
        copies.push({
          id: v.id,
          meetingId: v.meetingId,
          version: v.version,
          content: erased.content,
          actionIds: erased.actionIds,
        });
    }
    return copies;
  }

  // --- erasing ---

  private async apply(
    m: EntityManager,
    work: MeetingErasure,
    now: Date,
    notice: string,
    touched: Set<string>,
  ): Promise<void> {
    const e = (column: string) => m.connection.driver.escape(column);
    /** Text becomes the notice; a value never written stays null, and an earlier notice keeps its date. */
    const noticeFor = (column: string) => () =>
      `CASE WHEN ${e(column)} IS NULL OR ${e(column)} LIKE :noticePattern THEN ${e(column)} ELSE :notice END`;
    /** When the row's text was first erased (text written later, by an amendment, is erased on the next run). */
    const erasedAt = () => `COALESCE(${e('caseTextErasedAt')}, :erasedAt)`;
    const params = { notice, noticePattern: NOTICE_PATTERN, erasedAt: now };
    /** The SET clause that erases an entity's case text, as the registry says (the notice, or null). */
    const erasing = (entity: abstract new () => object) =>
      Object.fromEntries(
        caseTextOf(entity)
          .filter((c) => !c.checked || c.checked === 'format')
          .map((c) => [c.property, c.erase === 'notice' ? noticeFor(c.property) : () => 'NULL']),
      );

    const bookingIds = work.items.map((i) => i.bookingId);
    if (bookingIds.length) {
      await m
        .createQueryBuilder()
        .update(Booking)
        .set({ ...erasing(Booking), caseTextErasedAt: erasedAt })
        .where({ id: In(bookingIds) })
        .setParameters(params)
        .execute();
      touched.add(TOUCHED_TABLES.booking);
    }
    const outcomeIds = [...work.items.flatMap((i) => (i.outcome ? [i.outcome.id] : [])), ...work.outcomeIds];
    if (outcomeIds.length) {
      await m
        .createQueryBuilder()
        .update(Outcome)
        .set({ ...erasing(Outcome), caseTextErasedAt: erasedAt })
        .where({ id: In(outcomeIds) })
        .setParameters(params)
        .execute();
      touched.add(TOUCHED_TABLES.outcome);
    }
    const actionIds = [...work.items.flatMap((i) => i.actionIds), ...work.actionIds];
    if (actionIds.length) {
      await m
        .createQueryBuilder()
        .update(MeetingAction)
        .set({ ...erasing(MeetingAction), caseTextErasedAt: erasedAt })
        .where({ id: In(actionIds) })
        .setParameters(params)
        .execute();
      touched.add(TOUCHED_TABLES.action);
    }
    if (work.themesNote) {
      await m
        .createQueryBuilder()
        .update(Minutes)
        .set({ ...erasing(Minutes), caseTextErasedAt: erasedAt })
        .where({ meetingId: work.meetingId })
        .setParameters(params)
        .execute();
      touched.add(TOUCHED_TABLES.minutes);
    }
    const { records } = work;
    if (records.cancelReason) {
      await m
        .createQueryBuilder()
        .update(Meeting)
        .set(erasing(Meeting))
        .where({ id: work.meetingId })
        .setParameters(params)
        .execute();
      touched.add('meeting');
    }
    if (records.attendees) {
      await m
        .createQueryBuilder()
        .update(Attendee)
        .set(erasing(Attendee))
        .where({ meetingId: work.meetingId })
        .setParameters(params)
        .execute();
      touched.add('meeting_attendee');
    }
    if (records.versionReasons) {
      await m
        .createQueryBuilder()
        .update(MinutesVersion)
        .set({ reason: noticeFor('reason') })
        .where({ meetingId: work.meetingId })
        .setParameters(params)
        .execute();
      touched.add(TOUCHED_TABLES.version);
    }
    if (records.liftedHoldIds.length) {
      await m
        .createQueryBuilder()
        .update(LegalHold)
        .set(erasing(LegalHold))
        .where({ id: In(records.liftedHoldIds) })
        .setParameters(params)
        .execute();
      touched.add('legal_hold');
    }
    const changedVersions: number[] = [];
    for (const v of work.minutesVersions) {
      const changed =
        v.erasure.bookingIds.length + v.erasure.actionIds.length > 0 || v.erasure.themesNote || v.erasure.attendees;
      if (!changed && !v.complete) continue;
      // A version with no case text left is closed (caseTextErasedAt), so later runs skip it.
      const set: QueryDeepPartialEntity<MinutesVersion> = {
        ...(changed ? { content: v.erasure.content as never } : {}),
        ...(v.complete ? { caseTextErasedAt: now } : {}),
      };
      await m.update(MinutesVersion, { id: v.id, caseTextErasedAt: IsNull() }, set);
      if (changed) {
        changedVersions.push(v.version);
        touched.add(TOUCHED_TABLES.version);
      }
    }

    for (const copy of work.carriedInto) {
      await m.update(MinutesVersion, { id: copy.id, caseTextErasedAt: IsNull() }, { content: copy.content as never });
      touched.add(TOUCHED_TABLES.version);
    }

    for (const item of work.items) {
      await this.audit.record(m, {
        action: 'retention.item-erased',
        entityType: 'booking',
        entityId: item.bookingId,
        actorUserId: null,
        details: {
          meetingId: work.meetingId,
          reference: item.reference,
          fields: item.fields,
          outcome: item.outcome ? { id: item.outcome.id, fields: item.outcome.fields } : null,
          actionIds: item.actionIds,
          minutesVersions: work.minutesVersions
            .filter((v) => v.erasure.bookingIds.includes(item.bookingId))
            .map((v) => v.version),
        },
      });
    }
    if (
      work.actionIds.length ||
      work.outcomeIds.length ||
      work.themesNote ||
      hasRecords(work) ||
      changedVersions.length ||
      work.carriedInto.length
    ) {
      await this.audit.record(m, {
        action: 'retention.meeting-erased',
        entityType: 'meeting',
        entityId: work.meetingId,
        actorUserId: null,
        details: {
          items: work.items.length,
          actionIds: work.actionIds,
          outcomeIds: work.outcomeIds,
          themesNote: work.themesNote,
          cancelReason: work.records.cancelReason,
          attendees: work.records.attendees,
          amendmentReasons: work.records.versionReasons,
          liftedHoldIds: work.records.liftedHoldIds,
          minutesVersions: changedVersions,
          carriedForwardInto: work.carriedInto.map((c) => ({
            meetingId: c.meetingId,
            version: c.version,
            actionIds: c.actionIds,
          })),
          heldBookingIds: work.heldItems.map((h) => h.bookingId),
        },
      });
    }
  }

  // --- clearing the freed bytes ---

  private async compact(tables: Set<string>): Promise<string> {
    if (this.tx.isPostgres) {
      const done = await this.maintenance.vacuum([...tables].sort(), this.config.RETENTION_POSTGRES_VACUUM === 'full');
      return `PostgreSQL: vacuumed ${done.join(', ')}.`;
    }
    if ((await this.maintenance.checkpointWal()) === 'done') return 'SQLite: WAL checkpointed and truncated.';
    // Another process (a backup, a second reader) holds the WAL open; the next run tries again.
    this.logger.warn(
      'The WAL could not be checkpointed (busy): erased text may stay in the -wal file until the next checkpoint.',
    );
    return 'SQLite: WAL checkpoint busy.';
  }
}

/** Notices start with this (see retention-notice.ts): text that does not is still to be erased. */
const NOTICE_PATTERN = 'removed under the retention policy on %';

/** Some of these columns hold text that is not the notice (`:noticePattern` must be set). */
function anyText(...columns: string[]): string {
  return `(${columns.map((c) => `(${c} IS NOT NULL AND ${c} NOT LIKE :noticePattern)`).join(' OR ')})`;
}

/** The registry's text columns of an entity, as `alias.column` (not the composed minutes JSON). */
function textColumns(entity: abstract new () => object, alias: string): string[] {
  return caseTextOf(entity)
    .filter((c) => c.checked !== 'composed')
    .map((c) => `${alias}.${c.property}`);
}

function hasRecords(w: MeetingErasure): boolean {
  const r = w.records;
  return r.cancelReason || r.attendees > 0 || r.versionReasons > 0 || r.liftedHoldIds.length > 0;
}

function hasWork(w: MeetingErasure): boolean {
  return (
    hasRecords(w) ||
    w.items.length > 0 ||
    w.carriedInto.length > 0 ||
    w.actionIds.length > 0 ||
    w.outcomeIds.length > 0 ||
    w.themesNote ||
    w.minutesVersions.some(
      (v) =>
        v.erasure.bookingIds.length + v.erasure.actionIds.length > 0 || v.erasure.themesNote || v.erasure.attendees,
    )
  );
}

function report(
  dryRun: boolean,
  months: number,
  cutoff: Date,
  meetings: MeetingErasure[],
  compaction: string | null,
): RetentionReport {
  const sum = (f: (w: MeetingErasure) => number) => meetings.reduce((n, w) => n + f(w), 0);
  return {
    dryRun,
    months,
    cutoff,
    meetings: meetings.filter((w) => hasWork(w) || w.heldItems.length),
    totals: {
      items: sum((w) => w.items.length),
      outcomes: sum((w) => w.items.filter((i) => i.outcome).length + w.outcomeIds.length),
      actions: sum((w) => w.actionIds.length + w.items.reduce((n, i) => n + i.actionIds.length, 0)),
      themesNotes: sum((w) => (w.themesNote ? 1 : 0)),
      minutesVersions: sum(
        (w) =>
          w.minutesVersions.filter(
            (v) =>
              v.erasure.bookingIds.length + v.erasure.actionIds.length > 0 ||
              v.erasure.themesNote ||
              v.erasure.attendees,
          ).length,
      ),
      heldItems: sum((w) => w.heldItems.length),
    },
    compaction,
  };
}
