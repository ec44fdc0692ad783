import { Like } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { outboxSettled } from './support/outbox';
import { TransactionRunner } from '../src/database/transaction-runner';
import { AuditService } from '../src/audit/audit.service';
import { formatLondonDateTime } from '../src/scheduling/london-format';
import request from 'supertest';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { MeetingSeries } from '../src/meetings/meeting-series.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { Attendee } from '../src/outcomes/attendee.entity';
import { MeetingAction } from '../src/outcomes/meeting-action.entity';
import { User } from '../src/directory/user.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, submitForm, WebAgent, webSignIn } from './support/web';

const errorSummaryOf = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

describe('web pages: chairs and coordinators', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: string[];
  let chair: WebAgent;
  let coordinator: WebAgent;
  let professional: WebAgent;
  let items: Array<{ id: string; reference: string }>;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    // One attempt only, so that a refused message fails at once (for the outbox's retry).
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_MAX_ATTEMPTS: '1' } });
    p = await setUpPartnership(t, smtp);
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 10 })).meetings.map((m) => m.id);
    const book = (token: string, body: object) =>
      request(t.http).post(`/api/meetings/${meetings[0]}/bookings`).set(bearer(token)).send(body).expect(201);
    items = [
      (await book(p.a1, thresholdItem())).body,
      (
        await book(
          p.b1,
          thresholdItem({ kind: 'referral-feedback', mashReference: 'MASH/2026/12', referralDate: '2026-01-05' }),
        )
      ).body,
      (
        await book(p.a2, {
          kind: 'agency-feedback',
          immediateRisk: false,
          summary: 'Referrals acknowledged slowly this term.',
        })
      ).body,
    ];
    chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
    professional = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // One story on the first meeting: its agenda and attendance, outcomes, actions, then approval
  // (which needs the outcomes recorded before it): its steps run in order in one test.
  const step = story('the chair runs the first meeting from agenda to approved minutes, step by step');

  it('keeps professionals out of chair and coordinator pages (403), and chairs out of other chairs’ meetings', async () => {
    const m = meetings[0];
    for (const path of [
      '/chair',
      `/meetings/${m}/attendance`,
      `/meetings/${m}/items/${items[0].id}`,
      `/meetings/${m}/actions`,
      `/meetings/${m}/reschedule`,
      `/meetings/${m}/cancel`,
      '/admin',
      '/admin/series/new',
      '/admin/users',
      '/admin/agencies',
      '/admin/audit',
      '/admin/outbox',
    ]) {
      const res = await professional.get(path);
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.text).toContain('You cannot see this page');
    }
    // A valid form token does not help.
    const token = csrfFrom((await professional.get('/calendar')).text);
    await professional
      .post('/admin/users/new')
      .type('form')
      .send({ _csrf: token, email: 'x@y.test', name: 'X', roles: 'coordinator' })
      .expect(403);
    await professional
      .post(`/meetings/${m}/items/${items[0].id}`)
      .type('form')
      .send({ _csrf: token, levelAdvised: '1' })
      .expect(403);
    expect(await t.dataSource.getRepository(User).countBy({ email: 'x@y.test' })).toBe(0);
    // The meeting page shows them no agenda.
    const meeting = await professional.get(`/meetings/${m}`).expect(200);
    expect(meeting.text).not.toContain('Running the meeting');
    expect(meeting.text).not.toContain(items[1].reference);

    const otherChair = await webSignIn(t, smtp, 'other.chair@csc.gov.test');
    await otherChair.get(`/meetings/${m}/attendance`).expect(403);
    await otherChair.get(`/meetings/${m}/items/${items[0].id}`).expect(403);
    const mine = await otherChair.get('/chair').expect(200);
    expect(mine.text).not.toContain(`/meetings/${m}"`);
  });

  step(
    'shows the chair the agenda in slot order, and records attendance with field errors for each person',
    async () => {
      const page = await chair.get(`/meetings/${meetings[0]}`).expect(200);
      const order = items.map((i) => page.text.indexOf(i.reference));
      expect(order.every((at) => at > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);

      const form = await chair.get(`/meetings/${meetings[0]}/attendance`).expect(200);
      expect(form.text).toContain(t.config.CONFIDENTIALITY_STATEMENT.slice(0, 40));
      // Prefilled from the agenda: the presenters, for their own items.
      expect(form.text).toContain('value="Dee Lead"');
      const bad = await chair
        .post(`/meetings/${meetings[0]}/attendance`)
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          rows: '5',
          'name-0': 'Ann Lead',
          'agencyId-0': p.agencyA,
          'status-0': 'present',
          'accepted-0': 'yes',
          'name-3': 'Bob Visitor',
          'email-3': 'not-an-email',
          'name-4': 'Cat Apologies',
          'agencyId-4': p.agencyB,
          'status-4': 'apologies',
          'accepted-4': 'yes',
        });
      expect(bad.status).toBe(400);
      const summary = errorSummaryOf(bad.text);
      expect(summary).toContain('<a href="#email-3">Enter the email address of person 4 in the correct format');
      expect(summary).toContain('<a href="#agencyId-3">Select the agency of person 4</a>');
      expect(summary).toContain(
        '<a href="#status-3">Select whether person 4 was present, sent apologies or was absent</a>',
      );
      expect(await t.dataSource.getRepository(Attendee).count()).toBe(0);

      const apologies = await chair
        .post(`/meetings/${meetings[0]}/attendance`)
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          rows: '2',
          'name-0': 'Cat Apologies',
          'agencyId-0': p.agencyB,
          'status-0': 'apologies',
          'accepted-0': 'yes',
        });
      expect(apologies.status).toBe(400);
      expect(errorSummaryOf(apologies.text)).toContain(
        'Only someone present can accept the confidentiality statement (person 1)',
      );

      const ok = await chair
        .post(`/meetings/${meetings[0]}/attendance`)
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          rows: '3',
          'name-0': 'Ann Lead',
          'agencyId-0': p.agencyA,
          'status-0': 'present',
          'accepted-0': 'yes',
          'items-0': items[0].id,
          'name-2': 'Cat Apologies',
          'agencyId-2': p.agencyB,
          'status-2': 'apologies',
        });
      expect(ok.status).toBe(303);
      const register = await t.dataSource.getRepository(Attendee).find({ order: { position: 'ASC' } });
      expect(register.map((a) => [a.name, a.status, a.bookingIds])).toEqual([
        ['Ann Lead', 'present', [items[0].id]],
        ['Cat Apologies', 'apologies', []],
      ]);
      expect(register[0].confidentialityAcceptedAt).not.toBeNull();
    },
  );

  step(
    'records outcomes one item per page: missing and over-long answers, identifying details, next and previous',
    async () => {
      const path = `/meetings/${meetings[0]}/items/${items[0].id}`;
      const page = await chair.get(path).expect(200);
      expect(page.text).toContain(thresholdItem().question);
      expect(page.text).toContain(`href="/meetings/${meetings[0]}/items/${items[1].id}"`);
      expect(page.text).toContain('Carry');

      const missing = await submitForm(chair, path, { version: '0' });
      expect(missing.status).toBe(400);
      const summary = errorSummaryOf(missing.text);
      expect(summary).toContain('<a href="#levelAdvised">Select the level of need advised</a>');
      expect(summary).toContain('<a href="#pathway">Select the pathway advised</a>');
      expect(summary).toContain('<a href="#advice">Enter the advice given</a>');

      const long = await submitForm(chair, path, {
        version: '0',
        levelAdvised: '2',
        pathway: 'early-help',
        advice: 'a'.repeat(4001),
      });
      expect(errorSummaryOf(long.text)).toContain('The advice must be 4,000 characters or fewer');
      const identifying = await submitForm(chair, path, {
        version: '0',
        levelAdvised: '2',
        pathway: 'early-help',
        advice: 'Ring the family on 07700 900123.',
      });
      expect(errorSummaryOf(identifying.text)).toContain('In the advice: remove the phone number');
      expect(errorSummaryOf(identifying.text)).not.toContain('07700');
      expect(await t.dataSource.getRepository(Outcome).count()).toBe(0);

      const saved = await submitForm(chair, path, {
        version: '0',
        levelAdvised: '2',
        pathway: 'early-help',
        advice: 'Offer an early help assessment.',
      });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/meetings/${meetings[0]}/items/${items[1].id}?saved=${items[0].reference}`);
      const second = await chair.get(saved.headers.location).expect(200);
      expect(second.text).toContain(`Outcome saved for ${items[0].reference}`);
      expect(second.text).toContain('Was it made in good time?');

      // Referral feedback: the quality questions, with the service's own rules.
      const quality = await submitForm(chair, `/meetings/${meetings[0]}/items/${items[1].id}`, {
        version: '0',
        levelAdvised: '3',
        pathway: 'mash-referral',
        advice: 'Referral was right.',
        timely: 'yes',
        complete: 'no',
        appropriate: 'no',
      });
      expect(quality.status).toBe(400);
      expect(errorSummaryOf(quality.text)).toContain(
        '<a href="#issues">Select at least one issue when the referral was not complete</a>',
      );
      expect(errorSummaryOf(quality.text)).toContain('href="#misdirectedTo"');
      const qualityOk = await submitForm(chair, `/meetings/${meetings[0]}/items/${items[1].id}`, {
        version: '0',
        levelAdvised: '3',
        pathway: 'mash-referral',
        advice: 'Referral was right.',
        timely: 'yes',
        complete: 'no',
        issues: ['missing-information'],
        appropriate: 'yes',
      });
      expect(qualityOk.status).toBe(303);

      // Someone else saved item 1 meanwhile: a stale version is refused with a message, not overwritten.
      const stale = await submitForm(chair, path, {
        version: '0',
        levelAdvised: '3',
        pathway: 'mash-referral',
        advice: 'Changed my mind.',
      });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('This item changed since you opened it');
      const outcome = await t.dataSource.getRepository(Outcome).findOneByOrFail({ bookingId: items[0].id });
      expect(outcome.advice).toBe('Offer an early help assessment.');
      expect(stale.text).toContain(`name="version" value="${outcome.version}"`);
    },
  );

  step('adds actions and marks them done or closed with a reason', async () => {
    const path = `/meetings/${meetings[0]}/actions`;
    const bad = await submitForm(chair, path, {
      description: 'Hi',
      ownerAgencyId: '',
      'dueDate-day': '31',
      'dueDate-month': '2',
      'dueDate-year': '2027',
    });
    expect(bad.status).toBe(400);
    const summary = errorSummaryOf(bad.text);
    expect(summary).toContain('The action must be 5 characters or more');
    expect(summary).toContain('Select the agency that owns the action');
    const due = workingDayFromToday(20).split('-');
    const added = await submitForm(chair, path, {
      description: 'Send the early help offer to the family.',
      ownerAgencyId: p.agencyA,
      'dueDate-day': due[2],
      'dueDate-month': due[1],
      'dueDate-year': due[0],
      bookingId: items[0].id,
    });
    expect(added.status).toBe(303);
    const action = await t.dataSource.getRepository(MeetingAction).findOneByOrFail({ meetingId: meetings[0] });
    const page = await chair.get(path).expect(200);
    const noReason = await chair
      .post(`${path}/${action.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), status: 'closed' })
      .expect(400);
    expect(errorSummaryOf(noReason.text)).toContain(
      `<a href="#closedReason-${action.id}">Select why the action is being closed</a>`,
    );
    await chair
      .post(`${path}/${action.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), status: 'done' })
      .expect(303);
    expect((await t.dataSource.getRepository(MeetingAction).findOneByOrFail({ id: action.id })).status).toBe('done');
  });

  it('sets up a series with field errors, and shows its generated dates', async () => {
    const bad = await submitForm(coordinator, '/admin/series/new', {
      title: 'TR',
      'firstMeetingDate-day': '30',
      'firstMeetingDate-month': '2',
      'firstMeetingDate-year': '2027',
      startTime: '25:00',
      durationMinutes: 'ninety',
      slotMinutes: '15',
      bankHolidayPolicy: 'skip',
    });
    expect(bad.status).toBe(400);
    const summary = errorSummaryOf(bad.text);
    expect(summary).toContain('<a href="#title">The title must be 3 characters or more</a>');
    expect(summary).toContain('<a href="#startTime">Enter the start time like 10:00</a>');
    expect(summary).toContain('<a href="#durationMinutes">Enter the length in minutes, from 15 to 480</a>');
    const serviceRule = await submitForm(coordinator, '/admin/series/new', {
      title: 'Too short meetings',
      'firstMeetingDate-day': '30',
      'firstMeetingDate-month': '2',
      'firstMeetingDate-year': '2027',
      startTime: '10:00',
      durationMinutes: '30',
      slotMinutes: '45',
      bankHolidayPolicy: 'skip',
    });
    expect(serviceRule.status).toBe(400);
    expect(errorSummaryOf(serviceRule.text)).toContain('must not be longer than the meeting');
    expect(errorSummaryOf(serviceRule.text)).toContain('is not a real date');
    // A first meeting in the past (a week ago, by the test's clock): refused, nothing made.
    const seriesBefore = await t.dataSource.getRepository(Meeting).count();
    const yesterday = workingDayFromToday(-7, t.clock.now()).split('-');
    const past = await submitForm(coordinator, '/admin/series/new', {
      title: 'Backdated TRM',
      'firstMeetingDate-day': yesterday[2],
      'firstMeetingDate-month': yesterday[1],
      'firstMeetingDate-year': yesterday[0],
      startTime: '10:00',
      durationMinutes: '90',
      slotMinutes: '15',
      bankHolidayPolicy: 'skip',
    });
    expect(past.status).toBe(400);
    expect(errorSummaryOf(past.text)).toContain(
      '<a href="#firstMeetingDate-day">The date of the first meeting must be today or later</a>',
    );
    expect(await t.dataSource.getRepository(Meeting).count()).toBe(seriesBefore);

    const first = workingDayFromToday(30).split('-');
    const made = await submitForm(coordinator, '/admin/series/new', {
      title: 'Southern locality TRM',
      'firstMeetingDate-day': first[2],
      'firstMeetingDate-month': first[1],
      'firstMeetingDate-year': first[0],
      startTime: '14:00',
      durationMinutes: '90',
      slotMinutes: '15',
      intervalWeeks: '2',
      location: 'Room 1',
      chairUserId: p.chairId,
      bookingClosesWorkingDaysBefore: '2',
      bankHolidayPolicy: 'next-working-day',
      horizonWeeks: '12',
      calendarInvites: 'meetings',
    });
    expect(made.status).toBe(303);
    const page = await coordinator.get(made.headers.location).expect(200);
    expect(page.text).toContain('Series set up');
    // The choice of an invitation per meeting is kept, and shown.
    expect(
      (await t.dataSource.getRepository(MeetingSeries).findOneByOrFail({ title: 'Southern locality TRM' }))
        .calendarInvites,
    ).toBe('meetings');
    expect(page.text).toContain('One for each meeting');
    // Fortnightly from about four weeks ahead, through the 12-week horizon.
    expect((page.text.match(/href="\/meetings\/[0-9a-f-]{36}"/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(page.text).toContain('at 14:00');
  });

  it('moves and cancels a meeting, asking for the reason', async () => {
    const m = meetings[3];
    const at = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: m });
    const form = await coordinator.get(`/meetings/${m}/reschedule`).expect(200);
    const day = workingDayFromToday(60).split('-');
    const noReason = await coordinator
      .post(`/meetings/${m}/reschedule`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        'date-day': day[2],
        'date-month': day[1],
        'date-year': day[0],
        time: '11:30',
        location: 'Room 9',
        version: String(at.sequence),
      })
      // A reason is optional: presenters are told what changed.
      .expect(303);
    expect(noReason.headers.location).toBe(`/meetings/${m}`);
    const badTime = await coordinator
      .post(`/meetings/${m}/reschedule`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        'date-day': day[2],
        'date-month': day[1],
        'date-year': day[0],
        time: '11.30',
      })
      .expect(400);
    expect(errorSummaryOf(badTime.text)).toContain('Enter the start time like 10:00');
    await coordinator
      .post(`/meetings/${m}/reschedule`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        'date-day': day[2],
        'date-month': day[1],
        'date-year': day[0],
        time: '11:30',
        location: 'Room 9',
        reason: 'The room is needed for training',
      })
      .expect(303);
    const moved = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: m });
    expect(moved.startsAt.getTime()).not.toBe(at.startsAt.getTime());
    expect(moved.location).toBe('Room 9');

    const cancel = await coordinator.get(`/meetings/${m}/cancel`).expect(200);
    const noCancelReason = await coordinator
      .post(`/meetings/${m}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(cancel.text) })
      .expect(400);
    expect(errorSummaryOf(noCancelReason.text)).toContain('Enter why the meeting is cancelled');
    await coordinator
      .post(`/meetings/${m}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(cancel.text), reason: 'Chair unavailable, no cover' })
      .expect(303);
    expect((await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: m })).status).toBe('cancelled');
    const page = await coordinator.get(`/meetings/${m}`).expect(200);
    expect(page.text).toContain('This meeting has been cancelled');
  });

  it('adds agencies and users, and disables a user', async () => {
    const badAgency = await submitForm(coordinator, '/admin/agencies/new', {
      name: '',
      sector: 'sweets',
      emailDomains: 'not a domain',
    });
    expect(badAgency.status).toBe(400);
    const summary = errorSummaryOf(badAgency.text);
    expect(summary).toContain('Enter the agency’s name');
    expect(summary).toContain('Select one of the sectors');
    expect(summary).toContain('Enter each email domain on its own line');
    const taken = await submitForm(coordinator, '/admin/agencies/new', {
      name: 'Copycat School',
      sector: 'education',
      emailDomains: 'riverside.sch.uk',
    });
    expect(errorSummaryOf(taken.text)).toContain('already belongs to another agency');
    const added = await submitForm(coordinator, '/admin/agencies/new', {
      name: 'Hilltop Primary',
      sector: 'education',
      emailDomains: 'hilltop.sch.uk\nhilltop-primary.sch.uk',
    });
    expect(added.status).toBe(303);
    expect((await coordinator.get('/admin/agencies')).text).toContain('hilltop-primary.sch.uk, hilltop.sch.uk');

    const badUser = await submitForm(coordinator, '/admin/users/new', { email: 'nope', name: '', roles: [] });
    expect(errorSummaryOf(badUser.text)).toContain('Enter an email address in the correct format');
    expect(errorSummaryOf(badUser.text)).toContain('Select at least one role');
    const madeUser = await submitForm(coordinator, '/admin/users/new', {
      email: 'deputy.chair@csc.gov.test',
      name: 'Dee Chair',
      roles: ['chair'],
    });
    expect(madeUser.status).toBe(303);
    const dupe = await submitForm(coordinator, '/admin/users/new', {
      email: 'deputy.chair@csc.gov.test',
      name: 'Dee Again',
      roles: ['chair'],
    });
    expect(errorSummaryOf(dupe.text)).toContain('A user with this email address already exists');

    const victim = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'health.visitor@health.nhs.test' });
    const list = await coordinator.get('/admin/users').expect(200);
    // Asked first, saying what happens; until confirmed the person stays signed in.
    const asked = await coordinator
      .post(`/admin/users/${user.id}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), status: 'disabled', from: 'active' })
      .expect(200);
    expect(asked.text).toContain('Disable Harper Visitor’s account?');
    expect(asked.text).toContain('signed out everywhere');
    await victim.get('/home').expect(200);
    const disabled = await coordinator
      .post(`/admin/users/${user.id}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), status: 'disabled', from: 'active', confirmed: 'yes' })
      .expect(303);
    expect(disabled.headers.location).toBe('/admin/users?done=disabled');
    await victim.get('/home').expect(303);
    // Coordinators cannot lock themselves out (the service's rule, shown as an error).
    const me = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'coordinator@partnership.test' });
    const self = await coordinator
      .post(`/admin/users/${me.id}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), status: 'disabled', from: 'active', confirmed: 'yes' })
      .expect(409);
    expect(errorSummaryOf(self.text)).toContain('You cannot disable yourself');
  });

  it('filters the audit log, refusing malformed filters', async () => {
    const bad = await coordinator
      .get('/admin/audit?entityId=not-a-uuid&from-day=40&from-month=1&from-year=2026')
      .expect(400);
    expect(errorSummaryOf(bad.text)).toContain('Enter a record id in the form shown in the log');
    expect(errorSummaryOf(bad.text)).toContain('The start date must be a real date');
    const signIns = await coordinator.get('/admin/audit?action=auth.signed-in').expect(200);
    expect(signIns.text).toContain('auth.signed-in');
    expect(signIns.text).not.toContain('booking.created');
    const byItem = await coordinator.get(`/admin/audit?entityType=booking&entityId=${items[0].id}`).expect(200);
    expect(byItem.text).toContain('booking.created');
    expect(byItem.text).not.toContain(thresholdItem().summary);
  });

  it('pages the audit log 50 at a time, keeping the filters, every event on exactly one page', async () => {
    const audit = t.app.get(AuditService);
    // 61 events, several sharing an instant (the order then falls back to the id).
    await t.app.get(TransactionRunner).write(async (m) => {
      for (let i = 0; i < 61; i++)
        await audit.record(m, { action: 'test.paging', entityType: 'test', details: { n: i, tags: ['a', 'b'] } });
    });
    const idsOn = (html: string) =>
      [...html.matchAll(/<td class="govuk-table__cell">n: (\d+) · tags: a, b<\/td>/g)].map((x) => x[1]);
    const first = await coordinator.get('/admin/audit?action=test.paging').expect(200);
    const page1 = idsOn(first.text);
    expect(page1).toHaveLength(50);
    const older = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.text)?.[1];
    expect(older).toMatch(/^\/admin\/audit\?action=test\.paging&amp;before=/);
    const second = await coordinator.get(older!.replace(/&amp;/g, '&')).expect(200);
    const page2 = idsOn(second.text);
    expect(page2).toHaveLength(11);
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('Newest events');
    expect([...page1, ...page2].sort()).toEqual(Array.from({ length: 61 }, (_, i) => String(i)).sort());
    // Wide tables scroll in a region of their own, named by the caption, reachable by keyboard.
    expect(first.text).toContain(
      '<div class="app-table-scroll" role="region" aria-label="Audit events, newest first" tabindex="0">',
    );
  });

  it('pages outgoing mail 50 at a time, in the page and the API, keeping the filters, every message on one page', async () => {
    // 61 sent messages to one address, several queued in the same instant (then ordered by id).
    const at = new Date(t.clock.now().getTime() - 86_400_000);
    await t.dataSource.getRepository(OutboxMessage).insert(
      Array.from({ length: 61 }, (_, i) => ({
        id: randomUUID(),
        messageId: `<paging-${i}@thresholds.test>`,
        kind: 'test-notice',
        recipient: 'paging@riverside.sch.uk',
        subject: `Paging ${i}`,
        text: 'A notice.',
        html: '<p>A notice.</p>',
        status: 'sent' as const,
        nextAttemptAt: at,
        sentAt: at,
        createdAt: new Date(at.getTime() + Math.floor(i / 3) * 1000),
      })),
    );
    try {
      const subjects = (html: string) =>
        [...html.matchAll(/<td class="govuk-table__cell">Paging (\d+)<\/td>/g)].map((x) => x[1]);
      const first = await coordinator.get('/admin/outbox?status=sent&recipient=paging%40riverside.sch.uk').expect(200);
      const page1 = subjects(first.text);
      expect(page1).toHaveLength(50);
      expect(page1[0]).toMatch(/^(60|59|58|57)$/); // newest first
      const older = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.text)?.[1];
      expect(older).toMatch(/^\/admin\/outbox\?status=sent&amp;recipient=paging%40riverside.sch.uk&amp;before=/);
      const second = await coordinator.get(older!.replace(/&amp;/g, '&')).expect(200);
      const page2 = subjects(second.text);
      expect(page2).toHaveLength(11);
      expect(second.text).not.toContain('rel="next"');
      expect(second.text).toContain('Newest messages');
      expect([...page1, ...page2].sort()).toEqual(Array.from({ length: 61 }, (_, i) => String(i)).sort());

      // The API pages the same way.
      const api = (query: string) =>
        request(t.http)
          .get(`/api/outbox?recipient=paging@riverside.sch.uk&${query}`)
          .set(bearer(p.coordinator))
          .expect(200);
      const a1 = (await api('limit=40')).body as Array<{ id: string; createdAt: string; subject: string }>;
      const last = a1[a1.length - 1];
      const a2 = (await api(`limit=40&before=${encodeURIComponent(last.createdAt)}&beforeId=${last.id}`))
        .body as typeof a1;
      expect([a1.length, a2.length]).toEqual([40, 21]);
      expect(new Set([...a1, ...a2].map((m) => m.subject)).size).toBe(61);
      await request(t.http).get('/api/outbox?limit=0').set(bearer(p.coordinator)).expect(400);
    } finally {
      // They were never sent: later tests compare what was sent with what the SMTP server received.
      await t.dataSource.getRepository(OutboxMessage).delete({ recipient: 'paging@riverside.sch.uk' });
    }
  });

  it('finds an item by its reference (any case, full-width digits), linked to its page; chairs see only their meetings’', async () => {
    const item = (
      await request(t.http)
        .post(`/api/meetings/${meetings[5]}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body as { id: string; reference: string };
    const typed = item.reference.toLowerCase().replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const found = await coordinator.get(`/admin/items?reference=${encodeURIComponent(` ${typed} `)}`).expect(200);
    expect(found.text).toContain(`href="/meetings/${meetings[5]}/items/${item.id}">Open ${item.reference}</a>`);
    const api = await request(t.http)
      .get(`/api/bookings?reference=${encodeURIComponent(typed)}`)
      .set(bearer(p.coordinator))
      .expect(200);
    expect(api.body.map((b: { id: string }) => b.id)).toEqual([item.id]);
    // The other chair does not chair that meeting: nothing, as for any item they may not see.
    const other = await request(t.http)
      .get(`/api/bookings?reference=${item.reference}`)
      .set(bearer(p.otherChair))
      .expect(200);
    expect(other.body).toEqual([]);
    const none = await coordinator.get('/admin/items?reference=TRM-1999-9999').expect(200);
    expect(none.text).toContain('No item has the reference TRM-1999-9999.');
    expect((await professional.get('/admin/items')).status).toBe(403);
  });

  it('searches users by name or address (any case, every word), agency and role', async () => {
    const names = (html: string) =>
      [...html.matchAll(/<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]+)<\/td>/g)].map(
        (x) => x[1],
      );
    const byWords = await coordinator.get('/admin/users?q=%20LEAD%20%20deputy').expect(200);
    expect(names(byWords.text)).toEqual(['Deputy Lead']);
    expect(byWords.text).toMatch(/1 of \d+ users/);
    const byAddress = await coordinator.get('/admin/users?q=health.nhs').expect(200);
    expect(names(byAddress.text)).toEqual(['Harper Visitor']);
    const agencyA = names((await coordinator.get(`/admin/users?agencyId=${p.agencyA}`).expect(200)).text);
    expect(agencyA.sort()).toEqual(['Dee Lead', 'Deputy Lead']);
    const chairs = names((await coordinator.get('/admin/users?role=chair').expect(200)).text);
    expect(chairs).toEqual(expect.arrayContaining(['Charlie Chair', 'Olive Chair']));
    expect(chairs).not.toContain('Dee Lead');
    const none = await coordinator.get('/admin/users?q=nobody-here').expect(200);
    expect(none.text).toContain('Nobody matches the search.');
  });

  it('pages the users list 50 at a time, keeping the search', async () => {
    const users = t.dataSource.getRepository(User);
    await users.insert(
      Array.from({ length: 61 }, (_, i) => ({
        id: randomUUID(),
        email: `paging.${i}@partnership.test`,
        name: `Paging Person ${String(i).padStart(2, '0')}`,
        agencyId: null,
        roles: ['coordinator' as const],
        status: 'active' as const,
      })),
    );
    try {
      const names = (html: string) =>
        [...html.matchAll(/<td class="govuk-table__cell">Paging Person (\d+)<\/td>/g)].map((x) => Number(x[1]));
      const first = await coordinator.get('/admin/users?q=paging').expect(200);
      expect(names(first.text)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(first.text).toMatch(/61 of \d+ users, 50 on this page/);
      const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.text)?.[1];
      expect(next).toBe('/admin/users?q=paging&amp;page=2');
      const second = await coordinator.get('/admin/users?q=paging&page=2').expect(200);
      expect(names(second.text)).toEqual(Array.from({ length: 11 }, (_, i) => 50 + i));
      expect(second.text).not.toContain('rel="next"');
      expect(second.text).toContain('href="/admin/users?q=paging" rel="prev"');
      // A page past the end, or not a number: the last page, or the first.
      expect(names((await coordinator.get('/admin/users?q=paging&page=9').expect(200)).text)).toHaveLength(11);
      expect(names((await coordinator.get('/admin/users?q=paging&page=x').expect(200)).text)).toHaveLength(50);
    } finally {
      await users.delete({ name: Like('Paging Person %') });
    }
  });

  it('finds outgoing mail to one address (any case), in the API and the page', async () => {
    await outboxSettled(t, smtp);
    const all = (await request(t.http).get('/api/outbox').set(bearer(p.coordinator)).expect(200)).body as Array<{
      recipient: string;
    }>;
    const toDsl = all.filter((m) => m.recipient.toLowerCase() === 'dsl@riverside.sch.uk');
    expect(toDsl.length).toBeGreaterThan(0);
    expect(toDsl.length).toBeLessThan(all.length);
    const found = await request(t.http)
      .get('/api/outbox?recipient=%20DSL@Riverside.SCH.uk%20')
      .set(bearer(p.coordinator))
      .expect(200);
    expect(found.body.map((m: { recipient: string }) => m.recipient.toLowerCase())).toEqual(
      toDsl.map(() => 'dsl@riverside.sch.uk'),
    );
    const page = await coordinator.get('/admin/outbox?recipient=DSL%40riverside.sch.uk').expect(200);
    const rows = [...page.text.matchAll(/<td class="govuk-table__cell">([^<@]+@[^<]+)<\/td>/g)].map((x) =>
      x[1].toLowerCase(),
    );
    expect(rows.length).toBe(Math.min(toDsl.length, 50));
    expect(new Set(rows)).toEqual(new Set(['dsl@riverside.sch.uk']));
    expect(page.text).toContain('value="DSL@riverside.sch.uk"');
  });

  it('lists outgoing mail by status and sends a failed message again', async () => {
    smtp.behaviour = 'refuse';
    try {
      await failAndRetry();
    } finally {
      smtp.behaviour = 'accept'; // the other tests' mail is delivered
    }
  });

  async function failAndRetry() {
    const outbox = t.dataSource.getRepository(OutboxMessage);
    const before = await outbox.count();
    // The booking notice (and its invite) cannot be delivered: with one attempt allowed, it fails.
    await request(t.http)
      .post(`/api/meetings/${meetings[5]}/bookings`)
      .set(bearer(p.a1))
      .send(thresholdItem())
      .expect(201);
    const deadline = performance.now() + 10_000;
    let failed: OutboxMessage | null = null;
    while (!failed && performance.now() < deadline) {
      failed = await outbox.findOne({
        where: { status: 'failed', containsSecret: false },
        order: { createdAt: 'DESC' },
      });
      if (!failed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).not.toBeNull();
    expect(await outbox.count()).toBeGreaterThan(before);
    smtp.behaviour = 'accept';
    const page = await coordinator.get('/admin/outbox?status=failed').expect(200);
    expect(page.text).toContain(`/admin/outbox/${failed!.id}/retry`);
    const retried = await coordinator
      .post(`/admin/outbox/${failed!.id}/retry`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(retried.headers.location).toBe('/admin/outbox?status=failed&retried=1');
    const bare = (id?: string) => (id ?? '').replace(/[<>]/g, '');
    await smtp.waitFor(() => smtp.messages.some((m) => bare(m.messageId) === bare(failed!.messageId)));
    const again = await coordinator
      .post(`/admin/outbox/${failed!.id}/retry`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(409);
    expect(errorSummaryOf(again.text)).toContain('Only a failed message can be retried');
  }

  it('carries an item forward from its page', async () => {
    const item = (
      await request(t.http)
        .post(`/api/meetings/${meetings[6]}/bookings`)
        .set(bearer(p.a2))
        .send(thresholdItem())
        .expect(201)
    ).body;
    // Asked first: where it goes (the next meeting, a free slot there) and that the presenter is told.
    const itemPage = await chair.get(`/meetings/${meetings[6]}/items/${item.id}`).expect(200);
    expect(itemPage.text).toContain(`href="/meetings/${meetings[6]}/items/${item.id}/defer"`);
    const confirm = await chair.get(`/meetings/${meetings[6]}/items/${item.id}/defer`).expect(200);
    const next = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetings[7] });
    expect(confirm.text).toContain(
      `will move to the meeting on ${formatLondonDateTime(next.startsAt)}, into its first free slot`,
    );
    expect(confirm.text).toContain('Deputy Lead will be emailed');
    expect((await t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id })).meetingId).toBe(meetings[6]);
    expect((await professional.get(`/meetings/${meetings[6]}/items/${item.id}/defer`)).status).toBe(403);
    const res = await submitForm(chair, `/meetings/${meetings[6]}/items/${item.id}/defer`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/meetings/${meetings[6]}?deferred=${item.reference}`);
    expect((await chair.get(res.headers.location).expect(200)).text).toContain(
      `${item.reference} has been carried forward to the next meeting`,
    );
    // Only a reference is shown back from the URL.
    expect((await chair.get(`/meetings/${meetings[6]}?deferred=Call%20us%20now`).expect(200)).text).not.toContain(
      'Call us now',
    );
    expect((await t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id })).meetingId).toBe(meetings[7]);
  });
  step('approves the minutes once every item has an outcome, and offers the PDF', async () => {
    const minutesPath = `/meetings/${meetings[0]}/minutes`;
    const early = await submitForm(chair, minutesPath, {}, `${minutesPath}/approve`);
    expect(early.status).toBe(409);
    expect(errorSummaryOf(early.text)).toContain('has not taken place yet');

    const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetings[0] });
    // An hour after the meeting began; put back afterwards, so that the other tests' sessions live on.
    const shift = meeting.startsAt.getTime() - t.clock.now().getTime() + 3_600_000;
    t.clock.advance(shift);
    try {
      await approveAfterTheMeeting(minutesPath);
    } finally {
      t.clock.advance(-shift);
    }
  });

  async function approveAfterTheMeeting(minutesPath: string) {
    const chairNow = await webSignIn(t, smtp, 'chair@csc.gov.test'); // sessions have aged out with the clock
    const notYet = await chairNow.get(`${minutesPath}/approve`).expect(200);
    expect(notYet.text).toContain(`<a class="govuk-link" href="/meetings/${meetings[0]}/items/${items[2].id}">`);
    expect(notYet.text).not.toContain('Approve and send the minutes');
    const pending = await submitForm(chairNow, minutesPath, {}, `${minutesPath}/approve`);
    expect(pending.status).toBe(409);
    expect(errorSummaryOf(pending.text)).toContain(
      `<a href="/meetings/${meetings[0]}/items/${items[2].id}">Record an outcome for ${items[2].reference}`,
    );

    const response = await submitForm(chairNow, `/meetings/${meetings[0]}/items/${items[2].id}`, {
      version: '0',
      response: 'We are adding a duty worker to acknowledge referrals the same day.',
    });
    expect(response.status).toBe(303);
    // "Approve the minutes" asks first, naming how many people will be emailed; nothing is locked yet.
    const confirm = await chairNow.get(`${minutesPath}/approve`).expect(200);
    const promised = Number(/This will email a link to the minutes to (\d+) (?:person|people)/.exec(confirm.text)?.[1]);
    expect(promised).toBeGreaterThan(0);
    expect(confirm.text).toContain('dsl@riverside.sch.uk</li>');
    const minutesMail = () => t.dataSource.getRepository(OutboxMessage).countBy({ kind: 'minutes-approved' });
    expect(await minutesMail()).toBe(0);
    const approved = await submitForm(chairNow, `${minutesPath}/approve`, {});
    expect(approved.status).toBe(303);
    // As many as the confirmation said.
    expect(await minutesMail()).toBe(promised);
    expect((await chairNow.get(`${minutesPath}/approve`).expect(303)).headers.location).toBe(minutesPath);
    const page = await chairNow.get(approved.headers.location).expect(200);
    expect(page.text).toContain('Minutes approved');
    expect(page.text).toContain('Offer an early help assessment.');
    const pdf = await chairNow.get(`/api/meetings/${meetings[0]}/minutes.pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    // The presenter of item 1 sees the approved minutes' extract: their agency's item, not others'.
    const presenter = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    const extract = await presenter.get(minutesPath).expect(200);
    expect(extract.text).toContain(items[0].reference);
    expect(extract.text).not.toContain('MASH/2026/12');
    expect(extract.text).not.toContain('Approve the minutes');
    expect((await presenter.get(`${minutesPath}/approve`)).status).toBe(403);
    await presenter
      .post(`${minutesPath}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom((await presenter.get('/calendar')).text) })
      .expect(403);
  }
});
