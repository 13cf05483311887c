/**
 * The route × scope matrix: for every route the app serves, a key holding any scope the
 * table does not list gets 403, no key gets 401, and the listed scopes (and `admin`) get
 * past authentication. A route the app serves that the table does not list fails.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { SCOPES, type Scope } from '../../src/access/api-keys.js';
import { buildApp } from '../../src/http/app.js';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { type AppRoute, appRoutes, fastifyUrl, routeKey } from './app-routes.js';
import { ROUTE_SCOPES, type RouteAccess } from './route-scopes.js';

/** The table's entry for a route; HEAD routes are Fastify's copies of their GET. */
function tableKey(route: AppRoute): string {
  return route.method === 'HEAD' ? `GET ${route.url}` : routeKey(route);
}

/** Routes the app serves that the table does not list. */
export function unlistedRoutes(routes: AppRoute[], table: Record<string, RouteAccess>): string[] {
  return [...new Set(routes.filter((r) => !(tableKey(r) in table)).map(routeKey))];
}

/** A concrete URL for a route: any well-formed id will do, authentication comes first. */
function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'swagger-ui.css');
}

for (const engine of ENGINES) {
  describe(`route × scope matrix (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestApp;
    let routes: AppRoute[];
    const keys = new Map<Scope, string>();

    before(async () => {
      t = await createTestApp(engine);
      routes = appRoutes(t.app);
      for (const scope of SCOPES) keys.set(scope, (await t.t.custodian.apiKeys.create(`only ${scope}`, [scope])).key);
    });
    after(async () => {
      await t?.close();
    });

    const call = (method: string, url: string, scope?: Scope) =>
      t.app.inject({ method: method as InjectOptions['method'], url, headers: scope ? { authorization: `Bearer ${keys.get(scope)}` } : {} });

    it('lists every route the app serves', () => {
      const unlisted = unlistedRoutes(routes, ROUTE_SCOPES);
      assert.deepEqual(unlisted, [], `routes missing from test/reliability/route-scopes.ts (add each with the scope its requireScope names, or 'public'): ${unlisted.join(', ')}`);
    });

    it('finds every documented route, so the list is complete', async () => {
      const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const found = new Set(routes.map(routeKey));
      const documented = Object.entries(openapi.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${fastifyUrl(path)}`));
      assert.ok(documented.length > 20);
      assert.deepEqual(documented.filter((route) => !found.has(route)), []);
    });

    it('names a route that is missing from the table', async () => {
      const app: FastifyInstance = await buildApp(t.t.custodian);
      app.get('/v1/unlisted-probe/:id', async () => ({}));
      try {
        await app.ready();
        const unlisted = unlistedRoutes(appRoutes(app), ROUTE_SCOPES);
        assert.ok(unlisted.includes('GET /v1/unlisted-probe/:id') && unlisted.includes('HEAD /v1/unlisted-probe/:id'), unlisted.join(', '));
      } finally {
        await app.close();
      }
    });

    for (const [key, access] of Object.entries(ROUTE_SCOPES)) {
      const [method, url] = key.split(' ');
      it(`${key}: ${access === 'public' ? 'public' : `only ${['admin', ...access.filter((s) => s !== 'admin')].join(', ')}`}`, async () => {
        const served = routes.filter((r) => r.url === url && (r.method === method || (method === 'GET' && r.method === 'HEAD')));
        assert.ok(served.some((r) => r.method === method), `the table lists ${key} but the app does not serve it`);
        for (const route of served) {
          const target = concreteUrl(route.url);
          const label = `${route.method} ${target}`;
          const anonymous = await call(route.method, target);
          if (access === 'public') {
            assert.ok(anonymous.statusCode !== 401 && anonymous.statusCode !== 403, `${label} without a key: ${anonymous.statusCode} ${anonymous.body}`);
            continue;
          }
          assert.equal(anonymous.statusCode, 401, `${label} without a key: ${anonymous.body}`);
          assert.match(String(anonymous.headers['www-authenticate']), /^Bearer /);
          if (route.method !== 'HEAD') assert.equal(anonymous.json().error.code, 'unauthenticated');

          for (const scope of SCOPES) {
            const res = await call(route.method, target, scope);
            const allowed = scope === 'admin' || access.includes(scope);
            if (allowed) {
              assert.ok(res.statusCode !== 401 && !(res.statusCode === 403 && (route.method === 'HEAD' || res.json().error.code === 'forbidden')), `${label} with ${scope}: ${res.statusCode} ${res.body}`);
            } else {
              assert.equal(res.statusCode, 403, `${label} with only ${scope} must be forbidden: ${res.body}`);
              if (route.method !== 'HEAD') assert.equal(res.json().error.code, 'forbidden');
            }
          }
        }
      });
    }
  });
}
