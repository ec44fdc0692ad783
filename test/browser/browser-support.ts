/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { LINK_PATTERN } from '../support/sign-in';
import { SmtpTestServer } from '../support/smtp-test-server';
import { createTestApp, TestApp } from '../support/test-app';

export const ARTIFACTS = join(__dirname, '..', 'artifacts');
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningService {
  t: TestApp;
  smtp: SmtpTestServer;
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The real application listening on a loopback port, on a fresh SQLite database, sending mail
 * to a real SMTP server; PUBLIC_URL is its own address, so the mailed links work as they are.
 */
export async function startService(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<RunningService> {
  const smtp = await SmtpTestServer.start();
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const previous = process.env.TEST_DATABASE_URL;
  delete process.env.TEST_DATABASE_URL; // always SQLite here
  const t = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: baseUrl, ...options.env } });
  if (previous !== undefined) process.env.TEST_DATABASE_URL = previous;
  await t.app.listen(port, '127.0.0.1');
  return {
    t,
    smtp,
    baseUrl,
    stop: async () => {
      await t.close();
      await smtp.stop();
    },
  };
}

/**
 * Checks pages with axe-core for WCAG 2.2 AA, and keeps screenshots of the key ones.
 *
 * axe runs inside the page, injected with addScriptTag: in contexts created with bypassCSP,
 * since the pages' CSP (rightly) refuses inline scripts without this response's nonce. With
 * JavaScript disabled axe cannot run in the page, so the HTML the browser has is served again,
 * at the same address and without its scripts, to a page that can run axe: the same DOM, styles
 * and colours as a person without JavaScript gets.
 */
export class AccessibilityChecker {
  readonly checked: string[] = [];
  private scratch?: Page;

  constructor(private readonly browser: Browser) {
    mkdirSync(ARTIFACTS, { recursive: true });
  }

  /** Pages reached with JavaScript on that were fetched and checked again without it. */
  fetchedWithoutJavaScript = 0;

  /** Each page's title, by the page it is (its path with ids as `:id`): titles must not be shared. */
  readonly titles = new Map<string, Set<string>>();

  /**
   * Every page at 1280 and at 320 px (WCAG 1.4.10 reflow: nothing may make the page itself scroll
   * sideways; wide tables scroll inside their own region); and a page reached with JavaScript on
   * is fetched again, with the same session, with JavaScript off, and checked the same way (GETs
   * change nothing here; a page shown after a POST, which has its own address only as the form's
   * action, is checked as it is).
   */
  async check(page: Page, name: string, opts: { screenshot?: boolean } = {}): Promise<void> {
    await page.waitForLoadState('load');
    if (opts.screenshot) await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    const title = await page.title();
    const scripted = !withoutJavaScript.has(page.context());
    const problems = await this.atBothWidths(scripted ? page : await this.replay(page));
    // One error summary, at the top (a template that draws its own beside the layout's shows two).
    const summaries = await page.locator('.govuk-error-summary').count();
    if (summaries > 1) problems.push(`${summaries} error summaries: a page shows one, at the top`);
    if (scripted && !title.startsWith('Error: ')) {
      const plain = await this.browser.newContext({
        javaScriptEnabled: false,
        viewport: page.viewportSize() ?? VIEWPORT,
        storageState: await page.context().storageState(),
      });
      try {
        const again = await plain.newPage();
        await again.goto(page.url());
        // Only the same page (not what a POST's address shows to a GET) is the page without JavaScript.
        if ((await again.title()) === title) {
          this.fetchedWithoutJavaScript++;
          problems.push(...(await this.atBothWidths(await this.replay(again))).map((v) => `without JavaScript: ${v}`));
        }
      } finally {
        await plain.close();
      }
    }
    this.checked.push(`${name} ${page.url()}`);
    // A page shown again with errors is the form's page, at the address it was posted to.
    const path = new URL(page.url()).pathname.replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      ':id',
    );
    if (!title.startsWith('Error: ')) this.titles.set(title, (this.titles.get(title) ?? new Set()).add(path));
    if (problems.length)
      throw new Error(`axe found WCAG 2.2 AA violations on "${name}" (${page.url()}):\n${problems.join('\n')}`);
  }

  /** axe at the page's width and at 320 px, and whether the page reflows at 320 px. */
  private async atBothWidths(target: Page): Promise<string[]> {
    const width = target.viewportSize() ?? VIEWPORT;
    await target.addScriptTag({ path: AXE_PATH });
    const problems = await this.axe(target);
    try {
      await target.setViewportSize({ width: 320, height: width.height });
      problems.push(...(await this.axe(target)).map((v) => `at 320 px: ${v}`));
      const overflow = await target.evaluate(() => {
        const by = document.documentElement.scrollWidth - window.innerWidth;
        // The outermost elements that stick out (not inside a region that scrolls), to say what to fix.
        const clipped = (el: Element) => {
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true;
          return false;
        };
        const sticksOut = (el: Element) => el.getBoundingClientRect().right > window.innerWidth + 2 && !clipped(el);
        const out = Array.from(document.querySelectorAll('body *')).filter(
          (el) => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)),
        );
        const name = (el: Element) =>
          `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`;
        return { by, what: out.slice(0, 5).map(name) };
      });
      if (overflow.by > 1)
        problems.push(
          `at 320 px the page scrolls sideways by ${overflow.by} px (WCAG 1.4.10 reflow): ${overflow.what.join(', ')}`,
        );
    } finally {
      await target.setViewportSize(width);
    }
    return problems;
  }

  /** Titles that more than one page uses (each with those pages). */
  sharedTitles(): string[] {
    return [...this.titles]
      .filter(([, paths]) => paths.size > 1)
      .map(([title, paths]) => `${title}: ${[...paths].join(', ')}`);
  }

  private async axe(target: Page): Promise<string[]> {
    return target.evaluate(async (tags) => {
      type AxeResult = { violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> };
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }, WCAG_TAGS);
  }

  private async replay(page: Page): Promise<Page> {
    if (!this.scratch)
      this.scratch = await (
        await this.browser.newContext({ bypassCSP: true, viewport: page.viewportSize() ?? undefined })
      ).newPage();
    const address = page.url().split('#')[0];
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    const only = (url: URL) => url.href.split('#')[0] === address;
    await this.scratch.route(only, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await this.scratch.goto(address, { waitUntil: 'load' });
    await this.scratch.unroute(only);
    return this.scratch;
  }
}

/** Signs in through the pages: email, the link from the mail that arrived, Continue. */
export async function signInWithBrowser(
  page: Page,
  smtp: SmtpTestServer,
  baseUrl: string,
  email: string,
  a11y?: AccessibilityChecker,
): Promise<void> {
  const before = smtp.to(email).length;
  await page.goto(`${baseUrl}/sign-in`);
  if (a11y) await a11y.check(page, 'sign-in', { screenshot: true });
  await page.getByLabel('What is your work email address?').fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await page.waitForURL('**/sign-in/check-email');
  if (a11y) await a11y.check(page, 'check-email');
  // Other mail (notices of bookings and outcomes) may arrive meanwhile: take the sign-in link.
  const linkMail = () =>
    smtp
      .to(email)
      .slice(before)
      .find((m) => LINK_PATTERN.test(String(m.text)));
  await smtp.waitFor(() => linkMail() !== undefined);
  const link = String(linkMail()!.text).match(new RegExp(`https?://[^\\s]*${LINK_PATTERN.source}`))![0];
  await page.goto(link);
  if (a11y) await a11y.check(page, 'sign-in-continue');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/home$|\/meetings|\/bookings|\/chair|\/admin/);
}

/** A desktop window; every page is checked again at 320 px. */
const VIEWPORT = { width: 1280, height: 900 };

/** Contexts made with JavaScript disabled. */
const withoutJavaScript = new WeakSet<BrowserContext>();

export async function newContext(
  browser: Browser,
  opts: { javaScriptEnabled: boolean; bypassCSP?: boolean },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScriptEnabled,
    bypassCSP: opts.bypassCSP ?? true,
    viewport: VIEWPORT,
  });
  if (!opts.javaScriptEnabled) withoutJavaScript.add(context);
  return context;
}
