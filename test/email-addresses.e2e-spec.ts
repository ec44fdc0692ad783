import request from 'supertest';
import { User } from '../src/directory/user.entity';
import { MeetingsService } from '../src/meetings/meetings.service';
import { SeriesCoreMember } from '../src/meetings/series-core-member.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';

/** One e-mail rule everywhere: odd but accepted addresses used to break invites, bookings and jobs. */
describe('e-mail addresses: one rule, and no address can break a job', () => {
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

  it.each(['mal#1@riverside.sch.uk', 'ALİCE@riverside.sch.uk', 'a%b@riverside.sch.uk', 'dsl\u200b@riverside.sch.uk'])(
    'refuses %p with 400 on sign-in, on users and as a core member or attendee',
    async (email) => {
      const signIn = await request(t.http).post('/api/auth/sign-in').send({ email }).expect(400);
      expect(signIn.body.details[0].field).toBe('email');
      await request(t.http)
        .post('/api/users')
        .set(bearer(p.coordinator))
        .send({ email, name: 'Someone', agencyId: p.agencyA, roles: ['professional'] })
        .expect(400);
      const series = await createSeries(t, p, { horizonWeeks: 2 });
      await request(t.http)
        .patch(`/api/series/${series.id}`)
        .set(bearer(p.coordinator))
        .send({ coreMembers: [{ email }] })
        .expect(400);
      expect(await t.dataSource.getRepository(SeriesCoreMember).countBy({ seriesId: series.id })).toBe(0);
    },
  );

  it('a full-width, a Cyrillic and a decomposed "alice" cannot become look-alike accounts', async () => {
    await request(t.http)
      .post('/api/users')
      .set(bearer(p.coordinator))
      .send({ email: 'alice@riverside.sch.uk', name: 'Alice', agencyId: p.agencyA, roles: ['professional'] })
      .expect(201);
    const fullWidth = await request(t.http)
      .post('/api/users')
      .set(bearer(p.coordinator))
      .send({
        email: '\uff41\uff4c\uff49\uff43\uff45@riverside.sch.uk',
        name: 'Alice 2',
        agencyId: p.agencyA,
        roles: ['professional'],
      })
      .expect(409);
    expect(fullWidth.body.code).toBe('EMAIL_TAKEN');
    for (const lookAlike of [
      '\u0430lice@riverside.sch.uk',
      'alic\u0065\u0301@riverside.sch.uk',
      'alice@r\u0456verside.sch.uk',
    ]) {
      await request(t.http)
        .post('/api/users')
        .set(bearer(p.coordinator))
        .send({ email: lookAlike, name: 'Alice 3', agencyId: p.agencyA, roles: ['professional'] })
        .expect(400);
    }
    const alices = (await t.dataSource.getRepository(User).find()).filter((u) => u.name.startsWith('Alice'));
    expect(alices).toHaveLength(1);
  });

  it('an address stored before the rule (a core member with "#") never stops bookings, withdrawals or the top-up', async () => {
    const series = await createSeries(t, p, { horizonWeeks: 4, title: 'Legacy addresses' });
    // As an older version of the service could have stored it.
    await t.dataSource
      .getRepository(SeriesCoreMember)
      .insert({ seriesId: series.id, email: 'mal#1@riverside.sch.uk', name: 'Mal' });
    const meetingId = series.meetings[0].id;
    const booked = await request(t.http)
      .post(`/api/meetings/${meetingId}/bookings`)
      .set(bearer(p.a1))
      .send(thresholdItem())
      .expect(201);
    await request(t.http).post(`/api/bookings/${booked.body.id}/withdraw`).set(bearer(p.a1)).expect(200);
    await request(t.http)
      .patch(`/api/meetings/${meetingId}`)
      .set(bearer(p.coordinator))
      .send({ location: 'Room 9' })
      .expect(200);
    // The nightly top-up runs for every series, this one included, without throwing.
    await expect(t.app.get(MeetingsService).topUpAll()).resolves.toEqual(expect.any(Number));
    await outboxSettled(t, smtp);
    // The chair still got the meeting's invites; the odd address was skipped, not fatal.
    expect(smtp.to('chair@csc.gov.test').some((m) => String(m.subject).includes('Legacy addresses'))).toBe(true);
  });

  it('sign-in answers 202 for an odd address that passes the rule, and mails the link', async () => {
    const chair = await signIn(t, smtp, 'chair@csc.gov.test');
    await request(t.http).get('/api/me').set(bearer(chair)).expect(200);
    await request(t.http)
      .post('/api/users')
      .set(bearer(p.coordinator))
      .send({ email: "o'connor+trm@riverside.sch.uk", name: 'Niamh', agencyId: p.agencyA, roles: ['professional'] })
      .expect(201);
    const token = await signIn(t, smtp, "O'Connor+TRM@Riverside.sch.uk");
    await request(t.http).get('/api/me').set(bearer(token)).expect(200);
  });
});
