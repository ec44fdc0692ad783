import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';
import { SmtpTestServer } from './support/smtp-test-server';
import { webAgent, webSignIn } from './support/web';

/** The pages' timeout warning (WCAG 2.2.1): the time left comes from the session itself. */
describe('session timeout warning', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  const IDLE_MINUTES = 20;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: {
        SMTP_URL: smtp.url,
        SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
        BOOTSTRAP_COORDINATOR_EMAIL: 'coordinator@partnership.test',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const secondsLeftOn = (html: string) => Number(/data-seconds-left="(\d+)"/.exec(html)?.[1]);
  /** The test clock runs on in real time: a second or two may pass between steps. */
  const expectAbout = (actual: number, seconds: number) => {
    expect(actual).toBeGreaterThanOrEqual(seconds - 3);
    expect(actual).toBeLessThanOrEqual(seconds);
  };

  it('each signed-in page carries the seconds the session has left; "stay signed in" renews it', async () => {
    const agent = await webSignIn(t, smtp, 'coordinator@partnership.test');
    const page = await agent.get('/account').expect(200);
    expect(page.text).toContain('<dialog class="app-timeout-dialog" id="session-timeout"');
    expect(page.text).toContain('<script type="module" src="/assets/session-timeout.js"');
    expectAbout(secondsLeftOn(page.text), IDLE_MINUTES * 60);

    // Thirty seconds on, the session is not touched again (it is at most once a minute): 30 s fewer.
    await t.clock.during(new Date(t.clock.now().getTime() + 30_000), async () => {
      expectAbout(secondsLeftOn((await agent.get('/account').expect(200)).text), IDLE_MINUTES * 60 - 30);
    });
    // Eighteen minutes on (two before the end): the warning's button asks, and the session is renewed.
    await t.clock.during(new Date(t.clock.now().getTime() + (IDLE_MINUTES - 2) * 60_000), async () => {
      const kept = await agent.get('/account/keep-alive').set('Accept', 'application/json').expect(200);
      expect(kept.headers['cache-control']).toBe('no-store');
      expect(Object.keys(kept.body)).toEqual(['secondsLeft']);
      expectAbout(kept.body.secondsLeft, IDLE_MINUTES * 60);
    });
  });

  it('is not on pages for people who are not signed in, and its script is served as JavaScript', async () => {
    const start = await webAgent(t).get('/sign-in').expect(200);
    expect(start.text).not.toContain('session-timeout');
    const script = await request(t.http).get('/assets/session-timeout.js').expect(200);
    expect(script.headers['content-type']).toMatch(/text\/javascript/);
    expect(script.text).toContain("fetch('/account/keep-alive'");
    // Ended sessions cannot be kept alive.
    await webAgent(t).get('/account/keep-alive').expect(303);
  });
});
