import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { describe as describeReport } from '../src/retention/retention.command';
import { RetentionJob } from '../src/retention/retention.job';
import { RetentionService } from '../src/retention/retention.service';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const MONTHS = 24;
/** Letters only (the identifying-details check looks for digits in numbers and dates). */
const RUN = randomBytes(6)
  .toString('hex')
  .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]);
const mark = (what: string) => `Zq${what}Mark${RUN}`;
/** Long, so that on SQLite the row spills onto overflow pages and on PostgreSQL into TOAST. */
const long = (what: string) =>
  `${mark(what)} `.padEnd(60, '.') +
  'The family and the school agreed a plan of support, reviewed weekly by the pastoral lead. '.repeat(40) +
  mark(`${what}End`);

/** The erased item's every piece of text, the held item's, and the one inside the period. */
const OLD = {
  ref: mark('OldRef'),
  question: `Does this meet the threshold for early help ${mark('OldQuestion')}?`,
  summary: long('OldSummary'),
  advice: `Offer an early help assessment ${mark('OldAdvice')}.`,
  feedback: `Acknowledgements take too long ${mark('OldFeedback')} to arrive.`,
  response: `The MASH will acknowledge within a day ${mark('OldResponse')}.`,
  action: `Send the revised referral form ${mark('OldAction')} to schools.`,
  general: `Circulate the new guidance ${mark('OldGeneral')} to every agency.`,
  note: `Several referrals lacked consent ${mark('OldNote')} this time.`,
};
const HELD = {
  ref: mark('HeldRef'),
  question: `Was the referral complete and well directed ${mark('HeldQuestion')}?`,
  summary: `A referral about home conditions ${mark('HeldSummary')} made last month.`,
  advice: `The referral should have gone to the hub ${mark('HeldAdvice')}.`,
  action: `Resubmit the referral with consent ${mark('HeldAction')} recorded.`,
};
const INSIDE = {
  ref: mark('InRef'),
  summary: `Still within the period ${mark('InSummary')} of retention.`,
  advice: `Advice kept ${mark('InAdvice')} for now.`,
};
const ERASED_MARKERS = [
  OLD.ref,
  mark('OldQuestion'),
  mark('OldSummary'),
  mark('OldSummaryEnd'),
  mark('OldAdvice'),
  mark('OldFeedback'),
  mark('OldResponse'),
  mark('OldAction'),
  mark('OldGeneral'),
  mark('OldNote'),
];
const HELD_MARKERS = [HELD.ref, mark('HeldQuestion'), mark('HeldSummary'), mark('HeldAdvice'), mark('HeldAction')];
const INSIDE_MARKERS = [INSIDE.ref, mark('InSummary'), mark('InAdvice')];

describe('retention of case text', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let oldMeeting: string;
  let insideMeeting: string;
  const ids: Record<string, string> = {};
  let notices: string[];

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(path).set(bearer(token)),
    put: (path: string, body: unknown) =>
      request(t.http)
        .put(path)
        .set(bearer(token))
        .send(body as object),
    post: (path: string, body: unknown = {}) =>
      request(t.http)
        .post(path)
        .set(bearer(token))
        .send(body as object),
    patch: (path: string, body: unknown) =>
      request(t.http)
        .patch(path)
        .set(bearer(token))
        .send(body as object),
  });
  const retentionAudits = () =>
    t.dataSource
      .getRepository(AuditEvent)
      .find({ where: {}, order: { at: 'ASC' } })
      .then((all) => all.filter((e) => e.action.startsWith('retention.')));
  /** The notice as the job words it, for the London date today (either side of a midnight the run may straddle). */
  const noticeFor = (d: Date) =>
    `removed under the retention policy on ${DateTime.fromJSDate(d, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('d LLLL yyyy')}`;
  const isNotice = (value: unknown) => notices.includes(value as string);
  const pdfText = async (path: string): Promise<string> => {
    const res = await request(t.http)
      .get(path)
      .set(bearer(p.coordinator))
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return execFileSync('pdftotext', ['-', '-'], { input: res.body as Buffer })
      .toString('utf8')
      .replace(/\s+/g, ' ');
  };

  /** Which of `markers` are still anywhere in the database's files or pages. */
  const foundInStorage = async (markers: string[]): Promise<string[]> => {
    if (t.database.kind === 'sqlite') {
      const file = t.database.env.SQLITE_PATH;
      const bytes = Buffer.concat([
        readFileSync(file),
        ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : []),
      ]);
      return markers.filter((m) => bytes.includes(Buffer.from(m, 'utf8')));
    }
    // PostgreSQL: every page of the tables the job rewrites, and of their TOAST tables, as raw bytes.
    const found: string[] = [];
    for (const table of ['booking', 'item_outcome', 'meeting_action', 'minutes', 'minutes_version']) {
      const rels: Array<{ rel: string }> = await t.dataSource.query(
        `SELECT c.oid::regclass::text AS rel FROM pg_class c WHERE c.oid = $1::regclass OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass)`,
        [table],
      );
      for (const { rel } of rels) {
        for (const m of markers) {
          const [{ n }] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM generate_series(0, (pg_relation_size($1::regclass) / 8192)::int - 1) AS b
              WHERE position(convert_to($2, 'UTF8') in get_raw_page($1::text, b)) > 0`,
            [rel, m],
          );
          if (n > 0 && !found.includes(m)) found.push(m);
        }
      }
    }
    return found;
  };
  /** The same through SQL: any row of any column holding the marker. */
  const foundByQuery = async (marker: string): Promise<number> => {
    const like = `%${marker}%`;
    const count = async (table: string, columns: string[]) => {
      const pg = t.database.kind === 'postgres';
      const where = columns.map((c) => `"${c}" LIKE ${pg ? '$1' : '?'}`).join(' OR ');
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
        pg ? [like] : columns.map(() => like),
      );
      return Number(n);
    };
    return (
      (await count('booking', ['question', 'summary', 'agencyReference'])) +
      (await count('item_outcome', ['advice', 'response'])) +
      (await count('meeting_action', ['description'])) +
      (await count('minutes', ['themesNote'])) +
      (await count('minutes_version', ['content']))
    );
  };

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, RETENTION_CASE_TEXT_MONTHS: String(MONTHS) } });
    if (t.database.kind === 'postgres') await t.dataSource.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
    p = await setUpPartnership(t, smtp);
    const csc = (await api(p.coordinator).get('/api/agencies').expect(200)).body.find(
      (a: { sector: string }) => a.sector === 'childrens-social-care',
    ).id;
    const meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 6 })).meetings;
    [oldMeeting, insideMeeting] = [meetings[0].id, meetings[1].id];

    const book = async (name: string, token: string, meetingId: string, body: object) => {
      ids[name] = (await api(token).post(`/api/meetings/${meetingId}/bookings`, body).expect(201)).body.id;
    };
    await book(
      'old',
      p.a1,
      oldMeeting,
      thresholdItem({ agencyReference: OLD.ref, question: OLD.question, summary: OLD.summary }),
    );
    await book(
      'held',
      p.b1,
      oldMeeting,
      thresholdItem({
        kind: 'referral-feedback',
        agencyReference: HELD.ref,
        question: HELD.question,
        summary: HELD.summary,
        mashReference: 'MASH-2026-0001',
        referralDate: workingDayFromToday(-20),
      }),
    );
    await book('feedback', p.b1, oldMeeting, { kind: 'agency-feedback', immediateRisk: false, summary: OLD.feedback });
    await book('inside', p.a2, insideMeeting, thresholdItem({ agencyReference: INSIDE.ref, summary: INSIDE.summary }));

    // Both meetings are held (two hours ago), recorded and their minutes approved.
    for (const id of [oldMeeting, insideMeeting]) {
      const startsAt = new Date(t.clock.now().getTime() - 2 * 3600_000);
      await t.dataSource.getRepository(Meeting).update(
        { id },
        {
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3600_000),
          bookingClosesAt: new Date(startsAt.getTime() - 86_400_000),
        },
      );
    }
    await api(p.chair)
      .put(`/api/meetings/${oldMeeting}/attendance`, [{ name: 'Charlie Chair', agencyId: csc, status: 'present' }])
      .expect(200);
    await api(p.chair)
      .put(`/api/bookings/${ids.old}/outcome`, { levelAdvised: 2, pathway: 'early-help', advice: OLD.advice })
      .expect(201);
    await api(p.chair)
      .put(`/api/bookings/${ids.held}/outcome`, {
        levelAdvised: 2,
        pathway: 'early-help',
        advice: HELD.advice,
        referralQuality: {
          timely: true,
          complete: false,
          appropriate: false,
          issues: ['missing-information'],
          misdirectedTo: 'Early Help Hub',
        },
      })
      .expect(201);
    await api(p.chair).put(`/api/bookings/${ids.feedback}/outcome`, { response: OLD.response }).expect(201);
    const action = async (meetingId: string, description: string, bookingId?: string) =>
      (
        await api(p.chair)
          .post(`/api/meetings/${meetingId}/actions`, {
            description,
            ownerAgencyId: p.agencyB,
            dueDate: workingDayFromToday(5),
            ...(bookingId ? { bookingId } : {}),
          })
          .expect(201)
      ).body.id;
    ids.itemAction = await action(oldMeeting, OLD.action, ids.old);
    ids.generalAction = await action(oldMeeting, OLD.general);
    ids.heldAction = await action(oldMeeting, HELD.action, ids.held);
    await api(p.chair).patch(`/api/meetings/${oldMeeting}/minutes`, { themesNote: OLD.note }).expect(200);
    await api(p.chair).post(`/api/meetings/${oldMeeting}/minutes/approve`).expect(200);
    await api(p.chair)
      .put(`/api/bookings/${ids.inside}/outcome`, { levelAdvised: 1, pathway: 'universal', advice: INSIDE.advice })
      .expect(201);
    await api(p.chair).post(`/api/meetings/${insideMeeting}/minutes/approve`).expect(200);

    // Then time has passed: the old meeting ended an hour before the period ran out; the other an hour after.
    const cutoff = DateTime.fromJSDate(t.clock.now(), { zone: 'Europe/London' }).minus({ months: MONTHS });
    const endAt = async (id: string, endsAt: DateTime) =>
      t.dataSource.getRepository(Meeting).update(
        { id },
        {
          startsAt: endsAt.minus({ hours: 1 }).toJSDate(),
          endsAt: endsAt.toJSDate(),
          bookingClosesAt: endsAt.minus({ days: 3 }).toJSDate(),
        },
      );
    await endAt(oldMeeting, cutoff.minus({ hours: 1 }));
    await endAt(insideMeeting, cutoff.plus({ hours: 1 }));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  // One story: a hold, a dry run, the erasure, what reads after it, a second run, the hold lifted,
  // an amendment after the erasure: every step builds on the ones before.
  const step = story('retention from legal hold to erasure and after, step by step');

  step('lets only coordinators place a legal hold, with a reason free of identifying details', async () => {
    await api(p.b1)
      .post(`/api/bookings/${ids.held}/legal-hold`, { reason: 'Subject of a practice review' })
      .expect(403);
    await api(p.chair)
      .post(`/api/bookings/${ids.held}/legal-hold`, { reason: 'Subject of a practice review' })
      .expect(403);
    const phone = await api(p.coordinator)
      .post(`/api/bookings/${ids.held}/legal-hold`, { reason: 'Call the reviewer on 020 7946 0123' })
      .expect(422);
    expect(phone.body.code).toBe('IDENTIFYING_DETAILS');
    await api(p.coordinator).post(`/api/bookings/${ids.held}/legal-hold`, { reason: '' }).expect(400);
    const placed = await api(p.coordinator)
      .post(`/api/bookings/${ids.held}/legal-hold`, { reason: 'Subject of a child safeguarding practice review' })
      .expect(201);
    expect(placed.body).toMatchObject({
      bookingId: ids.held,
      reason: 'Subject of a child safeguarding practice review',
      liftedAt: null,
    });
    const again = await api(p.coordinator)
      .post(`/api/bookings/${ids.held}/legal-hold`, { reason: 'A second hold on the same item' })
      .expect(409);
    expect(again.body.code).toBe('LEGAL_HOLD_IN_FORCE');
    const audits = await retentionAudits();
    expect(audits.map((a) => [a.action, a.entityId, a.details])).toEqual([
      ['retention.legal-hold-placed', ids.held, { holdId: placed.body.id }],
    ]);
  });

  step('a dry run lists what would go, by reference, and changes nothing', async () => {
    const plan = await t.app.get(RetentionService).dryRun();
    expect(plan.totals).toEqual({
      items: 2,
      outcomes: 2,
      actions: 2,
      themesNotes: 1,
      minutesVersions: 1,
      heldItems: 1,
    });
    expect(plan.meetings.map((m) => m.meetingId)).toEqual([oldMeeting]);
    const references = Object.fromEntries(
      await Promise.all(
        ['old', 'held', 'feedback'].map(async (k) => [
          k,
          (await api(p.coordinator).get(`/api/bookings/${ids[k]}`).expect(200)).body.reference,
        ]),
      ),
    );
    const text = describeReport(plan);
    expect(text).toContain(references.old);
    expect(text).toContain(references.feedback);
    expect(text).toMatch(new RegExp(`on legal hold ${references.held}`));
    for (const m of [...ERASED_MARKERS, ...HELD_MARKERS]) expect(text).not.toContain(m);
    expect(await foundByQuery(mark('OldQuestion'))).toBe(2); // the item, and its section of the approved minutes
    expect((await retentionAudits()).map((a) => a.action)).toEqual(['retention.legal-hold-placed']);
  });

  step(
    'erases the text of items past the period, keeps held and recent ones, and the bytes are gone from the database',
    async () => {
      notices = [noticeFor(t.clock.now())];
      const result = await t.app.get(RetentionService).run();
      notices.push(noticeFor(t.clock.now()));
      expect(result.totals).toEqual({
        items: 2,
        outcomes: 2,
        actions: 2,
        themesNotes: 1,
        minutesVersions: 1,
        heldItems: 1,
      });
      expect(result.compaction).toMatch(
        t.database.kind === 'sqlite' ? /WAL checkpointed and truncated/ : /vacuumed booking \(full\)/,
      );

      // Straight after the job: not in any page of the file (SQLite) or relation (PostgreSQL).
      expect(
        await foundInStorage(ERASED_MARKERS.filter((m) => !m.includes('Summary') || t.database.kind === 'sqlite')),
      ).toEqual([]);
      // The search works: it finds the text that was kept (short values, stored as they are).
      expect(await foundInStorage([HELD.ref, mark('HeldQuestion'), INSIDE.ref])).toEqual([
        HELD.ref,
        mark('HeldQuestion'),
        INSIDE.ref,
      ]);
      for (const m of ERASED_MARKERS) expect(await foundByQuery(m)).toBe(0);
      for (const m of [...HELD_MARKERS, ...INSIDE_MARKERS]) expect(await foundByQuery(m)).toBeGreaterThan(0);
      if (t.database.kind === 'postgres') {
        // VACUUM FULL left no dead row versions behind in the tables the job rewrote.
        await t.dataSource.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
        for (const table of ['booking', 'item_outcome', 'meeting_action', 'minutes', 'minutes_version']) {
          const [{ dead }] = await t.dataSource.query('SELECT dead_tuple_count::int AS dead FROM pgstattuple($1)', [
            table,
          ]);
          expect({ table, dead }).toEqual({ table, dead: 0 });
        }
      }
    },
  );

  step(
    'erased text reads as "removed under the retention policy on <date>" in the API, structured fields stay',
    async () => {
      const old = (await api(p.coordinator).get(`/api/bookings/${ids.old}`).expect(200)).body;
      expect([old.question, old.summary, old.agencyReference].every(isNotice)).toBe(true);
      expect(old).toMatchObject({
        kind: 'threshold-consultation',
        ageBand: '11-15',
        concernCategories: ['neglect', 'mental-health'],
        levelConsidered: 2,
      });
      const outcome = (await api(p.coordinator).get(`/api/bookings/${ids.old}/outcome`).expect(200)).body;
      expect(isNotice(outcome.advice)).toBe(true);
      expect(outcome).toMatchObject({ levelAdvised: 2, pathway: 'early-help' });
      const feedback = (await api(p.coordinator).get(`/api/bookings/${ids.feedback}`).expect(200)).body;
      expect(isNotice(feedback.summary)).toBe(true);
      expect(feedback.question).toBeNull(); // never written: stays empty
      expect(
        isNotice((await api(p.coordinator).get(`/api/bookings/${ids.feedback}/outcome`).expect(200)).body.response),
      ).toBe(true);
      const actions = (await api(p.coordinator).get(`/api/meetings/${oldMeeting}/actions`).expect(200)).body.raised;
      const byId = Object.fromEntries(actions.map((a: { id: string; description: string }) => [a.id, a.description]));
      expect(isNotice(byId[ids.itemAction]) && isNotice(byId[ids.generalAction])).toBe(true);
      expect(byId[ids.heldAction]).toBe(HELD.action);

      const held = (await api(p.coordinator).get(`/api/bookings/${ids.held}`).expect(200)).body;
      expect(held).toMatchObject({ agencyReference: HELD.ref, question: HELD.question, summary: HELD.summary });
      expect((await api(p.coordinator).get(`/api/bookings/${ids.held}/outcome`).expect(200)).body.advice).toBe(
        HELD.advice,
      );
      const inside = (await api(p.coordinator).get(`/api/bookings/${ids.inside}`).expect(200)).body;
      expect(inside).toMatchObject({ agencyReference: INSIDE.ref, summary: INSIDE.summary });
    },
  );

  step('and in the approved minutes, as JSON and as PDF, except the held item’s sections', async () => {
    const minutes = (await api(p.coordinator).get(`/api/meetings/${oldMeeting}/minutes`).expect(200)).body.content;
    const item = (id: string) => minutes.items.find((i: { bookingId: string }) => i.bookingId === id);
    expect(Object.values(item(ids.old).caseText).every(isNotice)).toBe(true);
    expect(item(ids.old)).toMatchObject({ levelConsidered: 2, outcome: { levelAdvised: 2, pathway: 'early-help' } });
    expect(item(ids.held).caseText).toEqual({
      agencyReference: HELD.ref,
      question: HELD.question,
      summary: HELD.summary,
      advice: HELD.advice,
    });
    expect(item(ids.held).outcome.referralQuality).toMatchObject({ timely: true, complete: false, appropriate: false });
    expect(Object.values(minutes.general.agencyFeedback[0].caseText).every(isNotice)).toBe(true);
    expect(isNotice(minutes.general.themes.caseText.note)).toBe(true);
    const actionText = Object.fromEntries(
      minutes.actions.map((a: { id: string; caseText: { description: string } }) => [a.id, a.caseText.description]),
    );
    expect(isNotice(actionText[ids.itemAction]) && isNotice(actionText[ids.generalAction])).toBe(true);
    expect(actionText[ids.heldAction]).toBe(HELD.action);
    for (const m of ERASED_MARKERS) expect(JSON.stringify(minutes)).not.toContain(m);

    const pdf = await pdfText(`/api/meetings/${oldMeeting}/minutes.pdf`);
    expect(notices.some((n) => pdf.includes(n))).toBe(true);
    for (const m of ERASED_MARKERS) expect(pdf).not.toContain(m);
    expect(pdf).toContain(mark('HeldQuestion'));
    const insidePdf = await pdfText(`/api/meetings/${insideMeeting}/minutes.pdf`);
    expect(insidePdf).toContain(mark('InAdvice'));
  });

  step('audits every erasure with ids and field names, never text', async () => {
    const audits = await retentionAudits();
    const erased = audits.filter((a) => a.action === 'retention.item-erased');
    expect(erased.map((a) => a.entityId).sort()).toEqual([ids.old, ids.feedback].sort());
    expect(erased.find((a) => a.entityId === ids.old)!.details).toMatchObject({
      meetingId: oldMeeting,
      fields: ['agencyReference', 'question', 'summary'],
      outcome: { fields: ['advice'] },
      actionIds: [ids.itemAction],
      minutesVersions: [1],
    });
    expect(erased.find((a) => a.entityId === ids.feedback)!.details).toMatchObject({
      fields: ['summary'],
      outcome: { fields: ['response'] },
    });
    const meeting = audits.filter((a) => a.action === 'retention.meeting-erased');
    expect(meeting).toHaveLength(1);
    expect(meeting[0]).toMatchObject({ entityId: oldMeeting, actorUserId: null });
    expect(meeting[0].details).toMatchObject({
      actionIds: [ids.generalAction],
      themesNote: true,
      minutesVersions: [1],
      heldBookingIds: [ids.held],
    });
    const all = JSON.stringify(audits);
    for (const m of [...ERASED_MARKERS, ...HELD_MARKERS]) expect(all).not.toContain(m);
    expect(all).not.toContain('practice review');
  });

  step('running the job again erases and audits nothing more', async () => {
    const before = await retentionAudits();
    const rows = await t.dataSource
      .getRepository(Booking)
      .find({ select: { id: true, caseTextErasedAt: true, summary: true }, order: { id: 'ASC' } });
    await t.app.get(RetentionJob).run();
    expect(await retentionAudits()).toHaveLength(before.length);
    expect(
      await t.dataSource
        .getRepository(Booking)
        .find({ select: { id: true, caseTextErasedAt: true, summary: true }, order: { id: 'ASC' } }),
    ).toEqual(rows);
    const again = await t.app.get(RetentionService).run();
    expect(again.totals).toEqual({
      items: 0,
      outcomes: 0,
      actions: 0,
      themesNotes: 0,
      minutesVersions: 0,
      heldItems: 1,
    });
    expect(again.compaction).toBeNull();
    expect(await retentionAudits()).toHaveLength(before.length);
  });

  step('once the hold is lifted (audited), the next run erases the held item too', async () => {
    await api(p.chair)
      .post(`/api/bookings/${ids.held}/legal-hold/lift`, { reason: 'The review has concluded' })
      .expect(403);
    const lifted = await api(p.coordinator)
      .post(`/api/bookings/${ids.held}/legal-hold/lift`, { reason: 'The review has concluded' })
      .expect(200);
    expect(lifted.body).toMatchObject({ liftReason: 'The review has concluded', liftedAt: expect.any(String) });
    await api(p.coordinator)
      .post(`/api/bookings/${ids.held}/legal-hold/lift`, { reason: 'The review has concluded' })
      .expect(409);

    const result = await t.app.get(RetentionService).run();
    expect(result.totals).toMatchObject({ items: 1, outcomes: 1, actions: 1, minutesVersions: 1, heldItems: 0 });
    expect(await foundInStorage([HELD.ref, mark('HeldQuestion')])).toEqual([]);
    for (const m of HELD_MARKERS) expect(await foundByQuery(m)).toBe(0);
    const minutes = (await api(p.coordinator).get(`/api/meetings/${oldMeeting}/minutes`).expect(200)).body.content;
    expect(
      Object.values(minutes.items.find((i: { bookingId: string }) => i.bookingId === ids.held).caseText).every(
        isNotice,
      ),
    ).toBe(true);

    const audits = await retentionAudits();
    expect(audits.filter((a) => a.action === 'retention.legal-hold-lifted').map((a) => a.entityId)).toEqual([ids.held]);
    expect(audits.filter((a) => a.action === 'retention.item-erased' && a.entityId === ids.held)).toHaveLength(1);

    const history = (await api(p.coordinator).get(`/api/bookings/${ids.held}/legal-hold`).expect(200)).body;
    expect(history).toMatchObject({ inForce: null, caseTextErasedAt: expect.any(String) });
    expect(history.history).toHaveLength(1);
    const late = await api(p.coordinator)
      .post(`/api/bookings/${ids.held}/legal-hold`, { reason: 'Too late for this one' })
      .expect(409);
    expect(late.body.code).toBe('CASE_TEXT_ERASED');
    // The item inside the period is still whole.
    for (const m of INSIDE_MARKERS) expect(await foundByQuery(m)).toBeGreaterThan(0);
  });

  step('text written after the erasure (an amendment to the old minutes) goes on the next run', async () => {
    const version = (await api(p.coordinator).get(`/api/bookings/${ids.old}/outcome`).expect(200)).body.version;
    const firstErased = (await api(p.coordinator).get(`/api/bookings/${ids.old}/legal-hold`).expect(200)).body
      .caseTextErasedAt;
    expect(firstErased).toEqual(expect.any(String));
    await api(p.coordinator)
      .post(`/api/meetings/${oldMeeting}/minutes/amendments`, {
        reason: 'Correcting the advice recorded',
        outcomes: [
          {
            bookingId: ids.old,
            version,
            levelAdvised: 2,
            pathway: 'early-help',
            advice: `Corrected advice ${mark('LateAdvice')}.`,
          },
        ],
        themesNote: `A corrected note ${mark('LateNote')}.`,
      })
      .expect(201);
    expect(await foundByQuery(mark('LateAdvice'))).toBe(2); // the outcome and minutes version 2
    const before = (await retentionAudits()).length;

    const result = await t.app.get(RetentionService).run();
    expect(result.totals).toMatchObject({ items: 0, outcomes: 1, themesNotes: 1, minutesVersions: 1 });
    for (const m of [mark('LateAdvice'), mark('LateNote')]) expect(await foundByQuery(m)).toBe(0);
    expect(await foundInStorage([mark('LateAdvice'), mark('LateNote')])).toEqual([]);
    const audits = (await retentionAudits()).slice(before);
    expect(audits.map((a) => a.action)).toEqual(['retention.meeting-erased']);
    expect(audits[0].details).toMatchObject({
      themesNote: true,
      minutesVersions: [2],
      outcomeIds: [expect.any(String)],
    });
    const v2 = (await api(p.coordinator).get(`/api/meetings/${oldMeeting}/minutes?version=2`).expect(200)).body.content;
    const item = v2.items.find((i: { bookingId: string }) => i.bookingId === ids.old);
    expect(Object.values(item.caseText).every(isNotice)).toBe(true);
    expect(isNotice(v2.general.themes.caseText.note)).toBe(true);
    // The item keeps the date its text was first removed.
    expect(
      (await api(p.coordinator).get(`/api/bookings/${ids.old}/legal-hold`).expect(200)).body.caseTextErasedAt,
    ).toBe(firstErased);
    expect((await t.app.get(RetentionService).run()).totals).toMatchObject({
      items: 0,
      outcomes: 0,
      themesNotes: 0,
      minutesVersions: 0,
    });
  });
});
