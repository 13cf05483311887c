import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { storeSnapshot } from '../support/snapshot.js';

for (const engine of ENGINES) {
  describe(`subjects and data over HTTP (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let admin: string;
    let readOnly: string;
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });

    before(async () => {
      t = await createTestCustodian(engine);
      app = await buildApp(t.custodian, { bodyLimit: 16 * 1024 });
      admin = (await t.custodian.apiKeys.create('test', ['admin'])).key;
      readOnly = (await t.custodian.apiKeys.create('reader', ['subjects:read'])).key;
    });
    after(async () => {
      await app.close();
      await t.dispose();
    });

    async function newSubject(email: string): Promise<string> {
      const res = await app.inject({ method: 'POST', url: '/v1/subjects', headers: auth(admin), payload: { identifiers: [{ type: 'email', value: email }] } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id;
    }

    it('creates a subject, then finds the same one by any spelling of its identifier', async () => {
      const first = await app.inject({ method: 'POST', url: '/v1/subjects', headers: auth(admin), payload: { identifiers: [{ type: 'email', value: 'aigerim@example.kz' }] } });
      assert.equal(first.statusCode, 201);
      const { id, created } = first.json();
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.equal(created, true);

      const again = await app.inject({ method: 'POST', url: '/v1/subjects', headers: auth(admin), payload: { identifiers: [{ type: 'email', value: '  Aigerim@Example.KZ ' }] } });
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), { id, created: false });
    });

    it('attaches a new identifier to the subject found by another, and refuses identifiers of two subjects', async () => {
      const id = await newSubject('dana@example.kz');
      const withPhone = await app.inject({
        method: 'POST',
        url: '/v1/subjects',
        headers: auth(admin),
        payload: { identifiers: [{ type: 'email', value: 'dana@example.kz' }, { type: 'phone', value: '+7 701 555 0101' }] },
      });
      assert.equal(withPhone.statusCode, 200);
      const byPhone = await app.inject({ method: 'POST', url: '/v1/subjects', headers: auth(admin), payload: { identifiers: [{ type: 'phone', value: '+77015550101' }] } });
      assert.equal(byPhone.json().id, id);

      const other = await newSubject('erlan@example.kz');
      const before = await storeSnapshot(t.custodian);
      const clash = await app.inject({
        method: 'POST',
        url: '/v1/subjects',
        headers: auth(admin),
        payload: { identifiers: [{ type: 'email', value: 'erlan@example.kz' }, { type: 'phone', value: '+77015550101' }] },
      });
      assert.equal(clash.statusCode, 409);
      assert.equal(clash.json().error.code, 'conflict');
      assert.notEqual(other, id);
      assert.deepEqual(await storeSnapshot(t.custodian), before);
    });

    it('collects items under a declared purpose and reads them back for that purpose only', async () => {
      const id = await newSubject('collect@example.kz');
      const res = await app.inject({
        method: 'POST',
        url: `/v1/subjects/${id}/data`,
        headers: auth(admin),
        payload: {
          items: [
            { category: 'user.name', value: 'Aigerim Nurlanovna', purpose: 'orders', source: 'direct' },
            { category: 'user.contact.address', value: { city: 'Almaty', street: 'Abay 10' }, purpose: 'orders', source: 'direct' },
          ],
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.equal(body.items.length, 2);
      assert.equal(body.policyVersion, 1);

      const orders = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers: auth(admin) });
      assert.equal(orders.statusCode, 200);
      const items = orders.json().items.sort((a: { category: string }, b: { category: string }) => b.category.localeCompare(a.category));
      assert.deepEqual(
        items.map((i: { category: string; value: unknown }) => [i.category, i.value]),
        [
          ['user.name', 'Aigerim Nurlanovna'],
          ['user.contact.address', { city: 'Almaty', street: 'Abay 10' }],
        ],
      );
      assert.ok(body.items.some((i: { id: string }) => i.id === items[0].id));
      assert.deepEqual(items[0].purposes, ['orders']);
      assert.equal(items[0].source, 'direct');
      // The demo policy keeps order data 3 years from collection.
      assert.equal(items[0].retentionDueAt, '2029-11-22T09:00:00.000Z');

      // Marketing rests on consent, and none has been given: the gate refuses collection and reads.
      const before = await storeSnapshot(t.custodian);
      const refused = await app.inject({
        method: 'POST',
        url: `/v1/subjects/${id}/data`,
        headers: auth(admin),
        payload: { items: [{ category: 'user.contact.email', value: 'collect@example.kz', purpose: 'marketing', source: 'direct' }] },
      });
      assert.equal(refused.statusCode, 403);
      assert.deepEqual(refused.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code]), [['items', 'consent_missing']]);
      assert.deepEqual(await storeSnapshot(t.custodian), before);
      const marketing = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=marketing`, headers: auth(admin) });
      assert.equal(marketing.statusCode, 403);
      assert.equal(marketing.json().error.code, 'denied');
      assert.deepEqual(
        marketing.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
        [['purpose', 'consent_missing']],
      );
      assert.ok(!marketing.body.includes('collect@example.kz'));
    });

    it('journals collection and extraction with purposes and categories but no values', async () => {
      const id = await newSubject('journal@example.kz');
      await app.inject({ method: 'POST', url: `/v1/subjects/${id}/data`, headers: auth(admin), payload: { items: [{ category: 'user.name', value: 'Journal Person', purpose: 'orders', source: 'direct' }] } });
      await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers: auth(admin) });
      const events = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq').execute();
      assert.deepEqual(
        events.map((e) => [e.operation, e.purpose, JSON.parse(e.categories)]),
        [
          ['collection', null, ['user.contact.email']],
          ['collection', 'orders', ['user.name']],
          ['extraction', 'orders', ['user.name']],
        ],
      );
      const all = JSON.stringify(events);
      assert.ok(!all.includes('Journal Person') && !all.includes('journal@example.kz'), 'journal holds no values');
      assert.match(events[0].actor, /^apikey:[0-9a-f]{16}$/);
    });

    const badRequests: { name: string; status: number; code: string; path?: string; payload?: unknown; raw?: string; url?: (id: string) => string; headers?: Record<string, string> }[] = [
      { name: 'malformed JSON', status: 400, code: 'malformed_json', raw: '{"items": [ {"category": "user.name", "value": "Secret Value"' },
      { name: 'unknown field', status: 400, code: 'validation_failed', path: 'items[0].colour', payload: { items: [{ category: 'user.name', value: 'x', purpose: 'orders', source: 'direct', colour: 'red' }] } },
      { name: 'wrong type', status: 400, code: 'validation_failed', path: 'items[0].purpose', payload: { items: [{ category: 'user.name', value: 'x', purpose: 42, source: 'direct' }] } },
      { name: 'missing field', status: 400, code: 'validation_failed', path: 'items[0].source', payload: { items: [{ category: 'user.name', value: 'x', purpose: 'orders' }] } },
      { name: 'undeclared purpose', status: 422, code: 'purpose_not_declared', path: 'items[0].purpose', payload: { items: [{ category: 'user.name', value: 'x', purpose: 'profiling', source: 'direct' }] } },
      { name: 'undeclared category', status: 422, code: 'category_not_declared', path: 'items[0].category', payload: { items: [{ category: 'user.biometric', value: 'x', purpose: 'orders', source: 'direct' }] } },
      {
        name: 'category not declared for the purpose',
        status: 422,
        code: 'category_not_allowed_for_purpose',
        path: 'items[1].category',
        payload: { items: [{ category: 'user.name', value: 'ok', purpose: 'orders', source: 'direct' }, { category: 'user.contact.address', value: 'x', purpose: 'marketing', source: 'direct' }] },
      },
      { name: 'a source the purpose does not declare', status: 422, code: 'source_not_declared', path: 'items[0].source', payload: { items: [{ category: 'user.name', value: 'x', purpose: 'orders', source: 'public' }] } },
      { name: 'an IIN in the category field', status: 422, code: 'category_not_declared', path: 'items[0].category', payload: { items: [{ category: '900101300123', value: 'x', purpose: 'orders', source: 'direct' }] } },
      { name: 'personal data in an id field', status: 400, code: 'validation_failed', path: 'items[0].category', payload: { items: [{ category: 'Secret Value@mail.kz', value: 'x', purpose: 'orders', source: 'direct' }] } },
      { name: 'oversized body', status: 413, code: 'payload_too_large', payload: { items: [{ category: 'user.name', value: 'Secret Value '.repeat(2000), purpose: 'orders', source: 'direct' }] } },
      ...(
        [
          ['an empty string', '""'],
          ['a boolean', 'true'],
          ['an object', '{}'],
          ['an array', '[]'],
          ['a huge number', '1e308'],
          ['a NUL character', '"Secret Value\\u0000"'],
          ['a lone surrogate', '"Secret Value\\ud800"'],
        ] as const
      ).map(([what, json]) => ({
        name: `${what} as a name`,
        status: 422,
        code: 'value_invalid',
        path: 'items[0].value',
        raw: `{"items":[{"category":"user.name","value":${json},"purpose":"orders","source":"direct"}]}`,
      })),
      { name: 'missing API key', status: 401, code: 'unauthenticated', headers: {}, payload: { items: [{ category: 'user.name', value: 'x', purpose: 'orders', source: 'direct' }] } },
      { name: 'missing API key, even with a bad body', status: 401, code: 'unauthenticated', headers: {}, raw: '{"items": [' },
      { name: 'wrong API key', status: 401, code: 'unauthenticated', headers: { authorization: 'Bearer cust_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, payload: { items: [{ category: 'user.name', value: 'x', purpose: 'orders', source: 'direct' }] } },
      { name: 'unknown subject', status: 404, code: 'not_found', url: () => '/v1/subjects/00000000-0000-4000-8000-000000000000/data', payload: { items: [{ category: 'user.name', value: 'x', purpose: 'orders', source: 'direct' }] } },
    ];

    for (const bad of badRequests) {
      it(`rejects ${bad.name} with ${bad.status} ${bad.code} and writes nothing`, async () => {
        const id = await newSubject(`bad-${bad.code}-${bad.status}-${Math.random()}@example.kz`);
        const before = await storeSnapshot(t.custodian);
        const res = await app.inject({
          method: 'POST',
          url: bad.url?.(id) ?? `/v1/subjects/${id}/data`,
          headers: { 'content-type': 'application/json', ...(bad.headers ?? auth(admin)) },
          payload: bad.raw ?? JSON.stringify(bad.payload),
        });
        assert.equal(res.statusCode, bad.status, res.body);
        const body = res.json();
        assert.equal(body.error.code, bad.code);
        assert.equal(typeof body.error.message, 'string');
        assert.ok(Array.isArray(body.error.details));
        if (bad.path) assert.ok(body.error.details.some((d: { path: string }) => d.path === bad.path), `details name ${bad.path}: ${res.body}`);
        assert.ok(!res.body.includes('Secret Value') && !res.body.includes('900101300123'), 'error body does not echo values');
        assert.deepEqual(await storeSnapshot(t.custodian), before);
      });
    }

    it('answers 403 in the error shape when the key lacks the scope', async () => {
      const id = await newSubject('scope@example.kz');
      const res = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers: auth(readOnly) });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'forbidden');
      const ok = await app.inject({ method: 'GET', url: `/v1/subjects/${id}`, headers: auth(readOnly) });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().state, 'active');
    });

    it('changes a subject’s jurisdiction and locale, and rejects unknown values', async () => {
      const id = await newSubject('moved@example.kz');
      const res = await app.inject({ method: 'PATCH', url: `/v1/subjects/${id}`, headers: auth(admin), payload: { jurisdiction: 'EU', locale: 'kk' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([res.json().jurisdiction, res.json().locale], ['EU', 'kk']);
      const bad = await app.inject({ method: 'PATCH', url: `/v1/subjects/${id}`, headers: auth(admin), payload: { jurisdiction: 'Mars' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.details[0].path, 'jurisdiction');
      assert.equal((await app.inject({ method: 'GET', url: `/v1/subjects/${id}`, headers: auth(admin) })).json().jurisdiction, 'EU');
    });

    it('refuses reading for an undeclared purpose', async () => {
      const id = await newSubject('read@example.kz');
      const res = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=profiling`, headers: auth(admin) });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, 'purpose_not_declared');
    });

    it('rejects invalid identifiers naming the field', async () => {
      const before = await storeSnapshot(t.custodian);
      const res = await app.inject({ method: 'POST', url: '/v1/subjects', headers: auth(admin), payload: { identifiers: [{ type: 'iin', value: '123456789012' }] } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.details[0].path, 'identifiers[0].value');
      assert.ok(!res.body.includes('123456789012'));
      assert.deepEqual(await storeSnapshot(t.custodian), before);
    });

    it('serves the policy, health, readiness and OpenAPI', async () => {
      const policy = await app.inject({ method: 'GET', url: '/v1/policy', headers: auth(admin) });
      assert.equal(policy.statusCode, 200);
      const orders = policy.json().purposes.find((p: { id: string }) => p.id === 'orders');
      assert.deepEqual(orders.categories, ['user.name', 'user.contact.email', 'user.contact.phone_number', 'user.contact.address']);
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).json().status, 'ok');
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json().checks, { store: 'ok', migrations: 'ok', policy: 'ok' });
      const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.equal(openapi.openapi, '3.0.3');
      assert.ok(openapi.paths['/v1/subjects/{id}/data'].post);
      const docs = await app.inject({ method: 'GET', url: '/docs/' });
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger/i);
    });
  });
}
