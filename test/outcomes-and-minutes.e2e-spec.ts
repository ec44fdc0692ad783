import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Meeting } from '../src/meetings/meeting.entity';
import { OutboxMessage } from '../src/mail/outbox-message.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { addProfessional, bearer, signIn } from './support/sign-in';
import { User } from '../src/directory/user.entity';
import { outboxSettled } from './support/outbox';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const MARKING = 'OFFICIAL-SENSITIVE – do not forward';
const NOTICE = 'Confidential: for the safeguarding work of the people it was sent to.';

/** Long, non-identifying case text, so that one agency's extract runs over several PDF pages. */
const paragraph = (topic: string) =>
  `${topic}: the school and the family agreed a plan of support, reviewed weekly by the pastoral lead, with the child’s views recorded at each review. `;
const ITEM_A = thresholdItem({
  question:
    'Agency A asks whether the pattern of low attendance and hunger meets the threshold for early help or for a referral to the MASH.',
  summary: ('Agency A summary: ' + paragraph('Attendance').repeat(25)).slice(0, 3900).trim(),
});
const ADVICE_A = ('Advice for agency A: offer an early help assessment with consent. ' + paragraph('Advice').repeat(25))
  .slice(0, 3800)
  .trim();
const MASH_B = 'MASH-2026-4411';
const ITEM_B = thresholdItem({
  kind: 'referral-feedback',
  agencyReference: 'NCH-HV-2026-88',
  mashReference: MASH_B,
  referralDate: workingDayFromToday(-20),
  question:
    'Agency B asks whether their referral to the MASH for the toddler was complete and sent to the right place.',
  summary:
    'Agency B summary: health visitor concerned about home conditions and a parent’s low mood; referral made to the MASH.',
});
const ADVICE_B = 'Advice for agency B: the referral should have gone to the Early Help Hub first.';
const FEEDBACK_B = {
  kind: 'agency-feedback',
  immediateRisk: false,
  summary: 'Agency B feedback: MASH acknowledgements are taking more than three working days to arrive.',
};
const RESPONSE_B = 'Response to agency B: the MASH will send acknowledgements within one working day from next month.';
const ITEM_A2 = thresholdItem({
  summary: 'Agency A second item: not reached, to be carried forward to the next meeting.',
});

describe('outcomes and minutes: a meeting from booking to approved minutes', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let csc: string;
  let meetings: Array<{ id: string; startsAt: string }>;
  let meetingId: string;
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};

  const userId = async (email: string) => (await t.dataSource.getRepository(User).findOneByOrFail({ email })).id;
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
  const pdfText = async (token: string, path: string): Promise<string> => {
    const res = await request(t.http)
      .get(path)
      .set(bearer(token))
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes }).toString('utf8');
  };
  const pages = (text: string) => text.split('\f').filter((page) => page.trim().length > 0);
  const audits = (action: string) => t.dataSource.getRepository(AuditEvent).findBy({ action, entityId: meetingId });
  const waitForMail = (email: string, subject: RegExp, count = 1) =>
    smtp.waitFor(() => smtp.to(email).filter((m) => subject.test(m.subject ?? '')).length >= count);

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const agencies = await api(p.coordinator).get('/api/agencies').expect(200);
    csc = agencies.body.find((a: { sector: string }) => a.sector === 'childrens-social-care').id;
    meetings = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 6 })).meetings;
    meetingId = meetings[0].id;

    const book = async (name: string, token: string, body: object) => {
      const res = await api(token).post(`/api/meetings/${meetingId}/bookings`, body).expect(201);
      ids[name] = res.body.id;
      refs[name] = res.body.reference;
    };
    await book('itemA', p.a1, ITEM_A);
    await book('itemB', p.b1, ITEM_B);
    await book('feedbackB', p.b1, FEEDBACK_B);
    await book('itemA2', p.a2, ITEM_A2);

    // The meeting takes place: it began two hours ago.
    const startsAt = new Date(t.clock.now().getTime() - 2 * 3600_000);
    await t.dataSource.getRepository(Meeting).update(
      { id: meetingId },
      {
        startsAt,
        endsAt: new Date(startsAt.getTime() + 120 * 60_000),
        bookingClosesAt: new Date(startsAt.getTime() - 86_400_000),
      },
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // One story: every step builds on the ones before (the outcomes, the approval, the amendment).
  const step = story('a meeting from booking to approved and amended minutes, step by step');

  step(
    'the chair records attendance with each person’s acceptance of the configured confidentiality statement',
    async () => {
      const register = [
        {
          name: 'Charlie Chair',
          email: 'chair@csc.gov.test',
          agencyId: csc,
          role: 'MASH manager (chair)',
          status: 'present',
          confidentialityAccepted: true,
        },
        {
          name: 'Dana Lead',
          email: 'DSL@riverside.sch.uk',
          agencyId: p.agencyA,
          role: 'Designated Safeguarding Lead',
          status: 'present',
          bookingIds: [ids.itemA],
          confidentialityAccepted: true,
        },
        { name: 'Helen Visitor', agencyId: p.agencyB, role: 'Health visitor', status: 'apologies' },
      ];
      const res = await api(p.chair).put(`/api/meetings/${meetingId}/attendance`, register).expect(200);
      expect(res.body.confidentialityStatement).toBe(t.config.CONFIDENTIALITY_STATEMENT);
      expect(res.body.attendees).toHaveLength(3);
      expect(res.body.attendees[1]).toMatchObject({
        email: 'dsl@riverside.sch.uk',
        agency: { id: p.agencyA },
        bookingIds: [ids.itemA],
        confidentialityAccepted: true,
      });
      expect(res.body.attendees[2]).toMatchObject({
        status: 'apologies',
        confidentialityAccepted: false,
        confidentialityAcceptedAt: null,
      });
      const again = await api(p.coordinator).get(`/api/meetings/${meetingId}/attendance`).expect(200);
      expect(again.body.attendees.map((a: { name: string }) => a.name)).toEqual([
        'Charlie Chair',
        'Dana Lead',
        'Helen Visitor',
      ]);
    },
  );

  step(
    'records outcomes; the presenter is told by e-mail with a link and no case text, and can read their own',
    async () => {
      const before = smtp.to('dsl@riverside.sch.uk').length;
      const a = await api(p.chair)
        // Marked final: the presenter is told now, not only when the minutes are approved.
        .put(`/api/bookings/${ids.itemA}/outcome`, {
          levelAdvised: 2,
          pathway: 'early-help',
          advice: ADVICE_A,
          final: true,
        })
        .expect(201);
      expect(a.body).toMatchObject({
        bookingId: ids.itemA,
        reference: refs.itemA,
        levelAdvised: 2,
        levelLabel: 'Early help (additional needs)',
        pathway: 'early-help',
        version: 1,
      });

      const b = await api(p.chair)
        .put(`/api/bookings/${ids.itemB}/outcome`, {
          levelAdvised: 2,
          pathway: 'early-help',
          advice: ADVICE_B,
          referralQuality: {
            timely: true,
            complete: false,
            appropriate: false,
            issues: ['missing-information', 'consent-not-recorded'],
            misdirectedTo: 'Early Help Hub',
          },
        })
        .expect(201);
      expect(b.body.referralQuality).toEqual({
        timely: true,
        complete: false,
        appropriate: false,
        issues: [
          { code: 'missing-information', label: 'Missing information' },
          { code: 'consent-not-recorded', label: 'Consent not recorded' },
        ],
        misdirectedTo: 'Early Help Hub',
      });
      await api(p.chair).put(`/api/bookings/${ids.feedbackB}/outcome`, { response: RESPONSE_B }).expect(201);

      await waitForMail('dsl@riverside.sch.uk', /^Outcome ready/);
      const mail = smtp
        .to('dsl@riverside.sch.uk')
        .slice(before)
        .find((m) => /^Outcome ready/.test(m.subject ?? ''))!;
      expect(mail.subject).toContain(refs.itemA);
      expect(mail.text).toContain(`http://thresholds.test/bookings/${ids.itemA}`);
      for (const secret of [
        ADVICE_A.slice(0, 40),
        ITEM_A.summary.slice(0, 40),
        ITEM_A.question.slice(0, 40),
        ITEM_A.agencyReference,
      ]) {
        expect(mail.text).not.toContain(secret);
        expect(String(mail.html)).not.toContain(secret);
      }

      const own = await api(p.a1).get(`/api/bookings/${ids.itemA}/outcome`).expect(200);
      expect(own.body).toMatchObject({ advice: ADVICE_A, version: 1 });
      await api(p.b1).get(`/api/bookings/${ids.itemA}/outcome`).expect(404);
      const read = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'outcome.read', entityId: ids.itemA });
      expect(read).toHaveLength(1);
    },
  );

  step('carries the item not reached forward, agrees actions and notes the themes, then approves', async () => {
    const deferred = await api(p.chair).post(`/api/bookings/${ids.itemA2}/defer`).expect(200);
    expect(deferred.body).toMatchObject({
      id: ids.itemA2,
      reference: refs.itemA2,
      meetingId: meetings[1].id,
      status: 'booked',
      deferredFromMeetingId: meetingId,
      deferrals: 1,
    });

    await api(p.chair)
      .post(`/api/meetings/${meetingId}/actions`, {
        description: 'Circulate the revised MASH referral form to all schools.',
        ownerAgencyId: csc,
        dueDate: workingDayFromToday(10),
      })
      .expect(201);
    const itemAction = await api(p.chair)
      .post(`/api/meetings/${meetingId}/actions`, {
        description: 'Agency B action: resubmit the referral to the Early Help Hub with consent recorded.',
        ownerAgencyId: p.agencyB,
        ownerName: 'Helen Visitor',
        dueDate: workingDayFromToday(5),
        bookingId: ids.itemB,
      })
      .expect(201);
    expect(itemAction.body).toMatchObject({
      status: 'open',
      overdue: false,
      item: { bookingId: ids.itemB, reference: refs.itemB },
    });
    await api(p.chair)
      .patch(`/api/meetings/${meetingId}/minutes`, {
        themesNote: 'Several referrals arrived without recorded consent.',
      })
      .expect(200);

    // Not yet: another meeting in the future cannot be approved.
    const early = await api(p.chair).post(`/api/meetings/${meetings[2].id}/minutes/approve`).expect(409);
    expect(early.body.code).toBe('MEETING_NOT_HELD');

    // Professionals see nothing of a draft, in any format: JSON, the printable page, the PDF.
    for (const format of ['minutes', 'minutes.html', 'minutes.pdf']) {
      const refused = await api(p.a1).get(`/api/meetings/${meetingId}/${format}`).expect(404);
      expect(refused.type).toBe('application/json');
      expect(JSON.stringify(refused.body)).not.toContain('Several referrals');
    }
    const draft = await api(p.chair).get(`/api/meetings/${meetingId}/minutes`).expect(200);
    expect(draft.body).toMatchObject({ status: 'draft', version: null, latestVersion: 0, scope: 'full' });

    const approved = await api(p.chair).post(`/api/meetings/${meetingId}/minutes/approve`).expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      version: 1,
      latestVersion: 1,
      scope: 'full',
      marking: MARKING,
    });
    const c = approved.body.content;
    expect(c.items.map((i: { reference: string }) => i.reference)).toEqual([refs.itemA, refs.itemB]);
    expect(c.general.agencyFeedback).toEqual([
      expect.objectContaining({
        reference: refs.feedbackB,
        responded: true,
        caseText: { feedback: FEEDBACK_B.summary, response: RESPONSE_B },
      }),
    ]);
    expect(c.deferred).toEqual([
      expect.objectContaining({
        reference: refs.itemA2,
        placement: 'booked',
        toMeeting: expect.objectContaining({ id: meetings[1].id }),
      }),
    ]);
    expect(c.general.attendance.map((g: { agency: { name: string } }) => g.agency.name)).toEqual([
      'Children’s Social Care',
      'Riverside Academy',
      'Northshire Community Health',
    ]);
    expect(c.general.themes).toMatchObject({
      itemsDiscussed: 3,
      outcomesRecorded: 3,
      itemsDeferred: 1,
      byPathway: [{ code: 'early-help', label: 'Early help / CAF', count: 2 }],
      referralQuality: { reviewed: 1, timely: 1, complete: 0, appropriate: 0 },
      caseText: { note: 'Several referrals arrived without recorded consent.' },
    });
    expect(c.actions).toHaveLength(2);
    expect(c.confidentialityStatement).toBe(t.config.CONFIDENTIALITY_STATEMENT);
  });

  step(
    'sends the link (and nothing else) to every attendee and every invited agency nobody attended from, and keeps the record',
    async () => {
      // Attendees with an account: the chair and agency A's DSL; then every presenter: agency B's
      // (who sent apologies) and the deputy DSL, whose item was carried forward from this meeting.
      const recipients = [
        'chair@csc.gov.test',
        'dsl@riverside.sch.uk',
        'health.visitor@health.nhs.test',
        'deputy.dsl@riverside.sch.uk',
      ];
      for (const email of recipients) await waitForMail(email, /^Minutes approved/);
      const sent = smtp.messages.filter((m) => /^Minutes approved/.test(m.subject ?? ''));
      expect(sent).toHaveLength(4);
      expect(
        sent
          .flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to!]).flatMap((to) => to.value.map((v) => v.address)))
          .sort(),
      ).toEqual([...recipients].sort());
      for (const mail of sent) {
        expect(mail.text).toContain(`http://thresholds.test/meetings/${meetingId}/minutes`);
        for (const secret of [
          ADVICE_A.slice(0, 30),
          ADVICE_B,
          RESPONSE_B,
          FEEDBACK_B.summary,
          ITEM_B.summary,
          refs.itemB,
        ]) {
          expect(mail.text).not.toContain(secret);
          expect(String(mail.html)).not.toContain(secret);
        }
      }
      const record = await api(p.chair).get(`/api/meetings/${meetingId}/minutes/distribution`).expect(200);
      expect(record.body.map((r: { recipient: string }) => r.recipient).sort()).toEqual([...recipients].sort());
      expect(
        record.body.every((r: { version: number; kind: string }) => r.version === 1 && r.kind === 'minutes-approved'),
      ).toBe(true);
      const rows = await t.dataSource
        .getRepository(OutboxMessage)
        .findBy({ subjectType: 'minutes_version', kind: 'minutes-approved' });
      expect(rows).toHaveLength(4);
      await api(p.a1).get(`/api/meetings/${meetingId}/minutes/distribution`).expect(403);
    },
  );

  step('agency A sees the general part and only its own item, in JSON, HTML and PDF; agency B likewise', async () => {
    const asA = await api(p.a1).get(`/api/meetings/${meetingId}/minutes`).expect(200);
    expect(asA.headers['cache-control']).toBe('no-store');
    expect(asA.body).toMatchObject({
      scope: 'extract',
      extractFor: 'Dee Lead',
      status: 'approved',
      version: 1,
    });
    const a = asA.body.content;
    expect(a.items.map((i: { reference: string }) => i.reference)).toEqual([refs.itemA]);
    expect(a.items[0].caseText).toMatchObject({ summary: ITEM_A.summary, advice: ADVICE_A });
    expect(a.general.agencyFeedback[0].caseText.response).toBe(RESPONSE_B); // the general part
    expect(a.actions.map((x: { caseText: { description: string } }) => x.caseText.description)).toEqual([
      'Circulate the revised MASH referral form to all schools.',
    ]);
    // Item A2 is a colleague's (a2 presented it, a1 did not attend for it): not in a1's extract.
    expect(a.deferred).toEqual([]);
    expect(JSON.stringify(a)).not.toContain(refs.itemA2);
    expect(asA.body.versions[0]).not.toHaveProperty('reason');
    const jsonA = JSON.stringify(asA.body);
    const agencyBSecrets = [
      refs.itemB,
      ITEM_B.summary,
      ITEM_B.question,
      ADVICE_B,
      MASH_B,
      ITEM_B.agencyReference,
      'resubmit the referral',
    ];
    for (const secret of agencyBSecrets) expect(jsonA).not.toContain(secret);

    const htmlA = await api(p.a1).get(`/api/meetings/${meetingId}/minutes.html`).expect(200);
    expect(htmlA.headers['content-type']).toMatch(/^text\/html/);
    expect(htmlA.text).toContain(MARKING);
    expect(htmlA.text).toContain(refs.itemA);
    expect(htmlA.text).toContain('the child’s views recorded'); // agency A's own case text
    for (const secret of agencyBSecrets) expect(htmlA.text).not.toContain(secret);

    const pdfA = await pdfText(p.a1, `/api/meetings/${meetingId}/minutes.pdf`);
    const flatA = pdfA.replace(/\s+/g, ' ');
    expect(flatA).toContain(refs.itemA);
    expect(flatA).toContain('Extract for Dee Lead');
    expect(flatA).toContain('Children’s Social Care');
    for (const secret of [refs.itemB, 'Agency B summary', 'Advice for agency B', MASH_B, 'resubmit the referral']) {
      expect(flatA).not.toContain(secret);
    }
    // Agency A's long item runs over several pages: each carries the marking, the notice and its number.
    const pagesA = pages(pdfA);
    expect(pagesA.length).toBeGreaterThanOrEqual(2);
    pagesA.forEach((page, i) => {
      const flat = page.replace(/\s+/g, ' ');
      expect(flat).toContain(MARKING);
      expect(flat).toContain(NOTICE);
      expect(flat).toContain(`Page ${i + 1} of ${pagesA.length}`);
    });

    const asB = await api(p.b1).get(`/api/meetings/${meetingId}/minutes`).expect(200);
    expect(asB.body.content.items.map((i: { reference: string }) => i.reference)).toEqual([refs.itemB]);
    expect(asB.body.content.actions).toHaveLength(2);
    const jsonB = JSON.stringify(asB.body);
    for (const secret of [refs.itemA, refs.itemA2, 'Agency A summary', 'Advice for agency A', ITEM_A.question])
      expect(jsonB).not.toContain(secret);
    const pdfB = (await pdfText(p.b1, `/api/meetings/${meetingId}/minutes.pdf`)).replace(/\s+/g, ' ');
    expect(pdfB).toContain(refs.itemB);
    expect(pdfB).toContain('Early Help Hub');
    for (const secret of [refs.itemA, 'Agency A summary', 'Advice for agency A']) expect(pdfB).not.toContain(secret);

    // The chair sees everything in every format.
    const full = (await pdfText(p.chair, `/api/meetings/${meetingId}/minutes.pdf`)).replace(/\s+/g, ' ');
    for (const ref of [refs.itemA, refs.itemB, refs.feedbackB, refs.itemA2]) expect(full).toContain(ref);
    const fullHtml = await api(p.coordinator).get(`/api/meetings/${meetingId}/minutes.html`).expect(200);
    for (const ref of [refs.itemA, refs.itemB]) expect(fullHtml.text).toContain(ref);

    const reads = await audits('minutes.read');
    expect(reads.filter((e) => e.details?.scope === 'extract').length).toBeGreaterThanOrEqual(2);
    const exports = await audits('minutes.exported');
    expect(exports.map((e) => e.details?.format).sort()).toEqual(expect.arrayContaining(['html', 'pdf']));
    expect(exports.filter((e) => e.details?.format === 'pdf')).toHaveLength(3);
  });

  step(
    'a colleague of the same agency who neither presented nor attended gets 404 for the minutes and the items, in JSON, HTML and PDF',
    async () => {
      await addProfessional(t, p.coordinator, 'teacher3@riverside.sch.uk', p.agencyA, 'Third Teacher');
      const colleague = await signIn(t, smtp, 'teacher3@riverside.sch.uk');
      for (const path of ['minutes', 'minutes.html', 'minutes.pdf']) {
        const res = await api(colleague)
          .get(`/api/meetings/${meetingId}/minutes${path.slice(7)}`)
          .expect(404);
        expect(JSON.stringify(res.body)).not.toContain(refs.itemA);
      }
      for (const item of ['itemA', 'itemA2', 'itemB']) {
        await api(colleague).get(`/api/bookings/${ids[item]}`).expect(404);
        await api(colleague).get(`/api/bookings/${ids[item]}/outcome`).expect(404);
      }
      // The colleague who presented item A2 (carried forward) sees it, and not item A.
      const asA2 = await api(p.a2).get(`/api/meetings/${meetingId}/minutes`).expect(200);
      expect(asA2.body.content.deferred.map((d: { reference: string }) => d.reference)).toEqual([refs.itemA2]);
      expect(JSON.stringify(asA2.body)).not.toContain(ITEM_A.summary);
      await api(p.a2).get(`/api/bookings/${ids.itemA}`).expect(404);
      await api(p.a2).get(`/api/bookings/${ids.itemA2}`).expect(200);
    },
  );

  step('the agency lead of agency A sees both of its items; agency B’s lead sees neither', async () => {
    await api(p.coordinator)
      .patch(`/api/users/${await userId('teacher3@riverside.sch.uk')}`, { roles: ['professional', 'agency-lead'] })
      .expect(200);
    const lead = await signIn(t, smtp, 'teacher3@riverside.sch.uk');
    const minutes = await api(lead).get(`/api/meetings/${meetingId}/minutes`).expect(200);
    expect(minutes.body.content.items.map((i: { reference: string }) => i.reference)).toEqual([refs.itemA]);
    expect(minutes.body.content.deferred.map((d: { reference: string }) => d.reference)).toEqual([refs.itemA2]);
    expect(JSON.stringify(minutes.body)).not.toContain(ITEM_B.summary);
    await api(lead).get(`/api/bookings/${ids.itemA}`).expect(200);
    await api(lead).get(`/api/bookings/${ids.itemB}`).expect(404);
    const list = await api(lead).get('/api/bookings?agency=true').expect(200);
    expect(list.body.map((b: { reference: string }) => b.reference).sort()).toEqual([refs.itemA, refs.itemA2].sort());
  });
  step('escapes case text in the HTML view', async () => {
    // A chair's note written as markup must come back as text.
    const other = meetings[3].id;
    await api(p.chair)
      .patch(`/api/meetings/${other}/minutes`, { themesNote: '<script>alert(1)</script> & "quotes"' })
      .expect(200);
    const html = await api(p.chair).get(`/api/meetings/${other}/minutes.html`).expect(200);
    expect(html.text).not.toContain('<script>alert(1)</script>');
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html.text).not.toMatch(/<script/i);
    expect(html.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(html.headers['content-security-policy']).not.toMatch(/script-src/);
  });

  step('approved minutes refuse edits (409) except by amendment', async () => {
    const expectLocked = (res: request.Response) => expect(res.body.code).toBe('MINUTES_APPROVED');
    expectLocked(await api(p.chair).put(`/api/meetings/${meetingId}/attendance`, []).expect(409));
    expectLocked(
      await api(p.chair)
        .put(`/api/bookings/${ids.itemA}/outcome`, {
          version: 1,
          levelAdvised: 3,
          pathway: 'mash-referral',
          advice: 'Changed.',
        })
        .expect(409),
    );
    expectLocked(
      await api(p.chair)
        .post(`/api/meetings/${meetingId}/actions`, {
          description: 'Late action',
          ownerAgencyId: csc,
          dueDate: workingDayFromToday(3),
        })
        .expect(409),
    );
    expectLocked(await api(p.chair).patch(`/api/meetings/${meetingId}/minutes`, { themesNote: 'Changed' }).expect(409));
    expectLocked(await api(p.chair).post(`/api/meetings/${meetingId}/minutes/approve`).expect(409));
    const outcome = await api(p.chair).get(`/api/bookings/${ids.itemA}/outcome`).expect(200);
    expect(outcome.body).toMatchObject({ levelAdvised: 2, version: 1 });

    // An amendment needs a reason and a change; a draft is not amended.
    const noReason = await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, { themesNote: 'x' })
      .expect(400);
    expect(noReason.body.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
    const noChange = await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, { reason: 'Nothing really' })
      .expect(400);
    expect(noChange.body.code).toBe('VALIDATION_FAILED');
    const draft = await api(p.chair)
      .post(`/api/meetings/${meetings[2].id}/minutes/amendments`, { reason: 'Not approved yet', themesNote: 'x' })
      .expect(409);
    expect(draft.body.code).toBe('MINUTES_NOT_APPROVED');
    const badOutcome = await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, {
        reason: 'Correct the level',
        outcomes: [{ bookingId: ids.itemA, version: 1, levelAdvised: 9, pathway: 'mash-referral', advice: 'x y' }],
      })
      .expect(400);
    expect(badOutcome.body.details.map((d: { field: string }) => d.field)).toEqual(['outcomes[0].levelAdvised']);
    const badParts = await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, {
        reason: 'Fix the register and add an action',
        attendance: [{ name: 'Someone', agencyId: '00000000-0000-4000-8000-000000000000', status: 'present' }],
      })
      .expect(400);
    expect(badParts.body.details.map((d: { field: string }) => d.field)).toEqual(['attendance[0].agencyId']);
    const badAction = await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, {
        reason: 'Add a missed action',
        actions: [{ description: 'Missed action here', ownerAgencyId: csc, dueDate: '2020-01-01' }],
      })
      .expect(400);
    expect(badAction.body.details.map((d: { field: string }) => d.field)).toEqual(['actions[0].dueDate']);
    const versions = await api(p.chair).get(`/api/meetings/${meetingId}/minutes`).expect(200);
    expect(versions.body.latestVersion).toBe(1); // nothing changed
  });

  step('an amendment makes version 2, keeps version 1 readable, tells the presenter and re-distributes', async () => {
    const before = smtp.messages.length;
    const amended = await api(p.chair)
      .post(`/api/meetings/${meetingId}/minutes/amendments`, {
        reason: 'The chair corrected the pathway after checking the notes',
        outcomes: [
          {
            bookingId: ids.itemA,
            version: 1,
            levelAdvised: 3,
            pathway: 'mash-referral',
            advice: 'Amended advice: make a referral to the MASH today.',
          },
        ],
      })
      .expect(201);
    expect(amended.body).toMatchObject({ status: 'approved', version: 2, latestVersion: 2 });
    expect(amended.body.versions).toEqual([
      expect.objectContaining({ version: 1, kind: 'approval', reason: null }),
      expect.objectContaining({
        version: 2,
        kind: 'amendment',
        reason: 'The chair corrected the pathway after checking the notes',
      }),
    ]);

    const latest = await api(p.a1).get(`/api/meetings/${meetingId}/minutes`).expect(200);
    expect(latest.body.version).toBe(2);
    expect(latest.body.content.items[0]).toMatchObject({
      outcome: { levelAdvised: 3, pathway: 'mash-referral', version: 2 },
      caseText: { advice: 'Amended advice: make a referral to the MASH today.' },
    });
    const first = await api(p.a1).get(`/api/meetings/${meetingId}/minutes?version=1`).expect(200);
    expect(first.body.version).toBe(1);
    expect(first.body.content.items[0]).toMatchObject({
      outcome: { levelAdvised: 2, pathway: 'early-help' },
      caseText: { advice: ADVICE_A },
    });
    const firstPdf = (await pdfText(p.a1, `/api/meetings/${meetingId}/minutes.pdf?version=1`)).replace(/\s+/g, ' ');
    expect(firstPdf).toContain('Approved minutes, version 1 (a later version, 2, exists)');
    await api(p.a1).get(`/api/meetings/${meetingId}/minutes?version=3`).expect(404);

    const outcome = await api(p.a1).get(`/api/bookings/${ids.itemA}/outcome`).expect(200);
    expect(outcome.body).toMatchObject({ levelAdvised: 3, version: 2 });
    await waitForMail('dsl@riverside.sch.uk', /^Outcome amended/);
    for (const email of [
      'chair@csc.gov.test',
      'dsl@riverside.sch.uk',
      'health.visitor@health.nhs.test',
      'deputy.dsl@riverside.sch.uk',
    ])
      await waitForMail(email, /^Minutes amended \(version 2\)/);
    await outboxSettled(t, smtp); // every message of the amendment, not only the four waited for
    const amendedMails = smtp.messages.slice(before).filter((m) => /^Minutes amended/.test(m.subject ?? ''));
    // One each: the four people the approval went to, and agency A's lead, named since (an agency
    // that had an item: its lead is told, by the need-to-know rule).
    expect(
      amendedMails
        .flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to!]).flatMap((to) => to.value.map((v) => v.address)))
        .sort(),
    ).toEqual([
      'chair@csc.gov.test',
      'deputy.dsl@riverside.sch.uk',
      'dsl@riverside.sch.uk',
      'health.visitor@health.nhs.test',
      'teacher3@riverside.sch.uk',
    ]);
    expect(amendedMails).toHaveLength(5);
    expect(amendedMails.every((m) => !String(m.text).includes('Amended advice'))).toBe(true);
  });

  step('audits every change and read of outcomes and minutes, without case text', async () => {
    const repo = t.dataSource.getRepository(AuditEvent);
    const byAction = async (action: string) => repo.findBy({ action });
    expect(await byAction('attendance.recorded')).toHaveLength(1);
    expect((await byAction('outcome.recorded')).map((e) => e.entityId).sort()).toEqual(
      [ids.itemA, ids.itemB, ids.feedbackB].sort(),
    );
    expect(await byAction('outcome.updated')).toEqual([
      expect.objectContaining({
        entityId: ids.itemA,
        details: expect.objectContaining({ viaAmendment: true, version: 2 }),
      }),
    ]);
    expect(await byAction('booking.deferred')).toEqual([
      expect.objectContaining({
        entityId: ids.itemA2,
        details: expect.objectContaining({ fromMeetingId: meetingId, toMeetingId: meetings[1].id }),
      }),
    ]);
    expect(await byAction('action.created')).toHaveLength(2);
    expect(await audits('minutes.approved')).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ version: 1, recipients: 4, attendees: 2, presenters: 2 }),
      }),
    ]);
    expect(await audits('minutes.amended')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ version: 2, changed: ['outcomes'] }) }),
    ]);
    expect(await audits('minutes.draft-updated')).toHaveLength(1);
    const all = JSON.stringify(await repo.find());
    for (const secret of [
      ADVICE_A.slice(0, 30),
      ADVICE_B,
      RESPONSE_B,
      ITEM_B.summary,
      'Several referrals arrived',
      'resubmit the referral',
      'Amended advice',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
