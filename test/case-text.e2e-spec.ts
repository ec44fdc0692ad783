import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { Booking } from '../src/bookings/booking.entity';
import { CASE_TEXT, NOT_CASE_TEXT } from '../src/case-text/case-text.registry';
import { DomainError } from '../src/common/domain-error';
import { TransactionRunner } from '../src/database/transaction-runner';
import { Meeting } from '../src/meetings/meeting.entity';
import { RetentionService } from '../src/retention/retention.service';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

/** Letters only, so that the identifying-details check has nothing to find in them. */
const RUN = randomBytes(4)
  .toString('hex')
  .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]);
const mark = (what: string) => `Zq${what}Mark${RUN}`;
const MARKS = {
  mash: `MASHZQ${RUN.slice(0, 6)}/42`,
  misdirected: `The ${mark('Misdirected')} team`,
  owner: mark('Owner'),
  attendee: mark('Attendee'),
  role: mark('Role'),
  amendment: `Corrected ${mark('Amendment')} wording`,
  cancel: `Room flooded ${mark('Cancel')} today`,
  hold: `Practice review ${mark('Hold')} requested`,
  lift: `Review closed ${mark('Lift')} now`,
};

describe('case text: one declared list', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const api = (token: string) => ({
    get: (path: string) => request(t.http).get(path).set(bearer(token)),
    put: (path: string, body: object) => request(t.http).put(path).set(bearer(token)).send(body),
    post: (path: string, body: object = {}) => request(t.http).post(path).set(bearer(token)).send(body),
  });

  it('declares every text column of the schema: as case text, or with the reason it is not', () => {
    const declared = new Set([
      ...CASE_TEXT.map((c) => `${c.entity.name}.${c.property}`),
      ...NOT_CASE_TEXT.flatMap((n) => n.properties.map((p) => `${n.entity.name}.${p}`)),
    ]);
    const textTypes = new Set(['varchar', 'text', 'simple-json', 'simple-array', 'json', 'jsonb', String]);
    const inSchema = t.dataSource.entityMetadatas.flatMap((md) =>
      md.columns
        .filter((c) => textTypes.has(c.type as never))
        .map((c) => `${(md.target as { name: string }).name}.${c.propertyName}`),
    );
    const undeclared = inSchema.filter((column) => !declared.has(column));
    expect(undeclared).toEqual([]);
    // And the list names no column that does not exist (a rename would leave text unchecked).
    const existing = new Set(inSchema);
    expect([...declared].filter((column) => !existing.has(column))).toEqual([]);
    // Nothing is on both lists.
    const caseText = new Set(CASE_TEXT.map((c) => `${c.entity.name}.${c.property}`));
    expect(
      NOT_CASE_TEXT.flatMap((n) => n.properties.map((p) => `${n.entity.name}.${p}`)).filter((c) => caseText.has(c)),
    ).toEqual([]);
  });

  it('refuses an identifier in case text even on a write path that skips the service check (the guard)', async () => {
    const meetingId = (await createSeries(t, p)).meetings[0].id;
    const booked = await api(p.a1).post(`/api/meetings/${meetingId}/bookings`, thresholdItem()).expect(201);
    const tx = t.app.get(TransactionRunner);
    const attempt = tx.write((m) =>
      m.update(Booking, { id: booked.body.id }, { summary: 'NHS number 943 476 5919 here' }),
    );
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({
      code: 'IDENTIFYING_DETAILS',
      details: [{ field: 'summary', kind: 'nhs-number' }],
    });
    const row = await t.dataSource.getRepository(Booking).findOneByOrFail({ id: booked.body.id });
    expect(row.summary).toBe(thresholdItem().summary);
  });

  it('retention erases every declared column: MASH reference, where it should have gone, owners, attendees, reasons', async () => {
    const csc = (await api(p.coordinator).get('/api/agencies').expect(200)).body.find(
      (a: { sector: string }) => a.sector === 'childrens-social-care',
    ).id;
    const [held, cancelled] = (await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4, title: 'Retention run' }))
      .meetings;
    const item = await api(p.b1)
      .post(
        `/api/meetings/${held.id}/bookings`,
        thresholdItem({ kind: 'referral-feedback', mashReference: MARKS.mash, referralDate: workingDayFromToday(-20) }),
      )
      .expect(201);
    const other = await api(p.a1).post(`/api/meetings/${held.id}/bookings`, thresholdItem()).expect(201);
    await api(p.coordinator).post(`/api/bookings/${other.body.id}/legal-hold`, { reason: MARKS.hold }).expect(201);
    await api(p.coordinator).post(`/api/bookings/${other.body.id}/legal-hold/lift`, { reason: MARKS.lift }).expect(200);
    await api(p.coordinator).post(`/api/meetings/${cancelled.id}/cancel`, { reason: MARKS.cancel }).expect(200);

    const startsAt = new Date(t.clock.now().getTime() - 2 * 3600_000);
    await t.dataSource
      .getRepository(Meeting)
      .update(
        { id: held.id },
        { startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), bookingClosesAt: startsAt },
      );
    await api(p.chair)
      .put(`/api/meetings/${held.id}/attendance`, [
        { name: MARKS.attendee, role: MARKS.role, agencyId: csc, status: 'present' },
      ])
      .expect(200);
    await api(p.chair)
      .put(`/api/bookings/${item.body.id}/outcome`, {
        levelAdvised: 3,
        pathway: 'mash-referral',
        advice: 'Resubmit with consent recorded.',
        referralQuality: {
          timely: true,
          complete: false,
          appropriate: false,
          issues: ['other'],
          misdirectedTo: MARKS.misdirected,
        },
      })
      .expect(201);
    await api(p.chair)
      .put(`/api/bookings/${other.body.id}/outcome`, {
        levelAdvised: 1,
        pathway: 'universal',
        advice: 'Universal services.',
      })
      .expect(201);
    await api(p.chair)
      .post(`/api/meetings/${held.id}/actions`, {
        description: 'Share the guidance.',
        ownerAgencyId: p.agencyB,
        ownerName: MARKS.owner,
        dueDate: workingDayFromToday(5),
      })
      .expect(201);
    await api(p.chair).post(`/api/meetings/${held.id}/minutes/approve`).expect(200);
    await api(p.chair)
      .post(`/api/meetings/${held.id}/minutes/amendments`, {
        reason: MARKS.amendment,
        themesNote: 'Consent is a theme.',
      })
      .expect(201);
    const before = JSON.stringify((await api(p.coordinator).get(`/api/meetings/${held.id}/minutes`).expect(200)).body);
    for (const marker of [MARKS.mash, MARKS.owner, MARKS.attendee, MARKS.role, mark('Misdirected')])
      expect(before).toContain(marker);

    // More than the period later (24 months by default).
    const later = DateTime.fromJSDate(t.clock.now()).minus({ months: 25 });
    for (const id of [held.id, cancelled.id]) {
      await t.dataSource.getRepository(Meeting).update(
        { id },
        {
          startsAt: later.toJSDate(),
          endsAt: later.plus({ hours: 1 }).toJSDate(),
          bookingClosesAt: later.minus({ days: 3 }).toJSDate(),
        },
      );
    }
    await t.app.get(RetentionService).run();

    // No declared column of any row holds a marker any more.
    const leftovers: string[] = [];
    for (const column of CASE_TEXT) {
      const metadata = t.dataSource.getMetadata(column.entity);
      const name = metadata.findColumnWithPropertyName(column.property)!.databaseName;
      for (const marker of Object.values(MARKS)) {
        const token = marker.match(/(?:Zq\w+|MASHZQ[a-z]+)/)![0];
        const n = await t.dataSource
          .createQueryBuilder()
          .from(metadata.target, 'x')
          .where(`x.${name} LIKE :like`, { like: `%${token}%` })
          .getCount();
        if (n > 0) leftovers.push(`${metadata.tableName}.${name}: ${marker}`);
      }
    }
    expect(leftovers).toEqual([]);
    const after = JSON.stringify((await api(p.coordinator).get(`/api/meetings/${held.id}/minutes`).expect(200)).body);
    const version1 = JSON.stringify(
      (await api(p.coordinator).get(`/api/meetings/${held.id}/minutes?version=1`).expect(200)).body,
    );
    for (const marker of Object.values(MARKS)) {
      expect(after).not.toContain(marker);
      expect(version1).not.toContain(marker);
    }
    expect(after).toContain('removed under the retention policy on');
  });
});
