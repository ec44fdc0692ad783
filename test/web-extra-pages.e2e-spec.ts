import request from 'supertest';
import { Booking } from '../src/bookings/booking.entity';
import { User } from '../src/directory/user.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { SeriesCoreMember } from '../src/meetings/series-core-member.entity';
import { MinutesVersion } from '../src/minutes/minutes-version.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, submitForm, WebAgent, webSignIn } from './support/web';

const errorSummaryOf = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

describe('web pages: rebooking, roles, amending minutes, series core members', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let seriesId: string;
  let meetings: string[];
  let coordinator: WebAgent;
  let professional: WebAgent;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 10 });
    seriesId = series.id;
    meetings = series.meetings.map((m) => m.id);
    coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
    professional = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('books a withdrawn item into another meeting, showing the service’s refusals in the error summary', async () => {
    const item = (
      await request(t.http)
        .post(`/api/meetings/${meetings[0]}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body as { id: string; reference: string };
    // While it is on an agenda there is nothing to rebook.
    expect((await professional.get(`/bookings/${item.id}`).expect(200)).text).not.toContain(
      `/bookings/${item.id}/rebook`,
    );
    expect((await professional.get(`/bookings/${item.id}/rebook`)).status).toBe(409);

    await request(t.http)
      .post(`/api/bookings/${item.id}/withdraw`)
      .set(bearer(p.a1))
      .expect((r) => expect(r.status).toBeLessThan(300));
    const itemPage = await professional.get(`/bookings/${item.id}`).expect(200);
    expect(itemPage.text).toContain(`href="/bookings/${item.id}/rebook"`);
    expect(itemPage.text).toContain('Book into another meeting');

    const page = await professional.get(`/bookings/${item.id}/rebook`).expect(200);
    expect(page.text).toContain(`value="${meetings[1]}"`);
    expect(page.text).not.toContain(`value="${meetings[0]}"`); // the meeting it left
    expect(page.text).toContain(`action="/bookings/${item.id}/rebook/time"`);
    // Someone else's item: not found, exactly as from the API.
    const other = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    expect((await other.get(`/bookings/${item.id}/rebook`)).status).toBe(404);
    expect((await other.get(`/bookings/${item.id}/rebook/time?meetingId=${meetings[1]}`)).status).toBe(404);

    // No meeting chosen, or one not offered (the one it left): the first question again.
    const none = await professional.get(`/bookings/${item.id}/rebook/time`);
    expect(none.status).toBe(400);
    expect(errorSummaryOf(none.text)).toContain('<a href="#meetingId">Select the meeting to book the item into</a>');
    const left = await professional.get(`/bookings/${item.id}/rebook/time?meetingId=${meetings[0]}`);
    expect(left.status).toBe(400);
    expect(errorSummaryOf(left.text)).toContain('<a href="#meetingId">Select one of the meetings shown</a>');

    // The meeting's free times, by slot.
    const timePage = await professional.get(`/bookings/${item.id}/rebook/time?meetingId=${meetings[2]}`).expect(200);
    expect(timePage.text).toContain('What time would you like?');
    expect(timePage.text).toContain('value="first"');
    expect(timePage.text).toContain('name="slot" type="radio" value="3"');
    const token = csrfFrom(timePage.text);

    // No time chosen: asked for one.
    const noTime = await professional
      .post(`/bookings/${item.id}/rebook`)
      .type('form')
      .send({ _csrf: token, meetingId: meetings[2] });
    expect(noTime.status).toBe(400);
    expect(errorSummaryOf(noTime.text)).toContain('<a href="#slot">Select a time</a>');

    // The meeting is cancelled meanwhile: BookingsService's refusal, back on the meetings question.
    await request(t.http)
      .post(`/api/meetings/${meetings[2]}/cancel`)
      .set(bearer(p.coordinator))
      .send({ reason: 'Room unavailable' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const cancelled = await professional
      .post(`/bookings/${item.id}/rebook`)
      .type('form')
      .send({ _csrf: token, meetingId: meetings[2], slot: '3' });
    expect(cancelled.status).toBe(409);
    expect(errorSummaryOf(cancelled.text)).toContain(
      '<a href="#meetingId">This meeting has been cancelled. Choose another meeting.</a>',
    );
    expect(cancelled.text).toContain('name="meetingId"');
    expect((await t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id })).status).toBe('withdrawn');

    // A time taken meanwhile (another presenter's booking): the time page again, saying so.
    await request(t.http)
      .post(`/api/meetings/${meetings[1]}/bookings`)
      .set(bearer(p.b1))
      .send(thresholdItem({ slotIndex: 2 }))
      .expect(201);
    const taken = await professional
      .post(`/bookings/${item.id}/rebook`)
      .type('form')
      .send({ _csrf: token, meetingId: meetings[1], slot: '2' });
    expect(taken.status).toBe(409);
    expect(errorSummaryOf(taken.text)).toMatch(/<a href="#slot">/);
    expect(taken.text).toContain(`name="meetingId" value="${meetings[1]}"`);
    expect(taken.text).not.toContain('name="slot" type="radio" value="2"');

    const done = await professional
      .post(`/bookings/${item.id}/rebook`)
      .type('form')
      .send({ _csrf: token, meetingId: meetings[1], slot: '3' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/bookings/${item.id}?rebooked=booked`);
    const after = await professional.get(done.headers.location).expect(200);
    expect(after.text).toContain('govuk-notification-banner--success');
    expect(after.text).toContain(`${item.reference} is booked into the meeting on`);
    expect(after.text).not.toContain(`/bookings/${item.id}/rebook`);
    const booking = await t.dataSource.getRepository(Booking).findOneByOrFail({ id: item.id });
    expect([booking.meetingId, booking.status, booking.slotIndex]).toEqual([meetings[1], 'booked', 3]);
  });

  it('lets a coordinator change a user’s roles and agency, refusing no roles and their own lockout', async () => {
    const users = t.dataSource.getRepository(User);
    const otherChair = await users.findOneByOrFail({ email: 'other.chair@csc.gov.test' });
    const me = await users.findOneByOrFail({ email: 'coordinator@partnership.test' });
    const list = await coordinator.get('/admin/users').expect(200);
    expect(list.text).toContain(`href="/admin/users/${otherChair.id}/roles"`);
    expect((await professional.get(`/admin/users/${otherChair.id}/roles`)).status).toBe(403);

    const path = `/admin/users/${otherChair.id}/roles`;
    const page = await coordinator.get(path).expect(200);
    expect(page.text).toMatch(/name="roles" type="checkbox" value="chair" checked/);
    expect(page.text).toContain(`<option value="${p.agencyA}"`);

    const none = await submitForm(coordinator, path, { agencyId: p.agencyA });
    expect(none.status).toBe(400);
    expect(errorSummaryOf(none.text)).toContain('<a href="#roles">Select at least one role</a>');
    expect((await users.findOneByOrFail({ id: otherChair.id })).roles).toEqual(['chair']);

    const lockout = await submitForm(coordinator, `/admin/users/${me.id}/roles`, { roles: ['professional'] });
    expect(lockout.status).toBe(409);
    expect(errorSummaryOf(lockout.text)).toContain(
      '<a href="#roles">You cannot disable yourself or remove your own coordinator role.</a>',
    );
    expect((await users.findOneByOrFail({ id: me.id })).roles).toContain('coordinator');

    const ok = await submitForm(coordinator, path, { roles: ['chair', 'professional'], agencyId: p.agencyA });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/admin/users?done=details');
    expect((await coordinator.get(ok.headers.location).expect(200)).text).toContain('Details saved.');
    const changed = await users.findOneByOrFail({ id: otherChair.id });
    expect([[...changed.roles].sort(), changed.agencyId]).toEqual([['chair', 'professional'], p.agencyA]);
  });

  it('edits a series’ core members (CoreMemberDto rules, per line) and publishes its dates feed', async () => {
    const path = `/admin/series/${seriesId}`;
    const page = await coordinator.get(path).expect(200);
    expect(page.text).toContain(`action="/admin/series/${seriesId}/settings"`);
    expect(page.text).toContain('The meeting dates are not published.');
    expect((await professional.get(path)).status).toBe(403);

    const bad = await submitForm(
      coordinator,
      path,
      { coreMembers: 'lead@riverside.sch.uk, Lee Lead\nnot-an-email, Someone', publicDatesFeed: 'yes' },
      `${path}/settings`,
    );
    expect(bad.status).toBe(400);
    expect(errorSummaryOf(bad.text)).toContain(
      '<a href="#coreMembers">Line 2: enter an email address in the correct format',
    );
    expect(bad.text).toContain('not-an-email, Someone</textarea>'); // what was typed is kept
    expect(await t.dataSource.getRepository(SeriesCoreMember).countBy({ seriesId })).toBe(0);

    const ok = await submitForm(
      coordinator,
      path,
      { coreMembers: ' Lead@Riverside.sch.uk , Lee Lead\n\nsafeguarding@health.nhs.test', publicDatesFeed: 'yes' },
      `${path}/settings`,
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${path}?saved=1`);
    const saved = await coordinator.get(ok.headers.location).expect(200);
    const feedUrl = `${t.config.publicUrl}/calendar/series/${seriesId}.ics`;
    expect(saved.text).toContain(feedUrl);
    expect(saved.text).toContain('lead@riverside.sch.uk, Lee Lead');
    const members = await t.dataSource
      .getRepository(SeriesCoreMember)
      .find({ where: { seriesId }, order: { email: 'ASC' } });
    expect(members.map((m) => [m.email, m.name])).toEqual([
      ['lead@riverside.sch.uk', 'Lee Lead'],
      ['safeguarding@health.nhs.test', null],
    ]);
    await request(t.http).get(`/calendar/series/${seriesId}.ics`).expect(200);

    // Unticked: the feed stops.
    const off = await submitForm(
      coordinator,
      path,
      { coreMembers: 'lead@riverside.sch.uk, Lee Lead' },
      `${path}/settings`,
    );
    expect(off.status).toBe(303);
    expect((await coordinator.get(path).expect(200)).text).not.toContain(feedUrl);
    expect(await t.dataSource.getRepository(SeriesCoreMember).countBy({ seriesId })).toBe(1);
  });

  it('amends approved minutes with a reason (chair of the meeting), refusing a missing reason and an amendment that changes nothing', async () => {
    // A meeting of its own, whose only item was withdrawn and rebooked into another meeting.
    const m = meetings[5];
    const item = (
      await request(t.http).post(`/api/meetings/${m}/bookings`).set(bearer(p.a1)).send(thresholdItem()).expect(201)
    ).body as { id: string };
    await request(t.http)
      .post(`/api/bookings/${item.id}/withdraw`)
      .set(bearer(p.a1))
      .expect((r) => expect(r.status).toBeLessThan(300));
    await request(t.http)
      .post(`/api/bookings/${item.id}/rebook`)
      .set(bearer(p.a1))
      .send({ meetingId: meetings[6] })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: m });
    // An hour after the meeting began; put back afterwards, so that the other tests' sessions live on.
    const shift = meeting.startsAt.getTime() - t.clock.now().getTime() + 3_600_000;
    t.clock.advance(shift);
    try {
      await amendAfterTheMeeting(m);
    } finally {
      t.clock.advance(-shift);
    }
  });

  async function amendAfterTheMeeting(m: string) {
    const chair = await webSignIn(t, smtp, 'chair@csc.gov.test'); // sessions have aged out with the clock
    const minutesPath = `/meetings/${m}/minutes`;
    // A draft has no amendment: the page goes back to the minutes.
    expect((await chair.get(`${minutesPath}/amend`)).status).toBe(303);
    await submitForm(chair, minutesPath, { themesNote: 'Attendance is the main theme.' }, `${minutesPath}/note`).then(
      (r) => expect(r.status).toBe(303),
    );
    const approved = await submitForm(chair, minutesPath, {}, `${minutesPath}/approve`);
    expect(approved.status).toBe(303);

    const minutesPage = await chair.get(minutesPath).expect(200);
    expect(minutesPage.text).toContain(`href="${minutesPath}/amend"`);
    const presenter = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    // Their item was rebooked into another meeting: they are not connected with this one (need to know).
    expect((await presenter.get(minutesPath).expect(404)).text).not.toContain(`${minutesPath}/amend`);
    expect((await presenter.get(`${minutesPath}/amend`)).status).toBe(404);

    const page = await chair.get(`${minutesPath}/amend`).expect(200);
    expect(page.text).toContain('Attendance is the main theme.</textarea>');
    const token = csrfFrom(page.text);
    const noReason = await chair
      .post(`${minutesPath}/amend`)
      .type('form')
      .send({ _csrf: token, themesNote: 'Attendance and neglect were the themes.', reason: '' });
    expect(noReason.status).toBe(400);
    expect(errorSummaryOf(noReason.text)).toContain('<a href="#reason">Enter the reason for the amendment</a>');
    expect(noReason.text).toContain('Attendance and neglect were the themes.</textarea>');

    const unchanged = await chair
      .post(`${minutesPath}/amend`)
      .type('form')
      .send({ _csrf: token, themesNote: 'Attendance is the main theme.', reason: 'Checked the note again' });
    expect(unchanged.status).toBe(400);
    expect(errorSummaryOf(unchanged.text)).toContain(
      '<a href="#themesNote">Change the note on themes: an amendment must change something</a>',
    );
    expect(await t.dataSource.getRepository(MinutesVersion).countBy({ meetingId: m })).toBe(1);

    const done = await chair.post(`${minutesPath}/amend`).type('form').send({
      _csrf: token,
      themesNote: 'Attendance and neglect were the themes.',
      reason: 'Added neglect, agreed at the meeting',
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${minutesPath}?amended=2`);
    const after = await chair.get(done.headers.location).expect(200);
    expect(after.text).toContain('Minutes amended: this is version 2.');
    expect(after.text).toContain('Attendance and neglect were the themes.');
    expect(await t.dataSource.getRepository(MinutesVersion).countBy({ meetingId: m })).toBe(2);
  }
});
