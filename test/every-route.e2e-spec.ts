import request from 'supertest';
import { mappedRoutes, Route } from './support/routes';
import { createTestApp, TestApp } from './support/test-app';

/** A concrete URL for a route pattern: ids become a well-formed id that exists nowhere. */
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

describe('every route that is not public needs a session', () => {
  let t: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    t = await createTestApp();
    routes = mappedRoutes(t);
  });
  afterAll(() => t.close());

  it('finds the routes from the controllers, public ones marked so', () => {
    expect(routes.length).toBeGreaterThan(80);
    const find = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path);
    expect(find('GET', '/health')).toMatchObject({ isPublic: true });
    expect(find('POST', '/api/auth/sign-in')).toMatchObject({ isPublic: true });
    expect(find('GET', '/api/me')).toMatchObject({ isPublic: false });
    expect(find('GET', '/api/meetings/:id/minutes.pdf')).toMatchObject({ isPublic: false });
  });

  it('answers every API route without a session with 401 UNAUTHENTICATED in the one error shape', async () => {
    const refusedWrongly: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic && r.path.startsWith('/api/'))) {
      const http = request(t.http);
      const res = await http[route.method.toLowerCase() as 'get'](concrete(route.path))
        .set('Accept', 'application/json')
        .send({});
      if (res.status !== 401 || res.body.code !== 'UNAUTHENTICATED') {
        refusedWrongly.push(`${route.method} ${route.path} → ${res.status} ${res.body?.code ?? ''}`);
      }
    }
    expect(refusedWrongly).toEqual([]);
  });

  it('sends every page without a session to sign in, and refuses every form', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic && !r.path.startsWith('/api/'))) {
      const http = request(t.http);
      const res = await http[route.method.toLowerCase() as 'get'](concrete(route.path))
        .set('Accept', 'text/html')
        .type('form')
        .send({});
      const toSignIn = [302, 303].includes(res.status) && /\/sign-in/.test(String(res.headers.location));
      // Forms are refused before they are read: no session (401) or no CSRF token (403).
      const ok = route.method === 'GET' ? toSignIn || res.status === 401 : [401, 403].includes(res.status) || toSignIn;
      if (!ok) wrong.push(`${route.method} ${route.path} → ${res.status} ${res.headers.location ?? ''}`);
    }
    expect(wrong).toEqual([]);
  });
});
