/// <reference lib="dom" />
import { DateTime } from 'luxon';
import { NextStep } from '../../src/next-steps/next-step.entity';
import { NextStepsService } from '../../src/next-steps/next-steps.service';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from '../support/fixtures';
import { bearer, signIn } from '../support/sign-in';
import {
  AccessibilityChecker,
  launchChromium,
  newContext,
  RunningService,
  signInWithBrowser,
  startService,
} from './browser-support';

/** The presenter's main journey, driven like a person would: labels, buttons and links. */
async function bookWithdrawJourney(
  page: Page,
  s: RunningService,
  a11y: AccessibilityChecker,
  opts: { email: string; prefix: string; screenshots: boolean },
) {
  const { prefix } = opts;
  await signInWithBrowser(page, s.smtp, s.baseUrl, opts.email, a11y);
  await a11y.check(page, `${prefix}home`);

  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
  await a11y.check(page, `${prefix}meetings`, { screenshot: opts.screenshots });
  await page
    .getByRole('link', { name: /^Book a slot/ })
    .first()
    .click();

  await a11y.check(page, `${prefix}book-immediate-risk`, { screenshot: opts.screenshots });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectErrorSummary(page, 'Select yes if a child may be at immediate risk of significant harm');
  await a11y.check(page, `${prefix}book-immediate-risk-error`);
  await page.getByLabel('No').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await a11y.check(page, `${prefix}book-kind`);
  await page.getByLabel('Threshold consultation').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await a11y.check(page, `${prefix}book-slot`);
  await page.getByLabel('The first free time').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await a11y.check(page, `${prefix}book-child`);
  await page.getByLabel('Your agency’s reference for this case').fill('RA-2026-117');
  await page.getByLabel('11-15 years').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('button', { name: 'Continue' }).click();
  await expectErrorSummary(page, 'Select at least one concern');
  await a11y.check(page, `${prefix}book-concerns-error`);
  await page.getByLabel('Neglect').check();
  await page.getByLabel('Mental health and emotional wellbeing').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await a11y.check(page, `${prefix}book-level`);
  await page.getByLabel('Level 2: Early help (additional needs)').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await a11y.check(page, `${prefix}book-question`);
  await page
    .getByLabel('What would you like the meeting to advise on?')
    .fill('Does the pattern of attendance meet the threshold for early help?');
  await page.getByRole('button', { name: 'Continue' }).click();

  // The identifying-details guard: the summary holds a postcode and a phone number.
  const summary = page.getByLabel('Summary');
  await summary.fill(
    'Year 9 pupil living at SW1A 1AA; mum can be reached on 020 7946 0123. Attendance has fallen to 70%.',
  );
  await page.getByRole('button', { name: 'Continue' }).click();
  const errors = await expectErrorSummary(page, 'In your summary: remove the postcode');
  expect(errors).toContain('remove the phone number');
  expect(errors).not.toContain('SW1A');
  expect(errors).not.toContain('7946');
  await a11y.check(page, `${prefix}book-identifying-details-error`, { screenshot: opts.screenshots });
  // The error summary links to the field.
  await page.getByRole('link', { name: /In your summary: remove the postcode/ }).click();
  if (await page.evaluate(() => document.body.classList.contains('js-enabled'))) {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('summary');
  } else {
    expect(page.url()).toContain('#summary');
  }
  await summary.fill(
    'Year 9 pupil in the north of the county; attendance has fallen to 70% this term and they arrive hungry most days.',
  );
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.waitForURL('**/book/check');
  await a11y.check(page, `${prefix}book-check-answers`, { screenshot: opts.screenshots });
  // Who presents it: oneself unless a colleague is chosen (asked only from here).
  await page.getByRole('link', { name: 'Change presenter' }).click();
  await a11y.check(page, `${prefix}book-presenter`);
  expect(await page.getByLabel('I will').isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL('**/book/check');
  // Whether it follows up an earlier item of the agency (also asked only from here).
  await page.getByRole('link', { name: 'Change whether it follows up an earlier item' }).click();
  await a11y.check(page, `${prefix}book-follows`);
  expect(await page.getByLabel('No, this is the first time').isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL('**/book/check');
  await page.getByRole('button', { name: 'Confirm and book' }).click();

  await page.waitForURL('**/confirmation');
  const panel = await page.locator('.govuk-panel').innerText();
  expect(panel).toMatch(/Your item is booked[\s\S]*TRM-\d{4}-\d{4}/);
  const reference = panel.match(/TRM-\d{4}-\d{4}/)![0];
  await a11y.check(page, `${prefix}book-confirmation`, { screenshot: opts.screenshots });

  await page.getByRole('link', { name: 'View your item' }).click();
  await a11y.check(page, `${prefix}item`, { screenshot: opts.screenshots });
  await page.getByRole('button', { name: 'Withdraw this item' }).click();
  await a11y.check(page, `${prefix}withdraw`);
  await page.getByRole('button', { name: `Yes, withdraw ${reference}` }).click();
  expect(await page.locator('.govuk-notification-banner').count()).toBe(1);
  expect(await page.locator('.govuk-notification-banner').innerText()).toContain(`You have withdrawn ${reference}`);
  await a11y.check(page, `${prefix}item-withdrawn`);

  await page.getByRole('link', { name: 'Your items' }).click();
  expect(await page.locator('table').innerText()).toContain(reference);
  await a11y.check(page, `${prefix}items`);
  return reference;
}

async function expectErrorSummary(page: Page, text: string): Promise<string> {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  const content = await summary.innerText();
  expect(content).toContain(text);
  expect(await page.title()).toMatch(/^Error: /);
  return content;
}

describe('in a real browser', () => {
  let s: RunningService;
  let browser: Browser;
  let a11y: AccessibilityChecker;
  let p: Partnership;
  let meetingIds: string[];

  beforeAll(async () => {
    s = await startService();
    browser = await launchChromium();
    a11y = new AccessibilityChecker(browser);
    p = await setUpPartnership(s.t, s.smtp);
    meetingIds = (await createSeries(s.t, p, { intervalWeeks: 1 })).meetings.map((m) => m.id);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('a presenter signs in from the mailed link, books a slot past the identifying-details guard, and withdraws it', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await bookWithdrawJourney(page, s, a11y, { email: 'dsl@riverside.sch.uk', prefix: '', screenshots: true });
    await context.close();
  });

  it('the same journey works with JavaScript disabled', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await bookWithdrawJourney(page, s, a11y, {
      email: 'deputy.dsl@riverside.sch.uk',
      prefix: 'nojs-',
      screenshots: false,
    });
    await context.close();
  });

  it('the start page, accessibility statement, privacy notice, cookies page and error pages are accessible', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/`);
    await a11y.check(page, 'start', { screenshot: true });
    await page.getByRole('link', { name: 'Accessibility statement' }).click();
    await a11y.check(page, 'accessibility');
    await page.getByRole('link', { name: 'Privacy', exact: true }).click();
    await a11y.check(page, 'privacy');
    await page.getByRole('link', { name: 'Cookies', exact: true }).click();
    await a11y.check(page, 'cookies', { screenshot: true });
    const missing = await page.goto(`${s.baseUrl}/no-such-page`);
    expect(missing!.status()).toBe(404);
    await a11y.check(page, 'not-found');
    await context.close();
  });

  it('keeps the CSP strict and GOV.UK Frontend still runs (nonce, no unsafe-inline)', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true, bypassCSP: false });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'health.visitor@health.nhs.test');
    const csp = (await page.goto(`${s.baseUrl}/meetings/${meetingIds[1]}/book`))!.headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(await page.evaluate(() => document.body.className)).toContain('govuk-frontend-supported');
    await page.getByLabel('No').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Threshold consultation').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('The first free time').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(`${s.baseUrl}/book/question`);
    // The character count is enhanced by GOV.UK Frontend's JavaScript: it only shows if initAll ran.
    await page.getByLabel('What would you like the meeting to advise on?').fill('Short');
    await page.locator('.govuk-character-count__status').waitFor();
    expect(await page.locator('.govuk-character-count__status').innerText()).toMatch(/characters remaining/);
    // Swagger UI still runs under the same policy.
    await page.goto(`${s.baseUrl}/api/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Thresholds');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('a coordinator sets up a series and sees its dates', async () => {
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'coordinator@partnership.test');
    await a11y.check(page, 'coordinator-home');
    await page.getByRole('link', { name: 'Manage' }).click();
    await a11y.check(page, 'admin');
    await page.getByRole('link', { name: 'Meeting series' }).click();
    await a11y.check(page, 'admin-series');
    await page.getByRole('button', { name: 'Set up a meeting series' }).click();
    await a11y.check(page, 'admin-series-new', { screenshot: true });
    await page.getByLabel('Title').fill('Eastern locality Thresholds and Referrals Meeting');
    await page.getByRole('button', { name: 'Set up the series' }).click();
    await expectErrorSummary(page, 'Enter the date of the first meeting');
    await a11y.check(page, 'admin-series-new-error');
    const first = workingDayFromToday(21).split('-');
    await page.getByLabel('Day', { exact: true }).fill(first[2]);
    await page.getByLabel('Month', { exact: true }).fill(first[1]);
    await page.getByLabel('Year', { exact: true }).fill(first[0]);
    await page.getByLabel('Start time').fill('13:30');
    await page.getByLabel('Place (optional)').fill('Civic Centre, Room 4');
    await page.getByLabel('Chair', { exact: true }).selectOption({ label: 'Charlie Chair (chair@csc.gov.test)' });
    await page.getByLabel('Move it to the next working day').check();
    await page.getByRole('button', { name: 'Set up the series' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    expect(await page.locator('.govuk-notification-banner').innerText()).toMatch(
      /Series set up: \d+ meetings generated/,
    );
    expect(await page.locator('table').innerText()).toContain('at 13:30');
    await a11y.check(page, 'admin-series-dates', { screenshot: true });
    const seriesUrl = page.url().replace(/\?.*$/, '');
    await page.goto(`${seriesUrl}/end`);
    await a11y.check(page, 'admin-series-end');
    // Once a month, on the last Thursday: the page says so once set up.
    await page.goto(`${s.baseUrl}/admin/series/new`);
    await page.getByLabel('Once a month, on the same weekday').check();
    await page.getByLabel('Which one in the month').selectOption({ label: 'Last' });
    await page.getByLabel('Day of the week').selectOption({ label: 'Thursday' });
    await a11y.check(page, 'admin-series-new-monthly');
    const lastThursday = DateTime.fromISO(workingDayFromToday(21, s.t.clock.now()))
      .plus({ months: 1 })
      .endOf('month')
      .startOf('day');
    const day = lastThursday.minus({ days: (lastThursday.weekday - 4 + 7) % 7 });
    await page.getByLabel('Day', { exact: true }).fill(String(day.day));
    await page.getByLabel('Month', { exact: true }).fill(String(day.month));
    await page.getByLabel('Year', { exact: true }).fill(String(day.year));
    await page.getByLabel('Skip it').check();
    await page.getByRole('button', { name: 'Set up the series' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('Last Thursday of every month');
    for (const [list, link, name] of [
      ['/admin/agencies', /^Change/, 'admin-agency-change'],
      ['/admin/users', /^Change details/, 'admin-user-details'],
    ] as const) {
      await page.goto(`${s.baseUrl}${list}`);
      await page.getByRole('link', { name: link }).first().click();
      await a11y.check(page, name);
    }
    await page.goto(`${s.baseUrl}/account`);
    await a11y.check(page, 'account');
    // The timeout warning, two minutes before the session ends (the page's own clock, run forward).
    const timed = await context.newPage();
    await timed.clock.install();
    await timed.goto(`${s.baseUrl}/account`);
    const left = Number(await timed.locator('#session-timeout').getAttribute('data-seconds-left'));
    const warning = timed.getByRole('dialog', { name: 'You’re about to be signed out' });
    await timed.clock.runFor((left - 125) * 1000);
    expect(await warning.isVisible()).toBe(false);
    await timed.clock.runFor(10_000);
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/we will sign you out in 2 minutes/);
    await a11y.check(timed, 'session-timeout-warning');
    await timed.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'hidden' });
    await timed.close();
    // Disabling asks first (nothing changes until confirmed).
    await page.goto(`${s.baseUrl}/admin/users`);
    await page
      .getByRole('button', { name: /^Disable/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Disable .*account\?$/ }).waitFor();
    await a11y.check(page, 'admin-user-disable-confirm');
    for (const [link, name] of [
      ['Agencies', 'admin-agencies'],
      ['Users', 'admin-users'],
      ['Audit log', 'admin-audit'],
      ['Outgoing email', 'admin-outbox'],
      ['Find an item', 'admin-find-item'],
    ] as const) {
      await page.goto(`${s.baseUrl}/admin`);
      await page.getByRole('link', { name: link, exact: true }).click();
      await a11y.check(page, name);
    }
    await context.close();
  });

  it('a chair records attendance and an outcome, and approves the minutes (JavaScript on and off)', async () => {
    const meetingId = meetingIds[2];
    const item = (
      await request(s.t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.a1))
        .send(thresholdItem())
        .expect(201)
    ).body;
    const feedback = (
      await request(s.t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.b1))
        .send({
          kind: 'agency-feedback',
          immediateRisk: false,
          summary: 'Acknowledgements of referrals have been slow this term.',
        })
        .expect(201)
    ).body;
    // A referral-feedback item, at a later meeting.
    const referral = (
      await request(s.t.http)
        .post(`/api/meetings/${meetingIds[3]}/bookings`)
        .set(bearer(p.b1))
        .send(
          thresholdItem({
            kind: 'referral-feedback',
            mashReference: 'MASH-2026-0042',
            referralDate: workingDayFromToday(-5, s.t.clock.now()),
          }),
        )
        .expect(201)
    ).body;
    // The meeting is happening now.
    const startsAt = new Date(
      (await request(s.t.http).get(`/api/meetings/${meetingId}`).set(bearer(p.a1))).body.startsAt,
    ).getTime();
    s.t.clock.advance(startsAt - s.t.clock.now().getTime() + 30 * 60_000);

    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'chair@csc.gov.test');
    await page.getByRole('link', { name: 'Chairing' }).click();
    await a11y.check(page, 'chair-meetings');
    await page.goto(`${s.baseUrl}/meetings/${meetingId}`);
    await a11y.check(page, 'chair-agenda', { screenshot: true });

    await page.getByRole('link', { name: 'Attendance' }).click();
    await a11y.check(page, 'chair-attendance', { screenshot: true });
    const person1 = page.getByRole('group', { name: 'Person 1' });
    await person1.getByLabel('Present').check();
    await person1.getByLabel('Accepted the confidentiality statement').check();
    const person2 = page.getByRole('group', { name: 'Person 2' });
    await person2.getByLabel('Apologies').check();
    const person3 = page.getByRole('group', { name: 'Person 3' });
    await person3.getByLabel('Name').fill('Pat Police');
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await expectErrorSummary(page, 'Select the agency of person 3');
    await a11y.check(page, 'chair-attendance-error');
    await page
      .getByRole('group', { name: 'Person 3' })
      .getByLabel('Agency')
      .selectOption({ label: 'Children’s Social Care' });
    await page.getByRole('group', { name: 'Person 3' }).getByLabel('Present').check();
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Attendance saved');

    // Its quality questions reveal follow-ups.
    await page.goto(`${s.baseUrl}/meetings/${meetingIds[3]}/items/${referral.id}`);
    await a11y.check(page, 'chair-item-referral-feedback');
    await page.getByRole('group', { name: 'Was it complete?' }).getByLabel('No').check();
    await page.getByRole('group', { name: 'Was the MASH the right place for it?' }).getByLabel('No').check();
    await a11y.check(page, 'chair-item-referral-feedback-follow-ups');
    // Carrying an item forward asks first, on its own page.
    await page.goto(`${s.baseUrl}/meetings/${meetingIds[3]}/items/${referral.id}/defer`);
    await a11y.check(page, 'chair-item-defer');
    await page.goto(`${s.baseUrl}/meetings/${meetingId}/attendance?saved=1`);

    await page.getByRole('link', { name: 'Record the outcome of the first item' }).click();
    await a11y.check(page, 'chair-item', { screenshot: true });
    expect(await page.locator('main').innerText()).toContain(thresholdItem().question);
    await page.getByRole('button', { name: 'Save and go to the next item' }).click();
    await expectErrorSummary(page, 'Select the level of need advised');
    await a11y.check(page, 'chair-item-error');
    await page.getByLabel('Level 2: Early help (additional needs)').check();
    await page.getByLabel('Early help / CAF').check();
    await page
      .getByLabel('Advice given')
      .fill('Offer an early help assessment; the school to lead a team around the family.');
    await page.getByRole('button', { name: 'Save and go to the next item' }).click();
    await page.waitForURL(new RegExp(`/items/${feedback.id}\\?saved=`));
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      `Outcome saved for ${item.reference}`,
    );
    await a11y.check(page, 'chair-item-feedback');
    await page.getByRole('link', { name: /Previous/ }).click();
    await page.waitForURL(new RegExp(`/items/${item.id}$`));
    expect(await page.getByLabel('Advice given').inputValue()).toContain('Offer an early help assessment');
    await context.close();

    // The rest without JavaScript: the agency feedback's response, actions, and approval.
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await signInWithBrowser(plain, s.smtp, s.baseUrl, 'chair@csc.gov.test');
    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/items/${feedback.id}`);
    expect(await plain.locator('main').innerText()).toContain(feedback.reference);
    await plain
      .getByLabel('Children’s social care’s response')
      .fill('A duty worker will acknowledge every referral the same day from next month.');
    await plain.getByRole('button', { name: 'Save outcome' }).click();
    await plain.waitForURL(new RegExp(`/items/${feedback.id}\\?saved=`));
    await a11y.check(plain, 'nojs-chair-item');

    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/actions`);
    await a11y.check(plain, 'nojs-chair-actions');
    await plain.getByLabel('What is to be done').fill('Send the early help offer to the family and report back.');
    await plain.getByLabel('Agency that owns it').selectOption({ label: 'Riverside Academy' });
    const due = workingDayFromToday(30, s.t.clock.now()).split('-');
    await plain.getByLabel('Day', { exact: true }).fill(due[2]);
    await plain.getByLabel('Month', { exact: true }).fill(due[1]);
    await plain.getByLabel('Year', { exact: true }).fill(due[0]);
    await plain.getByRole('button', { name: 'Add action' }).click();
    await plain.waitForURL(/saved=added/);
    expect(await plain.locator('main').innerText()).toContain('Send the early help offer');
    await a11y.check(plain, 'nojs-chair-actions-added');

    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/minutes`);
    await a11y.check(plain, 'nojs-chair-minutes-draft');
    await plain.getByRole('button', { name: 'Approve the minutes' }).click();
    await plain.waitForURL(/minutes\/approve$/);
    expect(await plain.locator('main').innerText()).toMatch(
      /This will email a link to the minutes to \d+ (person|people)/,
    );
    await a11y.check(plain, 'nojs-chair-minutes-approve-confirm');
    await plain.getByRole('button', { name: 'Approve and send the minutes' }).click();
    await plain.waitForURL(/approved=1/);
    expect(await plain.locator('.govuk-notification-banner').innerText()).toContain('Minutes approved');
    expect(await plain.locator('main').innerText()).toContain('Offer an early help assessment');
    await a11y.check(plain, 'chair-minutes-approved', { screenshot: true });
    const pdf = await plain.request.get(`${s.baseUrl}/api/meetings/${meetingId}/minutes.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // After approval the item's page amends the minutes: the same form, with a reason.
    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/items/${item.id}`);
    await a11y.check(plain, 'nojs-chair-item-amend');
    await plain.getByRole('button', { name: 'Amend the minutes' }).click();
    await expectErrorSummary(plain, 'Enter the reason for the amendment');
    await a11y.check(plain, 'nojs-chair-item-amend-error');
    await plain.getByLabel('Reason for the amendment').fill('Advice corrected after the meeting');
    await plain.getByLabel('Advice given').fill('Offer an early help assessment; the school nurse to join the team.');
    await plain.getByRole('button', { name: 'Amend the minutes' }).click();
    await plain.waitForURL(/amended=2/);
    expect(await plain.locator('.govuk-notification-banner').innerText()).toContain(
      'Outcome amended: the minutes are now version 2',
    );
    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/attendance`);
    await a11y.check(plain, 'nojs-chair-attendance-amend');
    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/minutes?version=1`);
    expect(await plain.locator('main').innerText()).toContain('This is an earlier version.');
    await a11y.check(plain, 'nojs-chair-minutes-earlier-version');
    await plain.goto(`${s.baseUrl}/meetings/${meetingId}/minutes/amend`);
    await a11y.check(plain, 'nojs-chair-minutes-amend');
    await noJs.close();
  });

  it('a presenter advised to seek early help is asked what happened next, and answers', async () => {
    // Eight days after the chair's meeting: the question has gone out (five working days on, 09:00).
    s.t.clock.advance(8 * 86_400_000);
    expect((await s.t.app.get(NextStepsService).runDue()).asked).toBeGreaterThanOrEqual(1);
    const [asked] = await s.t.dataSource.getRepository(NextStep).find({ where: { pathway: 'early-help' } });
    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'dsl@riverside.sch.uk');
    await page.goto(`${s.baseUrl}/bookings/${asked.bookingId}`);
    await page.getByRole('link', { name: 'Tell us what happened next' }).click();
    await a11y.check(page, 'next-steps', { screenshot: true });
    await page.getByRole('button', { name: 'Save your answer' }).click();
    await expectErrorSummary(page, 'Select yes if the referral or request was made');
    await a11y.check(page, 'next-steps-error');
    await page.getByRole('group', { name: 'Did you make the request for early help?' }).getByLabel('Yes').check();
    const made = page.getByRole('group', { name: 'If yes, when was it made?' });
    const day = DateTime.fromJSDate(s.t.clock.now(), { zone: 'Europe/London' }).minus({ days: 1 });
    await made.getByLabel('Day').fill(String(day.day));
    await made.getByLabel('Month').fill(String(day.month));
    await made.getByLabel('Year').fill(String(day.year));
    await page
      .getByRole('group', { name: /Have you heard back from early help/ })
      .getByLabel('Not yet')
      .check();
    await page.getByRole('button', { name: 'Save your answer' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await a11y.check(page, 'next-steps-saved');
    expect(await s.t.dataSource.getRepository(NextStep).findOneByOrFail({ id: asked.id })).toMatchObject({
      referralMade: true,
      heardBack: false,
    });
    await context.close();
    // A coordinator reads the answers; only the presenter answers.
    const coordinatorContext = await newContext(browser, { javaScriptEnabled: true });
    const coordinatorPage = await coordinatorContext.newPage();
    await signInWithBrowser(coordinatorPage, s.smtp, s.baseUrl, 'coordinator@partnership.test');
    await coordinatorPage.goto(`${s.baseUrl}/bookings/${asked.bookingId}/next-steps`);
    expect(await coordinatorPage.locator('main').innerText()).toContain('Only the item’s presenter can answer.');
    await a11y.check(coordinatorPage, 'next-steps-coordinator');
    await coordinatorContext.close();
  });

  it('a presenter books a withdrawn item into another meeting (JavaScript off)', async () => {
    const token = await signIn(s.t, s.smtp, 'deputy.dsl@riverside.sch.uk'); // the clock has moved on: a fresh session
    const item = (
      await request(s.t.http)
        .post(`/api/meetings/${meetingIds[5]}/bookings`)
        .set(bearer(token))
        .send(thresholdItem())
        .expect(201)
    ).body;
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'deputy.dsl@riverside.sch.uk');
    // Before bookings close its answers can be changed, one question page at a time.
    await page.goto(`${s.baseUrl}/bookings/${item.id}`);
    await page.getByRole('link', { name: 'Change the summary' }).click();
    await a11y.check(page, 'item-change-summary');
    await page.getByLabel('Summary').fill('Year 9 pupil; attendance has fallen further; arrives hungry most days.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      `Your changes to ${item.reference} have been saved.`,
    );
    expect(await page.locator('main').innerText()).toContain('attendance has fallen further');
    await a11y.check(page, 'item-changed');

    await request(s.t.http)
      .post(`/api/bookings/${item.id}/withdraw`)
      .set(bearer(token))
      .expect((r) => expect(r.status).toBeLessThan(300));
    await page.goto(`${s.baseUrl}/bookings/${item.id}`);
    await page.getByRole('button', { name: 'Book into another meeting' }).click();
    await a11y.check(page, 'rebook');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectErrorSummary(page, 'Select the meeting to book the item into');
    await a11y.check(page, 'rebook-error');
    await page.locator('input[name="meetingId"]').first().check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await a11y.check(page, 'rebook-time');
    await page.getByRole('button', { name: 'Book into this meeting' }).click();
    await expectErrorSummary(page, 'Select a time');
    await a11y.check(page, 'rebook-time-error');
    await page.getByLabel('The first free time').check();
    await page.getByRole('button', { name: 'Book into this meeting' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      `${item.reference} is booked into the meeting on`,
    );
    await a11y.check(page, 'item-rebooked');
    await context.close();
  });

  it('a coordinator, an agency lead and a presenter reach the rest of their pages: roles, legal hold, meeting changes, series end and resume, long lists, calendar link', async () => {
    const coordinator = await signIn(s.t, s.smtp, 'coordinator@partnership.test'); // the clock has moved on
    const api = (method: 'get' | 'post', path: string, token = coordinator) =>
      request(s.t.http)[method](path).set(bearer(token));
    // Enough people for a second page of users, one of them agency A's lead; and one account waiting for approval.
    for (let i = 1; i <= 50; i++)
      await api('post', '/api/users')
        .send({
          email: `teacher.${i}@riverside.sch.uk`,
          name: `Teacher ${i}`,
          agencyId: p.agencyA,
          roles: ['professional'],
        })
        .expect(201);
    const lead = (
      await api('post', '/api/users')
        .send({
          email: 'lead@riverside.sch.uk',
          name: 'Lee Lead',
          agencyId: p.agencyA,
          roles: ['professional', 'agency-lead'],
        })
        .expect(201)
    ).body;
    await signIn(s.t, s.smtp, 'new.teacher@riverside.sch.uk'); // a first sign-in: pending
    const presenter = await signIn(s.t, s.smtp, 'health.visitor@health.nhs.test');
    const item = (
      await api('post', `/api/meetings/${meetingIds[8]}/bookings`, presenter).send(thresholdItem()).expect(201)
    ).body;
    const series = await createSeries(
      s.t,
      { ...p, coordinator },
      {
        title: 'Western locality Thresholds and Referrals Meeting',
        firstMeetingDate: workingDayFromToday(40, s.t.clock.now()),
      },
    );

    const context = await newContext(browser, { javaScriptEnabled: true });
    const page = await context.newPage();
    await signInWithBrowser(page, s.smtp, s.baseUrl, 'coordinator@partnership.test');
    await page.goto(`${s.baseUrl}/admin/users`);
    await page.getByRole('link', { name: /^Next/ }).click();
    await page.waitForURL(/page=2/);
    await a11y.check(page, 'admin-users-page-2');
    // The lead signed in elsewhere: their details page offers to end their sessions, asked first.
    await signIn(s.t, s.smtp, 'lead@riverside.sch.uk');
    await page.goto(`${s.baseUrl}/admin/users/${lead.id}/roles`);
    expect(await page.locator('main').innerText()).toContain('is signed in once');
    await a11y.check(page, 'admin-user-roles');
    await page.getByRole('button', { name: 'End their sessions' }).click();
    await page.getByRole('heading', { name: 'End Lee Lead’s sessions?' }).waitFor();
    await a11y.check(page, 'admin-user-sessions-confirm');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(/\/roles$/);
    for (const [list, button, submit, error, name] of [
      ['/admin/agencies', 'Add an agency', 'Add agency', 'Enter the agency’s name', 'admin-agency-new'],
      ['/admin/users', 'Add a user', 'Add user', 'Enter the person’s work email address', 'admin-user-new'],
    ] as const) {
      await page.goto(`${s.baseUrl}${list}`);
      await page.getByRole('button', { name: button }).click();
      await a11y.check(page, name);
      await page.getByRole('button', { name: submit }).click();
      await expectErrorSummary(page, error);
      await a11y.check(page, `${name}-error`);
    }
    await page.goto(`${s.baseUrl}/admin/outbox`);
    await page.getByRole('link', { name: /Older messages/ }).click();
    await page.waitForURL(/before=/);
    await a11y.check(page, 'admin-outbox-older');

    await page.goto(`${s.baseUrl}/admin/items/${item.id}/legal-hold`);
    await a11y.check(page, 'admin-legal-hold');
    await page.getByRole('button', { name: 'Place a legal hold' }).click();
    await expectErrorSummary(page, 'Enter the reason, like ‘child safeguarding practice review’');
    await a11y.check(page, 'admin-legal-hold-error');
    await page.getByLabel('Why is the item being kept?').fill('Child safeguarding practice review');
    await page.getByRole('button', { name: 'Place a legal hold' }).click();
    await page.waitForURL(/done=placed/);
    await a11y.check(page, 'admin-legal-hold-placed');

    await page.goto(`${s.baseUrl}/meetings/${meetingIds[9]}/reschedule`);
    await a11y.check(page, 'meeting-reschedule');
    await page.getByLabel('Start time').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectErrorSummary(page, 'Enter the start time');
    await a11y.check(page, 'meeting-reschedule-error');
    await page.goto(`${s.baseUrl}/meetings/${meetingIds[9]}/cancel`);
    await a11y.check(page, 'meeting-cancel');
    await page.getByRole('button', { name: 'Cancel the meeting' }).click();
    await expectErrorSummary(page, 'Enter why the meeting is cancelled');
    await a11y.check(page, 'meeting-cancel-error');

    await page.goto(`${s.baseUrl}/admin/series/${series.id}/end`);
    await page.getByRole('button', { name: 'End the series' }).click();
    await page.waitForURL(/saved=ended/);
    await a11y.check(page, 'admin-series-ended');
    await page.getByRole('button', { name: 'Resume the series' }).click();
    await page.waitForURL(/saved=resumed/);
    expect(await page.locator('.govuk-notification-banner').isVisible()).toBe(true);
    await context.close();

    // The agency lead sees the account waiting for approval.
    const leadContext = await newContext(browser, { javaScriptEnabled: true });
    const leadPage = await leadContext.newPage();
    await signInWithBrowser(leadPage, s.smtp, s.baseUrl, 'lead@riverside.sch.uk');
    await leadPage.getByRole('link', { name: 'Your agency', exact: true }).click();
    expect(await leadPage.locator('main').innerText()).toContain('new.teacher@riverside.sch.uk');
    await a11y.check(leadPage, 'agency-lead');
    // A calendar link: asked for, shown once.
    await leadPage.goto(`${s.baseUrl}/calendar`);
    await a11y.check(leadPage, 'calendar');
    // Only the link, without a link: refused, nothing changes.
    await leadPage.getByLabel('Only my calendar link').check();
    await leadPage.getByRole('button', { name: 'Save how meetings reach my calendar' }).click();
    await expectErrorSummary(leadPage, 'Get a calendar link first');
    await a11y.check(leadPage, 'calendar-delivery-error');
    await leadPage.getByRole('button', { name: 'Get a calendar link' }).click();
    await leadPage.getByLabel('Your calendar link').waitFor();
    expect(await leadPage.getByLabel('Your calendar link').inputValue()).toMatch(/^https?:\/\/.*\.ics/);
    await a11y.check(leadPage, 'calendar-link-shown');
    // Subscribing asks whether to stop the invitations.
    expect(await leadPage.locator('main').innerText()).toContain('your calendar would show each meeting twice');
    await leadPage.getByLabel('Only my calendar link').check();
    await leadPage.getByRole('button', { name: 'Save how meetings reach my calendar' }).click();
    await leadPage.waitForURL(/saved=delivery/);
    expect(await leadPage.locator('.govuk-notification-banner').innerText()).toContain('no more invitations by email');
    // What it did to the invitations already in the calendar (the lead has none to take out).
    expect(await leadPage.getByTestId('handed-over').innerText()).toContain('No invitations were in your calendar');
    expect(await leadPage.getByLabel('Only my calendar link').isChecked()).toBe(true);
    await a11y.check(leadPage, 'calendar-delivery-saved');
    await leadPage.getByRole('button', { name: 'Remove my link' }).click();
    await leadPage.getByRole('heading', { level: 1 }).waitFor();
    await a11y.check(leadPage, 'calendar-remove-confirm');
    await leadPage.getByRole('button', { name: 'Remove my link' }).click();
    await leadPage.waitForURL(/removed=1/);
    // Without a link, invitations start again.
    expect(await leadPage.getByLabel('Invitations by email').isChecked()).toBe(true);
    expect(await leadPage.getByTestId('handed-over').innerText()).toContain('Invitations by email start again');
    await a11y.check(leadPage, 'calendar-link-removed');
    // Where the lead is signed in: here, and through the API above; signing out of the other.
    await leadPage.goto(`${s.baseUrl}/account/sessions`);
    expect(await leadPage.locator('main').innerText()).toContain('This session');
    await a11y.check(leadPage, 'account-sessions');
    await leadPage.getByRole('button', { name: 'Sign out of every other session' }).click();
    await leadPage.waitForURL(/ended=/);
    expect(await leadPage.locator('main').innerText()).toContain('You are not signed in anywhere else.');
    await a11y.check(leadPage, 'account-sessions-ended');
    // A meeting as a presenter sees it, then signing out.
    await leadPage.goto(`${s.baseUrl}/meetings/${meetingIds[9]}`);
    await a11y.check(leadPage, 'presenter-meeting');
    await leadPage.getByRole('link', { name: 'Sign out' }).first().click();
    await leadPage.waitForURL(/sign-out$/);
    await a11y.check(leadPage, 'sign-out');
    await leadPage.getByRole('button', { name: 'Sign out' }).click();
    await leadPage.waitForURL(/signed-out/);
    await a11y.check(leadPage, 'signed-out');
    await leadContext.close();
  });

  // Last, over every page the journeys above visited: "Page – Service – Partnership", each its own.
  it('gives every page it visited a title of its own', () => {
    expect(a11y.titles.size).toBeGreaterThan(40);
    expect(a11y.sharedTitles()).toEqual([]);
  });

  afterAll(() => {
    console.log(
      `axe checked ${a11y.checked.length} pages at 1280 and 320 px (${a11y.fetchedWithoutJavaScript} of those reached with JavaScript fetched again without it) with no WCAG 2.2 AA violations`,
    );
  });
});
