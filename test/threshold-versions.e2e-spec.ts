import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { In } from 'typeorm';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { webSignIn } from './support/web';

/** The partnership's 2024 document, then Families First from 1 February 2027 (the clock starts 4 January 2027). */
const V2024 = {
  id: '2024',
  name: 'Threshold document 2024',
  effectiveFrom: '2024-04-01',
  levels: ['Universal', 'Early help', 'Child in need', 'Child protection'],
};
const FAMILIES_FIRST = {
  id: 'families-first',
  name: 'Families First threshold document',
  effectiveFrom: '2027-02-01',
  levels: ['Universal', 'Family help', 'Multi-agency child protection'],
  pathways: {
    universal: 'Universal services',
    'early-help': 'Family help',
    'mash-referral': 'Referral to the MASH',
    'child-protection': 'Child protection procedures now',
    'advice-only': 'Advice only',
  },
  // 2024's level 3 and 4 have no single place: 3 → 2 (family help); 4 is left unmapped on purpose.
  crosswalk: { '1': 1, '2': 2, '3': 2 },
};
/** The crosswalk as the test reads it, independently of the service's. */
const toNewest = (level: number, version: string): number | null =>
  version === 'families-first' ? level : (({ 1: 1, 2: 2, 3: 2 } as Record<number, number>)[level] ?? null);

/**
 * Threshold document versions (issue 17, part 4): meetings use the version in force on their date;
 * each item and outcome records the version it used; the reports group by version and follow a
 * trend across the change through the configured crosswalk.
 */
describe('threshold document versions', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: Array<{ id: string; startsAt: string }>;
  const api = () => request(t.http);
  const book = async (token: string, meetingId: string, extra: Record<string, unknown> = {}) =>
    (await api().post(`/api/meetings/${meetingId}/bookings`).set(bearer(token)).send(thresholdItem(extra)).expect(201))
      .body as { id: string; reference: string };
  const advise = (bookingId: string, body: Record<string, unknown>) =>
    api()
      .put(`/api/bookings/${bookingId}/outcome`)
      .set(bearer(p.chair))
      .send({ advice: 'Offer an assessment with the family’s consent.', ...body });

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, THRESHOLD_VERSIONS: JSON.stringify([V2024, FAMILIES_FIRST]) },
    });
    p = await setUpPartnership(t, smtp);
    // Weekly from Monday 18 January 2027: 18 and 25 January under 2024, 1 February on under Families First.
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 6 })).meetings;
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('the reference data lists every version and gives the levels in force today', async () => {
    const res = await api().get('/api/reference-data').set(bearer(p.a1)).expect(200);
    expect(res.body.thresholdVersion).toBe('2024');
    expect(res.body.levels.map((l: { label: string }) => l.label)).toEqual(V2024.levels);
    expect(res.body.thresholdVersions).toEqual([
      expect.objectContaining({ id: '2024', effectiveFrom: '2024-04-01', crosswalk: {} }),
      expect.objectContaining({
        id: 'families-first',
        effectiveFrom: '2027-02-01',
        crosswalk: { '1': 1, '2': 2, '3': 2 },
      }),
    ]);
    expect(res.body.thresholdVersions[1].pathways.map((x: { code: string }) => x.code)).toEqual([
      'universal',
      'early-help',
      'mash-referral',
      'child-protection',
      'advice-only',
    ]);
    // After the change, the same question answers with the new document.
    // (00:30 on 1 February, London: a month on, so a new session.)
    const later = await t.clock.during(new Date('2027-02-01T00:30:00Z'), async () =>
      api()
        .get('/api/reference-data')
        .set(bearer(await signIn(t, smtp, 'dsl@riverside.sch.uk')))
        .expect(200),
    );
    expect(later.body.thresholdVersion).toBe('families-first');
    expect(later.body.levels).toHaveLength(3);
  });

  it('an item is booked in its meeting’s levels, and an outcome recorded in its meeting’s levels and pathways', async () => {
    expect(meetings.map((m) => m.startsAt.slice(0, 10)).slice(0, 3)).toEqual([
      '2027-01-18',
      '2027-01-25',
      '2027-02-01',
    ]);
    const before = await book(p.a1, meetings[0].id, { levelConsidered: 4 });
    const stored = () => t.dataSource.getRepository(Booking).count();
    const count = await stored();
    // Level 4 does not exist in Families First: refused on the field, nothing stored.
    const refused = await api()
      .post(`/api/meetings/${meetings[2].id}/bookings`)
      .set(bearer(p.a2))
      .send(thresholdItem({ levelConsidered: 4 }))
      .expect(400);
    expect(refused.body.details).toEqual([
      {
        field: 'levelConsidered',
        messages: ['must be between 1 and 3, the levels of Families First threshold document'],
      },
    ]);
    expect(await stored()).toBe(count);
    const after = await book(p.a2, meetings[2].id, { levelConsidered: 3 });
    const rows = await t.dataSource.getRepository(Booking).findBy({ id: In([before.id, after.id]) });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.thresholdVersion]))).toEqual({
      [before.id]: '2024',
      [after.id]: 'families-first',
    });

    // 2024 offers another service; Families First does not, and has no level 4.
    await advise(before.id, { levelAdvised: 4, pathway: 'other-service' }).expect(201);
    const wrong = await advise(after.id, { levelAdvised: 4, pathway: 'other-service' }).expect(400);
    expect(wrong.body.details.map((f: { field: string }) => f.field).sort()).toEqual(['levelAdvised', 'pathway']);
    expect(await t.dataSource.getRepository(Outcome).countBy({ bookingId: after.id })).toBe(0);
    const saved = await advise(after.id, { levelAdvised: 2, pathway: 'early-help' }).expect(201);
    expect(saved.body).toMatchObject({
      levelAdvised: 2,
      levelLabel: 'Family help',
      pathwayLabel: 'Family help',
      thresholdVersion: 'families-first',
    });
    const earlier = await api().get(`/api/bookings/${before.id}/outcome`).set(bearer(p.chair)).expect(200);
    expect(earlier.body).toMatchObject({
      levelLabel: 'Child protection',
      pathwayLabel: 'Another service',
      thresholdVersion: '2024',
    });
    const item = await api().get(`/api/bookings/${after.id}`).set(bearer(p.chair)).expect(200);
    expect(item.body.thresholdVersion).toBe('families-first');

    // The pages offer each meeting's own levels and pathways, and label each level by its version.
    const chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    const old = await chair.get(`/meetings/${meetings[0].id}/items/${before.id}`).expect(200);
    expect(old.text).toContain('Level 4: Child protection');
    expect(old.text).toContain('value="other-service"');
    const current = await chair.get(`/meetings/${meetings[2].id}/items/${after.id}`).expect(200);
    expect(current.text).toContain('Level 3: Multi-agency child protection');
    expect(current.text).not.toContain('Level 4:');
    expect(current.text).not.toContain('value="other-service"');
    const presenter = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    const own = await presenter.get(`/bookings/${after.id}`).expect(200);
    expect(own.text).toContain('Level 3: Multi-agency child protection');
  });

  it('reports group the level advised by version and follow it across the change through the crosswalk', async () => {
    // More items on both sides of the change, each with an outcome.
    const cases: Array<[number, number, number]> = [
      // [meeting, level considered, level advised]
      [1, 2, 3],
      [1, 3, 3],
      [1, 2, 2],
      [1, 1, 2],
      [3, 1, 1],
      [3, 2, 2],
      [3, 3, 3],
      [4, 2, 3],
    ];
    const tokens = [p.a1, p.a2, p.b1];
    for (const [i, [meeting, considered, advised]] of cases.entries()) {
      const item = await book(tokens[i % tokens.length], meetings[meeting].id, { levelConsidered: considered });
      await advise(item.id, { levelAdvised: advised, pathway: 'early-help' }).expect(201);
    }
    const all = await t.dataSource
      .getRepository(Meeting)
      .find({ where: { id: In(meetings.map((m) => m.id)) }, order: { startsAt: 'ASC' } });
    const after = new Date(all[4].startsAt.getTime() + 3 * 3600_000);
    const range = `from=${all[0].occurrenceDate}&to=${all[4].occurrenceDate}`;
    const [from, to] = [all[0].occurrenceDate, all[4].occurrenceDate].map((d) => d.split('-').map(Number));
    const pageRange = `from-day=${from[2]}&from-month=${from[1]}&from-year=${from[0]}&to-day=${to[2]}&to-month=${to[1]}&to-year=${to[0]}`;
    const { full, publication, csv, page } = await t.clock.during(after, async () => {
      const coordinator = bearer(await signIn(t, smtp, 'coordinator@partnership.test'));
      const web = await webSignIn(t, smtp, 'coordinator@partnership.test');
      return {
        full: (await api().get(`/api/reports/summary?${range}`).set(coordinator).expect(200)).body,
        publication: (await api().get(`/api/reports/summary?${range}&publication=true`).set(coordinator).expect(200))
          .body,
        csv: (await api().get(`/api/reports/items.csv?${range}`).set(coordinator).expect(200)).text,
        page: (await web.get(`/reports?${pageRange}`).expect(200)).text,
      };
    });

    // Counted here from the rows, with the test's own crosswalk.
    const items = await t.dataSource
      .getRepository(Booking)
      .find({ where: { meetingId: In(all.slice(0, 5).map((m) => m.id)), status: 'booked' } });
    const outcomes = await t.dataSource.getRepository(Outcome).findBy({ bookingId: In(items.map((b) => b.id)) });
    const byItem = new Map(items.map((b) => [b.id, b]));
    const pairs = outcomes
      .filter((o) => o.levelAdvised !== null && byItem.get(o.bookingId)!.levelConsidered !== null)
      .map((o) => {
        const b = byItem.get(o.bookingId)!;
        return {
          version: o.thresholdVersion!,
          advised: o.levelAdvised!,
          considered: b.levelConsidered!,
          consideredVersion: b.thresholdVersion!,
        };
      });
    expect(pairs.length).toBe(10);
    const tally = (keys: string[]) =>
      keys.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
    const totals = (rows: Array<{ code: string; total: number }>) =>
      Object.fromEntries(rows.filter((r) => r.total > 0).map((r) => [r.code, r.total]));

    const tv = full.thresholdVersions;
    expect(tv.newest).toBe('families-first');
    expect(tv.versions.map((v: { id: string; total: { total: number } }) => [v.id, v.total.total])).toEqual([
      ['2024', pairs.filter((x) => x.version === '2024').length],
      ['families-first', pairs.filter((x) => x.version === 'families-first').length],
    ]);
    expect(totals(tv.versions[0].levelAdvised.rows)).toEqual(
      tally(pairs.filter((x) => x.version === '2024').map((x) => String(x.advised))),
    );
    expect(tv.versions[0].levelAdvised.rows.map((r: { label: string }) => r.label)).toEqual(
      V2024.levels.map((l, i) => `${i + 1}: ${l}`),
    );
    expect(totals(tv.versions[1].levelAdvised.rows)).toEqual(
      tally(pairs.filter((x) => x.version === 'families-first').map((x) => String(x.advised))),
    );
    const inNewest = (x: (typeof pairs)[number]) => {
      const a = toNewest(x.advised, x.version);
      const c = toNewest(x.considered, x.consideredVersion);
      return a === null || c === null ? 'not-mapped' : String(a);
    };
    expect(totals(tv.levelAdvisedInNewest.rows)).toEqual(tally(pairs.map(inNewest)));
    expect(tv.levelAdvisedInNewest.rows.map((r: { code: string }) => r.code)).toEqual(['1', '2', '3', 'not-mapped']);
    // Before the change (January) and after (February): the trend by quarter is one quarter here,
    // so the whole range is checked; the matrix's column totals are the same figures.
    expect(full.levels.levels.map((l: { label: string }) => l.label)).toEqual(FAMILIES_FIRST.levels);
    expect(full.levels.totals.byLevelAdvised).toEqual(
      ['1', '2', '3'].map((code) => pairs.filter((x) => inNewest(x) === code).length),
    );
    expect(full.levels.totals.total).toBe(pairs.filter((x) => inNewest(x) !== 'not-mapped').length);
    // The level considered, in the newest terms.
    const considered = items
      .filter((b) => b.levelConsidered !== null)
      .map((b) => {
        const c = toNewest(b.levelConsidered!, b.thresholdVersion!);
        return c === null ? 'not-mapped' : String(c);
      });
    expect(totals(full.items.byLevelConsidered.rows)).toEqual(tally(considered));

    // The items CSV names each level's version; the reports page shows the tables by version.
    const records = parse(csv.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const byReference = new Map(records.map((r) => [r.reference, r]));
    for (const b of items) {
      const o = outcomes.find((x) => x.bookingId === b.id)!;
      expect(byReference.get(b.reference)).toMatchObject({
        level_considered_version: b.thresholdVersion,
        level_advised_version: o.thresholdVersion,
      });
    }
    expect(page).toContain('Levels of need across threshold documents');
    expect(page).toContain('Level advised under Threshold document 2024 (meetings from 1 April 2024)');
    expect(page).toContain('Level advised, in the levels of Families First threshold document');

    // The publication view: counts of 1 to 4 are not shown, and say why.
    const pubVersion = publication.thresholdVersions.versions[1];
    const small = pairs.filter((x) => x.version === 'families-first' && x.advised === 2).length;
    expect(small).toBeGreaterThanOrEqual(1);
    expect(small).toBeLessThan(5);
    const row = pubVersion.levelAdvised.rows.find((r: { code: string }) => r.code === '2');
    expect(row.total).toBeNull();
    expect(row.suppressed.total).toBe('small');
    expect(publication.suppression.threshold).toBe(5);
  });

  it('an item whose meeting moves across the change keeps its level until it is given anew, in the new levels', async () => {
    // On a January (2024) meeting, which then moves to Tuesday 2 February (Families First).
    const item = await book(p.b1, meetings[1].id, { levelConsidered: 3, agencyReference: 'NCH-2027-7' });
    await api()
      .patch(`/api/meetings/${meetings[1].id}`)
      .set(bearer(p.coordinator))
      .send({ startsAt: '2027-02-02T10:00:00.000Z', reason: 'Room not available' })
      .expect(200);
    const read = async () => (await api().get(`/api/bookings/${item.id}`).set(bearer(p.b1)).expect(200)).body;
    const patch = async (body: Record<string, unknown>, status: number) =>
      api()
        .patch(`/api/bookings/${item.id}`)
        .set(bearer(p.b1))
        .send({ version: (await read()).version, ...body })
        .expect(status);
    const stored = () => t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id });
    const web = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');

    // Another answer changed: the level stays 2024's level 3, labelled as such.
    await patch({ question: 'What support fits best now?' }, 200);
    expect(await stored()).toMatchObject({ levelConsidered: 3, thresholdVersion: '2024' });
    expect((await web.get(`/bookings/${item.id}`).expect(200)).text).toContain('Level 3: Child in need');
    // Its level page offers Families First's levels with none chosen: 3 there is another level.
    const levelPage = await web.get(`/bookings/${item.id}/edit/level`).expect(200);
    expect(levelPage.text).toContain('Multi-agency child protection');
    expect(levelPage.text).not.toMatch(/value="3"[^>]*checked/);
    // Level 4 under Families First, which has three: refused, nothing changed.
    const refused = await patch({ levelConsidered: 4 }, 400);
    expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual(['levelConsidered']);
    expect(await stored()).toMatchObject({ levelConsidered: 3, thresholdVersion: '2024' });
    // The same number chosen from the new levels is a new answer: restamped, and labelled anew.
    await patch({ levelConsidered: 3 }, 200);
    expect(await stored()).toMatchObject({ levelConsidered: 3, thresholdVersion: 'families-first' });
    expect((await web.get(`/bookings/${item.id}`).expect(200)).text).toContain(
      'Level 3: Multi-agency child protection',
    );
  });
});
