import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashToken, looksLikeToken, newSecretToken } from '../auth/secret-token';
import { Booking } from '../bookings/booking.entity';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { toInstant } from '../database/raw-values';
import { TransactionRunner } from '../database/transaction-runner';
import { londonToday } from '../scheduling/calendar-rules';
import { User } from '../directory/user.entity';
import { UserLifecycle } from '../directory/user-lifecycle';
import { MeetingSeries } from '../meetings/meeting-series.entity';
import { SeriesCoreMember } from '../meetings/series-core-member.entity';
import { Meeting } from '../meetings/meeting.entity';
import { CalendarEvents } from './calendar-events';
import { CalendarDelivery, DEFAULT_CALENDAR_DELIVERY, invitationsChange, needsCalendarLink } from './calendar-delivery';
import { CalendarInvites } from './calendar-invites';
import type { CalendarDeliveryView } from './dto/calendar-delivery.dto';
import { DomainError } from '../common/domain-error';
import { CalendarFeed } from './calendar-feed.entity';
import { FeedVersion } from './feed-version.entity';
import { CalendarEventInput, buildFeed, isCalendarAddress } from './ical/calendar-event';
import { getsWholeMeeting, MeetingAudience, reasonsToAttend } from './meeting-audience';

export interface FeedBody {
  etag: string;
  lastModified: Date;
  body: string;
}

/** How far back a feed reaches: past entries stay for a while so that calendars keep their history. */
const PAST_DAYS = 90;
/** Bodies kept in memory, most recently used last. */
const CACHE_SIZE = 500;
/**
 * How long a feed token's owner is remembered. Revocation still takes effect at once, in every
 * instance: each request checks in the database that the token's feed row still exists (a new
 * URL, a removed feed and a deactivated account all delete it). Only the owner's name and
 * address may be up to this old.
 */
const OWNER_TTL_MS = 5_000;
const OWNER_CACHE_SIZE = 2_000;

/**
 * Secret per-user subscription feeds, and the public meeting-dates feed of a series.
 *
 * Calendar clients poll, so a request must be cheap when nothing has changed: each request runs
 * one small query for the feed's *fingerprint* (how many rows it covers and when the newest last
 * changed, plus today's date, since cancelled entries age out by day). The fingerprint is the
 * ETag: a matching If-None-Match is answered 304 without building anything, and an unchanged
 * feed is served from an in-memory cache. Any change to a booking, meeting or core-member list
 * changes the fingerprint, in every app instance alike, because it is read from the database.
 */
@Injectable()
export class CalendarFeedsService {
  private readonly cache = new Map<string, FeedBody>();
  private readonly owners = new Map<string, { user: User; until: number }>();
  /** The SQL of each fingerprint query, built once by the query builder (it is the same for every request). */
  private readonly sql = new Map<string, string>();

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly events: CalendarEvents,
    private readonly audience: MeetingAudience,
    private readonly invites: CalendarInvites,
    lifecycle: UserLifecycle,
  ) {
    lifecycle.onDeactivated((m, userId) => this.revoke(m, userId));
  }

  feedUrls(token: string): { url: string; webcalUrl: string } {
    const url = `${this.config.publicUrl}/calendar/${token}.ics`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  }

  /** A new secret URL; the previous one stops working at once. */
  async rotate(user: User): Promise<{ url: string; webcalUrl: string }> {
    const token = newSecretToken();
    await this.tx.write(async (m) => {
      await this.lockUser(m, user.id);
      await this.revoke(m, user.id);
      await m.insert(CalendarFeed, m.create(CalendarFeed, { userId: user.id, tokenHash: hashToken(token) }));
      await this.audit.record(m, { action: 'calendar-feed.issued', entityType: 'user', entityId: user.id });
    });
    return this.feedUrls(token);
  }

  /** Removes the link; returns the change of choice this made (null when there was none). */
  async remove(user: User): Promise<CalendarDeliveryView | null> {
    return this.tx.write(async (m) => {
      const before = await this.lockUser(m, user.id);
      await this.revoke(m, user.id);
      await this.audit.record(m, { action: 'calendar-feed.removed', entityType: 'user', entityId: user.id });
      // Without a link, only invitations can reach the calendar: they start again.
      return before === 'feed' ? this.changeDelivery(m, user, before, DEFAULT_CALENDAR_DELIVERY) : null;
    });
  }

  /**
   * How meetings reach this person's calendar (calendar-delivery.ts). Only the calendar link is
   * refused (409 NO_CALENDAR_LINK) while they have no link. The user's row is locked first here
   * and in `remove`, so a link removed at the same moment cannot leave them with neither.
   */
  async setDelivery(user: User, delivery: CalendarDelivery): Promise<CalendarDeliveryView> {
    return this.tx.write(async (m) => {
      const before = await this.lockUser(m, user.id);
      if (needsCalendarLink(delivery) && !(await m.existsBy(CalendarFeed, { userId: user.id })))
        throw DomainError.conflict(
          'NO_CALENDAR_LINK',
          'Get a calendar link first: without a link or invitations, nothing would reach your calendar.',
        );
      return this.changeDelivery(m, user, before, delivery);
    });
  }

  /**
   * The new choice, audited, and the invitation copies handed over when invitations start or
   * stop (CalendarInvites.handOver): one e-mail per upcoming meeting and slot, in this transaction.
   */
  private async changeDelivery(
    m: EntityManager,
    user: User,
    before: CalendarDelivery,
    after: CalendarDelivery,
  ): Promise<CalendarDeliveryView> {
    await m.update(User, { id: user.id }, { calendarDelivery: after });
    const invitations = invitationsChange(before, after);
    const messages = invitations ? await this.invites.handOver(m, user, invitations, this.clock.now()) : 0;
    const view = { calendarDelivery: after, invitations, messages };
    await this.audit.record(m, {
      action: 'user.calendar-delivery-changed',
      entityType: 'user',
      entityId: user.id,
      details: { ...view },
    });
    return view;
  }

  /** Whether the user has a working feed URL. (The URL itself cannot be shown again: only its hash is kept.) */
  hasFeed(user: User): Promise<boolean> {
    return this.tx.read((m) => m.existsBy(CalendarFeed, { userId: user.id }));
  }

  /**
   * The user's choice as it is now; on PostgreSQL, holds the user's row until commit, so changes
   * to one person's link and choice queue (SQLite's writes already do).
   */
  private async lockUser(m: EntityManager, userId: string): Promise<CalendarDelivery> {
    const qb = m
      .createQueryBuilder(User, 'u')
      .select(['u.id', 'u.calendarDelivery'])
      .where('u.id = :userId', { userId });
    if (this.tx.isPostgres) qb.setLock('pessimistic_write');
    return (await qb.getOneOrFail()).calendarDelivery;
  }

  private async revoke(m: EntityManager, userId: string): Promise<void> {
    await m.delete(CalendarFeed, { userId });
    for (const [hash, owner] of this.owners) if (owner.user.id === userId) this.owners.delete(hash);
  }

  /** The feed's owner for a token, or null for unknown, revoked and malformed tokens alike. */
  async ownerOf(token: string): Promise<User | null> {
    if (!looksLikeToken(token)) return null;
    const feed = await this.tx.read((m) =>
      m.findOne(CalendarFeed, { where: { tokenHash: hashToken(token) }, relations: { user: true } }),
    );
    return feed && feed.user.active ? feed.user : null;
  }

  /**
   * A feed request: the token's owner and the feed's fingerprint, or null for unknown, revoked
   * and malformed tokens alike. The owner is remembered for a few seconds, but the token's feed
   * row is checked on every request, in the same read as the fingerprint.
   */
  async feedFor(token: string): Promise<{ user: User; fingerprint: { etag: string; lastModified: Date } } | null> {
    if (!looksLikeToken(token)) return null;
    const tokenHash = hashToken(token);
    const now = Date.now();
    let user = this.owners.get(tokenHash);
    if (!user || user.until <= now) {
      this.owners.delete(tokenHash);
      const owner = await this.ownerOf(token);
      if (!owner) return null;
      user = { user: owner, until: now + OWNER_TTL_MS };
      this.owners.set(tokenHash, user);
      if (this.owners.size > OWNER_CACHE_SIZE) this.owners.delete(this.owners.keys().next().value!);
    }
    const fingerprint = await this.userFingerprint(user.user, tokenHash);
    if (!fingerprint) {
      this.owners.delete(tokenHash);
      return null;
    }
    return { user: user.user, fingerprint };
  }

  /**
   * The ETag a user's feed would have now: cheap, from one aggregate query per source and the
   * feed's last version, in one read. With `tokenHash`: null when that token's feed is gone.
   */
  async userFingerprint(user: User): Promise<{ etag: string; lastModified: Date }>;
  async userFingerprint(user: User, tokenHash: string): Promise<{ etag: string; lastModified: Date } | null>;
  async userFingerprint(user: User, tokenHash?: string): Promise<{ etag: string; lastModified: Date } | null> {
    const feedKey = `user:${user.id}`;
    const found = await this.tx.read(async (m) => {
      if (tokenHash !== undefined) {
        const feed = await this.rawOne<{ n: string | number }>(
          m,
          'feed',
          () =>
            m.createQueryBuilder(CalendarFeed, 'f').select('COUNT(f.userId)', 'n').where('f.tokenHash = :tokenHash'),
          { tokenHash },
        );
        if (!feed || Number(feed.n) === 0) return null;
      }
      const since = this.since();
      const params = { userId: user.id, email: user.email, since, keep: this.keepCancelledSince() };
      const items = await this.rawOne<{
        n: string;
        seq: string | null;
        b: string | Date | null;
        m: string | Date | null;
      }>(
        m,
        'items',
        () =>
          this.itemsQuery(m, user, since)
            .select('COUNT(b.id)', 'n')
            .addSelect('SUM(b.sequence + meeting.sequence)', 'seq')
            .addSelect('MAX(b.updatedAt)', 'b')
            .addSelect('MAX(meeting.updatedAt)', 'm'),
        params,
      );
      const meetings = await this.rawOne<{ n: string; seq: string | null; m: string | Date | null }>(
        m,
        'meetings',
        () =>
          this.meetingsQuery(m, user, since)
            .select('COUNT(meeting.id)', 'n')
            .addSelect('SUM(meeting.sequence)', 'seq')
            .addSelect('MAX(meeting.updatedAt)', 'm'),
        params,
      );
      const coreChange = await this.rawOne<{ n: string }>(
        m,
        'core',
        () => m.createQueryBuilder(SeriesCoreMember, 'c').select('COUNT(c.seriesId)', 'n').where('c.email = :email'),
        params,
      );
      const known = await m.findOneBy(FeedVersion, { feedKey });
      const stamps = [items?.b, items?.m, meetings?.m].map(toDate).filter((d): d is Date => d !== null);
      const newest = new Date(Math.max(0, ...stamps.map((d) => d.getTime())));
      // Every change that shows in a calendar raises a SEQUENCE, so the sums catch changes that
      // timestamps alone might not (SQLite stamps updates to the second).
      const fingerprint = [
        user.id,
        items?.n,
        items?.seq,
        meetings?.n,
        meetings?.seq,
        coreChange?.n,
        newest.getTime(),
        this.today(),
      ].join('|');
      return { etag: `"${createHash('sha256').update(fingerprint).digest('base64url').slice(0, 27)}"`, newest, known };
    });
    if (!found) return null;
    return this.versioned(feedKey, found.etag, found.newest, found.known);
  }

  /**
   * The first row of a query whose SQL is built once by the query builder and kept: only the
   * parameters change between requests, and they are bound the way the builder binds them.
   */
  private async rawOne<T>(
    m: EntityManager,
    key: string,
    build: () => SelectQueryBuilder<ObjectLiteral>,
    params: ObjectLiteral,
  ): Promise<T | undefined> {
    let sql = this.sql.get(key);
    if (sql === undefined) {
      sql = build().getQuery();
      this.sql.set(key, sql);
    }
    const [query, bound] = m.connection.driver.escapeQueryWithParameters(sql, params);
    const rows = (await m.query(query, bound)) as T[];
    return rows[0];
  }

  /**
   * The Last-Modified of a feed version: kept while the ETag stays, and when it changes at least
   * a second later than the previous one (HTTP dates have whole seconds) and never before the
   * newest entry. Entries that leave the feed therefore still move it forward.
   */
  private async versioned(
    feedKey: string,
    etag: string,
    newest: Date,
    knownAlready?: FeedVersion | null,
  ): Promise<{ etag: string; lastModified: Date }> {
    const known =
      knownAlready !== undefined ? knownAlready : await this.tx.read((m) => m.findOneBy(FeedVersion, { feedKey }));
    if (known?.etag === etag) return { etag, lastModified: known.lastModified };
    const floorSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
    const lastModified = known
      ? new Date(Math.max(floorSecond(this.clock.now()), floorSecond(known.lastModified) + 1000, floorSecond(newest)))
      : new Date(floorSecond(newest));
    await this.tx.write(async (m) => {
      // Another request may have recorded this version meanwhile: keep whichever is later.
      const current = await m.findOneBy(FeedVersion, { feedKey });
      if (!current) await m.insert(FeedVersion, { feedKey, etag, lastModified });
      else if (current.etag !== etag && current.lastModified <= lastModified)
        await m.update(FeedVersion, { feedKey }, { etag, lastModified });
    });
    return { etag, lastModified };
  }

  /** The feed body for a fingerprint: from the cache, or built once and cached. */
  async userFeed(user: User, fingerprint: { etag: string; lastModified: Date }): Promise<FeedBody> {
    const key = `user:${user.id}`;
    const cached = this.cache.get(key);
    if (cached?.etag === fingerprint.etag) return this.touch(key, cached);
    const since = this.since();
    const [items, meetings] = await this.tx.read(async (m) => {
      const candidates = await this.meetingsQuery(m, user, since).orderBy('meeting.startsAt', 'ASC').getMany();
      // The same rule as the invites: the whole meeting is here only for those who get it.
      const facts = await this.audience.facts(m, candidates);
      return [
        await this.itemsQuery(m, user, since)
          .leftJoinAndSelect('b.presenter', 'presenter')
          .orderBy('meeting.startsAt', 'ASC')
          .getMany(),
        // A cancelled meeting stays a while ("Cancelled: …") for those who had it.
        candidates.filter((x) =>
          getsWholeMeeting(reasonsToAttend(facts.get(x.id)!, { email: user.email, userId: user.id })),
        ),
      ] as const;
    });
    const me = isCalendarAddress(user.email) ? [{ email: user.email, name: user.name }] : [];
    const events: CalendarEventInput[] = [
      ...items.map((b) => this.events.forBooking(b, b.meeting, me, false, later(b.updatedAt, b.meeting.updatedAt))),
      ...meetings.map((meeting) => this.events.forMeeting(meeting, me, { stamp: meeting.updatedAt })),
    ];
    const body = buildFeed(events, {
      name: `${this.config.PARTNERSHIP_NAME}: my Thresholds meetings`,
      refreshMinutes: 60,
    });
    return this.touch(key, { ...fingerprint, body });
  }

  /** The public dates of a series (times and status only), if its coordinator has published them. */
  async seriesDates(seriesId: string): Promise<FeedBody | null> {
    const found = await this.tx.read(async (m) => {
      const series = await m.findOneBy(MeetingSeries, { id: seriesId });
      if (!series || !series.publicDatesFeed) return null;
      const stats = await m
        .createQueryBuilder(Meeting, 'meeting')
        .select('COUNT(meeting.id)', 'n')
        .addSelect('SUM(meeting.sequence)', 'seq')
        .addSelect('MAX(meeting.updatedAt)', 'm')
        .where('meeting.seriesId = :id', { id: seriesId })
        .getRawOne<{ n: string; seq: string | null; m: string | Date | null }>();
      const newest = later(toDate(stats?.m ?? null) ?? new Date(0), series.updatedAt);
      const etag = `"${createHash('sha256').update([seriesId, stats?.n, stats?.seq, newest.getTime(), this.today()].join('|')).digest('base64url').slice(0, 27)}"`;
      return { series, etag, newest };
    });
    if (!found) return null;
    const key = `series:${seriesId}`;
    const { etag, lastModified } = await this.versioned(key, found.etag, found.newest);
    const cached = this.cache.get(key);
    if (cached?.etag === etag) return this.touch(key, cached);
    const meetings = (
      await this.tx.read((m) => m.find(Meeting, { where: { seriesId }, order: { startsAt: 'ASC' } }))
    ).filter((x) => this.inWindow(x));
    const body = buildFeed(
      meetings.map((x) => this.events.forMeeting(x, [], { stamp: x.updatedAt, publicView: true })),
      { name: `${found.series.title}: meeting dates`, refreshMinutes: 60 },
    );
    return this.touch(key, { etag, lastModified, body });
  }

  private itemsQuery(m: EntityManager, user: User, since: Date) {
    return (
      m
        .createQueryBuilder(Booking, 'b')
        .innerJoinAndSelect('b.meeting', 'meeting')
        .where('b.presenterUserId = :userId', { userId: user.id })
        .andWhere('meeting.endsAt >= :since', { since })
        // Only items holding a slot: one that was withdrawn, deferred onto a waiting list or whose
        // meeting was cancelled leaves the feed at once (its presenter had a CANCEL by e-mail), since
        // Outlook shows a STATUS:CANCELLED entry in a subscribed calendar as if it were on.
        .andWhere("b.status = 'booked'")
        .andWhere("meeting.status = 'scheduled'")
    );
  }

  private meetingsQuery(m: EntityManager, user: User, since: Date) {
    const coreSeries = m
      .createQueryBuilder()
      .subQuery()
      .select('c.seriesId')
      .from(SeriesCoreMember, 'c')
      .where('c.email = :email')
      .getQuery();
    return m
      .createQueryBuilder(Meeting, 'meeting')
      .where('meeting.endsAt >= :since', { since })
      .andWhere(
        new Brackets((w) =>
          w
            .where('meeting.chairUserId = :userId', { userId: user.id })
            .orWhere(`meeting.seriesId IN ${coreSeries}`, { email: user.email }),
        ),
      )
      .andWhere(
        new Brackets((w) =>
          w
            .where("meeting.status = 'scheduled'")
            .orWhere('meeting.cancelledAt >= :keep', { keep: this.keepCancelledSince() }),
        ),
      );
  }

  private inWindow(meeting: Meeting): boolean {
    if (meeting.endsAt < this.since()) return false;
    return (
      meeting.status === 'scheduled' ||
      (meeting.cancelledAt !== null && meeting.cancelledAt >= this.keepCancelledSince())
    );
  }

  private since(): Date {
    return new Date(this.clock.now().getTime() - PAST_DAYS * 86_400_000);
  }

  private keepCancelledSince(): Date {
    return new Date(this.clock.now().getTime() - this.config.FEED_KEEP_CANCELLED_DAYS * 86_400_000);
  }

  /** Cancelled entries age out by London day, so the day is part of the fingerprint. */
  private today(): string {
    return londonToday(this.clock.now());
  }

  private touch(key: string, value: FeedBody): FeedBody {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}

/** A raw MAX(updatedAt), in either engine's form, or null when there were no rows. */
function toDate(value: string | Date | null | undefined): Date | null {
  return value ? toInstant(value) : null;
}

function later(a: Date, b: Date): Date {
  return a > b ? a : b;
}
