import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { BookingDraft } from '../src/web/presenter/booking-draft.entity';
import { hashToken } from '../src/auth/secret-token';
import { Session } from '../src/auth/session.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, sessionCookieOf, submitForm, WebAgent, webSignIn } from './support/web';

describe('web pages: the presenter’s booking form, items and calendar', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: string[];
  let next = 0;
  let dsl: WebAgent;
  const freshMeeting = () => meetings[next++];

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, MASH_TELEPHONE: '01632 960 000', MASH_OUT_OF_HOURS_TELEPHONE: '01632 960 111' },
    });
    p = await setUpPartnership(t, smtp);
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 20 })).meetings.map((m) => m.id);
  });
  // A session of its own for each test: the booking form keeps one draft per session.
  beforeEach(async () => {
    dsl = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
  });
  /** The id of the session a web agent is signed in with. */
  const sessionOf = async (agent: WebAgent) =>
    (await t.dataSource.getRepository(Session).findOneByOrFail({ tokenHash: hashToken(sessionCookieOf(agent)) })).id;
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  /** Answers the form up to the check-your-answers page. */
  async function answerAll(
    agent: WebAgent,
    meetingId: string,
    overrides: Record<string, Record<string, string | string[]>> = {},
  ) {
    const steps: Array<[string, Record<string, string | string[]>]> = [
      [`/meetings/${meetingId}/book`, { immediateRisk: 'no' }],
      ['/book/kind', { kind: 'threshold-consultation' }],
      ['/book/slot', { slot: 'first' }],
      ['/book/child', { agencyReference: 'RA-2026-117', ageBand: '11-15' }],
      ['/book/concerns', { concernCategories: ['neglect', 'mental-health'] }],
      ['/book/level', { levelConsidered: '2' }],
      ['/book/question', { question: 'Does the pattern of attendance meet the threshold for early help?' }],
      ['/book/summary', { summary: 'Year 9 pupil; attendance has fallen to 70% this term; arrives hungry most days.' }],
    ];
    for (const [path, fields] of steps) {
      const res = await submitForm(agent, path, { ...fields, ...(overrides[path] ?? {}) });
      expect([path, res.status]).toEqual([path, 303]);
    }
  }

  it('books through the question pages, check your answers and a confirmation with the reference', async () => {
    const meetingId = freshMeeting();
    await answerAll(dsl, meetingId);
    const check = await dsl.get('/book/check').expect(200);
    expect(check.text).toContain('Check your answers before booking');
    expect(check.text).toContain('Neglect, Mental health and emotional wellbeing');
    expect(check.text).toContain('Level 2: Early help (additional needs)');
    expect(check.text).toContain('href="/book/summary?change=1"');

    const confirmed = await submitForm(dsl, '/book/check', {});
    expect(confirmed.status).toBe(303);
    const confirmation = await dsl.get(confirmed.headers.location).expect(200);
    const reference = /TRM-\d{4}-\d{4}/.exec(confirmation.text)![0];
    expect(confirmation.text).toContain('Your item is booked');

    const stored = await t.dataSource.getRepository(Booking).findOneByOrFail({ reference });
    expect(stored).toMatchObject({
      meetingId,
      kind: 'threshold-consultation',
      status: 'booked',
      slotIndex: 0,
      ageBand: '11-15',
      levelConsidered: 2,
      agencyReference: 'RA-2026-117',
    });
    expect(stored.concernCategories).toEqual(['neglect', 'mental-health']);
    // The draft is gone once booked.
    expect(await t.dataSource.getRepository(BookingDraft).countBy({ sessionId: await sessionOf(dsl) })).toBe(0);
    // A second click on "Confirm" books nothing more.
    const twice = await dsl
      .post('/book/check')
      .type('form')
      .send({ _csrf: csrfFrom(check.text) });
    expect(twice.status).toBe(404);
    expect(await t.dataSource.getRepository(Booking).countBy({ meetingId })).toBe(1);
  });

  it('asks for what is missing, with an error summary linking to each field', async () => {
    const meetingId = freshMeeting();
    const risk = await submitForm(dsl, `/meetings/${meetingId}/book`, {});
    expect(risk.status).toBe(400);
    expect(risk.text).toContain(
      '<a href="#immediateRisk">Select yes if a child may be at immediate risk of significant harm</a>',
    );
    await submitForm(dsl, `/meetings/${meetingId}/book`, { immediateRisk: 'no' });

    const kind = await submitForm(dsl, '/book/kind', {});
    expect(kind.status).toBe(400);
    expect(kind.text).toContain('<a href="#kind">Select what you want to bring to the meeting</a>');
    const badKind = await submitForm(dsl, '/book/kind', { kind: 'gossip' });
    expect(badKind.text).toContain('Select one of the options');
    await submitForm(dsl, '/book/kind', { kind: 'referral-feedback' });

    const slot = await submitForm(dsl, '/book/slot', {});
    expect(slot.text).toContain('<a href="#slot">Select a time</a>');
    await submitForm(dsl, '/book/slot', { slot: '3' });

    const child = await submitForm(dsl, '/book/child', {});
    expect(child.status).toBe(400);
    expect(child.text).toContain('<a href="#agencyReference">Enter your agency’s reference for the case</a>');
    expect(child.text).toContain('<a href="#ageBand">Select the child’s age band</a>');
    const longRef = await submitForm(dsl, '/book/child', { agencyReference: 'R'.repeat(61), ageBand: '5-10' });
    expect(longRef.text).toContain('Your agency’s reference must be 60 characters or fewer');
    expect(longRef.text).toContain(`value="${'R'.repeat(61)}"`); // shown again to correct
    await submitForm(dsl, '/book/child', { agencyReference: 'RA-9', ageBand: '5-10' });

    const concerns = await submitForm(dsl, '/book/concerns', {});
    expect(concerns.text).toContain('<a href="#concernCategories">Select at least one concern</a>');
    const unknown = await submitForm(dsl, '/book/concerns', { concernCategories: ['not-a-category'] });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Select concerns from the list');
    await submitForm(dsl, '/book/concerns', { concernCategories: 'neglect' });

    const level = await submitForm(dsl, '/book/level', { levelConsidered: '9' });
    expect(level.status).toBe(400);
    expect(level.text).toContain('Select one of the levels shown');
    await submitForm(dsl, '/book/level', { levelConsidered: '3' });

    // Referral feedback asks about the referral.
    const referral = await submitForm(dsl, '/book/referral', {
      mashReference: 'bad ref!',
      'referralDate-day': '31',
      'referralDate-month': '2',
      'referralDate-year': '2026',
    });
    expect(referral.status).toBe(400);
    expect(referral.text).toContain('The MASH reference must be in the MASH’s format, like MASH/2026/1234');
    const future = await submitForm(dsl, '/book/referral', {
      mashReference: 'MASH/2026/77',
      'referralDate-day': '1',
      'referralDate-month': '1',
      'referralDate-year': '2099',
    });
    expect(future.text).toContain('The date of the referral cannot be in the future');
    expect(future.text).toContain('href="#referralDate-day"');
    await submitForm(dsl, '/book/referral', {
      mashReference: 'MASH/2026/77',
      'referralDate-day': '5',
      'referralDate-month': '1',
      'referralDate-year': '2026',
    });

    const shortQuestion = await submitForm(dsl, '/book/question', { question: 'Why?' });
    expect(shortQuestion.text).toContain('Your question must be 10 characters or more');
    const longQuestion = await submitForm(dsl, '/book/question', { question: 'q'.repeat(1001) });
    expect(longQuestion.status).toBe(400);
    expect(longQuestion.text).toContain('<a href="#question">Your question must be 1,000 characters or fewer</a>');
    await submitForm(dsl, '/book/question', { question: 'Was this referral the right route?' });

    const longSummary = await submitForm(dsl, '/book/summary', { summary: 's'.repeat(4001) });
    expect(longSummary.text).toContain('Your summary must be 4,000 characters or fewer');
    await submitForm(dsl, '/book/summary', { summary: 'Referred in January; no response yet.' });

    const check = await dsl.get('/book/check').expect(200);
    expect(check.text).toContain('MASH/2026/77');
    expect(check.text).toContain('5 January 2026');
  });

  it('shows the identifying-details guard’s findings as what to remove, never echoing the details', async () => {
    const meetingId = freshMeeting();
    await answerAll(dsl, meetingId);
    const summary =
      'Lives at SW1A 1AA with mum, call 020 7946 0123, NHS 943 476 5919, born 12/03/2015, mum.name@example.com';
    const res = await submitForm(dsl, '/book/summary', { summary });
    expect(res.status).toBe(400);
    const errorSummary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(res.text)![0];
    for (const advice of [
      'remove the postcode',
      'remove the phone number',
      'remove the NHS number',
      'remove the full date',
      'remove the email address',
    ]) {
      expect(errorSummary).toContain(`In your summary: ${advice}`);
    }
    expect(errorSummary).toContain('href="#summary"');
    for (const secret of ['SW1A', '7946', '943 476', '12/03/2015', 'mum.name'])
      expect(errorSummary).not.toContain(secret);
    // The refusal is audited without the text.
    const refused = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'booking.identifying-details-refused', entityId: meetingId });
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused[0].details)).not.toContain('SW1A');
    // Nothing was kept: the draft still holds the earlier, clean summary.
    const draft = await t.dataSource.getRepository(BookingDraft).findOneByOrFail({ sessionId: await sessionOf(dsl) });
    expect(JSON.stringify(draft.answers)).not.toContain('SW1A');
    // In the question and the agency reference too.
    const question = await submitForm(dsl, '/book/question', {
      question: 'Is this for early help? Contact 07700 900123.',
    });
    expect(question.text).toContain('In your question: remove the phone number');
    const ref = await submitForm(dsl, '/book/child', { agencyReference: 'M1 1AE', ageBand: '5-10' });
    expect(ref.text).toContain('In your agency’s reference: remove the postcode');
  });

  it('never puts case text in URLs or cookies', async () => {
    const meetingId = freshMeeting();
    const secret = 'Attendance has dropped sharply since the autumn half-term';
    await submitForm(dsl, `/meetings/${meetingId}/book`, { immediateRisk: 'no' });
    await submitForm(dsl, '/book/kind', { kind: 'agency-feedback' });
    await submitForm(dsl, '/book/slot', { slot: 'first' });
    const res = await submitForm(dsl, '/book/summary', { summary: secret });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/book/check');
    expect(JSON.stringify(res.headers)).not.toContain('Attendance');
    const check = await dsl.get('/book/check').expect(200);
    expect(check.text).toContain(secret);
    expect(check.text).not.toContain('About the child');
    expect(JSON.stringify(check.headers)).not.toContain('Attendance');
    expect(check.headers['cache-control']).toBe('no-store');
  });

  it('answers "a child may be at immediate risk" with the MASH guidance, and books nothing', async () => {
    const meetingId = freshMeeting();
    const before = await t.dataSource.getRepository(Booking).count();
    const res = await submitForm(dsl, `/meetings/${meetingId}/book`, { immediateRisk: 'yes' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Contact the MASH now');
    expect(res.text).toContain(t.config.MASH_CONTACT_GUIDANCE.slice(0, 60));
    // The numbers from the configuration, as links a phone can ring.
    expect(res.text).toContain('Telephone: <a class="govuk-link" href="tel:01632960000">01632 960 000</a>');
    expect(res.text).toContain('href="tel:01632960111">01632 960 111</a>');
    expect(await t.dataSource.getRepository(Booking).count()).toBe(before);
    expect(
      await t.dataSource
        .getRepository(AuditEvent)
        .countBy({ action: 'booking.immediate-risk-redirected', entityId: meetingId }),
    ).toBe(1);
    await dsl.get('/book/kind').expect(404); // no draft: start again
  });

  it('reports a refusal at booking time (the slot was taken meanwhile) on check your answers', async () => {
    const meetingId = freshMeeting();
    await answerAll(dsl, meetingId, { '/book/slot': { slot: '2' } });
    await request(t.http)
      .post(`/api/meetings/${meetingId}/bookings`)
      .set(bearer(p.b1))
      .send(thresholdItem({ slotIndex: 2 }))
      .expect(201);
    const res = await submitForm(dsl, '/book/check', {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('<a href="/book/slot#slot">That slot has just been taken. Choose another slot.</a>');
  });

  it('lists your items and withdraws one after a confirmation page; other presenters get 404', async () => {
    const meetingId = freshMeeting();
    const item = (
      await request(t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body;
    const list = await dsl.get('/bookings').expect(200);
    expect(list.text).toContain(item.reference);
    const page = await dsl.get(`/bookings/${item.id}`).expect(200);
    expect(page.text).toContain(thresholdItem().summary);
    expect(page.text).toContain('No outcome has been recorded yet');

    // Another presenter, even of the same agency, cannot see or withdraw it.
    const deputy = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    for (const path of [`/bookings/${item.id}`, `/bookings/${item.id}/withdraw`, `/bookings/${item.id}/confirmation`]) {
      const res = await deputy.get(path).expect(404);
      expect(res.text).toContain('Page not found');
      expect(res.text).not.toContain(item.reference);
    }
    const deputyToken = csrfFrom((await deputy.get('/calendar')).text);
    await deputy.post(`/bookings/${item.id}/withdraw`).type('form').send({ _csrf: deputyToken }).expect(404);
    await deputy.get('/bookings/not-a-uuid').expect(404);

    const confirm = await dsl.get(`/bookings/${item.id}/withdraw`).expect(200);
    expect(confirm.text).toContain(`Yes, withdraw ${item.reference}`);
    const done = await dsl
      .post(`/bookings/${item.id}/withdraw`)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) })
      .expect(303);
    const after = await dsl.get(done.headers.location).expect(200);
    expect(after.text).toContain(`You have withdrawn ${item.reference}`);
    expect((await t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id })).status).toBe('withdrawn');
    // Withdrawing again explains why not.
    const again = await dsl
      .post(`/bookings/${item.id}/withdraw`)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) })
      .expect(409);
    expect(again.text).toContain('This item is not on an agenda');
  });

  it('gives a calendar link once, with its webcal:// form, and rotates or removes it', async () => {
    const page = await dsl.get('/calendar').expect(200);
    expect(page.text).toContain('You do not have a calendar link yet');
    const made = await dsl
      .post('/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'rotate' })
      .expect(200);
    const url = /value="(http:\/\/thresholds\.test\/calendar\/[^"]+\.ics)"/.exec(made.text)![1];
    expect(made.text).toContain(`href="${url.replace('http:', 'webcal:')}"`);
    expect(made.headers['cache-control']).toBe('no-store');
    const path = new URL(url).pathname;
    await request(t.http).get(path).expect(200);
    // Shown once: the page does not show it again.
    const later = await dsl.get('/calendar').expect(200);
    expect(later.text).not.toContain(path);
    expect(later.text).toContain('You have a calendar link');
    // A new link stops the old one, so it asks first; until confirmed, the old link works.
    const asked = await dsl
      .post('/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(later.text), action: 'rotate' })
      .expect(200);
    expect(asked.text).toContain('Get a new calendar link?');
    expect(asked.text).toContain('name="confirmed" value="yes"');
    await request(t.http).get(path).expect(200);
    const rotated = await dsl
      .post('/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(asked.text), action: 'rotate', confirmed: 'yes' })
      .expect(200);
    await request(t.http).get(path).expect(404);
    const newPath = new URL(/value="(http:\/\/thresholds\.test\/calendar\/[^"]+\.ics)"/.exec(rotated.text)![1])
      .pathname;
    const askedToRemove = await dsl
      .post('/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(rotated.text), action: 'remove' })
      .expect(200);
    expect(askedToRemove.text).toContain('Remove your calendar link?');
    await request(t.http).get(newPath).expect(200);
    const removed = await dsl
      .post('/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(askedToRemove.text), action: 'remove', confirmed: 'yes' })
      .expect(303);
    expect(removed.headers.location).toBe('/calendar?removed=1');
    await request(t.http).get(newPath).expect(404);
  });

  it('says what a change of choice does to the invitations already in the calendar, counted', async () => {
    const deputy = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    for (const meetingId of [freshMeeting(), freshMeeting()])
      await request(t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.a2))
        .send(thresholdItem())
        .expect(201);
    const deputyId = (await request(t.http).get('/api/me').set(bearer(p.a2)).expect(200)).body.id as string;
    const slots = await t.dataSource.getRepository(Booking).countBy({ presenterUserId: deputyId, status: 'booked' });
    const page = await deputy.get('/calendar').expect(200);
    const made = await deputy
      .post('/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), action: 'rotate' })
      .expect(200);
    const saved = await deputy
      .post('/calendar/delivery')
      .type('form')
      .send({ _csrf: csrfFrom(made.text), calendarDelivery: 'feed' })
      .expect(303);
    expect(saved.headers.location).toBe(`/calendar?saved=delivery&invitations=stop&messages=${slots}`);
    const shown = await deputy.get(saved.headers.location).expect(200);
    expect(shown.text).toContain(`We are sending you ${slots} emails, one for each upcoming meeting and slot`);
    const taken = await t.dataSource.getRepository(OutboxMessage).countBy({
      recipient: 'deputy.dsl@riverside.sch.uk',
      kind: 'calendar-handover',
    });
    expect(taken).toBe(slots);
    // Invitations again: each comes back.
    const again = await deputy
      .post('/calendar/delivery')
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), calendarDelivery: 'invites' })
      .expect(303);
    expect(again.headers.location).toBe(`/calendar?saved=delivery&invitations=start&messages=${slots}`);
    expect((await deputy.get(again.headers.location).expect(200)).text).toContain(
      `Invitations by email start again: we are sending you ${slots} emails`,
    );
    // A hand-edited query shows no such words.
    for (const query of ['invitations=stop&messages=x', 'invitations=maybe&messages=2', 'invitations=stop'])
      expect((await deputy.get(`/calendar?saved=delivery&${query}`).expect(200)).text).not.toContain('handed-over');
  });

  it('shows upcoming meetings with free slots and deadlines, and the outcome of your own item', async () => {
    const meetingId = freshMeeting();
    const list = await dsl.get('/meetings').expect(200);
    expect(list.text).toContain('Bookings close');
    expect(list.text).toContain(`/meetings/${meetingId}/book`);
    const item = (
      await request(t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body;
    const meeting = await dsl.get(`/meetings/${meetingId}`).expect(200);
    expect(meeting.text).toContain(item.reference);
    expect(meeting.text).not.toContain('Running the meeting');
    // Record an outcome through the API once the meeting has started, then read it on the item's page.
    const startsAt = new Date(
      (await request(t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.a1))).body.startsAt,
    ).getTime();
    await t.clock.during(new Date(startsAt + 60_000), () => readOutcomeAfterTheMeeting(item));
  });

  async function readOutcomeAfterTheMeeting(item: { id: string }) {
    const chair = await signIn(t, smtp, 'chair@csc.gov.test'); // the clock moved past the sessions' life
    await request(t.http)
      .put(`/api/bookings/${item.id}/outcome`)
      .set(bearer(chair))
      .send({ levelAdvised: 2, pathway: 'early-help', advice: 'Offer an early help assessment with the family.' })
      .expect(201);
    const fresh = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    // A draft outcome is not the presenter's to read yet.
    expect((await fresh.get(`/bookings/${item.id}`).expect(200)).text).not.toContain('Offer an early help assessment');
    await request(t.http)
      .put(`/api/bookings/${item.id}/outcome`)
      .set(bearer(chair))
      .send({
        levelAdvised: 2,
        pathway: 'early-help',
        advice: 'Offer an early help assessment with the family.',
        version: 1,
        final: true,
      })
      .expect(200);
    const page = await fresh.get(`/bookings/${item.id}`).expect(200);
    expect(page.text).toContain('Offer an early help assessment with the family.');
    expect(page.text).toContain('Early help / CAF');
  }
});
