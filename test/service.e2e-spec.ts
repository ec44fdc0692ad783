import request from 'supertest';
import { MIDDLEWARE_ROUTE } from '../src/observability/logging';
import { createTestApp, TestApp } from './support/test-app';

describe('the service: health, OpenAPI, errors and hardening', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports health with the database up', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('publishes an OpenAPI document that covers every route', async () => {
    const res = await request(t.http).get('/api/docs-json').expect(200);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, unknown>>(res.body.paths)) {
      for (const verb of Object.keys(ops)) documented.add(`${verb.toUpperCase()} ${path}`);
    }
    // Every route Express knows about (apart from the docs themselves, and the catch-all that
    // Nest mounts middleware on, such as the request logger's) is in the document.
    const router = t.app.getHttpAdapter().getInstance().router;
    const routes: string[] = [];
    for (const layer of router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>) {
      if (!layer.route || layer.route.path === MIDDLEWARE_ROUTE) continue;
      for (const verb of Object.keys(layer.route.methods)) {
        const path = String(layer.route.path).replace(/:(\w+)/g, '{$1}');
        if (!path.startsWith('/api/docs')) routes.push(`${verb.toUpperCase()} ${path}`);
      }
    }
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
    await request(t.http).get('/api/docs').expect(200);
  });

  it('answers unknown paths with the one error shape', async () => {
    const res = await request(t.http).get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('refuses malformed JSON and oversize bodies without a stack trace', async () => {
    const bad = await request(t.http)
      .post('/api/auth/sign-in')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(bad.body).toEqual({ statusCode: 400, code: 'INVALID_JSON', message: expect.any(String) });
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js|node_modules/);

    const huge = await request(t.http)
      .post('/api/auth/sign-in')
      .send({ email: 'a@b.test', padding: 'x'.repeat(200_000) })
      .expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects unknown fields and wrong types with field-level messages', async () => {
    const res = await request(t.http).post('/api/auth/sign-in').send({ email: 42, admin: true }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['admin', 'email']);
  });

  it('sends protective headers', async () => {
    const res = await request(t.http).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('requires a session for everything that is not public', async () => {
    const res = await request(t.http).get('/api/me').expect(401);
    expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: expect.any(String) });
    await request(t.http).get('/api/me').set('Authorization', 'Bearer not-a-token').expect(401);
  });

  it('answers 503 when the database is down', async () => {
    const other = await createTestApp();
    await other.dataSource.destroy();
    const res = await request(other.http).get('/health').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'down' });
    await other.dataSource.initialize(); // so that close() can shut it down cleanly
    await other.close();
  });
});
