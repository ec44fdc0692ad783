import request from 'supertest';
import { Meeting } from '../src/meetings/meeting.entity';
import { createSeries, Partnership, setUpPartnership, thresholdItem, workingDayFromToday } from './support/fixtures';
import { outboxSettled } from './support/outbox';
import { bearer, latestLinkTo } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The service's logs, captured from a real app writing JSON lines: every line parses, carries a
 * request id (null only outside a request), request lines name the route pattern and never the
 * URL, and a whole booking and outcome flow with a marker in every free-text field leaves neither
 * the marker nor any token (session, sign-in, feed) in any line.
 */
const MARKER = 'qzxvmarker';
const text = (field: string) => `Words about the ${field} of this case ${MARKER} ${field}`;

describe('structured logs', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let p: Partnership;
  const lines: string[] = [];
  const tokens: string[] = [];
  let buffered = '';
  const stream = {
    write(chunk: string) {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts.filter((l) => l.length > 0));
      return true;
    },
  };
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, LOG_LEVEL: 'log', LOG_FORMAT: 'json' },
      logStream: stream,
    });
    p = await setUpPartnership(t, smtp);
    tokens.push(p.coordinator, p.chair, p.otherChair, p.a1, p.a2, p.b1);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // The flow writes the lines the next two steps read: one story, in order.
  const step = story('a full flow with a marker in every free-text field, then its log lines read back');
  step(
    'runs the booking, outcome and minutes flow with a marker in every free-text field and a token in URLs',
    async () => {
      const api = (token: string) => ({
        post: (path: string, body: object = {}) => request(t.http).post(path).set(bearer(token)).send(body),
        put: (path: string, body: unknown) =>
          request(t.http)
            .put(path)
            .set(bearer(token))
            .send(body as object),
      });
      const series = await createSeries(t, p, { intervalWeeks: 1, horizonWeeks: 4 });
      const meetingId = series.meetings[0].id;
      const item = await api(p.a1)
        .post(
          `/api/meetings/${meetingId}/bookings`,
          thresholdItem({ agencyReference: `REF-${MARKER}`, question: text('question'), summary: text('summary') }),
        )
        .expect(201);
      const feedback = await api(p.b1)
        .post(`/api/meetings/${meetingId}/bookings`, {
          kind: 'agency-feedback',
          immediateRisk: false,
          summary: text('feedback'),
        })
        .expect(201);
      // Refused input with the marker: the refusal is logged (a 422 line), its text is not.
      await api(p.a1)
        .post(`/api/meetings/${meetingId}/bookings`, thresholdItem({ summary: `${text('summary')} lives at SW1A 1AA` }))
        .expect(422);
      await request(t.http)
        .post(`/api/meetings/${meetingId}/bookings`)
        .set(bearer(p.a1))
        .set('content-type', 'application/json')
        .send(`{"summary": "${MARKER}`)
        .expect(400);

      // The meeting takes place: it began two hours ago.
      const startsAt = new Date(t.clock.now().getTime() - 3 * 3600_000);
      await t.dataSource.getRepository(Meeting).update(
        { id: meetingId },
        {
          startsAt,
          endsAt: new Date(startsAt.getTime() + 7200_000),
          bookingClosesAt: new Date(startsAt.getTime() - 86_400_000),
        },
      );
      await api(p.chair)
        .put(`/api/meetings/${meetingId}/attendance`, [
          { name: `Name ${MARKER}`, role: `Role ${MARKER}`, agencyId: p.agencyA, status: 'present' },
        ])
        .expect(200);
      await api(p.chair)
        .put(`/api/bookings/${item.body.id}/outcome`, {
          levelAdvised: 2,
          pathway: 'early-help',
          advice: text('advice'),
        })
        .expect(201);
      await api(p.chair)
        .put(`/api/bookings/${feedback.body.id}/outcome`, { response: text('response') })
        .expect(201);
      await api(p.chair)
        .post(`/api/meetings/${meetingId}/actions`, {
          description: text('action'),
          ownerAgencyId: p.agencyA,
          ownerName: `Owner ${MARKER}`,
          dueDate: workingDayFromToday(5, t.clock.now()),
        })
        .expect(201);

      // The minutes, amended; a legal hold; another meeting cancelled: every reason holds the marker.
      const patch = (token: string, path: string, body: object) =>
        request(t.http).patch(path).set(bearer(token)).send(body);
      await patch(p.chair, `/api/meetings/${meetingId}/minutes`, { themesNote: text('themes') }).expect(200);
      await api(p.chair).post(`/api/meetings/${meetingId}/minutes/approve`).expect(200);
      await api(p.chair)
        .post(`/api/meetings/${meetingId}/minutes/amendments`, {
          reason: text('amendment'),
          themesNote: text('themes2'),
        })
        .expect(201);
      await api(p.coordinator)
        .post(`/api/bookings/${item.body.id}/legal-hold`, { reason: text('hold') })
        .expect(201);
      await api(p.coordinator)
        .post(`/api/meetings/${series.meetings[1].id}/cancel`, { reason: text('cancellation') })
        .expect(200);

      // A feed token and a sign-in token, both in URLs.
      const feed = await api(p.a1).post('/api/me/calendar-feed').expect(201);
      const feedPath = new URL(feed.body.url as string).pathname;
      tokens.push(feedPath.split('/').pop()!.replace('.ics', ''));
      await request(t.http).get(feedPath).expect(200);
      await request(t.http).post('/api/auth/sign-in').send({ email: 'dsl@riverside.sch.uk' }).expect(202);
      await smtp.waitFor(() => smtp.to('dsl@riverside.sch.uk').length > 1);
      const signInToken = latestLinkTo(smtp, 'dsl@riverside.sch.uk');
      tokens.push(signInToken);
      await request(t.http).get(`/sign-in/verify?token=${signInToken}`);
      await request(t.http).get(`/no/such/page?token=${signInToken}`).expect(404);
      await request(t.http).get('/health').set('Cookie', `session=${MARKER}`).expect(200);
      await outboxSettled(t, smtp);
    },
  );

  step(
    'writes only JSON lines, each with a reqId; request lines carry method, route pattern, status and duration',
    () => {
      expect(lines.length).toBeGreaterThan(20);
      const entries = parsed();
      for (const entry of entries) expect(entry).toHaveProperty('reqId');
      const requests = entries.filter((e) => e.msg === 'request');
      expect(requests.length).toBeGreaterThan(20);
      for (const r of requests) {
        expect(r.reqId).toMatch(/^[0-9a-f-]{36}$/);
        expect(r).toEqual(
          expect.objectContaining({
            method: expect.any(String),
            route: expect.any(String),
            status: expect.any(Number),
            durationMs: expect.any(Number),
          }),
        );
        expect(r).not.toHaveProperty('url');
        expect(r).not.toHaveProperty('req');
      }
      expect(requests).toContainEqual(
        expect.objectContaining({ method: 'POST', route: '/api/meetings/:id/bookings', status: 201 }),
      );
      expect(requests).toContainEqual(expect.objectContaining({ route: '/api/meetings/:id/bookings', status: 422 }));
      expect(requests).toContainEqual(expect.objectContaining({ route: '(unmatched)', status: 404 }));
      expect(requests).toContainEqual(expect.objectContaining({ route: '/calendar/:file', status: 200 }));
    },
  );

  step('leaves the marker and every token out of every line', () => {
    expect(tokens.length).toBeGreaterThanOrEqual(8);
    const all = lines.join('\n');
    expect(all).not.toContain(MARKER);
    for (const token of tokens) expect(all).not.toContain(token);
  });

  it('answers with the request id in X-Request-Id, and ignores an incoming one unless TRUST_PROXY is set', async () => {
    const res = await request(t.http).get('/health').set('X-Request-Id', 'from-the-proxy-1').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const line = parsed().find((e) => e.reqId === res.headers['x-request-id']);
    expect(line).toMatchObject({ route: '/health', status: 200 });
  });
});

describe('structured logs behind a trusted proxy', () => {
  it('takes the proxy’s X-Request-Id when TRUST_PROXY is set (and refuses odd ones)', async () => {
    const lines: string[] = [];
    const t = await createTestApp({
      env: { TRUST_PROXY: 'true', LOG_LEVEL: 'log', LOG_FORMAT: 'json' },
      logStream: { write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) },
    });
    try {
      const res = await request(t.http).get('/health').set('X-Request-Id', 'from-the-proxy-1').expect(200);
      expect(res.headers['x-request-id']).toBe('from-the-proxy-1');
      expect(lines.map((l) => JSON.parse(l) as { reqId: string })).toContainEqual(
        expect.objectContaining({ reqId: 'from-the-proxy-1', route: '/health' }),
      );
      const odd = await request(t.http).get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
      expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await t.close();
    }
  });
});
