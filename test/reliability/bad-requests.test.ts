/**
 * Bad requests against every documented route, generated from each route's own schema
 * (see bad-requests.ts). Whatever arrives: no 5xx; every 4xx in the one error shape, with a
 * 400 validation error naming the field; nothing the caller sent echoed back; and the
 * store exactly as it was.
 *
 * Reproduce a failure with CUSTODIAN_FUZZ_SEED=<seed> (printed by the test); raise the
 * number of cases per route with CUSTODIAN_FUZZ_RUNS.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { storeSnapshot } from '../support/snapshot.js';
import { type BadRequest, badRequests, type Fixtures, type OpenApiDocument, type Operation, operations } from './bad-requests.js';

const SEED = Number(process.env.CUSTODIAN_FUZZ_SEED ?? 20260522);
const RUNS = Number(process.env.CUSTODIAN_FUZZ_RUNS ?? 60);

/** Each route has its own seed, so adding a route does not change the others' cases. */
const routeSeed = (op: Operation) => (SEED ^ createHash('sha256').update(`${op.method} ${op.url}`).digest().readInt32BE(0)) | 0;

/**
 * Defects in files outside this suite's reach, reported to their owners. A problem
 * matching one is printed, not failed, so the rest of the suite keeps guarding.
 */
const KNOWN_DEFECTS: { route: string; mutation: string; rule: string; defect: string }[] = [];

interface Problem {
  route: string;
  mutation: string;
  rule: string;
  status: number;
  request: string;
  response: string;
}

const short = (s: string | undefined, n = 300) => (s === undefined ? '' : s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** What is wrong with the answer to one bad request, if anything. */
function judge(request: BadRequest, status: number, headers: Record<string, unknown>, body: string): string[] {
  const wrong: string[] = [];
  if (status >= 500) wrong.push('server error');
  if (status >= 400 && request.method !== 'HEAD') {
    let parsed: { error?: { code?: unknown; message?: unknown; details?: { path?: unknown; message?: unknown; code?: unknown }[] } } | undefined;
    try {
      parsed = JSON.parse(body);
    } catch {
      wrong.push('error body is not JSON');
    }
    const error = parsed?.error;
    const shaped =
      parsed !== undefined &&
      Object.keys(parsed).length === 1 &&
      typeof error?.code === 'string' &&
      typeof error.message === 'string' &&
      Array.isArray(error.details) &&
      error.details.every((d) => typeof d.path === 'string' && typeof d.message === 'string' && (d.code === undefined || typeof d.code === 'string'));
    if (parsed && !shaped) wrong.push('error body is not in the error shape');
    if (!/^application\/json/.test(String(headers['content-type']))) wrong.push(`error content-type is ${String(headers['content-type'])}`);
    if (shaped && error!.code === 'validation_failed') {
      if (status !== 400) wrong.push(`validation_failed with ${status}`);
      if (error!.details!.length === 0 || error!.details!.some((d) => d.path === '')) wrong.push('validation error without a field path');
    }
    const expect = request.expect;
    if (shaped && expect.kind === 'reject' && expect.field && status === 400 && error!.code === 'validation_failed') {
      const named = error!.details!.some((d) => String(d.path).split(/[.[\]]/).includes(expect.field!));
      if (!named) wrong.push(`details do not name ${expect.field}`);
    }
    if (shaped && expect.kind === 'reject' && expect.code && status === expect.status[0] && error!.code !== expect.code) wrong.push(`code ${String(error!.code)}, expected ${expect.code}`);
  }
  const expect = request.expect;
  if (expect.kind === 'reject' && !expect.status.includes(status)) wrong.push(`status ${status}, expected ${expect.status.join(' or ')}`);
  const seen = `${body}\n${JSON.stringify(headers)}`;
  for (const secret of request.secrets) if (seen.includes(secret)) wrong.push('response echoes a value the request sent');
  return wrong;
}

for (const engine of ENGINES) {
  describe(`bad requests to every route (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestApp;
    let fixtures: Fixtures;
    let ops: Operation[];
    /** The store before any bad request, and as last seen (so a change is pinned to the request that made it). */
    let initial: Record<string, string>;
    let current: Record<string, string>;
    /** Statuses seen per mutation, for the summary line. */
    const counts = new Map<string, Map<number, number>>();
    const problems: Problem[] = [];

    before(async () => {
      t = await createTestApp(engine);
      const { app, headers } = t;
      const post = async (url: string, payload: unknown) => {
        const res = await app.inject({ method: 'POST', url, headers, payload: payload as InjectOptions['payload'] });
        assert.equal(res.statusCode, 201, res.body);
        return res.json();
      };
      const subjectId: string = (await post('/v1/subjects', { identifiers: [{ type: 'email', value: 'fuzz-subject@example.kz' }], jurisdiction: 'KZ' })).id;
      const itemId: string = (await post(`/v1/subjects/${subjectId}/data`, { items: [{ category: 'user.name', value: 'Fuzz Person', purpose: 'orders', source: 'direct' }] })).items[0].id;
      const consentId = (await t.t.custodian.consents.record(subjectId, marketingConsent(1), 'test')).id;
      const blockId: string = (await post(`/v1/subjects/${subjectId}/blocks`, { categories: ['user.contact.phone_number'], reason: 'accuracy-disputed' })).id;
      const PARAMS: Record<string, string> = { itemId, blockId, purpose: 'marketing', number: '1' };
      const HINTS: Record<string, unknown> = {
        subjectId,
        purpose: 'marketing',
        category: 'user.contact.email',
        categories: ['user.contact.email'],
        recipient: 'courier',
        itemIds: [itemId],
        policyVersion: 1,
        locale: 'en',
        channel: 'web-form',
        value: 'Fuzz Value',
        // Rights requests: a report year, and a code that is both a refusal reason's shape and a one-time code's.
        year: '2026',
        code: '123456',
        webhook: 'https://recipient.example/hook',
        email: 'fuzz@example.kz',
      };
      fixtures = {
        authorization: headers.authorization,
        // A parameter without a real record here gets a well-formed value: its requests stop at "not found".
        param: (url, name) => (name === 'id' ? (url.startsWith('/v1/consents/') ? consentId : subjectId) : PARAMS[name]),
        hint: (field) => HINTS[field],
      };
      ops = operations((await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDocument);
      initial = await storeSnapshot(t.t.custodian);
      current = initial;
    });
    after(async () => {
      await t?.close();
    });

    it('answers every bad request with a 4xx in the error shape, never echoing it', async (context) => {
      context.diagnostic(`fast-check seed ${SEED}, ${RUNS} cases per route (CUSTODIAN_FUZZ_SEED, CUSTODIAN_FUZZ_RUNS)`);
      assert.ok(ops.length > 20, 'the OpenAPI document lists the routes');
      assert.ok(ops.some((op) => op.public && op.body), 'a public route with a body is covered');
      for (const op of ops) {
        const route = `${op.method} ${op.url}`;
        const cases = fc.sample(badRequests(op, fixtures), { seed: routeSeed(op), numRuns: RUNS });
        for (const [index, request] of cases.entries()) {
          const res = await t.app.inject({ method: request.method as InjectOptions['method'], url: request.url, headers: request.headers, payload: request.payload });
          const statuses = counts.get(request.mutation) ?? new Map<number, number>();
          counts.set(request.mutation, statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1));
          const rules = judge(request, res.statusCode, res.headers, res.body);
          // A schema-valid request naming nothing that exists may answer 2xx (a decision says "deny"), but must change nothing.
          if (request.expect.kind === 'refuse-or-read' && res.statusCode < 300) {
            const now = await storeSnapshot(t.t.custodian);
            if (JSON.stringify(now) !== JSON.stringify(current)) {
              rules.push(`a request naming nothing that exists changed the store (${Object.keys(now).filter((k) => now[k] !== current[k]).join(', ')})`);
              current = now;
            }
          }
          for (const rule of rules) {
            problems.push({
              route,
              mutation: request.mutation,
              rule,
              status: res.statusCode,
              request: `#${index} seed ${routeSeed(op)}: ${request.method} ${short(request.url, 200)} ${short(request.payload)}`,
              response: short(res.body),
            });
          }
        }
      }
      const total = [...counts.values()].flatMap((m) => [...m.values()]).reduce((a, b) => a + b, 0);
      context.diagnostic(`${total} requests over ${ops.length} routes`);
      for (const [mutation, statuses] of [...counts].sort()) context.diagnostic(`  ${mutation}: ${[...statuses].sort().map(([status, n]) => `${n}×${status}`).join(' ')}`);
      // One line per distinct defect, with the first request that showed it.
      const distinct = new Map<string, Problem & { times: number }>();
      const reported = new Set<(typeof KNOWN_DEFECTS)[number]>();
      for (const p of problems) {
        const known = KNOWN_DEFECTS.find((k) => k.route === p.route && k.mutation === p.mutation && k.rule === p.rule);
        if (known) {
          if (!reported.has(known)) context.diagnostic(`KNOWN DEFECT (not failed): ${known.defect} — first seen at ${p.request}`);
          reported.add(known);
          continue;
        }
        const key = `${p.route} | ${p.mutation} | ${p.rule} | ${p.status}`;
        const seen = distinct.get(key);
        if (seen) seen.times++;
        else distinct.set(key, { ...p, times: 1 });
      }
      assert.deepEqual(
        [...distinct.values()].map((p) => `${p.route} — ${p.mutation}: ${p.rule} (${p.status}, ${p.times}×)\n    request ${p.request}\n    response ${p.response}`),
        [],
      );
    });

    it('changed nothing in the store', async () => {
      assert.deepEqual(await storeSnapshot(t.t.custodian), initial);
    });
  });
}
