import request from 'supertest';
import { Booking } from '../src/bookings/booking.entity';
import { LegalHold } from '../src/retention/legal-hold.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { Minutes } from '../src/minutes/minutes.entity';
import { MinutesVersion } from '../src/minutes/minutes-version.entity';
import { Attendee } from '../src/outcomes/attendee.entity';
import { MeetingAction } from '../src/outcomes/meeting-action.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Every free-text field of every write endpoint, sent an NHS number, a postcode, a date of birth,
 * a phone number and an e-mail address in each of the forms that used to get round the check
 * (dots, double spaces, no-break spaces, zero-width characters, full-width digits, look-alike
 * letters, hyphens). Each must answer 422 IDENTIFYING_DETAILS naming that field, and store nothing.
 */
const EVASIONS: Array<[string, string]> = [
  ['NHS number with dots', '943.476.5919'],
  ['NHS number with double spaces', '943  476  5919'],
  ['NHS number with no-break spaces', '943\u00a0476\u00a05919'],
  ['NHS number in full-width digits', '\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19'],
  ['NHS number with zero-width spaces', '943\u200b476\u200b5919'],
  ['hyphenated postcode', 'SW1A-1AA'],
  ['postcode in full-width letters', '\uff33\uff37\uff11\uff21 \uff11\uff21\uff21'],
  ['postcode with look-alike letters', 'SW1\u0410 1\u0410\u0410'],
  ['compact date of birth', 'DOB 03052015'],
  ['spaced date of birth', 'born 03 05 2015'],
  ['two-digit year with dots', 'on 12.11.26'],
  ['dotted phone number', '07700.900.123'],
  ['phone with no-break spaces', '07700\u00a0900\u00a0123'],
  ['e-mail address', 'jo.bloggs@example.com'],
  ['e-mail address with a zero-width space', 'jo.bloggs\u200b@example.com'],
];

type Call = {
  path: () => string;
  method: 'post' | 'put' | 'patch';
  token: () => string;
  body: (text: string) => object | Promise<object>;
};

describe('the identifying-details check on every free-text field of every write endpoint', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let csc: string;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const api = (token: string) => ({
      post: (path: string, body: object = {}) => request(t.http).post(path).set(bearer(token)).send(body),
      put: (path: string, body: object) => request(t.http).put(path).set(bearer(token)).send(body),
    });
    csc = (await request(t.http).get('/api/agencies').set(bearer(p.coordinator))).body.find(
      (a: { sector: string }) => a.sector === 'childrens-social-care',
    ).id;
    const meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 8 })).meetings;
    [id.open, id.held, id.approved, id.future] = meetings.map((m) => m.id);
    const book = async (meeting: string, body: object) =>
      (await api(p.a1).post(`/api/meetings/${meeting}/bookings`, body).expect(201)).body.id as string;
    const referral = thresholdItem({
      kind: 'referral-feedback',
      mashReference: 'MASH/2026/1234',
      referralDate: workingDayFromToday(-10),
    });
    id.item = await book(id.held, thresholdItem());
    id.referral = await book(id.held, referral);
    id.feedback = await book(id.held, {
      kind: 'agency-feedback',
      immediateRisk: false,
      summary: 'The MASH answers slowly.',
    });
    id.approvedItem = await book(id.approved, thresholdItem());
    id.hold = await book(id.future, thresholdItem());
    id.editable = await book(id.open, thresholdItem());
    // The held meetings took place yesterday and the day before.
    for (const [meeting, daysAgo] of [
      [id.held, 1],
      [id.approved, 2],
    ] as const) {
      const startsAt = new Date(t.clock.now().getTime() - daysAgo * 86_400_000);
      await t.dataSource
        .getRepository(Meeting)
        .update(
          { id: meeting },
          { startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), bookingClosesAt: startsAt },
        );
    }
    await api(p.chair)
      .put(`/api/bookings/${id.approvedItem}/outcome`, {
        levelAdvised: 2,
        pathway: 'early-help',
        advice: 'Offer early help.',
      })
      .expect(201);
    id.approvedAction = (
      await api(p.chair)
        .post(`/api/meetings/${id.approved}/actions`, {
          description: 'Send the guidance.',
          ownerAgencyId: p.agencyA,
          dueDate: workingDayFromToday(5),
        })
        .expect(201)
    ).body.id;
    await api(p.chair).post(`/api/meetings/${id.approved}/minutes/approve`).expect(200);
    await api(p.coordinator).post(`/api/bookings/${id.hold}/legal-hold`, { reason: 'A practice review.' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const quality = (misdirectedTo: string) => ({
    timely: true,
    complete: true,
    appropriate: false,
    issues: [],
    misdirectedTo,
  });
  const booking = (fields: Record<string, unknown>) => thresholdItem(fields);

  /** Field → the request that carries it. */
  const FIELDS: Record<string, Call> = {
    agencyReference: {
      method: 'post',
      path: () => `/api/meetings/${id.open}/bookings`,
      token: () => p.a1,
      body: (x) => booking({ agencyReference: `Ref ${x}` }),
    },
    question: {
      method: 'post',
      path: () => `/api/meetings/${id.open}/bookings`,
      token: () => p.a1,
      body: (x) => booking({ question: `Does this meet the threshold? See ${x} please.` }),
    },
    summary: {
      method: 'post',
      path: () => `/api/meetings/${id.open}/bookings`,
      token: () => p.a1,
      body: (x) => booking({ summary: `Attendance has fallen this term; details ${x} attached.` }),
    },
    advice: {
      method: 'put',
      path: () => `/api/bookings/${id.item}/outcome`,
      token: () => p.chair,
      body: (x) => ({ levelAdvised: 2, pathway: 'early-help', advice: `Offer early help; contact ${x}.` }),
    },
    'referralQuality.misdirectedTo': {
      method: 'put',
      path: () => `/api/bookings/${id.referral}/outcome`,
      token: () => p.chair,
      body: (x) => ({
        levelAdvised: 2,
        pathway: 'early-help',
        advice: 'Redirect.',
        referralQuality: quality(`Hub ${x}`),
      }),
    },
    response: {
      method: 'put',
      path: () => `/api/bookings/${id.feedback}/outcome`,
      token: () => p.chair,
      body: (x) => ({ response: `We will answer faster; call ${x}.` }),
    },
    description: {
      method: 'post',
      path: () => `/api/meetings/${id.held}/actions`,
      token: () => p.chair,
      body: (x) => ({ description: `Follow up ${x}.`, ownerAgencyId: p.agencyA, dueDate: workingDayFromToday(5) }),
    },
    ownerName: {
      method: 'post',
      path: () => `/api/meetings/${id.held}/actions`,
      token: () => p.chair,
      body: (x) => ({
        description: 'Follow up.',
        ownerName: `Lead ${x}`,
        ownerAgencyId: p.agencyA,
        dueDate: workingDayFromToday(5),
      }),
    },
    themesNote: {
      method: 'patch',
      path: () => `/api/meetings/${id.held}/minutes`,
      token: () => p.chair,
      body: (x) => ({ themesNote: `Consent was missing ${x}.` }),
    },
    '[0].name': {
      method: 'put',
      path: () => `/api/meetings/${id.held}/attendance`,
      token: () => p.chair,
      body: (x) => [{ name: `Pat ${x}`, agencyId: csc, status: 'present' }],
    },
    '[0].role': {
      method: 'put',
      path: () => `/api/meetings/${id.held}/attendance`,
      token: () => p.chair,
      body: (x) => [{ name: 'Pat Chair', role: `Manager ${x}`, agencyId: csc, status: 'present' }],
    },
    'amendment reason': {
      method: 'post',
      path: () => `/api/meetings/${id.approved}/minutes/amendments`,
      token: () => p.chair,
      body: (x) => ({ reason: `Corrected after ${x}.`, themesNote: 'A theme.' }),
    },
    'amendment themesNote': {
      method: 'post',
      path: () => `/api/meetings/${id.approved}/minutes/amendments`,
      token: () => p.chair,
      body: (x) => ({ reason: 'A correction.', themesNote: `Theme ${x}.` }),
    },
    'outcomes[0].advice': {
      method: 'post',
      path: () => `/api/meetings/${id.approved}/minutes/amendments`,
      token: () => p.chair,
      body: (x) => ({
        reason: 'A correction.',
        outcomes: [
          { bookingId: id.approvedItem, version: 1, levelAdvised: 2, pathway: 'early-help', advice: `See ${x}.` },
        ],
      }),
    },
    'actions[0].description': {
      method: 'post',
      path: () => `/api/meetings/${id.approved}/minutes/amendments`,
      token: () => p.chair,
      body: (x) => ({
        reason: 'A correction.',
        actions: [{ description: `Call ${x}.`, ownerAgencyId: p.agencyA, dueDate: workingDayFromToday(5) }],
      }),
    },
    ...Object.fromEntries(
      (['agencyReference', 'question', 'summary'] as const).map((field) => [
        `changed ${field}`,
        {
          method: 'patch',
          path: () => `/api/bookings/${id.editable}`,
          token: () => p.a1,
          // A change carries the version read (it moves when a change is accepted).
          body: async (x: string) => ({
            version: (await request(t.http).get(`/api/bookings/${id.editable}`).set(bearer(p.a1))).body.version,
            [field]: `${field === 'agencyReference' ? 'Ref' : 'The case has moved on; see'} ${x}`,
          }),
        } satisfies Call,
      ]),
    ),
    'reschedule reason': {
      method: 'patch',
      path: () => `/api/meetings/${id.future}`,
      token: () => p.coordinator,
      body: (x) => ({ location: 'Room 3', reason: `Moved because of ${x}.` }),
    },
    'cancel reason': {
      method: 'post',
      path: () => `/api/meetings/${id.future}/cancel`,
      token: () => p.coordinator,
      body: (x) => ({ reason: `Cancelled: ${x}.` }),
    },
    'legal hold reason': {
      method: 'post',
      path: () => `/api/bookings/${id.referral}/legal-hold`,
      token: () => p.coordinator,
      body: (x) => ({ reason: `Review of ${x}.` }),
    },
    'lift reason': {
      method: 'post',
      path: () => `/api/bookings/${id.hold}/legal-hold/lift`,
      token: () => p.coordinator,
      body: (x) => ({ reason: `Closed after ${x}.` }),
    },
  };

  /** The field name the 422 must give, where the row above is labelled for reading. */
  const expectedField = (label: string) =>
    ({
      'amendment reason': 'reason',
      'amendment themesNote': 'themesNote',
      'reschedule reason': 'reason',
      'cancel reason': 'reason',
      'legal hold reason': 'reason',
      'lift reason': 'reason',
      'changed agencyReference': 'agencyReference',
      'changed question': 'question',
      'changed summary': 'summary',
    })[label] ?? label;

  /** Everything a refused request could have written. */
  const snapshot = async () => {
    const repo = <T extends object>(entity: new () => T) => t.dataSource.getRepository(entity);
    return JSON.stringify([
      await repo(Booking).find({ order: { id: 'ASC' } }),
      await repo(Outcome).find({ order: { id: 'ASC' } }),
      await repo(MeetingAction).find({ order: { id: 'ASC' } }),
      await repo(Minutes).find({ order: { id: 'ASC' } }),
      await repo(MinutesVersion).count(),
      await repo(Attendee).find({ order: { id: 'ASC' } }),
      await repo(Meeting).find({ order: { id: 'ASC' } }),
      await repo(LegalHold).find({ order: { id: 'ASC' } }),
    ]);
  };

  const cases = Object.keys(FIELDS).flatMap((field) => EVASIONS.map(([form, text]) => [field, form, text] as const));

  it.each(cases)('%s: %s → 422 naming the field, nothing stored', async (label, _form, text) => {
    const call = FIELDS[label];
    const before = await snapshot();
    const body = await call.body(text);
    const res = await request(t.http)[call.method](call.path()).set(bearer(call.token())).send(body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDENTIFYING_DETAILS');
    const fields = (res.body.details as Array<{ field: string }>).map((d) => d.field);
    expect(fields).toContain(expectedField(label));
    expect(JSON.stringify(res.body)).not.toContain(text);
    expect(await snapshot()).toBe(before);
  });

  it('the same requests without the identifier are accepted (the table tests the check, not the endpoints)', async () => {
    const clean = 'nothing identifying';
    for (const [label, call] of Object.entries(FIELDS)) {
      if (['cancel reason', 'lift reason'].includes(label)) continue; // one-way: they would end the other rows' state
      const body = await call.body(clean);
      const res = await request(t.http)[call.method](call.path()).set(bearer(call.token())).send(body);
      expect([label, res.status]).toEqual([label, expect.any(Number)]);
      expect([label, res.status < 300]).toEqual([label, true]);
    }
  });
});
