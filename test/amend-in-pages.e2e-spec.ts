import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Agency } from '../src/directory/agency.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { MeetingAction } from '../src/outcomes/meeting-action.entity';
import { Attendee } from '../src/outcomes/attendee.entity';
import { MinutesVersion } from '../src/minutes/minutes-version.entity';
import { Outcome } from '../src/outcomes/outcome.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, WebAgent, webSignIn } from './support/web';

const errorSummaryOf = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/**
 * After approval, the pages that recorded the minutes amend them (issue 14's parity): the item's
 * outcome, the attendance register and a missing action, each with a reason, through
 * MinutesService.amend, each making the next version. Forms opened before approval, stale tabs
 * and identifying details change nothing.
 */
describe('amending approved minutes in the pages: outcome, attendance, actions', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetingId: string;
  let itemId: string;
  let chair: WebAgent;
  let chairToken: string;
  let agencyCsc: string;
  const minutesVersions = () => t.dataSource.getRepository(MinutesVersion).countBy({ meetingId });
  const outcomeNow = () => t.dataSource.getRepository(Outcome).findOneByOrFail({ bookingId: itemId });

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4 });
    meetingId = series.meetings[0].id;
    itemId = (
      await request(t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body.id;
    // An hour after the meeting began (sessions from before have aged out with the clock).
    const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetingId });
    t.clock.advance(meeting.startsAt.getTime() - t.clock.now().getTime() + 3_600_000);
    chairToken = await signIn(t, smtp, 'chair@csc.gov.test');
    chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    agencyCsc = (await t.dataSource.getRepository(Agency).findOneByOrFail({ name: 'Children’s Social Care' })).id;
    const api = request(t.http);
    await api
      .put(`/api/meetings/${meetingId}/attendance`)
      .set(bearer(chairToken))
      .send([{ name: 'Charlie Chair', agencyId: agencyCsc, role: 'Chair', status: 'present' }])
      .expect(200);
    await api
      .put(`/api/bookings/${itemId}/outcome`)
      .set(bearer(chairToken))
      .send({ levelAdvised: 2, pathway: 'early-help', advice: 'Offer an early help assessment through the school.' })
      .expect(201);
    await api.post(`/api/meetings/${meetingId}/minutes/approve`).set(bearer(chairToken)).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('amends the outcome from the item page, with a reason; a form opened before approval and identifying details save nothing', async () => {
    const itemPath = `/meetings/${meetingId}/items/${itemId}`;
    const page = await chair.get(itemPath).expect(200);
    expect(page.text).toContain('Amend the outcome');
    expect(page.text).toContain('name="reason"');
    expect(hidden(page.text, 'minutesVersion')).toBe('1');
    // Once approved, "final" no longer applies, and nothing can be carried forward.
    expect(page.text).not.toContain('name="final"');
    expect(page.text).not.toContain(`${itemPath}/defer`);
    const token = csrfFrom(page.text);
    const form = { _csrf: token, version: '1', levelAdvised: '3', pathway: 'mash-referral' };

    // The same form as opened before approval: no minutes version, no reason.
    const stale = await chair
      .post(itemPath)
      .type('form')
      .send({ ...form, advice: 'Refer to the MASH today.' });
    expect(stale.status).toBe(400);
    expect(errorSummaryOf(stale.text)).toContain(
      '<a href="#reason">The minutes were approved while you had this page open, so nothing was saved.',
    );
    expect(stale.text).toContain('name="reason"');
    expect(stale.text).toContain('Refer to the MASH today.</textarea>');

    // An NHS number in the advice: named against the advice (the amendment's `outcomes[0].` taken off).
    const identifying = await chair
      .post(itemPath)
      .type('form')
      .send({ ...form, minutesVersion: '1', reason: 'Pathway corrected', advice: 'Refer 943\u00a0476\u00a05919 now.' });
    expect(identifying.status).toBe(400);
    expect(errorSummaryOf(identifying.text)).toMatch(/<a href="#advice">In the advice: /);
    // Named by kind, never quoted back in the message.
    expect(errorSummaryOf(identifying.text)).not.toContain('5919');

    const noReason = await chair
      .post(itemPath)
      .type('form')
      .send({ ...form, minutesVersion: '1', reason: '', advice: 'Refer to the MASH today.' });
    expect(errorSummaryOf(noReason.text)).toContain('<a href="#reason">Enter the reason for the amendment</a>');

    expect(await minutesVersions()).toBe(1);
    expect(await outcomeNow()).toMatchObject({ version: 1, pathway: 'early-help' });

    const done = await chair
      .post(itemPath)
      .type('form')
      .send({
        ...form,
        minutesVersion: '1',
        reason: 'Pathway corrected after the meeting',
        advice: 'Refer to the MASH today.',
      });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${itemPath}?amended=2`);
    expect((await chair.get(done.headers.location).expect(200)).text).toContain(
      'Outcome amended: the minutes are now version 2.',
    );
    expect(await outcomeNow()).toMatchObject({ version: 2, pathway: 'mash-referral', levelAdvised: 3 });
    const v2 = await t.dataSource.getRepository(MinutesVersion).findOneByOrFail({ meetingId, version: 2 });
    expect(v2).toMatchObject({ kind: 'amendment', reason: 'Pathway corrected after the meeting' });
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'minutes.amended', entityId: meetingId });
    expect(audit.details).toMatchObject({ version: 2, changed: ['outcomes'] });

    // The same form sent again (a double click, a second tab): the outcome it corrected has moved on.
    const again = await chair
      .post(itemPath)
      .type('form')
      .send({
        ...form,
        minutesVersion: '1',
        reason: 'Pathway corrected after the meeting',
        advice: 'Refer to the MASH today, again.',
      });
    expect(again.status).toBe(409);
    expect(again.text).toContain('This item changed since you opened it, so your changes were not saved.');
    expect(await minutesVersions()).toBe(2);
  });

  it('amends the attendance register; a second tab opened on the earlier version is refused', async () => {
    const path = `/meetings/${meetingId}/attendance`;
    const tabA = await chair.get(path).expect(200);
    const tabB = await chair.get(path).expect(200);
    expect(tabA.text).toContain('Amend the minutes');
    const opened = hidden(tabA.text, 'minutesVersion');
    expect(opened).toBe('2');
    const person = (name: string) => ({
      rows: '1',
      'name-0': name,
      'agencyId-0': agencyCsc,
      'role-0': 'Chair',
      'status-0': 'present',
    });

    const saved = await chair
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(tabA.text),
        version: hidden(tabA.text, 'version'),
        minutesVersion: opened,
        reason: 'Chair’s name corrected',
        ...person('Charlotte Chair'),
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${path}?amended=3`);
    expect((await chair.get(saved.headers.location).expect(200)).text).toContain(
      'Attendance amended: the minutes are now version 3.',
    );

    const late = await chair
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(tabB.text),
        version: hidden(tabB.text, 'version'),
        minutesVersion: hidden(tabB.text, 'minutesVersion'),
        reason: 'Another correction',
        ...person('Carl Chair'),
      });
    expect(late.status).toBe(409);
    expect(errorSummaryOf(late.text)).toContain('The minutes have been amended since you opened them');
    expect(hidden(late.text, 'minutesVersion')).toBe('3');
    const names = (await t.dataSource.getRepository(Attendee).findBy({ meetingId })).map((a) => a.name);
    expect(names).toEqual(['Charlotte Chair']);
    expect(await minutesVersions()).toBe(3);
  });

  it('adds an action missing from the approved minutes, by an amendment', async () => {
    const path = `/meetings/${meetingId}/actions`;
    const page = await chair.get(path).expect(200);
    expect(page.text).toContain('added by an amendment');
    const due = new Date(t.clock.now().getTime() + 14 * 86_400_000);
    const fields = {
      _csrf: csrfFrom(page.text),
      minutesVersion: hidden(page.text, 'minutesVersion'),
      description: 'Share the early help offer with the school',
      ownerAgencyId: p.agencyA,
      'dueDate-day': String(due.getUTCDate()),
      'dueDate-month': String(due.getUTCMonth() + 1),
      'dueDate-year': String(due.getUTCFullYear()),
    };
    const noReason = await chair.post(path).type('form').send(fields);
    expect(noReason.status).toBe(400);
    expect(errorSummaryOf(noReason.text)).toContain('<a href="#reason">Enter the reason for the amendment</a>');
    expect(await t.dataSource.getRepository(MeetingAction).countBy({ meetingId })).toBe(0);

    const done = await chair
      .post(path)
      .type('form')
      .send({ ...fields, reason: 'Action agreed at the meeting but left out' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${path}?amended=4`);
    const actions = await t.dataSource.getRepository(MeetingAction).findBy({ meetingId });
    expect(actions.map((a) => a.description)).toEqual(['Share the early help offer with the school']);
    const minutes = await request(t.http).get(`/api/meetings/${meetingId}/minutes`).set(bearer(chairToken)).expect(200);
    expect(minutes.body.latestVersion).toBe(4);
    expect(JSON.stringify(minutes.body.content)).toContain('Share the early help offer with the school');
  });

  it('the API refuses an amendment made on an earlier version of the minutes (MINUTES_VERSION_CONFLICT)', async () => {
    const res = await request(t.http)
      .post(`/api/meetings/${meetingId}/minutes/amendments`)
      .set(bearer(chairToken))
      .send({ reason: 'A late correction', version: 3, themesNote: 'Neglect was the theme.' })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'MINUTES_VERSION_CONFLICT', details: { version: 4 } });
    expect(await minutesVersions()).toBe(4);
    await request(t.http)
      .post(`/api/meetings/${meetingId}/minutes/amendments`)
      .set(bearer(chairToken))
      .send({ reason: 'A late correction', version: 4, themesNote: 'Neglect was the theme.' })
      .expect(201);
    expect(await minutesVersions()).toBe(5);
  });

  it('shows an earlier version of the minutes by ?version=, read-only, with every version listed', async () => {
    const path = `/meetings/${meetingId}/minutes`;
    const latest = await chair.get(path).expect(200);
    expect(latest.text).toContain('Earlier versions (4)');
    expect(latest.text).toContain(`href="${path}?version=1"`);
    expect(latest.text).toContain('Amended: Pathway corrected after the meeting');
    expect(latest.text).toContain(`href="${path}/amend"`);

    const first = await chair.get(`${path}?version=1`).expect(200);
    expect(first.text).toContain('Approved minutes, version 1 (a later version, 5, exists)');
    expect(first.text).toContain('This is an earlier version.');
    // Version 1 holds the outcome as first recorded, and cannot be amended from here.
    expect(first.text).toContain('Early help');
    expect(first.text).not.toContain('Refer to the MASH today.');
    expect(first.text).not.toContain(`href="${path}/amend"`);
    expect(first.text).toContain(`href="/api/meetings/${meetingId}/minutes.pdf?version=1"`);

    expect((await chair.get(`${path}?version=99`)).status).toBe(404);
    expect((await chair.get(`${path}?version=one`)).status).toBe(404);
  });
});
