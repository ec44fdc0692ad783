import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { NextStep } from '../src/next-steps/next-step.entity';
import { NextStepsService } from '../src/next-steps/next-steps.service';
import { Outcome } from '../src/outcomes/outcome.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, webSignIn } from './support/web';

/**
 * What happened after the advice (issue 17, part 2), on a fixed clock: a meeting on Monday
 * 18 January 2027 advises a referral to the MASH, early help, another service and universal
 * services on four items; five working days later (Monday 25 January, 09:00) the three presenters
 * advised to refer are asked; one answers; five working days after the question (1 February) the
 * others are reminded; five more (8 February) and "no answer" is recorded; one answers late.
 */
describe('what happened after the advice', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let meetingId: string;
  const items: Record<'mash' | 'earlyHelp' | 'other' | 'universal', { id: string; reference: string }> = {} as never;
  const api = () => request(t.http);
  const service = () => t.app.get(NextStepsService);
  /** The story runs forwards: the clock is set (and stays) at each step, so the outbox sends what it queued. */
  const runAt = (at: string) => {
    t.clock.set(new Date(at));
    return service().runDue();
  };
  const step = (bookingId: string) => t.dataSource.getRepository(NextStep).findOneBy({ bookingId });
  const recipient = (m: SmtpTestServer['messages'][number]) =>
    (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
  const ADVICE = 'Refer today and copy the school nurse; the family agreed.';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const series = await createSeries(t, p, { firstMeetingDate: '2027-01-18', intervalWeeks: 1, horizonWeeks: 4 });
    meetingId = series.meetings[0].id;
    expect(series.meetings[0].startsAt).toBe('2027-01-18T10:00:00.000Z');
    const book = async (token: string, slotIndex: number) =>
      (
        await api()
          .post(`/api/meetings/${meetingId}/bookings`)
          .set(bearer(token))
          .send(thresholdItem({ slotIndex }))
          .expect(201)
      ).body as { id: string; reference: string };
    items.mash = await book(p.a1, 0);
    items.earlyHelp = await book(p.a1, 1);
    items.other = await book(p.b1, 2);
    items.universal = await book(p.b1, 3);
    // The meeting is held; the chair records the advice.
    t.clock.set(new Date('2027-01-18T12:00:00Z'));
    const chair = bearer(await signIn(t, smtp, 'chair@csc.gov.test'));
    // Marked final, so released to the presenter at once; the other-service one stays a draft for now.
    for (const [item, pathway, final] of [
      [items.mash, 'mash-referral', true],
      [items.earlyHelp, 'early-help', true],
      [items.other, 'other-service', false],
      [items.universal, 'universal', true],
    ] as const) {
      await api()
        .put(`/api/bookings/${item.id}/outcome`)
        .set(chair)
        .send({ levelAdvised: 3, pathway, advice: ADVICE, final })
        .expect(201);
    }
    await outboxSettled(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('asks the presenters advised to refer, five working days after the meeting at 09:00, once the advice is released, once however often it runs', async () => {
    expect(await runAt('2027-01-25T08:59:00Z')).toEqual({ asked: 0, reminded: 0, noAnswer: 0 });
    const before = smtp.messages.length;
    t.clock.set(new Date('2027-01-25T09:01:00Z'));
    const runs = await Promise.all([service().runDue(), service().runDue(), service().runDue()]);
    expect(runs.reduce((n, r) => n + r.asked, 0)).toBe(2);
    expect(await step(items.other.id)).toBeNull(); // its advice is still a draft
    // The chair marks it final: the next run asks.
    const chair = bearer(await signIn(t, smtp, 'chair@csc.gov.test'));
    await api()
      .put(`/api/bookings/${items.other.id}/outcome`)
      .set(chair)
      .send({ levelAdvised: 3, pathway: 'other-service', advice: ADVICE, final: true, version: 1 })
      .expect(200);
    expect(await runAt('2027-01-25T09:30:00Z')).toEqual({ asked: 1, reminded: 0, noAnswer: 0 });
    expect(await runAt('2027-01-25T09:40:00Z')).toEqual({ asked: 0, reminded: 0, noAnswer: 0 });
    expect(await step(items.universal.id)).toBeNull();
    expect((await step(items.mash.id))!.pathway).toBe('mash-referral');

    await outboxSettled(t, smtp);
    // Besides a sign-in link and the outcome's notice: the questions.
    const mails = smtp.messages.slice(before).filter((m) => m.subject?.startsWith('What happened next'));
    expect(mails.map(recipient).sort()).toEqual(
      ['dsl@riverside.sch.uk', 'dsl@riverside.sch.uk', 'health.visitor@health.nhs.test'].sort(),
    );
    for (const mail of mails) {
      expect(mail.subject).toMatch(/^What happened next: item TRM-\S+, Monday 18 January 2027$/);
      const body = `${mail.subject}\n${mail.text}\n${mail.html}`;
      // No case text: not the advice, the question, the summary or the agency's reference.
      expect(body).not.toContain(ADVICE);
      for (const field of ['question', 'summary', 'agencyReference'] as const)
        expect(body).not.toContain(String(thresholdItem()[field]));
      expect(mail.text).toMatch(/\/bookings\/[0-9a-f-]{36}\/next-steps/);
    }
  });

  it('only the presenter answers; coordinators may read; a colleague, the chair and strangers get nothing', async () => {
    await t.clock.during(new Date('2027-01-26T10:00:00Z'), async () => {
      const a1 = bearer(await signIn(t, smtp, 'dsl@riverside.sch.uk'));
      const read = (await api().get(`/api/bookings/${items.mash.id}/next-steps`).set(a1).expect(200)).body;
      expect(read).toMatchObject({
        state: 'awaiting',
        version: 1,
        expectedWorkingDays: 1,
        questions: { made: 'Did you make the referral to the MASH?' },
      });
      const answer = {
        version: 1,
        referralMade: true,
        madeOn: '2027-01-19',
        heardBack: true,
        heardBackOn: '2027-01-20',
      };
      const coordinator = bearer(await signIn(t, smtp, 'coordinator@partnership.test'));
      await api().put(`/api/bookings/${items.mash.id}/next-steps`).set(coordinator).send(answer).expect(403);
      await api().get(`/api/bookings/${items.mash.id}/next-steps`).set(coordinator).expect(200);
      for (const email of ['deputy.dsl@riverside.sch.uk', 'chair@csc.gov.test', 'health.visitor@health.nhs.test']) {
        const other = bearer(await signIn(t, smtp, email));
        await api().get(`/api/bookings/${items.mash.id}/next-steps`).set(other).expect(404);
      }

      // Bad answers change nothing.
      const bad = await api()
        .put(`/api/bookings/${items.mash.id}/next-steps`)
        .set(a1)
        .send({ ...answer, madeOn: '2027-01-15' })
        .expect(400);
      expect(bad.body.details).toEqual([
        { field: 'madeOn', messages: ['must be on or after the meeting (2027-01-18)'] },
      ]);
      expect((await step(items.mash.id))!.answeredAt).toBeNull();

      const saved = (await api().put(`/api/bookings/${items.mash.id}/next-steps`).set(a1).send(answer).expect(200))
        .body;
      expect(saved).toMatchObject({
        state: 'heard-back-in-time',
        responseWorkingDays: 1,
        respondedInTime: true,
        version: 2,
      });
      // The same form sent again (a double click, a second tab): the version has moved on.
      const stale = await api().put(`/api/bookings/${items.mash.id}/next-steps`).set(a1).send(answer).expect(409);
      expect(stale.body.code).toBe('NEXT_STEP_VERSION_CONFLICT');
      const audited = await t.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'next-step.answered', entityId: items.mash.id });
      expect(audited.details).toEqual({ state: 'heard-back-in-time', again: false });

      // A coordinator's page shows the answers and no form: only the presenter answers.
      const coordinatorPage = await (
        await webSignIn(t, smtp, 'coordinator@partnership.test')
      )
        .get(`/bookings/${items.mash.id}/next-steps`)
        .expect(200);
      expect(coordinatorPage.text).toContain('Only the item’s presenter can answer.');
      expect(coordinatorPage.text).toContain('Yes, on 19 January 2027');
      expect(coordinatorPage.text).toContain('Yes, on 20 January 2027');
      expect(coordinatorPage.text).not.toContain(`action="/bookings/${items.mash.id}/next-steps"`);
      const presenterPage = await (
        await webSignIn(t, smtp, 'dsl@riverside.sch.uk')
      )
        .get(`/bookings/${items.mash.id}/next-steps`)
        .expect(200);
      expect(presenterPage.text).toContain(`action="/bookings/${items.mash.id}/next-steps"`);
      expect(presenterPage.text).not.toContain('Only the item’s presenter can answer.');
    });
  });

  it('two answers at once: one wins, the other is told the answer changed', async () => {
    await t.clock.during(new Date('2027-01-26T11:00:00Z'), async () => {
      const a1 = bearer(await signIn(t, smtp, 'dsl@riverside.sch.uk'));
      const current = (await step(items.mash.id))!.version;
      const send = (heardBackOn: string) =>
        api()
          .put(`/api/bookings/${items.mash.id}/next-steps`)
          .set(a1)
          .send({ version: current, referralMade: true, madeOn: '2027-01-19', heardBack: true, heardBackOn });
      // Both in time (the same day, the next working day): whichever wins, the figures below hold.
      const results = await Promise.all([send('2027-01-19'), send('2027-01-20')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await step(items.mash.id))!.version).toBe(current + 1);
    });
  });

  it('reminds once, five working days after asking; then records "no answer"; a late answer still counts', async () => {
    const before = smtp.messages.length;
    expect(await runAt('2027-02-01T08:59:00Z')).toMatchObject({ reminded: 0 });
    expect(await runAt('2027-02-01T09:01:00Z')).toEqual({ asked: 0, reminded: 2, noAnswer: 0 });
    expect(await runAt('2027-02-01T12:00:00Z')).toEqual({ asked: 0, reminded: 0, noAnswer: 0 });
    await outboxSettled(t, smtp);
    const reminders = smtp.messages.slice(before);
    expect(reminders.map((m) => m.subject).sort()).toEqual(
      [
        `Reminder: what happened next: item ${items.earlyHelp.reference}, Monday 18 January 2027`,
        `Reminder: what happened next: item ${items.other.reference}, Monday 18 January 2027`,
      ].sort(),
    );

    expect(await runAt('2027-02-08T08:59:00Z')).toMatchObject({ noAnswer: 0 });
    expect(await runAt('2027-02-08T09:01:00Z')).toEqual({ asked: 0, reminded: 0, noAnswer: 2 });
    expect((await step(items.earlyHelp.id))!.noAnswerAt).not.toBeNull();

    await t.clock.during(new Date('2027-02-09T10:00:00Z'), async () => {
      const b1 = bearer(await signIn(t, smtp, 'health.visitor@health.nhs.test'));
      const late = await api()
        .put(`/api/bookings/${items.other.id}/next-steps`)
        .set(b1)
        .send({ version: 1, referralMade: false })
        .expect(200);
      expect(late.body.state).toBe('not-made');
    });
  });

  it('the report counts what happened next by agency and quarter, and suppresses small counts in the publication view', async () => {
    // Counted here from the stored rows, independently of the report's SQL and rules.
    const rows = await t.dataSource.getRepository(NextStep).findBy({ meetingId });
    const expected = {
      asked: rows.length,
      answered: rows.filter((r) => r.answeredAt).length,
      'no-answer': rows.filter((r) => !r.answeredAt && r.noAnswerAt).length,
      made: rows.filter((r) => r.answeredAt && r.referralMade).length,
      'not-made': rows.filter((r) => r.answeredAt && r.referralMade === false).length,
      'heard-back-in-time': rows.filter((r) => r.answeredAt && r.referralMade && r.heardBack && r.respondedInTime)
        .length,
    };
    expect(expected).toEqual({
      asked: 3,
      answered: 2,
      'no-answer': 1,
      made: 1,
      'not-made': 1,
      'heard-back-in-time': 1,
    });
    const { full, published } = await t.clock.during(new Date('2027-02-10T10:00:00Z'), async () => {
      const coordinator = bearer(await signIn(t, smtp, 'coordinator@partnership.test'));
      const range = 'from=2027-01-01&to=2027-03-31';
      return {
        full: (await api().get(`/api/reports/summary?${range}`).set(coordinator).expect(200)).body,
        published: (await api().get(`/api/reports/summary?${range}&publication=true`).set(coordinator).expect(200))
          .body,
      };
    });
    const totals = (measures: Array<{ code: string; total: number | null }>) =>
      Object.fromEntries(measures.map((m) => [m.code, m.total]));
    expect(totals(full.nextSteps.allAgencies)).toMatchObject({ ...expected, awaiting: 0, 'heard-back-late': 0 });
    const byAgency = Object.fromEntries(
      (
        full.nextSteps.byAgency as Array<{ agency: { name: string }; measures: Array<{ code: string; total: number }> }>
      ).map((a) => [a.agency.name, totals(a.measures)]),
    );
    expect(byAgency['Riverside Academy']).toMatchObject({ asked: 2, answered: 1, 'no-answer': 1 });
    expect(Object.values(byAgency).reduce((sum, m) => sum + (m.asked ?? 0), 0)).toBe(expected.asked);
    // Every count here is from 1 to 4: hidden in the publication view, and marked so.
    const asked = (
      published.nextSteps.allAgencies as Array<{
        code: string;
        total: number | null;
        suppressed: { total: string | null };
      }>
    ).find((m) => m.code === 'asked')!;
    expect(asked).toMatchObject({ total: null, suppressed: { total: 'small' } });
  });

  it('the presenter answers on the page linked from the e-mail; a "no" drops the dates a stale form still sends', async () => {
    await t.clock.during(new Date('2027-02-10T11:00:00Z'), async () => {
      const presenter = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
      const item = await presenter.get(`/bookings/${items.earlyHelp.id}`).expect(200);
      expect(item.text).toContain('Tell us what happened next');
      const page = await presenter.get(`/bookings/${items.earlyHelp.id}/next-steps`).expect(200);
      expect(page.text).toContain('Did you make the request for early help?');
      expect(page.text).toContain('Hearing back within 10 working days counts as in time.');
      const version = /name="version" value="(\d+)"/.exec(page.text)![1];
      const form = (fields: Record<string, string>) =>
        presenter
          .post(`/bookings/${items.earlyHelp.id}/next-steps`)
          .type('form')
          .send({ _csrf: csrfFrom(page.text), version, ...fields });
      const missing = await form({});
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('<a href="#referralMade">Select yes if the referral or request was made</a>');
      const noDate = await form({ referralMade: 'yes', heardBack: 'no' });
      expect(noDate.text).toContain('<a href="#madeOn-day">Enter the date it was made</a>');
      const saved = await form({
        referralMade: 'no',
        'madeOn-day': '1',
        'madeOn-month': '2',
        'madeOn-year': '2027',
        heardBack: 'yes',
      });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/bookings/${items.earlyHelp.id}/next-steps?saved=1`);
      expect(await step(items.earlyHelp.id)).toMatchObject({ referralMade: false, madeOn: null, heardBack: null });
      // The same page submitted again: the answer changed since it was opened.
      const stale = await form({
        referralMade: 'yes',
        'madeOn-day': '1',
        'madeOn-month': '2',
        'madeOn-year': '2027',
        heardBack: 'no',
      });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('The answer was changed since you opened it');
      expect(await step(items.earlyHelp.id)).toMatchObject({ referralMade: false });
    });
  });

  it('never asks about an item whose case text retention has erased', async () => {
    const outcomes = t.dataSource.getRepository(Outcome);
    const universal = await outcomes.findOneByOrFail({ bookingId: items.universal.id });
    await outcomes.update(
      { id: universal.id },
      { pathway: 'mash-referral', caseTextErasedAt: new Date('2027-02-01T00:00:00Z') },
    );
    expect(await runAt('2027-02-11T09:30:00Z')).toMatchObject({ asked: 0 });
    expect(await step(items.universal.id)).toBeNull();
    await outcomes.update({ id: universal.id }, { caseTextErasedAt: null });
    expect(await runAt('2027-02-11T09:40:00Z')).toMatchObject({ asked: 1 });
  });
});
