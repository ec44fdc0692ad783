import request from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { Session } from '../src/auth/session.entity';
import { User } from '../src/directory/user.entity';
import { SSO_REFUSALS } from '../src/single-sign-on/single-sign-on.service';
import { SsoAttempt } from '../src/single-sign-on/sso-attempt.entity';
import { SsoIdentity } from '../src/single-sign-on/sso-identity.entity';
import { serviceCookies } from '../src/web/cookies';
import { setUpPartnership, type Partnership } from './support/fixtures';
import { TestOidcProvider, type TestAccount } from './support/oidc/test-provider';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp } from './support/test-app';
import { csrfFrom, sessionCookieOf, webAgent, webSignIn, type WebAgent } from './support/web';
import { hashToken } from '../src/auth/secret-token';

const PUBLIC_URL = 'http://thresholds.test';
const CALLBACK = `${PUBLIC_URL}/sign-in/callback/northshire`;

/** The provider's people: login -> the claims it vouches for. */
const ACCOUNTS: Record<string, TestAccount> = {
  dee: {
    sub: 'sub-dee',
    email: 'dsl@riverside.sch.uk',
    email_verified: true,
    name: 'Dee Lead',
    hd: 'riverside.sch.uk',
  },
  newcomer: { sub: 'sub-new', email: 'New.Teacher@Riverside.sch.uk', email_verified: true, name: 'Nia  Newcomer' },
  nurse: { sub: 'sub-nurse', email: 'school.nurse@health.nhs.test', email_verified: true, name: 'Sam Nurse' },
  unverified: { sub: 'sub-unverified', email: 'unverified@riverside.sch.uk', email_verified: false },
  outsider: { sub: 'sub-outsider', email: 'someone@csc.gov.test', email_verified: true },
  stranger: { sub: 'sub-stranger', email: 'head@elsewhere.sch.uk', email_verified: true },
  leaver: { sub: 'sub-leaver', email: 'health.visitor@health.nhs.test', email_verified: true },
  closer: { sub: 'sub-closer', email: 'soon.closed@health.nhs.test', email_verified: true },
  mover: { sub: 'sub-mover', email: 'mover@riverside.sch.uk', email_verified: true },
  before: { sub: 'sub-deputy-old', email: 'deputy.dsl@riverside.sch.uk', email_verified: true },
  recreated: { sub: 'sub-deputy-new', email: 'deputy.dsl@riverside.sch.uk', email_verified: true },
  impostor: { sub: 'sub-impostor', email: 'dsl@riverside.sch.uk', email_verified: true },
};

describe('single sign-on with an OpenID Connect provider (oidc-provider in its own process)', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let idp: TestOidcProvider;
  let p: Partnership;

  beforeAll(async () => {
    idp = await TestOidcProvider.start({
      clients: [
        {
          client_id: 'thresholds',
          client_secret: 'a-long-client-secret-for-tests',
          redirect_uris: [CALLBACK, `${PUBLIC_URL}/sign-in/callback/workspace`],
          post_logout_redirect_uris: [`${PUBLIC_URL}/signed-out`],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      accounts: ACCOUNTS,
    });
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: {
        SMTP_URL: smtp.url,
        PUBLIC_URL,
        OIDC_PROVIDERS: JSON.stringify([
          {
            id: 'northshire',
            name: 'Northshire account',
            issuer: idp.issuer,
            clientId: 'thresholds',
            clientSecret: 'a-long-client-secret-for-tests',
            domains: ['riverside.sch.uk', 'health.nhs.test', 'elsewhere.sch.uk'],
            autoApproveDomains: ['health.nhs.test'],
            singleLogout: true,
          },
          {
            // As Google Workspace is configured: only accounts of its hosted domain.
            id: 'workspace',
            name: 'Riverside Workspace',
            issuer: idp.issuer,
            clientId: 'thresholds',
            clientSecret: 'a-long-client-secret-for-tests',
            domains: ['riverside.sch.uk'],
            hostedDomain: 'riverside.sch.uk',
          },
        ]),
      },
    });
    p = await setUpPartnership(t, smtp);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await idp?.stop();
  });

  /** The browser's journey: the button, the provider's login, back to the callback. */
  async function journey(login: string, agent: WebAgent = webAgent(t)) {
    const begun = await agent.get('/sign-in/with/northshire').expect(303);
    const authorization = new URL(begun.headers.location);
    const back = await idp.signInAt(begun.headers.location, login);
    const done = await agent.get(back.pathname + back.search);
    return { agent, authorization, back, done };
  }

  const userByEmail = (email: string) => t.dataSource.getRepository(User).findOneBy({ email });
  const refusals = () => t.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.sso-refused' });

  it('lists the provider on the sign-in page and in the API, beside the e-mail link', async () => {
    const page = await webAgent(t).get('/sign-in').expect(200);
    expect(page.text).toContain('href="/sign-in/with/northshire"');
    expect(page.text).toContain('Sign in with Northshire account');
    expect(page.text).toContain('action="/sign-in"');
    const api = await request(t.http).get('/api/auth/providers').expect(200);
    expect(api.body).toEqual([
      { id: 'northshire', name: 'Northshire account', signInUrl: `${PUBLIC_URL}/sign-in/with/northshire` },
      { id: 'workspace', name: 'Riverside Workspace', signInUrl: `${PUBLIC_URL}/sign-in/with/workspace` },
    ]);
  });

  it('asks the provider for a code with PKCE (S256), state and nonce, and the registered redirect URI', async () => {
    const agent = webAgent(t);
    const begun = await agent.get('/sign-in/with/northshire').expect(303);
    const url = new URL(begun.headers.location);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('thresholds');
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    expect(url.searchParams.get('nonce')?.length).toBeGreaterThan(20);
    const state = url.searchParams.get('state')!;
    // The browser keeps the state (HttpOnly, SameSite=Lax); the database only its hash.
    const cookie = ([] as string[])
      .concat(begun.headers['set-cookie'])
      .find((c) => c.startsWith('thresholds_sso_state='))!;
    expect(cookie).toContain(`thresholds_sso_state=${state}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const stored = await t.dataSource.getRepository(SsoAttempt).find();
    expect(stored.some((a) => a.stateHash === state)).toBe(false);
  });

  it('sets only the cookies the cookies page names, through a whole sign-in', async () => {
    const declared = serviceCookies(t.config).map((c) => c.name);
    const agent = webAgent(t);
    const names: string[] = [];
    const collect = (res: { headers: Record<string, unknown> }) =>
      names.push(...([] as string[]).concat((res.headers['set-cookie'] as string[]) ?? []).map((c) => c.split('=')[0]));
    const begun = await agent.get('/sign-in/with/northshire').expect(303);
    collect(begun);
    const back = await idp.signInAt(begun.headers.location, 'dee');
    collect(await agent.get(back.pathname + back.search).expect(303));
    collect(await agent.get('/home').expect(200));
    expect(names).toEqual(expect.arrayContaining(['thresholds_sso_state', 'thresholds_session']));
    expect(names.filter((n) => !declared.includes(n))).toEqual([]);
  });

  it('signs in a known user by their verified address, binds the subject, and the session works like the e-mail link’s', async () => {
    const ssoSessions = () => t.dataSource.getRepository(Session).countBy({ ssoProvider: 'northshire' });
    const before = await ssoSessions();
    const { agent, done } = await journey('dee');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/home');
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('Dee Lead');
    const dee = await userByEmail('dsl@riverside.sch.uk');
    const identity = await t.dataSource
      .getRepository(SsoIdentity)
      .findOneBy({ provider: 'northshire', userId: dee!.id });
    expect(identity?.subject).toBe('sub-dee');
    // One new session, Dee's, marked with the provider it came from (for signing out there too).
    expect(await ssoSessions()).toBe(before + 1);
    const cookie = sessionCookieOf(agent);
    const session = await t.dataSource.getRepository(Session).findOneByOrFail({ tokenHash: hashToken(cookie) });
    expect(session).toMatchObject({ userId: dee!.id, ssoProvider: 'northshire', revokedAt: null });
    // The same account as before: no second user for the address.
    expect(await t.dataSource.getRepository(User).countBy({ email: 'dsl@riverside.sch.uk' })).toBe(1);
  });

  it('finds a bound user by subject even after their address changes at the provider', async () => {
    expect((await journey('dee')).done.status).toBe(303);
    // Dee's provider account now says another address: the subject still finds Dee.
    await idp.setAccounts({ ...ACCOUNTS, dee: { ...ACCOUNTS.dee, email: 'dee.lead@riverside.sch.uk' } });
    try {
      const { agent, done } = await journey('dee');
      expect(done.status).toBe(303);
      expect((await agent.get('/home').expect(200)).text).toContain('Dee Lead');
      expect(await userByEmail('dee.lead@riverside.sch.uk')).toBeNull();
    } finally {
      await idp.setAccounts(ACCOUNTS);
    }
  });

  it('registers an unknown person of an agency as pending, with the provider’s name for them, and tells the approvers', async () => {
    const { agent, done } = await journey('newcomer');
    expect(done.status).toBe(303);
    const user = await userByEmail('new.teacher@riverside.sch.uk');
    expect(user).toMatchObject({ status: 'pending', name: 'Nia Newcomer', roles: ['professional'] });
    const home = await agent.get('/home');
    expect(home.text).toMatch(/waiting for approval/i);
    await smtp.waitFor(() =>
      smtp.to('coordinator@partnership.test').some((m) => /waiting for approval/.test(m.subject ?? '')),
    );
  });

  it('approves a first sign-in at once from a domain the provider’s configuration auto-approves', async () => {
    const { done } = await journey('nurse');
    expect(done.status).toBe(303);
    expect(await userByEmail('school.nurse@health.nhs.test')).toMatchObject({ status: 'active' });
  });

  it.each([
    ['unverified', 'email-unverified'],
    ['outsider', 'domain-not-served'],
    ['stranger', 'unknown-address'],
  ] as const)('refuses %s (%s), creates no account and audits the reason', async (login, reason) => {
    const before = (await refusals()).length;
    const { agent, done } = await journey(login);
    expect(done.status).toBe(401);
    expect(done.text).toContain(escapeHtml(SSO_REFUSALS[reason]));
    expect(done.headers['set-cookie']?.toString() ?? '').not.toContain('thresholds_session=');
    await agent.get('/home').expect(303);
    const email = ACCOUNTS[login].email!.toLowerCase();
    expect(await userByEmail(email)).toBeNull();
    const after = await refusals();
    expect(after).toHaveLength(before + 1);
    expect(after.map((e) => e.details)).toContainEqual({ provider: 'northshire', reason });
    expect(JSON.stringify(after)).not.toContain(email);
  });

  it('refuses a closed account by this route as by the e-mail link, bound or not', async () => {
    // Bound first (auto-approved domain), then closed by a coordinator: the subject finds a closed account.
    expect((await journey('closer')).done.status).toBe(303);
    const closer = await userByEmail('soon.closed@health.nhs.test');
    await request(t.http)
      .patch(`/api/users/${closer!.id}`)
      .set(bearer(p.coordinator))
      .send({ status: 'disabled' })
      .expect(200);
    const bound = await journey('closer');
    expect(bound.done.status).toBe(401);
    expect(bound.done.text).toContain(escapeHtml(SSO_REFUSALS['user-disabled']));

    const leaver = await userByEmail('health.visitor@health.nhs.test');
    await request(t.http)
      .patch(`/api/users/${leaver!.id}`)
      .set(bearer(p.coordinator))
      .send({ status: 'disabled' })
      .expect(200);
    const { done } = await journey('leaver');
    expect(done.status).toBe(401);
    expect(done.text).toContain(escapeHtml(SSO_REFUSALS['user-disabled']));
  });

  it('refuses a second provider account claiming an address already bound to another subject', async () => {
    expect((await journey('dee')).done.status).toBe(303);
    const { done } = await journey('impostor');
    expect(done.status).toBe(401);
    expect(done.text).toContain(escapeHtml(SSO_REFUSALS['identity-conflict']));
    expect(await t.dataSource.getRepository(SsoIdentity).countBy({ subject: 'sub-impostor' })).toBe(0);
  });

  it('refuses an answer brought to another browser (wrong or missing state) and a replayed one', async () => {
    const { agent, back, done } = await journey('dee');
    expect(done.status).toBe(303);
    // The same answer again, in the same browser: the attempt is spent.
    const replayed = await agent.get(back.pathname + back.search);
    expect(replayed.status).toBe(401);
    expect(replayed.text).toContain(escapeHtml(SSO_REFUSALS['not-this-browser']));

    // Begun in one browser, finished in another (login CSRF): refused, the attempt left unspent.
    const victim = webAgent(t);
    const begun = await webAgent(t).get('/sign-in/with/northshire').expect(303);
    const answer = await idp.signInAt(begun.headers.location, 'dee');
    const elsewhere = await victim.get(answer.pathname + answer.search);
    expect(elsewhere.status).toBe(401);
    await victim.get('/home').expect(303);

    // A state of its own in the URL, not the one the browser keeps.
    const own = webAgent(t);
    const mine = await own.get('/sign-in/with/northshire').expect(303);
    const theirs = new URL(answer);
    expect(new URL(mine.headers.location).searchParams.get('state')).not.toBe(theirs.searchParams.get('state'));
    expect((await own.get(theirs.pathname + theirs.search)).status).toBe(401);
  });

  it.each([
    ['other-key', 'signed by another key'],
    ['wrong-audience', 'for another client'],
    ['expired', 'expired an hour ago'],
  ] as const)('refuses an ID token %s (%s) and signs no one in', async (mode, _what) => {
    await idp.tamper(mode);
    try {
      const { agent, done } = await journey('dee');
      expect(done.status).toBe(401);
      expect(done.text).toContain(escapeHtml(SSO_REFUSALS['token-invalid']));
      await agent.get('/home').expect(303);
    } finally {
      await idp.tamper('none');
    }
  });

  it('follows the provider’s key rotation: the keys are fetched again when an ID token names an unknown key', async () => {
    expect((await journey('dee')).done.status).toBe(303);
    const oldKid = idp.kid;
    await idp.restart();
    expect(idp.kid).not.toBe(oldKid);
    // openid-client fetches the keys again for an unknown key id once its copy is a minute old
    // (a guard against being made to fetch them on every forged token): a minute on, here.
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000);
    try {
      const { done } = await journey('dee');
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/home');
    } finally {
      later.mockRestore();
    }
  });

  it('says so when the person cancels at the provider', async () => {
    const agent = webAgent(t);
    const begun = await agent.get('/sign-in/with/northshire').expect(303);
    const state = new URL(begun.headers.location).searchParams.get('state')!;
    const done = await agent.get(`/sign-in/callback/northshire?error=access_denied&state=${state}`);
    expect(done.status).toBe(401);
    expect(done.text).toContain(escapeHtml(SSO_REFUSALS.cancelled));
  });

  it('refuses a bound account whose address has since moved to a domain the provider does not serve', async () => {
    expect((await journey('mover')).done.status).toBe(303);
    // The directory now has them at children's social care, whose domain this provider does not vouch for.
    await t.dataSource.getRepository(User).update({ email: 'mover@riverside.sch.uk' }, { email: 'mover@csc.gov.test' });
    const { done } = await journey('mover');
    expect(done.status).toBe(401);
    expect(done.text).toContain(escapeHtml(SSO_REFUSALS['domain-not-served']));
  });

  it('lets a coordinator see and unlink a person’s provider account, so a recreated account can link again', async () => {
    expect((await journey('before')).done.status).toBe(303);
    // Recreated at the organisation: a new subject for the same address is refused...
    expect((await journey('recreated')).done.status).toBe(401);
    const deputy = await userByEmail('deputy.dsl@riverside.sch.uk');
    const listed = await request(t.http)
      .get(`/api/users/${deputy!.id}/sign-in-accounts`)
      .set(bearer(p.coordinator))
      .expect(200);
    expect(listed.body).toEqual([
      {
        provider: 'northshire',
        providerName: 'Northshire account',
        linkedAt: expect.any(String),
        lastSignedInAt: expect.any(String),
      },
    ]);
    await request(t.http).get(`/api/users/${deputy!.id}/sign-in-accounts`).set(bearer(p.a1)).expect(403);
    await request(t.http).delete(`/api/users/${deputy!.id}/sign-in-accounts/northshire`).set(bearer(p.a1)).expect(403);

    // ...until a coordinator unlinks the old one, from the person's page.
    const coordinator = await webSignIn(t, smtp, 'coordinator@partnership.test');
    const page = await coordinator.get(`/admin/users/${deputy!.id}/roles`).expect(200);
    expect(page.text).toContain('Organisation accounts');
    const action = `/admin/users/${deputy!.id}/roles/sign-in-accounts/northshire`;
    expect(page.text).toContain(`action="${action}"`);
    const unlinked = await coordinator
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(unlinked.headers.location).toBe('/admin/users?done=unlinked');
    await request(t.http)
      .delete(`/api/users/${deputy!.id}/sign-in-accounts/northshire`)
      .set(bearer(p.coordinator))
      .expect(404);
    const audited = await t.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'auth.sso-unlinked', entityId: deputy!.id });
    expect(audited.details).toEqual({ provider: 'northshire' });

    expect((await journey('recreated')).done.status).toBe(303);
    const identity = await t.dataSource
      .getRepository(SsoIdentity)
      .findOneByOrFail({ provider: 'northshire', userId: deputy!.id });
    expect(identity.subject).toBe('sub-deputy-new');
  });

  it('with a hosted domain (Google Workspace’s hd), asks for it and refuses an account without it', async () => {
    const agent = webAgent(t);
    const begun = await agent.get('/sign-in/with/workspace').expect(303);
    expect(new URL(begun.headers.location).searchParams.get('hd')).toBe('riverside.sch.uk');
    const outside = await idp.signInAt(begun.headers.location, 'newcomer');
    const refused = await agent.get(outside.pathname + outside.search);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain(escapeHtml(SSO_REFUSALS['domain-not-served']));

    const member = webAgent(t);
    const again = await member.get('/sign-in/with/workspace').expect(303);
    const inside = await idp.signInAt(again.headers.location, 'dee');
    expect((await member.get(inside.pathname + inside.search)).status).toBe(303);
    const dee = await userByEmail('dsl@riverside.sch.uk');
    expect(
      await t.dataSource.getRepository(SsoIdentity).findOneBy({ provider: 'workspace', userId: dee!.id }),
    ).toMatchObject({
      subject: 'sub-dee',
    });
  });

  it('answers 404 for a provider that is not configured', async () => {
    await webAgent(t).get('/sign-in/with/elsewhere').expect(404);
  });

  it('offers signing out at the provider too, through its end-session endpoint', async () => {
    const { agent } = await journey('dee');
    const page = await agent.get('/sign-out').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const out = await agent.post('/sign-out').type('form').send({ _csrf: csrf }).expect(303);
    expect(out.headers.location).toBe('/signed-out?provider=northshire');
    const signedOut = await agent.get(out.headers.location).expect(200);
    expect(signedOut.text).toContain('href="/sign-out/provider/northshire"');
    const onward = await agent.get('/sign-out/provider/northshire').expect(303);
    const end = new URL(onward.headers.location);
    expect(end.origin + end.pathname).toBe(`${idp.issuer}/session/end`);
    expect(end.searchParams.get('client_id')).toBe('thresholds');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/signed-out`);
    await agent.get('/home').expect(303);
  });
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&#39;')
    .replace(/"/g, '&quot;');
}
