/// <reference lib="dom" />
import { Browser } from 'playwright-core';
import request from 'supertest';
import { DateTime } from 'luxon';
import { Meeting } from '../../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from '../support/fixtures';
import { bearer } from '../support/sign-in';
import {
  AccessibilityChecker,
  launchChromium,
  newContext,
  RunningService,
  signInWithBrowser,
  startService,
} from './browser-support';

/** The reports page, its publication view and its printable view, checked with axe-core in Chromium. */
describe('the reports page in a real browser', () => {
  let s: RunningService;
  let browser: Browser;
  let a11y: AccessibilityChecker;
  let p: Partnership;
  let range: string;

  beforeAll(async () => {
    s = await startService();
    browser = await launchChromium();
    a11y = new AccessibilityChecker(browser);
    p = await setUpPartnership(s.t, s.smtp);
    const meetings = (await createSeries(s.t, p, { intervalWeeks: 1, horizonWeeks: 4 })).meetings;
    const post = (token: string, path: string, body: object) =>
      request(s.t.http).post(path).set(bearer(token)).send(body);
    const put = (token: string, path: string, body: unknown) =>
      request(s.t.http)
        .put(path)
        .set(bearer(token))
        .send(body as object);
    const items: string[] = [];
    for (const [token, body] of [
      [p.a1, thresholdItem()],
      [p.a2, thresholdItem({ levelConsidered: 3 })],
      [
        p.b1,
        thresholdItem({
          kind: 'referral-feedback',
          mashReference: 'MASH-2026-0001',
          referralDate: workingDayFromToday(-10),
        }),
      ],
    ] as const) {
      items.push((await post(token, `/api/meetings/${meetings[0].id}/bookings`, body).expect(201)).body.id);
    }
    // Held a month ago.
    const startsAt = DateTime.now().minus({ months: 1 }).toJSDate();
    await s.t.dataSource.getRepository(Meeting).update(
      { id: meetings[0].id },
      {
        startsAt,
        endsAt: new Date(startsAt.getTime() + 7200_000),
        bookingClosesAt: new Date(startsAt.getTime() - 86_400_000),
      },
    );
    await put(p.chair, `/api/bookings/${items[0]}/outcome`, {
      levelAdvised: 2,
      pathway: 'early-help',
      advice: 'Offer an early help assessment.',
    }).expect(201);
    await put(p.chair, `/api/bookings/${items[1]}/outcome`, {
      levelAdvised: 2,
      pathway: 'early-help',
      advice: 'Offer an early help assessment.',
    }).expect(201);
    await put(p.chair, `/api/bookings/${items[2]}/outcome`, {
      levelAdvised: 3,
      pathway: 'mash-referral',
      advice: 'The referral was right.',
      referralQuality: { timely: true, complete: false, appropriate: true, issues: ['missing-information'] },
    }).expect(201);
    const from = DateTime.fromJSDate(startsAt, { zone: 'Europe/London' }).startOf('quarter').minus({ quarters: 1 });
    const to = DateTime.now().setZone('Europe/London').endOf('quarter');
    range = `from-day=${from.day}&from-month=${from.month}&from-year=${from.year}&to-day=${to.day}&to-month=${to.month}&to-year=${to.year}`;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('is accessible with JavaScript, without it, in the publication view and when printed', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'coordinator@partnership.test');
    await page.goto(`${s.baseUrl}/reports?${range}`);
    expect(await page.locator('h1').innerText()).toBe('Reports');
    expect(await page.locator('svg.app-chart').count()).toBe(3);
    expect(await page.getByRole('img', { name: 'Items discussed per quarter, by agency' }).count()).toBe(1);
    await a11y.check(page, 'reports', { screenshot: true });

    await page.getByLabel('For publication (small numbers suppressed)').check();
    await page.getByRole('button', { name: 'Show the figures' }).click();
    await page.waitForURL(/view=publication/);
    expect(await page.locator('body').innerText()).toContain('suppressed');
    await a11y.check(page, 'reports-publication', { screenshot: true });

    await page.getByRole('link', { name: 'Printable view' }).click();
    await page.emulateMedia({ media: 'print' });
    await a11y.check(page, 'reports-print', { screenshot: true });
    await context.close();

    const noScript = await newContext(browser, { javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await signInWithBrowser(plain, s.smtp, s.baseUrl, 'chair@csc.gov.test');
    await plain.goto(`${s.baseUrl}/reports?from-day=31&from-month=2&from-year=2026`);
    expect(await plain.locator('.govuk-error-summary').innerText()).toContain('The start date must be a real date');
    await a11y.check(plain, 'reports-error');
    await noScript.close();
  });
});
