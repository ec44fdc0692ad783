import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { TransactionRunner } from '../src/database/transaction-runner';
import { reportPeriod } from '../src/reports/report-period';
import { ItemCursor, ReportQueries } from '../src/reports/report-queries';
import type { ItemExportRow } from '../src/reports/items-csv';
import { createSeries, Partnership, setUpPartnership, workingDayFromToday } from './support/fixtures';
import { addProfessional, bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { webSignIn } from './support/web';

jest.setTimeout(180_000);

/**
 * The seed, described as data: every expected figure below is counted from these tables by the
 * test itself, never by the code under test.
 *
 * Meetings are booked while in the future, then moved to fixed instants around quarter edges in
 * Europe/London (the suite runs with the host in America/New_York):
 */
const MEETING_TIMES = {
  M0: '2025-06-30T22:30:00Z', // 23:30 BST on 30 June: Q2
  M1: '2025-06-30T23:30:00Z', // 00:30 BST on 1 July: Q3 (in UTC and in New York still 30 June)
  M2: '2025-09-30T22:59:00Z', // 23:59 BST on 30 September: Q3
  M4: '2025-08-15T09:00:00Z', // cancelled: Q3
  M5: '2025-08-20T08:00:00Z', // the one-slot meeting with a waiting list: Q3
  M6: '2025-09-30T23:00:00Z', // 00:00 BST on 1 October exactly: Q4
  M3: '2025-12-31T23:30:00Z', // 23:30 GMT on 31 December: Q4
} as const;
type MeetingKey = keyof typeof MEETING_TIMES;
const QUARTER_OF: Record<MeetingKey, number> = { M0: 0, M1: 1, M2: 1, M4: 1, M5: 1, M6: 2, M3: 2 }; // in 2025-Q2..Q4
const CANCELLED: MeetingKey[] = ['M4'];

type AgencyKey = 'A' | 'B' | 'C' | 'D';
const SECTOR: Record<AgencyKey, string> = { A: 'education', B: 'health', C: 'voluntary', D: 'other' };
const AGENCY_C = 'Smith, "Jones" & Partners';
const AGENCY_D = '=HYPERLINK("http://evil.test","click")';

interface SeedOutcome {
  level?: number;
  pathway?: string;
  quality?: { timely: boolean; complete: boolean; appropriate: boolean; issues: string[] };
  response?: true;
}
interface SeedItem {
  n: number;
  meeting: MeetingKey;
  agency: AgencyKey;
  kind: 'threshold-consultation' | 'referral-feedback' | 'agency-feedback';
  level?: number;
  categories?: string[];
  outcome?: SeedOutcome;
  /** What happens to it: carried forward from its meeting; withdrawn; booked onto the full meeting's waiting list. */
  fate?: 'defer' | 'withdraw' | 'waitlist';
}

const T = 'threshold-consultation' as const;
const R = 'referral-feedback' as const;
const F = 'agency-feedback' as const;
const SEED: SeedItem[] = [
  {
    n: 1,
    meeting: 'M0',
    agency: 'A',
    kind: T,
    level: 1,
    categories: ['neglect'],
    outcome: { level: 1, pathway: 'advice-only' },
  },
  {
    n: 2,
    meeting: 'M0',
    agency: 'B',
    kind: T,
    level: 2,
    categories: ['neglect', 'domestic-abuse'],
    outcome: { level: 2, pathway: 'early-help' },
  },
  ...[3, 4, 5, 6].map((n) => ({
    n,
    meeting: 'M1' as const,
    agency: 'A' as const,
    kind: T,
    level: 2,
    categories: ['neglect'],
    outcome: { level: 2, pathway: 'early-help' },
  })),
  ...[7, 8].map((n) => ({
    n,
    meeting: 'M1' as const,
    agency: 'A' as const,
    kind: T,
    level: 2,
    categories: ['neglect'],
    outcome: { level: 3, pathway: 'mash-referral' },
  })),
  {
    n: 9,
    meeting: 'M1',
    agency: 'B',
    kind: R,
    level: 3,
    categories: ['domestic-abuse', 'mental-health'],
    outcome: {
      level: 3,
      pathway: 'mash-referral',
      quality: { timely: true, complete: true, appropriate: true, issues: [] },
    },
  },
  {
    n: 10,
    meeting: 'M1',
    agency: 'B',
    kind: R,
    level: 3,
    categories: ['domestic-abuse', 'mental-health'],
    outcome: {
      level: 3,
      pathway: 'mash-referral',
      quality: {
        timely: false,
        complete: false,
        appropriate: false,
        issues: ['missing-information', 'consent-not-recorded'],
      },
    },
  },
  { n: 11, meeting: 'M1', agency: 'C', kind: F, outcome: { response: true } },
  { n: 12, meeting: 'M1', agency: 'A', kind: T, level: 2, categories: ['self-harm'], fate: 'defer' },
  {
    n: 13,
    meeting: 'M2',
    agency: 'A',
    kind: T,
    level: 1,
    categories: ['missing'],
    outcome: { level: 1, pathway: 'universal' },
  },
  {
    n: 14,
    meeting: 'M2',
    agency: 'A',
    kind: T,
    level: 1,
    categories: ['missing'],
    outcome: { level: 1, pathway: 'universal' },
  },
  {
    n: 15,
    meeting: 'M2',
    agency: 'D',
    kind: R,
    level: 4,
    categories: ['sexual-abuse'],
    outcome: {
      level: 4,
      pathway: 'child-protection',
      quality: { timely: true, complete: true, appropriate: true, issues: [] },
    },
  },
  {
    n: 16,
    meeting: 'M2',
    agency: 'D',
    kind: R,
    level: 4,
    categories: ['sexual-abuse'],
    outcome: {
      level: 4,
      pathway: 'child-protection',
      quality: { timely: true, complete: false, appropriate: true, issues: ['unclear-safeguarding-concern'] },
    },
  },
  {
    n: 17,
    meeting: 'M2',
    agency: 'D',
    kind: R,
    level: 4,
    categories: ['sexual-abuse', 'online-harm'],
    outcome: {
      level: 4,
      pathway: 'child-protection',
      quality: { timely: false, complete: true, appropriate: true, issues: [] },
    },
  },
  { n: 18, meeting: 'M2', agency: 'B', kind: T, level: 3, categories: ['mental-health'] },
  {
    n: 19,
    meeting: 'M3',
    agency: 'C',
    kind: T,
    level: 2,
    categories: ['online-harm'],
    outcome: { level: 2, pathway: 'early-help' },
  },
  { n: 20, meeting: 'M4', agency: 'A', kind: T, level: 2, categories: ['neglect'] },
  { n: 21, meeting: 'M5', agency: 'B', kind: T, level: 2, categories: ['neglect'], fate: 'withdraw' },
  {
    n: 22,
    meeting: 'M5',
    agency: 'A',
    kind: T,
    level: 2,
    categories: ['neglect'],
    outcome: { level: 2, pathway: 'early-help' },
    fate: 'waitlist',
  },
  { n: 23, meeting: 'M5', agency: 'C', kind: T, level: 1, categories: ['neglect'], fate: 'waitlist' },
  {
    n: 24,
    meeting: 'M6',
    agency: 'D',
    kind: T,
    level: 3,
    categories: ['criminal-exploitation'],
    outcome: { level: 3, pathway: 'mash-referral' },
  },
];

/** Unique strings in every piece of free text: none may appear in any report. */
const RUN = randomBytes(4).toString('hex');
const letters = (n: number) => String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + Math.floor(n / 26));
const marker = (what: string, n: number) =>
  `Zq${what}${letters(n)}Marker${RUN.replace(/\d/g, (d) => 'ghijklmnop'[Number(d)])}`;

/** What the seed says was discussed: booked at a meeting held in the range. */
const DISCUSSED = SEED.filter(
  (s) =>
    !CANCELLED.includes(s.meeting) &&
    s.fate !== 'defer' &&
    s.fate !== 'withdraw' &&
    !(s.fate === 'waitlist' && s.n === 23),
);
const perQuarter = (items: SeedItem[]) => {
  const counts = [0, 0, 0];
  for (const i of items) counts[QUARTER_OF[i.meeting]]++;
  return [...counts, items.length];
};
const rowOf = (row: { byQuarter: Array<number | null>; total: number | null }) => [...row.byQuarter, row.total];

describe('partnership reports', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let c1: string;
  let d1: string;
  let csc: string;
  const agencyId: Record<AgencyKey, string> = { A: '', B: '', C: '', D: '' };
  const meetingId = {} as Record<MeetingKey, string>;
  const bookingId: Record<number, string> = {};

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
  const presenterOf = (a: AgencyKey) => ({ A: p.a1, B: p.b1, C: c1, D: d1 })[a];
  const summary = async (query: string, token = p.coordinator) =>
    (await api(token).get(`/api/reports/summary?${query}`).expect(200)).body;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    agencyId.A = p.agencyA;
    agencyId.B = p.agencyB;
    agencyId.C = (
      await api(p.coordinator)
        .post('/api/agencies', { name: AGENCY_C, sector: 'voluntary', emailDomains: ['sjp.org.test'] })
        .expect(201)
    ).body.id;
    agencyId.D = (
      await api(p.coordinator)
        .post('/api/agencies', { name: AGENCY_D, sector: 'other', emailDomains: ['formula.test'] })
        .expect(201)
    ).body.id;
    csc = (await api(p.coordinator).get('/api/agencies').expect(200)).body.find(
      (a: { sector: string }) => a.sector === 'childrens-social-care',
    ).id;
    await addProfessional(t, p.coordinator, 'worker@sjp.org.test', agencyId.C);
    await addProfessional(t, p.coordinator, 'officer@formula.test', agencyId.D);
    c1 = await signIn(t, smtp, 'worker@sjp.org.test');
    d1 = await signIn(t, smtp, 'officer@formula.test');

    const main = (
      await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 12, durationMinutes: 240, slotMinutes: 10 })
    ).meetings;
    const oneSlot = (
      await createSeries(t, p, {
        title: 'Small meeting',
        intervalWeeks: 1,
        horizonWeeks: 4,
        durationMinutes: 15,
        slotMinutes: 15,
      })
    ).meetings;
    Object.assign(meetingId, {
      M0: main[0].id,
      M1: main[1].id,
      M2: main[2].id,
      M3: main[3].id,
      M4: main[4].id,
      M6: main[5].id,
      M5: oneSlot[0].id,
    });

    // Book everything while the meetings are in the future, through the API.
    for (const s of SEED) {
      const body =
        s.kind === F
          ? {
              kind: F,
              immediateRisk: false,
              summary: `Agency feedback ${marker('Summary', s.n)} about acknowledgements.`,
              ...(s.fate === 'waitlist' ? { joinWaitlist: true } : {}),
            }
          : {
              kind: s.kind,
              immediateRisk: false,
              agencyReference: marker('Ref', s.n),
              ageBand: '5-10',
              concernCategories: s.categories,
              levelConsidered: s.level,
              question: `Does this meet the threshold ${marker('Question', s.n)}?`,
              summary: `Anonymised summary ${marker('Summary', s.n)} of the concerns.`,
              ...(s.kind === R ? { mashReference: `MASH-${s.n}-${RUN}`, referralDate: workingDayFromToday(-10) } : {}),
              ...(s.fate === 'waitlist' ? { joinWaitlist: true } : {}),
            };
      const res = await api(presenterOf(s.agency))
        .post(`/api/meetings/${meetingId[s.meeting]}/bookings`, body)
        .expect(201);
      bookingId[s.n] = res.body.id;
      expect(res.body.status).toBe(s.fate === 'waitlist' ? 'waitlisted' : 'booked');
      // The one-slot meeting: withdrawing item 21 gives its slot to item 22, the first waiting.
      if (s.n === 22) await api(presenterOf('B')).post(`/api/bookings/${bookingId[21]}/withdraw`).expect(200);
    }
    await api(p.coordinator)
      .post(`/api/meetings/${meetingId.M4}/cancel`, { reason: 'The room is not available.' })
      .expect(200);

    // The meetings take place in 2025.
    for (const [key, at] of Object.entries(MEETING_TIMES) as Array<[MeetingKey, string]>) {
      const startsAt = new Date(at);
      const duration = key === 'M5' ? 15 : 240;
      await t.dataSource.getRepository(Meeting).update(
        { id: meetingId[key] },
        {
          startsAt,
          endsAt: new Date(startsAt.getTime() + duration * 60_000),
          bookingClosesAt: new Date(startsAt.getTime() - 2 * 86_400_000),
        },
      );
    }

    // The chair records attendance, outcomes, a deferral and actions through the API.
    await api(p.chair)
      .put(`/api/meetings/${meetingId.M1}/attendance`, [
        { name: 'Charlie Chair', agencyId: csc, status: 'present' },
        { name: 'Dana Lead', agencyId: agencyId.A, status: 'present' },
        { name: 'Deputy Lead', agencyId: agencyId.A, status: 'present', bookingIds: [bookingId[7]] },
        { name: 'Helen Visitor', agencyId: agencyId.B, status: 'apologies' },
        { name: 'Sam Worker', agencyId: agencyId.C, status: 'present' },
      ])
      .expect(200);
    await api(p.chair)
      .put(`/api/meetings/${meetingId.M2}/attendance`, [
        { name: 'Dana Lead', agencyId: agencyId.A, status: 'present' },
        { name: 'Pat Officer', agencyId: agencyId.D, status: 'present' },
        { name: 'Helen Visitor', agencyId: agencyId.B, status: 'absent' },
      ])
      .expect(200);
    for (const s of SEED.filter((x) => x.outcome)) {
      const o = s.outcome!;
      const body = o.response
        ? { response: `Response ${marker('Response', s.n)} from children's social care.` }
        : {
            levelAdvised: o.level,
            pathway: o.pathway,
            advice: `Advice ${marker('Advice', s.n)} given.`,
            ...(o.quality
              ? {
                  referralQuality: {
                    ...o.quality,
                    ...(o.quality.appropriate ? {} : { misdirectedTo: 'Early Help Hub' }),
                  },
                }
              : {}),
          };
      await api(p.chair).put(`/api/bookings/${bookingId[s.n]}/outcome`, body).expect(201);
    }
    await api(p.chair).post(`/api/bookings/${bookingId[12]}/defer`).expect(200);

    const action = async (meeting: MeetingKey, owner: AgencyKey, dueDate: string) =>
      (
        await api(p.chair)
          .post(`/api/meetings/${meetingId[meeting]}/actions`, {
            description: `Action ${marker('Action', dueDate.length)} to follow up.`,
            ownerAgencyId: agencyId[owner],
            dueDate,
          })
          .expect(201)
      ).body.id as string;
    const soon = workingDayFromToday(5);
    const onTime = await action('M1', 'A', soon);
    await action('M1', 'B', soon); // left open: overdue once time has moved on
    const circumstances = await action('M1', 'C', soon);
    await action('M2', 'D', workingDayFromToday(300)); // open, not yet due
    const late = await action('M2', 'A', soon);
    const undone = await action('M2', 'A', soon);
    await api(p.chair).patch(`/api/actions/${onTime}`, { status: 'done' }).expect(200);
    await api(p.chair)
      .patch(`/api/actions/${circumstances}`, { status: 'closed', closedReason: 'circumstances-changed' })
      .expect(200);
    await api(p.chair)
      .patch(`/api/actions/${undone}`, { status: 'closed', closedReason: 'agency-not-completed' })
      .expect(200);

    // Twenty days on (sessions expire, so everyone signs in again), one action is done late.
    t.clock.advance(20 * 86_400_000);
    p.coordinator = await signIn(t, smtp, 'coordinator@partnership.test');
    p.chair = await signIn(t, smtp, 'chair@csc.gov.test');
    p.a1 = await signIn(t, smtp, 'dsl@riverside.sch.uk');
    await api(p.chair).patch(`/api/actions/${late}`, { status: 'done' }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  describe('the summary', () => {
    let s: any;
    beforeAll(async () => {
      s = await summary('from=2025-04-01&to=2025-12-31');
    });

    it('cuts the range into London calendar quarters', () => {
      expect(s).toMatchObject({
        from: '2025-04-01',
        to: '2025-12-31',
        timeZone: 'Europe/London',
        view: 'full',
        suppression: null,
      });
      expect(s.quarters).toEqual([
        { key: '2025-Q2', label: 'April to June 2025', from: '2025-04-01', to: '2025-06-30', clipped: false },
        { key: '2025-Q3', label: 'July to September 2025', from: '2025-07-01', to: '2025-09-30', clipped: false },
        { key: '2025-Q4', label: 'October to December 2025', from: '2025-10-01', to: '2025-12-31', clipped: false },
      ]);
    });

    it('counts meetings held and cancelled, and the items discussed, by the London quarter of the meeting', () => {
      const held = (Object.keys(MEETING_TIMES) as MeetingKey[]).filter((k) => !CANCELLED.includes(k));
      const byQuarter = (keys: MeetingKey[]) =>
        [0, 1, 2].map((q) => keys.filter((k) => QUARTER_OF[k] === q).length).concat(keys.length);
      expect(rowOf(s.meetings.rows.find((r: { code: string }) => r.code === 'held'))).toEqual(byQuarter(held));
      expect(rowOf(s.meetings.rows.find((r: { code: string }) => r.code === 'cancelled'))).toEqual(
        byQuarter(CANCELLED),
      );
      expect(rowOf(s.items.total)).toEqual(perQuarter(DISCUSSED));
      expect(rowOf(s.items.total)).toEqual([2, 16, 2, 20]); // the seed, counted by hand once as a check on the counting above
    });

    it('breaks the items down by kind, agency, sector, concern category, level considered and pathway', () => {
      const rows = (section: { rows: Array<{ code: string; byQuarter: number[]; total: number }> }) =>
        Object.fromEntries(section.rows.map((r) => [r.code, rowOf(r)]));
      for (const kind of [T, R, F])
        expect(rows(s.items.byKind)[kind]).toEqual(perQuarter(DISCUSSED.filter((i) => i.kind === kind)));
      for (const a of ['A', 'B', 'C', 'D'] as AgencyKey[]) {
        expect(rows(s.items.byAgency)[agencyId[a]]).toEqual(perQuarter(DISCUSSED.filter((i) => i.agency === a)));
      }
      expect(s.items.byAgency.rows.find((r: { code: string }) => r.code === agencyId.C)).toMatchObject({
        label: AGENCY_C,
        sector: 'voluntary',
      });
      for (const sector of ['education', 'health', 'voluntary', 'other', 'police']) {
        expect(rows(s.items.bySector)[sector]).toEqual(
          perQuarter(DISCUSSED.filter((i) => SECTOR[i.agency] === sector)),
        );
      }
      for (const category of [
        'neglect',
        'domestic-abuse',
        'mental-health',
        'missing',
        'sexual-abuse',
        'online-harm',
        'criminal-exploitation',
        'radicalisation',
      ]) {
        expect(rows(s.items.byConcernCategory)[category]).toEqual(
          perQuarter(DISCUSSED.filter((i) => i.categories?.includes(category))),
        );
      }
      for (const level of [1, 2, 3, 4])
        expect(rows(s.items.byLevelConsidered)[String(level)]).toEqual(
          perQuarter(DISCUSSED.filter((i) => i.level === level)),
        );
      expect(rows(s.items.byLevelConsidered)['not-applicable']).toEqual(
        perQuarter(DISCUSSED.filter((i) => i.level === undefined)),
      );
      for (const pathway of [
        'universal',
        'early-help',
        'mash-referral',
        'child-protection',
        'other-service',
        'advice-only',
      ]) {
        expect(rows(s.items.byPathway)[pathway]).toEqual(
          perQuarter(DISCUSSED.filter((i) => i.outcome?.pathway === pathway)),
        );
      }
      expect(rows(s.items.byPathway)['not-applicable']).toEqual(
        perQuarter(DISCUSSED.filter((i) => i.outcome?.response)),
      );
      expect(rows(s.items.byPathway)['no-outcome']).toEqual(perQuarter(DISCUSSED.filter((i) => !i.outcome)));
    });

    it('gives level considered against level advised as a matrix', () => {
      const withBoth = DISCUSSED.filter((i) => i.level && i.outcome?.level);
      expect(s.levels.levels.map((l: { value: number }) => l.value)).toEqual([1, 2, 3, 4]);
      for (const considered of [1, 2, 3, 4]) {
        const row = s.levels.rows[considered - 1];
        expect(row.levelConsidered).toBe(considered);
        expect(row.byLevelAdvised).toEqual(
          [1, 2, 3, 4].map(
            (advised) => withBoth.filter((i) => i.level === considered && i.outcome!.level === advised).length,
          ),
        );
        expect(row.total).toBe(withBoth.filter((i) => i.level === considered).length);
      }
      expect(s.levels.totals.byLevelAdvised).toEqual(
        [1, 2, 3, 4].map((advised) => withBoth.filter((i) => i.outcome!.level === advised).length),
      );
      expect(s.levels.totals.total).toBe(withBoth.length);
      expect(s.levels.rows[1].byLevelAdvised[2]).toBe(2); // considered 2, advised 3: items 7 and 8
    });

    it('gives referral-quality findings by agency and quarter', () => {
      const reviewed = DISCUSSED.filter((i) => i.outcome?.quality);
      const measures = (items: SeedItem[]): Record<string, number[]> => ({
        reviewed: perQuarter(items),
        timely: perQuarter(items.filter((i) => i.outcome!.quality!.timely)),
        'not-timely': perQuarter(items.filter((i) => !i.outcome!.quality!.timely)),
        complete: perQuarter(items.filter((i) => i.outcome!.quality!.complete)),
        incomplete: perQuarter(items.filter((i) => !i.outcome!.quality!.complete)),
        appropriate: perQuarter(items.filter((i) => i.outcome!.quality!.appropriate)),
        misdirected: perQuarter(items.filter((i) => !i.outcome!.quality!.appropriate)),
        'issue:missing-information': perQuarter(
          items.filter((i) => i.outcome!.quality!.issues.includes('missing-information')),
        ),
        'issue:unclear-safeguarding-concern': perQuarter(
          items.filter((i) => i.outcome!.quality!.issues.includes('unclear-safeguarding-concern')),
        ),
        'issue:consent-not-recorded': perQuarter(
          items.filter((i) => i.outcome!.quality!.issues.includes('consent-not-recorded')),
        ),
        'issue:other': perQuarter(items.filter((i) => i.outcome!.quality!.issues.includes('other'))),
      });
      const got = (list: Array<{ code: string; byQuarter: number[]; total: number }>) =>
        Object.fromEntries(list.map((r) => [r.code, rowOf(r)]));
      expect(got(s.referralQuality.allAgencies)).toEqual(measures(reviewed));
      expect(s.referralQuality.byAgency.map((a: { agency: { id: string } }) => a.agency.id).sort()).toEqual(
        [agencyId.B, agencyId.D].sort(),
      );
      for (const a of ['B', 'D'] as AgencyKey[]) {
        const entry = s.referralQuality.byAgency.find((x: { agency: { id: string } }) => x.agency.id === agencyId[a]);
        expect(got(entry.measures)).toEqual(measures(reviewed.filter((i) => i.agency === a)));
      }
    });

    it('gives attendance by agency, actions by state and the use of the waiting list', () => {
      const attendance = Object.fromEntries(
        s.attendance.byAgency.map(
          (a: { agency: { id: string }; measures: Array<{ code: string; byQuarter: number[]; total: number }> }) => [
            a.agency.id,
            Object.fromEntries(a.measures.map((m) => [m.code, rowOf(m)])),
          ],
        ),
      );
      expect(attendance[agencyId.A]).toEqual({
        present: [0, 3, 0, 3],
        apologies: [0, 0, 0, 0],
        absent: [0, 0, 0, 0],
        'meetings-attended': [0, 2, 0, 2],
      });
      expect(attendance[agencyId.B]).toEqual({
        present: [0, 0, 0, 0],
        apologies: [0, 1, 0, 1],
        absent: [0, 1, 0, 1],
        'meetings-attended': [0, 0, 0, 0],
      });
      expect(attendance[csc]).toMatchObject({ present: [0, 1, 0, 1], 'meetings-attended': [0, 1, 0, 1] });
      expect(
        Object.fromEntries(s.attendance.allAgencies.map((m: { code: string }) => [m.code, rowOf(m as never)])),
      ).toEqual({
        present: [0, 6, 0, 6],
        apologies: [0, 1, 0, 1],
        absent: [0, 1, 0, 1],
      });

      const actions = Object.fromEntries(s.actions.measures.map((m: { code: string }) => [m.code, rowOf(m as never)]));
      expect(actions).toEqual({
        opened: [0, 6, 0, 6],
        'done-on-time': [0, 1, 0, 1],
        'done-late': [0, 1, 0, 1],
        'open-not-due': [0, 1, 0, 1],
        overdue: [0, 1, 0, 1],
        'closed-circumstances-changed': [0, 1, 0, 1],
        'closed-agency-not-completed': [0, 1, 0, 1],
        'closed-undone': [0, 2, 0, 2],
      });

      const waiting = Object.fromEntries(
        s.waitingList.measures.map((m: { code: string }) => [m.code, rowOf(m as never)]),
      );
      expect(waiting).toEqual({
        'joined-waiting-list': [0, 2, 0, 2],
        promoted: [0, 1, 0, 1],
        'not-reached': [0, 1, 0, 1],
        'carried-forward': [0, 1, 0, 1],
        'carried-forward-to-waiting-list': [0, 0, 0, 0],
      });
    });

    it('holds no case text', () => {
      expect(JSON.stringify(s)).not.toMatch(new RegExp(`Zq\\w+Marker|MASH-\\d+-${RUN}|Early Help Hub`));
    });
  });

  it('puts a meeting at 23:30 BST on 30 June in Q2 and one at 00:30 BST on 1 July in Q3, and clips quarters to the range', async () => {
    const edge = await summary('from=2025-06-30&to=2025-07-01');
    expect(edge.quarters).toEqual([
      { key: '2025-Q2', label: 'April to June 2025', from: '2025-06-30', to: '2025-06-30', clipped: true },
      { key: '2025-Q3', label: 'July to September 2025', from: '2025-07-01', to: '2025-07-01', clipped: true },
    ]);
    expect(rowOf(edge.meetings.rows[0])).toEqual([1, 1, 2]);
    expect(rowOf(edge.items.total)).toEqual([
      DISCUSSED.filter((i) => i.meeting === 'M0').length,
      DISCUSSED.filter((i) => i.meeting === 'M1').length,
      11,
    ]);

    // 00:00 BST on 1 October is the first instant of Q4; 23:59 BST on 30 September the last minute of Q3.
    const q3 = await summary('from=2025-07-01&to=2025-09-30');
    expect(q3.quarters.map((q: { key: string }) => q.key)).toEqual(['2025-Q3']);
    expect(q3.items.total.total).toBe(DISCUSSED.filter((i) => QUARTER_OF[i.meeting] === 1).length);
    const q4 = await summary('from=2025-10-01&to=2025-12-31');
    expect(q4.items.total.total).toBe(DISCUSSED.filter((i) => i.meeting === 'M6' || i.meeting === 'M3').length);
    const oneDay = await summary('from=2025-10-01&to=2025-10-01');
    expect(oneDay.items.total.total).toBe(1);
    expect(oneDay.quarters[0]).toMatchObject({ key: '2025-Q4', from: '2025-10-01', to: '2025-10-01', clipped: true });
  });

  it('suppresses small numbers in the publication view so that none can be worked out from a total', async () => {
    const full = await summary('from=2025-04-01&to=2025-12-31');
    const pub = await summary('from=2025-04-01&to=2025-12-31&publication=true');
    expect(pub.view).toBe('publication');
    expect(pub.suppression).toMatchObject({ threshold: 5 });
    expect(pub.suppression.rule).toContain('1 to 4');

    // Every count: 1–4 hidden as small; 0 shown; 5 or more shown as it is, or hidden as secondary.
    type Row = {
      byQuarter: Array<number | null>;
      total: number | null;
      suppressed?: { byQuarter: Array<string | null>; total: string | null };
    };
    const pairs: Array<[Row, Row]> = [];
    const collect = (f: { rows?: Row[] } | Row[] | undefined, g: typeof f) => {
      const fr = (Array.isArray(f) ? f : f!.rows!) as Row[];
      const gr = (Array.isArray(g) ? g : g!.rows!) as Row[];
      fr.forEach((row, i) => pairs.push([row, gr[i]]));
    };
    pairs.push([full.items.total, pub.items.total]);
    for (const k of ['byKind', 'byAgency', 'bySector', 'byConcernCategory', 'byLevelConsidered', 'byPathway'])
      collect(full.items[k], pub.items[k]);
    collect(full.meetings, pub.meetings);
    collect(full.referralQuality.allAgencies, pub.referralQuality.allAgencies);
    full.referralQuality.byAgency.forEach((a: { measures: Row[] }, i: number) =>
      collect(a.measures, pub.referralQuality.byAgency[i].measures),
    );
    collect(full.actions.measures, pub.actions.measures);
    collect(full.waitingList.measures, pub.waitingList.measures);
    let small = 0;
    let shown = 0;
    for (const [f, g] of pairs) {
      const cells = [
        ...f.byQuarter.map((v, q) => [v, g.byQuarter[q], g.suppressed!.byQuarter[q]]),
        [f.total, g.total, g.suppressed!.total],
      ] as Array<[number, number | null, string | null]>;
      for (const [value, published, mark] of cells) {
        if (value >= 1 && value <= 4) {
          expect([published, mark]).toEqual([null, 'small']);
          small++;
        } else if (value === 0) expect([published, mark]).toEqual([0, null]);
        else if (mark === null) {
          expect(published).toBe(value);
          shown++;
        } else expect([published, mark]).toEqual([null, 'secondary']);
      }
    }
    expect(small).toBeGreaterThan(20);
    expect(shown).toBeGreaterThan(5);
    expect(pub.items.total.byQuarter).toEqual([null, 16, null]);
    expect(pub.items.total.total).toBe(20);

    // No row and no quarter of a table that adds up to the items discussed has exactly one hidden cell.
    const hidden = (row: Row, q: number | 'total') => (q === 'total' ? row.total === null : row.byQuarter[q] === null);
    for (const k of ['byKind', 'byAgency', 'bySector', 'byLevelConsidered', 'byPathway']) {
      const rows: Row[] = pub.items[k].rows;
      for (const row of rows)
        expect([...row.byQuarter.map((_, q) => hidden(row, q)), hidden(row, 'total')].filter(Boolean).length).not.toBe(
          1,
        );
      for (const q of [0, 1, 2, 'total'] as const) {
        expect([...rows.map((r) => hidden(r, q)), hidden(pub.items.total, q)].filter(Boolean).length).not.toBe(1);
      }
    }
    // Nor does a row or a column of the level matrix.
    const matrix = pub.levels;
    for (const row of matrix.rows)
      expect([...row.byLevelAdvised, row.total].filter((v) => v === null).length).not.toBe(1);
    for (const j of [0, 1, 2, 3])
      expect(
        [
          ...matrix.rows.map((r: { byLevelAdvised: unknown[] }) => r.byLevelAdvised[j]),
          matrix.totals.byLevelAdvised[j],
        ].filter((v) => v === null).length,
      ).not.toBe(1);
    // Considered 2: [0, 7, 2, 0 | 9]. The 2 is small; the 7 goes with it, or 2 = 9 − 7.
    expect(matrix.rows[1]).toMatchObject({
      byLevelAdvised: [0, null, null, 0],
      total: 9,
      suppressed: { byLevelAdvised: [null, 'secondary', 'small', null], total: null },
    });
    expect(matrix.totals.total).toBe(18);
  });

  it('refuses professionals (403) and bad ranges (400), and lets chairs in', async () => {
    await api(p.a1).get('/api/reports/summary?from=2025-04-01&to=2025-06-30').expect(403);
    await api(p.a1).get('/api/reports/items.csv?from=2025-04-01&to=2025-06-30').expect(403);
    await request(t.http).get('/api/reports/summary?from=2025-04-01&to=2025-06-30').expect(401);
    await api(p.chair).get('/api/reports/summary?from=2025-04-01&to=2025-06-30').expect(200);
    const bad = await api(p.coordinator).get('/api/reports/summary?from=2025-02-30&to=2025-06-30').expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'from' }] });
    await api(p.coordinator).get('/api/reports/summary?from=2025-06-30&to=2025-04-01').expect(400);
    await api(p.coordinator).get('/api/reports/summary?from=2025-06-30').expect(400);
    await api(p.coordinator).get('/api/reports/summary?from=2000-01-01&to=2025-06-30').expect(400);
  });

  describe('the reports page', () => {
    it('draws each chart as an accessible SVG with its data table, in the full and the publication view', async () => {
      const web = await webSignIn(t, smtp, 'coordinator@partnership.test');
      const page = await web
        .get('/reports?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=12&to-year=2025')
        .expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const html = page.text;
      const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
      const charts = svgs.filter((svg) => svg.includes('class="app-chart"'));
      expect(charts).toHaveLength(3);
      for (const svg of charts) {
        const id = /id="([^"]+)"/.exec(svg)![1];
        expect(svg).toContain(`role="img" aria-labelledby="${id}-title ${id}-desc"`);
        expect(svg).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`));
      }
      expect(charts[0]).toContain('Items discussed per quarter, by agency');
      expect(charts[0]).toContain('Riverside Academy (solid)');
      expect(charts[0]).toContain('url(#chart-items-p1)'); // the second series is a pattern, not only a colour
      expect(charts[0]).toContain('Smith, &quot;Jones&quot; &amp; Partners');
      expect(html).toContain('Data: Items discussed per quarter, by agency');
      expect(html).toContain('Data: Level considered and level advised');
      expect(html).toContain('href="/api/reports/items.csv?from=2025-04-01&amp;to=2025-12-31"');
      expect(html).not.toMatch(/Zq\w+Marker/);

      const pub = await web
        .get('/reports?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=12&to-year=2025&view=publication')
        .expect(200);
      expect(pub.text).toContain('Counts from 1 to 4 are suppressed');
      expect(pub.text).toMatch(/>suppressed</);
      const print = await web
        .get('/reports/print?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=12&to-year=2025')
        .expect(200);
      expect(print.text).toContain('partnership figures');
      expect(print.text).not.toContain('govuk-service-navigation');
      const bad = await web.get('/reports?from-day=31&from-month=2&from-year=2025').expect(400);
      expect(bad.text).toContain('The start date must be a real date');

      const presenter = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
      await presenter.get('/reports').expect(403);
    });
  });

  describe('the items CSV', () => {
    let text: string;
    let records: Array<Record<string, string>>;
    beforeAll(async () => {
      const res = await api(p.coordinator)
        .get('/api/reports/items.csv?from=2025-04-01&to=2025-12-31')
        .buffer(true)
        .parse(textParser)
        .expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="items-2025-04-01-to-2025-12-31.csv"');
      expect(res.headers['cache-control']).toBe('no-store');
      text = res.body as string;
      records = parse(text, { bom: true, columns: true, skip_empty_lines: true });
    });

    it('has one row per item of the meetings in the range, with the documented headers', () => {
      const header = parse(text, { bom: true, to_line: 1 })[0];
      expect(header).toEqual([
        'reference',
        'meeting_date',
        'meeting_time',
        'quarter',
        'meeting_status',
        'meeting_held',
        'item_status',
        'discussed',
        'kind',
        'agency',
        'agency_sector',
        'age_band',
        'concern_categories',
        'level_considered',
        'outcome_recorded',
        'level_advised',
        'pathway',
        'referral_timely',
        'referral_complete',
        'referral_appropriate',
        'referral_issues',
        'times_carried_forward',
        'given_freed_slot',
        'follows_earlier_item',
        'level_considered_version',
        'level_advised_version',
      ]);
      // Every item whose meeting is in the range, whatever its status; item 12 moved to a later meeting.
      expect(records).toHaveLength(SEED.filter((s) => s.fate !== 'defer').length);
      expect(records.filter((r) => r.discussed === 'yes')).toHaveLength(DISCUSSED.length);
      const statuses = records.reduce<Record<string, number>>(
        (acc, r) => ({ ...acc, [r.item_status]: (acc[r.item_status] ?? 0) + 1 }),
        {},
      );
      expect(statuses).toEqual({ booked: DISCUSSED.length + 0, 'meeting-cancelled': 1, withdrawn: 1, waitlisted: 1 });
    });

    it('writes London dates and quarters, and the structured fields of each item', async () => {
      const byRef = async (n: number) => {
        const ref = (await api(p.coordinator).get(`/api/bookings/${bookingId[n]}`).expect(200)).body.reference;
        return records.find((r) => r.reference === ref)!;
      };
      expect(await byRef(3)).toMatchObject({
        meeting_date: '2025-07-01',
        meeting_time: '00:30',
        quarter: '2025-Q3',
        meeting_held: 'yes',
        discussed: 'yes',
      });
      expect(await byRef(1)).toMatchObject({ meeting_date: '2025-06-30', meeting_time: '23:30', quarter: '2025-Q2' });
      expect(await byRef(24)).toMatchObject({ meeting_date: '2025-10-01', meeting_time: '00:00', quarter: '2025-Q4' });
      expect(await byRef(10)).toMatchObject({
        kind: 'referral-feedback',
        agency: 'Northshire Community Health',
        agency_sector: 'health',
        age_band: '5-10',
        concern_categories: 'domestic-abuse; mental-health',
        level_considered: '3',
        outcome_recorded: 'yes',
        level_advised: '3',
        pathway: 'mash-referral',
        referral_timely: 'no',
        referral_complete: 'no',
        referral_appropriate: 'no',
        referral_issues: 'missing-information; consent-not-recorded',
        times_carried_forward: '0',
        given_freed_slot: 'no',
      });
      expect(await byRef(18)).toMatchObject({
        outcome_recorded: 'no',
        level_advised: '',
        pathway: '',
        referral_timely: '',
      });
      expect(await byRef(20)).toMatchObject({
        meeting_status: 'cancelled',
        meeting_held: 'no',
        item_status: 'meeting-cancelled',
        discussed: 'no',
      });
      expect(await byRef(22)).toMatchObject({ item_status: 'booked', given_freed_slot: 'yes' });
    });

    it('quotes a name with a comma and quotes, and neutralises a name that a spreadsheet would run as a formula', () => {
      expect(records.filter((r) => r.agency === AGENCY_C)).toHaveLength(SEED.filter((s) => s.agency === 'C').length);
      expect(text).toContain('"Smith, ""Jones"" & Partners"');
      const formula = records.filter((r) => r.agency_sector === 'other');
      expect(formula.length).toBe(SEED.filter((s) => s.agency === 'D').length);
      for (const r of formula) expect(r.agency).toBe(`'${AGENCY_D}`);
      expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
      expect(text.charCodeAt(0)).toBe(0xfeff); // the byte order mark, so spreadsheets read UTF-8
    });

    it('holds no free text', () => {
      expect(text).not.toMatch(/Zq\w+Marker/);
      expect(text).not.toContain(`-${RUN}`); // the MASH references
      expect(text).not.toContain('Early Help Hub');
      expect(text).not.toContain('Charlie Chair');
    });

    it('is audited: who, the range and the number of rows', async () => {
      const me = (await api(p.coordinator).get('/api/me').expect(200)).body.id;
      const events = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'reports.items-exported' });
      const mine = events.filter((e) => e.actorUserId === me);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine[mine.length - 1].details).toEqual({
        from: '2025-04-01',
        to: '2025-12-31',
        rows: records.length,
        completed: true,
      });
    });

    it('pages by (meeting start, item id): small pages across meetings with many items give every row once, in order', async () => {
      const queries = t.app.get(ReportQueries);
      const tx = t.app.get(TransactionRunner);
      const period = reportPeriod('2025-04-01', '2025-12-31');
      const all = await tx.write((m) => queries.itemPage(m, period, null, 1000));
      const paged: string[] = [];
      for (let after: ItemCursor | null = null; ;) {
        const cursor: ItemCursor | null = after;
        const page: ItemExportRow[] = await tx.write((m) => queries.itemPage(m, period, cursor, 4));
        paged.push(...page.map((r) => r.id));
        if (page.length < 4) break;
        after = { startsAt: page[page.length - 1].starts_at, id: page[page.length - 1].id };
      }
      expect(paged).toEqual(all.map((r) => r.id));
      expect(new Set(paged).size).toBe(records.length);
    });

    it('streams an empty range as a header line only', async () => {
      const res = await api(p.chair)
        .get('/api/reports/items.csv?from=2020-01-01&to=2020-03-31')
        .buffer(true)
        .parse(textParser)
        .expect(200);
      expect(parse(res.body as string, { bom: true, columns: true })).toEqual([]);
      expect((res.body as string).trim().split('\n')).toHaveLength(1);
    });
  });
});

/** supertest: the body as one string, however it was chunked. */
function textParser(res: unknown, callback: (err: Error | null, body: string) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks).toString('utf8')));
}
