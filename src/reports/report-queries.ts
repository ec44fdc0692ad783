import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Booking } from '../bookings/booking.entity';
import { Agency } from '../directory/agency.entity';
import { Meeting } from '../meetings/meeting.entity';
import { Attendee } from '../outcomes/attendee.entity';
import { ItemDeferral } from '../outcomes/item-deferral.entity';
import { MeetingAction } from '../outcomes/meeting-action.entity';
import { Outcome } from '../outcomes/outcome.entity';
import { NextStep } from '../next-steps/next-step.entity';
import { nextStepState } from '../next-steps/next-step-rules';
import { londonToday } from '../scheduling/calendar-rules';
import { ItemExportRow } from './items-csv';
import { ActionState, classifyAction, ReportFacts } from './report-builder';
import { ReportPeriod } from './report-period';
import { parseJsonList, toBoolean, toInstant, toNullableBoolean } from '../database/raw-values';

/** Actions are read in pages of this many rows (the only facts not counted by the database). */
const ACTION_PAGE = 1000;

/**
 * The database side of the summary: each query counts in SQL, grouped by quarter and one or two
 * structured columns, so the answer's size depends on the vocabularies and the number of
 * agencies, never on the number of items. Quarters are numbered by a CASE over the quarter
 * boundaries, computed in Europe/London by luxon and passed as parameters: the same SQL works on
 * SQLite (instants stored as UTC text) and PostgreSQL (timestamptz), whatever the server's zone.
 *
 * Only structured columns are read; no query selects case text.
 */
@Injectable()
export class ReportQueries {
  async collect(m: EntityManager, period: ReportPeriod, now: Date): Promise<ReportFacts> {
    const bucket = quarterBucket(period);
    const held = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string) =>
      qb
        .andWhere(`${alias}.status = 'scheduled'`)
        .andWhere(`${alias}.startsAt >= :rangeStart AND ${alias}.startsAt < :rangeEnd AND ${alias}.startsAt <= :now`, {
          rangeStart: period.startsAt,
          rangeEnd: period.endsBefore,
          now,
        });
    // Raw rows: COUNT(*) is a string on PostgreSQL (bigint), a number on SQLite.
    const count = (rows: Array<Record<string, unknown>>) => rows.map((r) => ({ ...r, q: Number(r.q), n: Number(r.n) }) as Record<string, unknown> & { q: number; n: number });
    /** Items discussed: booked on a meeting that was held in the range. */
    const items = () =>
      held(
        m
          .createQueryBuilder()
          .from(Booking, 'b')
          .innerJoin(Meeting, 'mt', 'mt.id = b.meetingId')
          .where("b.status = 'booked'")
          .select(bucket.sql('mt.startsAt'), 'q')
          .addSelect('COUNT(*)', 'n')
          .setParameters(bucket.params),
        'mt',
      );

    const agencies = await m.find(Agency, { select: { id: true, name: true, sector: true }, order: { name: 'ASC' } });

    const meetings = await m
      .createQueryBuilder()
      .from(Meeting, 'mt')
      .select(bucket.sql('mt.startsAt'), 'q')
      .addSelect("CASE WHEN mt.status = 'cancelled' THEN 1 ELSE 0 END", 'cancelled')
      .addSelect('CASE WHEN mt.startsAt <= :now THEN 1 ELSE 0 END', 'started')
      .addSelect('COUNT(*)', 'n')
      .where('mt.startsAt >= :rangeStart AND mt.startsAt < :rangeEnd', { rangeStart: period.startsAt, rangeEnd: period.endsBefore, now })
      .setParameters(bucket.params)
      .groupBy('q')
      .addGroupBy('cancelled')
      .addGroupBy('started')
      .getRawMany();

    const byKind = await items().addSelect('b.kind', 'kind').groupBy('q').addGroupBy('b.kind').getRawMany();
    const byAgency = await items().addSelect('b.agencyId', 'agency').groupBy('q').addGroupBy('b.agencyId').getRawMany();
    // Grouped by the stored JSON list: as many groups as distinct combinations, split in code.
    const byConcerns = await items().addSelect('b.concernCategories', 'categories').groupBy('q').addGroupBy('b.concernCategories').getRawMany();
    const byLevel = await items()
      .addSelect('b.levelConsidered', 'level')
      .addSelect('b.thresholdVersion', 'version')
      .groupBy('q')
      .addGroupBy('b.levelConsidered')
      .addGroupBy('b.thresholdVersion')
      .getRawMany();
    const byPathway = await items()
      .leftJoin(Outcome, 'o', 'o.bookingId = b.id')
      .addSelect('o.pathway', 'pathway')
      .addSelect('CASE WHEN o.id IS NULL THEN 0 ELSE 1 END', 'has_outcome')
      .groupBy('q')
      .addGroupBy('o.pathway')
      .addGroupBy('has_outcome')
      .getRawMany();
    const byRepeat = await items()
      .addSelect('CASE WHEN b.followsBookingId IS NULL THEN 0 ELSE 1 END', 'follow_up')
      .groupBy('q')
      .addGroupBy('follow_up')
      .getRawMany();
    const levelPairs = await items()
      .innerJoin(Outcome, 'o', 'o.bookingId = b.id')
      .addSelect('b.levelConsidered', 'considered')
      .addSelect('b.thresholdVersion', 'considered_version')
      .addSelect('o.levelAdvised', 'advised')
      .addSelect('o.thresholdVersion', 'advised_version')
      .andWhere('b.levelConsidered IS NOT NULL AND o.levelAdvised IS NOT NULL')
      .groupBy('q')
      .addGroupBy('b.levelConsidered')
      .addGroupBy('b.thresholdVersion')
      .addGroupBy('o.levelAdvised')
      .addGroupBy('o.thresholdVersion')
      .getRawMany();
    const quality = await items()
      .innerJoin(Outcome, 'o', 'o.bookingId = b.id')
      .andWhere("b.kind = 'referral-feedback'")
      .andWhere('o.qualityTimely IS NOT NULL')
      .addSelect('b.agencyId', 'agency')
      .addSelect('o.qualityTimely', 'timely')
      .addSelect('o.qualityComplete', 'complete')
      .addSelect('o.qualityAppropriate', 'appropriate')
      .addSelect('o.qualityIssues', 'issues')
      .groupBy('q')
      .addGroupBy('b.agencyId')
      .addGroupBy('o.qualityTimely')
      .addGroupBy('o.qualityComplete')
      .addGroupBy('o.qualityAppropriate')
      .addGroupBy('o.qualityIssues')
      .getRawMany();

    // Grouped by the raw columns and classified by next-step-rules, so the rule is in one place.
    const nextSteps = await m
      .createQueryBuilder()
      .from(NextStep, 'ns')
      .innerJoin(Meeting, 'mt', 'mt.id = ns.meetingId')
      .select(bucket.sql('mt.startsAt'), 'q')
      .addSelect('ns.agencyId', 'agency')
      .addSelect('CASE WHEN ns.answeredAt IS NULL THEN 0 ELSE 1 END', 'answered')
      .addSelect('CASE WHEN ns.noAnswerAt IS NULL THEN 0 ELSE 1 END', 'no_answer')
      .addSelect('ns.referralMade', 'made')
      .addSelect('ns.heardBack', 'heard_back')
      .addSelect('ns.respondedInTime', 'in_time')
      .addSelect('COUNT(*)', 'n')
      .where('mt.startsAt >= :rangeStart AND mt.startsAt < :rangeEnd', { rangeStart: period.startsAt, rangeEnd: period.endsBefore })
      .setParameters(bucket.params)
      .groupBy('q')
      .addGroupBy('ns.agencyId')
      .addGroupBy('answered')
      .addGroupBy('no_answer')
      .addGroupBy('ns.referralMade')
      .addGroupBy('ns.heardBack')
      .addGroupBy('ns.respondedInTime')
      .getRawMany();

    const attendance = await held(
      m
        .createQueryBuilder()
        .from(Attendee, 'at')
        .innerJoin(Meeting, 'mt', 'mt.id = at.meetingId')
        .select(bucket.sql('mt.startsAt'), 'q')
        .addSelect('at.agencyId', 'agency')
        .addSelect('at.status', 'status')
        .addSelect('COUNT(*)', 'n')
        .setParameters(bucket.params),
      'mt',
    )
      .groupBy('q')
      .addGroupBy('at.agencyId')
      .addGroupBy('at.status')
      .getRawMany();
    const agencyMeetings = await held(
      m
        .createQueryBuilder()
        .from(Attendee, 'at')
        .innerJoin(Meeting, 'mt', 'mt.id = at.meetingId')
        .select(bucket.sql('mt.startsAt'), 'q')
        .addSelect('at.agencyId', 'agency')
        .addSelect('COUNT(DISTINCT at.meetingId)', 'n')
        .where("at.status = 'present'")
        .setParameters(bucket.params),
      'mt',
    )
      .groupBy('q')
      .addGroupBy('at.agencyId')
      .getRawMany();

    // Waiting list: items of held meetings that were given a freed slot, or were still waiting.
    const waiting = await held(
      m
        .createQueryBuilder()
        .from(Booking, 'b')
        .innerJoin(Meeting, 'mt', 'mt.id = b.meetingId')
        .select(bucket.sql('mt.startsAt'), 'q')
        .addSelect("CASE WHEN b.status = 'waitlisted' THEN 1 ELSE 0 END", 'not_reached')
        .addSelect('COUNT(*)', 'n')
        .where("((b.status = 'booked' AND b.promotedAt IS NOT NULL) OR b.status = 'waitlisted')")
        .setParameters(bucket.params),
      'mt',
    )
      .groupBy('q')
      .addGroupBy('not_reached')
      .getRawMany();
    const deferrals = await held(
      m
        .createQueryBuilder()
        .from(ItemDeferral, 'd')
        .innerJoin(Meeting, 'mt', 'mt.id = d.fromMeetingId')
        .select(bucket.sql('mt.startsAt'), 'q')
        .addSelect('d.placement', 'placement')
        .addSelect('COUNT(*)', 'n')
        .setParameters(bucket.params),
      'mt',
    )
      .groupBy('q')
      .addGroupBy('d.placement')
      .getRawMany();

    return {
      agencies: agencies.map((a) => ({ id: a.id, name: a.name, sector: a.sector })),
      meetings: count(meetings).map((r) => ({ q: r.q, n: r.n, cancelled: toBoolean(r.cancelled), held: !toBoolean(r.cancelled) && toBoolean(r.started) })),
      itemsByKind: count(byKind).map((r) => ({ q: r.q, n: r.n, kind: String(r.kind) })),
      itemsByAgency: count(byAgency).map((r) => ({ q: r.q, n: r.n, agencyId: String(r.agency) })),
      itemsByConcerns: count(byConcerns).map((r) => ({ q: r.q, n: r.n, categories: parseJsonList(r.categories) })),
      itemsByLevel: count(byLevel).map((r) => ({
        q: r.q,
        n: r.n,
        level: r.level === null ? null : Number(r.level),
        version: (r.version as string | null) ?? null,
      })),
      itemsByPathway: count(byPathway).map((r) => ({ q: r.q, n: r.n, pathway: (r.pathway as string | null) ?? null, hasOutcome: toBoolean(r.has_outcome) })),
      itemsByRepeat: count(byRepeat).map((r) => ({ q: r.q, n: r.n, followUp: toBoolean(r.follow_up) })),
      levelPairs: count(levelPairs).map((r) => ({
        q: r.q,
        n: r.n,
        considered: Number(r.considered),
        consideredVersion: (r.considered_version as string | null) ?? null,
        advised: Number(r.advised),
        advisedVersion: (r.advised_version as string | null) ?? null,
      })),
      quality: count(quality).map((r) => ({
        q: r.q,
        n: r.n,
        agencyId: String(r.agency),
        timely: toBoolean(r.timely),
        complete: toBoolean(r.complete),
        appropriate: toBoolean(r.appropriate),
        issues: parseJsonList(r.issues),
      })),
      nextSteps: count(nextSteps).map((r) => ({
        q: r.q,
        n: r.n,
        agencyId: String(r.agency),
        state: nextStepState({
          answered: toBoolean(r.answered),
          noAnswer: toBoolean(r.no_answer),
          referralMade: toNullableBoolean(r.made),
          heardBack: toNullableBoolean(r.heard_back),
          respondedInTime: toNullableBoolean(r.in_time),
        }),
      })),
      attendance: count(attendance).map((r) => ({ q: r.q, n: r.n, agencyId: String(r.agency), status: String(r.status) })),
      agencyMeetings: count(agencyMeetings).map((r) => ({ q: r.q, n: r.n, agencyId: String(r.agency) })),
      actions: await this.actionStates(m, period, now, bucket),
      waiting: count(waiting).map((r) => ({ q: r.q, n: r.n, notReached: toBoolean(r.not_reached) })),
      deferrals: count(deferrals).map((r) => ({ q: r.q, n: r.n, placement: String(r.placement) })),
    };
  }

  /**
   * One page of the CSV export: items of meetings in the range (any status), in (meeting start,
   * item id) order, after the last row of the previous page (keyset pagination: each page costs the
   * same however deep into the export it is). Structured columns only.
   */
  async itemPage(m: EntityManager, period: ReportPeriod, after: ItemCursor | null, limit: number): Promise<ItemExportRow[]> {
    const qb = m
      .createQueryBuilder()
      .from(Booking, 'b')
      .innerJoin(Meeting, 'mt', 'mt.id = b.meetingId')
      .innerJoin(Agency, 'a', 'a.id = b.agencyId')
      .leftJoin(Outcome, 'o', 'o.bookingId = b.id')
      .select('b.id', 'id')
      .addSelect('b.reference', 'reference')
      .addSelect('b.kind', 'kind')
      .addSelect('b.status', 'status')
      .addSelect('b.ageBand', 'age_band')
      .addSelect('b.concernCategories', 'categories')
      .addSelect('b.levelConsidered', 'level_considered')
      .addSelect('b.deferrals', 'deferrals')
      .addSelect('b.promotedAt', 'promoted_at')
      .addSelect('b.followsBookingId', 'follows_booking_id')
      .addSelect('b.thresholdVersion', 'considered_version')
      .addSelect('o.thresholdVersion', 'advised_version')
      .addSelect('mt.startsAt', 'starts_at')
      .addSelect('mt.status', 'meeting_status')
      .addSelect('a.name', 'agency')
      .addSelect('a.sector', 'sector')
      .addSelect('o.id', 'outcome_id')
      .addSelect('o.levelAdvised', 'level_advised')
      .addSelect('o.pathway', 'pathway')
      .addSelect('o.qualityTimely', 'timely')
      .addSelect('o.qualityComplete', 'complete')
      .addSelect('o.qualityAppropriate', 'appropriate')
      .addSelect('o.qualityIssues', 'issues')
      .where('mt.startsAt >= :rangeStart AND mt.startsAt < :rangeEnd', { rangeStart: period.startsAt, rangeEnd: period.endsBefore });
    if (after) {
      // The first condition is implied by the second; it lets the database start from the index.
      qb.andWhere('mt.startsAt >= :afterStart', { afterStart: after.startsAt }).andWhere(
        '(mt.startsAt > :afterStart OR (mt.startsAt = :afterStart AND b.id > :afterId))',
        { afterId: after.id },
      );
    }
    return qb.orderBy('mt.startsAt', 'ASC').addOrderBy('b.id', 'ASC').limit(limit).getRawMany<ItemExportRow>();
  }

  /**
   * Whether an action was done on time compares an instant (resolvedAt) with a London date
   * (dueDate), which neither engine can do portably in SQL: the actions of held meetings are read
   * in keyset pages (structured columns only) and classified here. A partnership agrees a few
   * actions per meeting, and only the counts are kept.
   */
  private async actionStates(m: EntityManager, period: ReportPeriod, now: Date, bucket: QuarterBucketSql): Promise<Array<{ q: number; state: ActionState; n: number }>> {
    const counts = new Map<string, { q: number; state: ActionState; n: number }>();
    const today = londonToday(now);
    for (let after = ''; ; ) {
      const page = await m
        .createQueryBuilder()
        .from(MeetingAction, 'ac')
        .innerJoin(Meeting, 'mt', 'mt.id = ac.meetingId')
        .select('ac.id', 'id')
        .addSelect(bucket.sql('mt.startsAt'), 'q')
        .addSelect('ac.status', 'status')
        .addSelect('ac.closedReason', 'closed_reason')
        .addSelect('ac.dueDate', 'due_date')
        .addSelect('ac.resolvedAt', 'resolved_at')
        .where("mt.status = 'scheduled'")
        .andWhere('mt.startsAt >= :rangeStart AND mt.startsAt < :rangeEnd AND mt.startsAt <= :now', { rangeStart: period.startsAt, rangeEnd: period.endsBefore, now })
        .andWhere('ac.id > :after', { after })
        .setParameters(bucket.params)
        .orderBy('ac.id', 'ASC')
        .limit(ACTION_PAGE)
        .getRawMany();
      for (const r of page) {
        const state = classifyAction(
          { status: r.status, closedReason: r.closed_reason ?? null, dueDate: String(r.due_date), resolvedAt: r.resolved_at === null ? null : toInstant(r.resolved_at) },
          today,
        );
        const key = `${r.q}|${state}`;
        const entry = counts.get(key) ?? { q: Number(r.q), state, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
      if (page.length < ACTION_PAGE) break;
      after = String(page[page.length - 1].id);
    }
    return [...counts.values()];
  }
}

/** Where the previous page ended: the raw start value (as the driver returned it) and the item id. */
export interface ItemCursor {
  startsAt: unknown;
  id: string;
}

interface QuarterBucketSql {
  params: Record<string, Date>;
  sql(column: string): string;
}

/** `CASE WHEN col < :qb0 THEN 0 WHEN col < :qb1 THEN 1 … ELSE n-1 END`: the quarter an instant falls in. */
function quarterBucket(period: ReportPeriod): QuarterBucketSql {
  const params: Record<string, Date> = {};
  period.quarters.slice(1).forEach((q, i) => (params[`qb${i}`] = q.startsAt));
  const last = period.quarters.length - 1;
  return {
    params,
    sql: (column) => (last === 0 ? '0' : `CASE ${Object.keys(params).map((name, i) => `WHEN ${column} < :${name} THEN ${i}`).join(' ')} ELSE ${last} END`),
  };
}
