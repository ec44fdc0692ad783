import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Agency } from '../src/directory/agency.entity';
import { User } from '../src/directory/user.entity';
import { LegalHold } from '../src/retention/legal-hold.entity';
import { PAGE_PARITY } from '../src/web/page-parity';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { mappedRoutes } from './support/routes';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { submitForm, WebAgent, webSignIn } from './support/web';

const STATE_CHANGING = ['post', 'put', 'patch', 'delete'];
const errorSummaryOf = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

/**
 * What the API can do, the pages can do (src/web/page-parity.ts): every state-changing operation
 * in the OpenAPI document has a page, or a reason it has none; then the pages added for it.
 */
describe('page parity with the API', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  let coordinator: WebAgent;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    p = await setUpPartnership(t, smtp);
    coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('every state-changing API operation has a page mapped by the app, or a reason it has none', async () => {
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((method) => STATE_CHANGING.includes(method))
          .map((method) => `${method.toUpperCase()} ${path}`),
      );
    expect(operations.length).toBeGreaterThan(25);
    const pages = new Set(mappedRoutes(t).map((r) => `${r.method} ${r.path}`));

    const undeclared = operations.filter((op) => !(op in PAGE_PARITY));
    expect(undeclared).toEqual([]);
    const stale = Object.keys(PAGE_PARITY).filter((op) => !operations.includes(op));
    expect(stale).toEqual([]);
    for (const [op, parity] of Object.entries(PAGE_PARITY)) {
      if ('noPage' in parity) {
        expect(`${op}: ${parity.noPage}`).toMatch(/: \S.{10,}/);
        continue;
      }
      expect({ op, pages: parity.pages.length }).toEqual({ op, pages: expect.any(Number) });
      expect(parity.pages.length).toBeGreaterThan(0);
      for (const page of parity.pages) {
        expect({ op, page, mapped: pages.has(page) }).toEqual({ op, page, mapped: true });
        expect(page).not.toMatch(/ \/api\//);
      }
    }
  });

  it('a coordinator changes an agency: name, sector, domains (refused ones shown at the field), deactivation', async () => {
    const agencies = t.dataSource.getRepository(Agency);
    const list = await coordinator.get('/admin/agencies').expect(200);
    expect(list.text).toContain(`href="/admin/agencies/${p.agencyB}"`);
    const path = `/admin/agencies/${p.agencyB}`;
    const page = await coordinator.get(path).expect(200);
    expect(page.text).toContain('health.nhs.test</textarea>');
    expect(page.text).toMatch(/<title>Change Northshire Community Health/);

    // Webmail refused at the domains field; nothing changes.
    const webmail = await submitForm(coordinator, path, {
      name: 'Northshire Health',
      sector: 'health',
      emailDomains: 'health.nhs.test\ngmail.com',
      active: 'yes',
    });
    expect(webmail.status).toBe(422);
    expect(errorSummaryOf(webmail.text)).toContain('<a href="#emailDomains">Webmail and shared national');
    expect(webmail.text).toContain('gmail.com</textarea>'); // what was typed is kept
    // Another agency's domain: 409, at the same field.
    const taken = await submitForm(coordinator, path, {
      name: 'Northshire Health',
      sector: 'health',
      emailDomains: 'riverside.sch.uk',
      active: 'yes',
    });
    expect(taken.status).toBe(409);
    expect(errorSummaryOf(taken.text)).toContain('<a href="#emailDomains">An email domain already belongs');
    // No domains, no answer to "active": both named.
    const empty = await submitForm(coordinator, path, {
      name: 'Northshire Health',
      sector: 'health',
      emailDomains: '',
    });
    expect(empty.status).toBe(400);
    expect(errorSummaryOf(empty.text)).toContain('<a href="#emailDomains">Enter at least one email domain</a>');
    expect(errorSummaryOf(empty.text)).toContain('<a href="#active">Select whether the agency is active</a>');
    const unchanged = await agencies.findOneOrFail({ where: { id: p.agencyB }, relations: { emailDomains: true } });
    expect([unchanged.name, unchanged.emailDomains.map((d) => d.domain)]).toEqual([
      'Northshire Community Health',
      ['health.nhs.test'],
    ]);

    const ok = await submitForm(coordinator, path, {
      name: 'Northshire Health',
      sector: 'health',
      emailDomains: 'health.nhs.test, northshire-health.nhs.test',
      active: 'no',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${path}?saved=1`);
    expect((await coordinator.get(ok.headers.location).expect(200)).text).toContain('Agency saved.');
    const saved = await agencies.findOneOrFail({ where: { id: p.agencyB }, relations: { emailDomains: true } });
    expect([saved.name, saved.active, saved.emailDomains.map((d) => d.domain).sort()]).toEqual([
      'Northshire Health',
      false,
      ['health.nhs.test', 'northshire-health.nhs.test'],
    ]);
    expect(
      await t.dataSource.getRepository(AuditEvent).countBy({ action: 'agency.deactivated', entityId: p.agencyB }),
    ).toBe(1);
    // Put back for the other tests' sake.
    await request(t.http)
      .patch(`/api/agencies/${p.agencyB}`)
      .set(bearer(p.coordinator))
      .send({ active: true, name: 'Northshire Community Health' })
      .expect(200);
    // Only coordinators.
    const professional = await webSignIn(t, smtp, 'dsl@riverside.sch.uk');
    expect((await professional.get(path)).status).toBe(403);
  });

  it('a coordinator renames a user on the details page; an empty name is refused and nothing changes', async () => {
    const users = t.dataSource.getRepository(User);
    const person = await users.findOneByOrFail({ email: 'deputy.dsl@riverside.sch.uk' });
    const path = `/admin/users/${person.id}/roles`;
    const page = await coordinator.get(path).expect(200);
    expect(page.text).toContain('value="Deputy Lead"');
    const blank = await submitForm(coordinator, path, { name: '  ', roles: ['professional'], agencyId: p.agencyA });
    expect(blank.status).toBe(400);
    expect(errorSummaryOf(blank.text)).toContain('<a href="#name">Enter the person’s name</a>');
    expect((await users.findOneByOrFail({ id: person.id })).name).toBe('Deputy Lead');
    const ok = await submitForm(coordinator, path, {
      name: ' Devi O’Neill-Lead ',
      roles: ['professional'],
      agencyId: p.agencyA,
    });
    expect(ok.status).toBe(303);
    expect((await users.findOneByOrFail({ id: person.id })).name).toBe('Devi O’Neill-Lead');
  });

  it('anyone signed in changes their own name on /account, linked from every page', async () => {
    const users = t.dataSource.getRepository(User);
    const me = await webSignIn(t, smtp, 'health.visitor@health.nhs.test');
    const home = await me.get('/meetings').expect(200);
    expect(home.text).toContain('href="/account"');
    const page = await me.get('/account').expect(200);
    expect(page.text).toContain('health.visitor@health.nhs.test');
    expect(page.text).toContain('Northshire Community Health');
    const bad = await submitForm(me, '/account', { name: 'Harper\nVisitor' });
    expect(bad.status).toBe(400);
    expect(errorSummaryOf(bad.text)).toContain('<a href="#name">Your name must be on one line</a>');
    const ok = await submitForm(me, '/account', { name: 'Harper Visitor-Jones' });
    expect(ok.headers.location).toBe('/account?saved=1');
    const after = await me.get('/account?saved=1').expect(200);
    expect(after.text).toContain('Your name has been changed.');
    expect(after.text).toContain('value="Harper Visitor-Jones"');
    expect((await users.findOneByOrFail({ email: 'health.visitor@health.nhs.test' })).name).toBe(
      'Harper Visitor-Jones',
    );
  });

  it('a coordinator places and lifts a legal hold on an item, with a reason checked for identifying details', async () => {
    const series = await createSeries(t, p, { horizonWeeks: 4 });
    const item = (
      await request(t.http)
        .post(`/api/meetings/${series.meetings[0].id}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body;
    await outboxSettled(t, smtp);
    const itemPage = await coordinator.get(`/meetings/${series.meetings[0].id}/items/${item.id}`).expect(200);
    expect(itemPage.text).toContain(`href="/admin/items/${item.id}/legal-hold"`);
    const path = `/admin/items/${item.id}/legal-hold`;
    const holds = t.dataSource.getRepository(LegalHold);

    const page = await coordinator.get(path).expect(200);
    expect(page.text).toContain('Place a legal hold');
    const short = await submitForm(coordinator, path, { reason: 'cspr' });
    expect(short.status).toBe(400);
    expect(errorSummaryOf(short.text)).toContain('<a href="#reason">The reason must be 5 characters or more</a>');
    const identifying = await submitForm(coordinator, path, { reason: 'Review of Jayden, born 03/04/2015' });
    expect(identifying.status).toBe(400);
    expect(errorSummaryOf(identifying.text)).toContain('<a href="#reason">In the reason:');
    expect(errorSummaryOf(identifying.text)).not.toContain('03/04/2015');
    expect(await holds.countBy({ bookingId: item.id })).toBe(0);

    const placed = await submitForm(coordinator, path, { reason: 'Child safeguarding practice review' });
    expect(placed.headers.location).toBe(`${path}?done=placed`);
    const held = await coordinator.get(placed.headers.location).expect(200);
    expect(held.text).toContain('Legal hold placed.');
    expect(held.text).toContain(`action="${path}/lift"`);
    // Two tabs: the second, opened before the hold, places it again and is told it is already held.
    const again = await coordinator
      .post(path)
      .type('form')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], reason: 'Another review' });
    expect(again.status).toBe(409);
    expect(errorSummaryOf(again.text)).toContain('already on legal hold');

    const lifted = await submitForm(coordinator, `${path}?done=placed`, { reason: 'Review concluded' }, `${path}/lift`);
    expect(lifted.headers.location).toBe(`${path}?done=lifted`);
    const all = await holds.findBy({ bookingId: item.id });
    expect(all.map((h) => [h.reason, h.liftReason])).toEqual([
      ['Child safeguarding practice review', 'Review concluded'],
    ]);
    // Chairs run meetings, but legal holds are the coordinators'.
    const chair = await webSignIn(t, smtp, 'chair@csc.gov.test');
    expect((await chair.get(path)).status).toBe(403);
    expect((await chair.get(`/meetings/${series.meetings[0].id}/items/${item.id}`).expect(200)).text).not.toContain(
      '/legal-hold',
    );
  });
});
