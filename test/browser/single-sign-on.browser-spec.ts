import { Browser } from 'playwright-core';
import { freePort } from '../support/built-service';
import { setUpPartnership } from '../support/fixtures';
import { TestOidcProvider } from '../support/oidc/test-provider';
import { User } from '../../src/directory/user.entity';
import {
  AccessibilityChecker,
  launchChromium,
  newContext,
  RunningService,
  signInWithBrowser,
  startService,
} from './browser-support';

/**
 * Signing in with an organisation's account in a real Chromium: the button, the provider's own
 * login and consent pages (oidc-provider, in its own process), back to the service, signed in.
 */
describe('single sign-on in the browser', () => {
  let s: RunningService;
  let idp: TestOidcProvider;
  let browser: Browser;
  let a11y: AccessibilityChecker;

  beforeAll(async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    idp = await TestOidcProvider.start({
      clients: [
        {
          // "-consent": the test provider shows its consent page to this client.
          client_id: 'thresholds-consent',
          client_secret: 'a-long-client-secret-for-tests',
          redirect_uris: [`${appUrl}/sign-in/callback/northshire`],
          post_logout_redirect_uris: [`${appUrl}/signed-out`],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      accounts: {
        dee: { sub: 'sub-dee', email: 'dsl@riverside.sch.uk', email_verified: true, name: 'Dee Lead' },
        unverified: { sub: 'sub-unverified', email: 'unverified@riverside.sch.uk', email_verified: false },
      },
    });
    s = await startService({
      port,
      env: {
        OIDC_PROVIDERS: JSON.stringify([
          {
            id: 'northshire',
            name: 'Northshire account',
            issuer: idp.issuer,
            clientId: 'thresholds-consent',
            clientSecret: 'a-long-client-secret-for-tests',
            domains: ['riverside.sch.uk'],
            singleLogout: true,
          },
        ]),
      },
    });
    await setUpPartnership(s.t, s.smtp);
    browser = await launchChromium();
    a11y = new AccessibilityChecker(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
    await idp?.stop();
  });

  async function atProvider(page: import('playwright-core').Page, login: string) {
    await page.goto(`${s.baseUrl}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with Northshire account' }).click();
    await page.waitForURL(`${idp.issuer}/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
  }

  it('signs in through the provider’s login and consent, and out again at both', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/sign-in`);
    await a11y.check(page, 'sign-in-with-providers', { screenshot: true });

    await atProvider(page, 'dee');
    // The provider asks once whether the service may have the person's e-mail address and name.
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${s.baseUrl}/home`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.content()).toContain('Dee Lead');

    await page.goto(`${s.baseUrl}/sign-out`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${s.baseUrl}/signed-out?provider=northshire`);
    await a11y.check(page, 'signed-out-with-provider');
    await page.getByRole('link', { name: 'Sign out of Northshire account as well' }).click();
    await page.waitForURL(`${idp.issuer}/session/end**`);
    await context.close();
  });

  it('shows a coordinator the person’s organisation account, and unlinks it', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'coordinator@partnership.test');
    const dee = await s.t.dataSource.getRepository(User).findOneByOrFail({ email: 'dsl@riverside.sch.uk' });
    await page.goto(`${s.baseUrl}/admin/users/${dee.id}/roles`);
    await a11y.check(page, 'user-sign-in-accounts');
    await page.getByRole('button', { name: 'Unlink Northshire account' }).click();
    await page.waitForURL(`${s.baseUrl}/admin/users?done=unlinked`);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Account unlinked');
    await context.close();
  });

  it('explains a refusal on an accessible page, with the e-mail link as the way on', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await atProvider(page, 'unverified');
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${s.baseUrl}/sign-in/callback/northshire**`);
    expect(await page.getByTestId('sso-refusal').textContent()).toContain('no verified work email address');
    await a11y.check(page, 'sso-refused');
    await page.getByRole('link', { name: 'Go back to sign in' }).click();
    await page.waitForURL(`${s.baseUrl}/sign-in`);
    await context.close();
  });
});
