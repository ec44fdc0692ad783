import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Booking } from '../src/bookings/booking.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, WebAgent, webSignIn } from './support/web';

const errorSummaryOf = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/**
 * Changing a booked item's answers before the booking deadline (issue 14): PATCH /api/bookings/:id
 * and the booking form's question pages reached from "Change", through BookingsService.update.
 */
describe('changing a booked item before the deadline', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetings: string[];
  let presenter: WebAgent;
  const api = () => request(t.http);
  const stored = (id: string) => t.dataSource.getRepository(Booking).findOneByOrFail({ id });
  const book = async (meetingId: string, body: object = thresholdItem()) =>
    (await api().post(`/api/meetings/${meetingId}/bookings`).set(bearer(p.a1)).send(body).expect(201)).body as {
      id: string;
      reference: string;
    };
  const read = async (id: string, token = p.a1) =>
    (await api().get(`/api/bookings/${id}`).set(bearer(token)).expect(200)).body as { version: string };

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 6 })).meetings.map((m) => m.id);
    presenter = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('PATCH changes the answers given, with the version read; a stale version, identifying details and another kind’s fields change nothing', async () => {
    const item = await book(meetings[0]);
    const { version } = await read(item.id);
    const question = 'Would a referral to the MASH be proportionate, given the new information from the GP?';

    const stale = await api()
      .patch(`/api/bookings/${item.id}`)
      .set(bearer(p.a1))
      .send({ version: 'not-the-version', question })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'BOOKING_VERSION_CONFLICT', details: { version } });

    const identifying = await api()
      .patch(`/api/bookings/${item.id}`)
      .set(bearer(p.a1))
      .send({ version, question: `${question} NHS number 943\u00a0476\u00a05919.` })
      .expect(422);
    expect(identifying.body.code).toBe('IDENTIFYING_DETAILS');
    expect(JSON.stringify(identifying.body)).not.toContain('5919');
    // The refusal is audited by kind of detail, as at booking.
    const refused = await t.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'booking.identifying-details-refused', entityId: meetings[0] });
    expect(refused.map((a) => a.details)).toEqual([{ kinds: ['nhs-number'] }]);

    const notForKind = await api()
      .patch(`/api/bookings/${item.id}`)
      .set(bearer(p.a1))
      .send({ version, mashReference: 'MASH/2026/1234' })
      .expect(400);
    expect(notForKind.body.details).toEqual([
      { field: 'mashReference', messages: ['does not apply to this kind of item'] },
    ]);

    const tooShort = await api()
      .patch(`/api/bookings/${item.id}`)
      .set(bearer(p.a1))
      .send({ version, question: 'Short' })
      .expect(400);
    expect(tooShort.body.details[0].field).toBe('question');
    expect((await stored(item.id)).question).toBe(thresholdItem().question);

    const done = await api()
      .patch(`/api/bookings/${item.id}`)
      .set(bearer(p.a1))
      .send({ version, question, levelConsidered: 3 })
      .expect(200);
    expect(done.body).toMatchObject({ question, levelConsidered: 3, summary: thresholdItem().summary });
    expect(done.body.version).not.toBe(version);
    const audit = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'booking.updated', entityId: item.id });
    expect(audit.details).toMatchObject({ changed: ['levelConsidered', 'question'] });
    expect(JSON.stringify(audit.details)).not.toContain('GP');

    // The same request again (a retry): the version it carried is gone.
    await api().patch(`/api/bookings/${item.id}`).set(bearer(p.a1)).send({ version, question }).expect(409);
  });

  it('only the presenter (or a coordinator) may change it, and only until bookings close', async () => {
    const item = await book(meetings[1]);
    const { version } = await read(item.id);
    // A colleague at the same agency cannot see it; another agency's professional neither.
    await api().patch(`/api/bookings/${item.id}`).set(bearer(p.a2)).send({ version, levelConsidered: 3 }).expect(404);
    await api().patch(`/api/bookings/${item.id}`).set(bearer(p.b1)).send({ version, levelConsidered: 3 }).expect(404);
    // After the booking deadline the presenter is refused; a coordinator may still correct it.
    const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ id: meetings[1] });
    const shift = meeting.bookingClosesAt.getTime() - t.clock.now().getTime() + 60_000;
    t.clock.advance(shift);
    try {
      // Sessions from before have aged out with the clock.
      const [presenterNow, coordinatorNow] = [
        await signIn(t, smtp, 'dsl@riverside.sch.uk'),
        await signIn(t, smtp, 'coordinator@partnership.test'),
      ];
      const closed = await api()
        .patch(`/api/bookings/${item.id}`)
        .set(bearer(presenterNow))
        .send({ version, levelConsidered: 3 })
        .expect(409);
      expect(closed.body.code).toBe('BOOKING_CLOSED');
      await api()
        .patch(`/api/bookings/${item.id}`)
        .set(bearer(coordinatorNow))
        .send({ version, levelConsidered: 3 })
        .expect(200);
    } finally {
      t.clock.advance(-shift);
    }
    // Withdrawn, it is no longer on an agenda.
    await api().post(`/api/bookings/${item.id}/withdraw`).set(bearer(p.a1)).expect(200);
    const after = await read(item.id);
    const withdrawn = await api()
      .patch(`/api/bookings/${item.id}`)
      .set(bearer(p.a1))
      .send({ version: after.version, levelConsidered: 1 })
      .expect(409);
    expect(withdrawn.body.code).toBe('NOT_ACTIVE');
  });

  it('in the pages: "Change" opens the question page, saves through the same rules, and a second tab is told', async () => {
    const item = await book(meetings[2]);
    const itemPage = await presenter.get(`/bookings/${item.id}`).expect(200);
    expect(itemPage.text).toContain(`href="/bookings/${item.id}/edit/question"`);
    expect(itemPage.text).toContain(`href="/bookings/${item.id}/edit/summary"`);
    expect(itemPage.text).not.toContain(`/edit/referral`); // not a referral-feedback item

    const tabA = await presenter.get(`/bookings/${item.id}/edit/summary`).expect(200);
    const tabB = await presenter.get(`/bookings/${item.id}/edit/summary`).expect(200);
    expect(tabA.text).toContain(`Changing ${item.reference}`);
    expect(tabA.text).toContain('Save changes');
    const summary = 'Year 9 pupil, attendance now 60% this term; arrives hungry most days; parent reports low mood.';

    const identifying = await presenter
      .post(`/bookings/${item.id}/edit/summary`)
      .type('form')
      .send({
        _csrf: csrfFrom(tabA.text),
        version: hidden(tabA.text, 'version'),
        summary: `${summary} Lives at SW1A 1AA.`,
      });
    expect(identifying.status).toBe(400);
    expect(errorSummaryOf(identifying.text)).toMatch(/<a href="#summary">In your summary: /);
    expect(errorSummaryOf(identifying.text)).not.toContain('SW1A');

    const saved = await presenter
      .post(`/bookings/${item.id}/edit/summary`)
      .type('form')
      .send({ _csrf: csrfFrom(tabA.text), version: hidden(tabA.text, 'version'), summary });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/bookings/${item.id}?changed=1`);
    expect((await presenter.get(saved.headers.location).expect(200)).text).toContain(
      `Your changes to ${item.reference} have been saved.`,
    );
    expect((await stored(item.id)).summary).toBe(summary);

    const late = await presenter
      .post(`/bookings/${item.id}/edit/summary`)
      .type('form')
      .send({
        _csrf: csrfFrom(tabB.text),
        version: hidden(tabB.text, 'version'),
        summary: 'A different summary, typed in the other tab.',
      });
    expect(late.status).toBe(409);
    expect(errorSummaryOf(late.text)).toContain('This item has been changed since you opened it');
    expect(late.text).toContain('A different summary, typed in the other tab.</textarea>');
    expect(hidden(late.text, 'version')).toBe((await read(item.id)).version);
    expect((await stored(item.id)).summary).toBe(summary);

    // A question that does not apply to the kind, or an unknown one: not found.
    expect((await presenter.get(`/bookings/${item.id}/edit/referral`)).status).toBe(404);
    expect((await presenter.get(`/bookings/${item.id}/edit/kind`)).status).toBe(404);
    // Someone else's item: not found, as from the API.
    const other = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    expect((await other.get(`/bookings/${item.id}/edit/summary`)).status).toBe(404);
  });
});
