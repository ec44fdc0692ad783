import request from 'supertest';
import { User } from '../src/directory/user.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { addProfessional, bearer, signIn } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { submitForm, webSignIn } from './support/web';

/** The need-to-know rule in the pages: the same answers as the API, for each kind of reader. */
describe('need to know, in the pages', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let itemId: string;
  let reference: string;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    const meetingId = (await createSeries(t, p)).meetings[0].id;
    const booked = await request(t.http)
      .post(`/api/meetings/${meetingId}/bookings`)
      .set(bearer(p.a1))
      .send(thresholdItem({ summary: 'Pupil arrives hungry; the marker SECRET-SUMMARY-42 is case text.' }))
      .expect(201);
    itemId = booked.body.id;
    reference = booked.body.reference;
    await addProfessional(t, p.coordinator, 'lead@riverside.sch.uk', p.agencyA, 'Lee Lead');
    const lead = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'lead@riverside.sch.uk' });
    await request(t.http)
      .patch(`/api/users/${lead.id}`)
      .set(bearer(p.coordinator))
      .send({ roles: ['professional', 'agency-lead'] })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('a colleague of the same agency gets the not-found page for the item, without its text', async () => {
    const colleague = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    const page = await colleague.get(`/bookings/${itemId}`).expect(404);
    expect(page.text).toContain('Page not found');
    expect(page.text).not.toContain('SECRET-SUMMARY-42');
    expect(page.text).not.toContain(reference);
    const presenter = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    expect((await presenter.get(`/bookings/${itemId}`).expect(200)).text).toContain('SECRET-SUMMARY-42');
  });

  it('another agency’s professional gets 404 too, and so does an agency lead of another agency', async () => {
    const other = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    expect((await other.get(`/bookings/${itemId}`).expect(404)).text).not.toContain('SECRET-SUMMARY-42');
    await request(t.http).get(`/api/bookings/${itemId}`).set(bearer(p.b1)).expect(404);
  });

  it('the agency lead’s page lists the agency’s items and its pending accounts, and approves one', async () => {
    await signIn(t, smtp, 'new.teacher@riverside.sch.uk'); // a first sign-in: pending
    const lead = await webSignIn(t, smtp, 'lead@riverside.sch.uk');
    const page = await lead.get('/agency').expect(200);
    expect(page.text).toContain('Riverside Academy');
    expect(page.text).toContain(reference);
    expect(page.text).toContain('new.teacher@riverside.sch.uk');
    expect(page.text).not.toContain('SECRET-SUMMARY-42'); // the list has no case text
    // The lead may read the item itself.
    expect((await lead.get(`/bookings/${itemId}`).expect(200)).text).toContain('SECRET-SUMMARY-42');

    const pending = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'new.teacher@riverside.sch.uk' });
    const approved = await submitForm(lead, '/agency', { status: 'active' }, `/agency/users/${pending.id}/status`);
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe('/agency?done=approved');
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: pending.id })).status).toBe('active');
  });

  it('a professional who is not a lead cannot open the agency page', async () => {
    const colleague = await webSignIn(t, smtp, 'deputy.dsl@riverside.sch.uk');
    await colleague.get('/agency').expect(403);
  });
});
