import assert from 'node:assert/strict';
import { storeSnapshot } from '../support/snapshot.js';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const YEAR = 365 * 86_400_000;

for (const engine of ENGINES) {
  describe(`gate, rectification, blocking and depersonalization over HTTP (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine));
    });
    after(async () => close());

    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers, payload });
    async function subjectWithData(email: string) {
      const id = (await post('/v1/subjects', { identifiers: [{ type: 'email', value: email }] })).json().id as string;
      const res = await post(`/v1/subjects/${id}/data`, {
        items: [
          { category: 'user.name', value: 'Dana Sultanovna', purpose: 'orders', source: 'direct' },
          { category: 'user.contact.phone_number', value: '+77017770000', purpose: 'orders', source: 'direct' },
          { category: 'user.contact.address', value: { city: 'Shymkent', street: 'Tauke Khan 5' }, purpose: 'orders', source: 'direct' },
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      return { id, items: res.json().items.map((i: { id: string }) => i.id) as string[] };
    }
    const decide = async (subjectId: string, categories = ['user.name'], operation = 'use') =>
      (await post('/v1/decisions', { subjectId, purpose: 'orders', operation, categories })).json() as { allow: boolean; reasons: { code: string }[] };

    it('blocks a whole subject: decisions and reads are refused, data stays; unblocking restores them', async () => {
      const { id } = await subjectWithData('block@example.kz');
      assert.equal((await decide(id)).allow, true);
      const block = await post(`/v1/subjects/${id}/blocks`, { reason: 'accuracy-disputed' });
      assert.equal(block.statusCode, 201, block.body);
      assert.equal(block.json().categories, null);

      const denied = await decide(id);
      assert.deepEqual(denied.reasons.map((r) => r.code), ['subject_blocked']);
      const read = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers });
      assert.equal(read.statusCode, 403);
      assert.ok(read.json().error.details.some((d: { code?: string }) => d.code === 'subject_blocked'));
      const stored = await t.custodian.store.db.selectFrom('data_item').select('state').where('subject_id', '=', id).execute();
      assert.deepEqual(stored.map((r) => r.state), ['active', 'active', 'active']);

      // Finding the subject still works; adding an identifier to it is collection, and stops.
      assert.equal((await post('/v1/subjects', { identifiers: [{ type: 'email', value: 'block@example.kz' }] })).statusCode, 200);
      const more = await post('/v1/subjects', { identifiers: [{ type: 'email', value: 'block@example.kz' }, { type: 'phone', value: '+77010001122' }] });
      assert.equal(more.statusCode, 403, more.body);

      const lifted = await app.inject({ method: 'DELETE', url: `/v1/subjects/${id}/blocks/${block.json().id}`, headers });
      assert.equal(lifted.statusCode, 200);
      assert.equal((await decide(id)).allow, true);
      const ops = await t.custodian.store.db.selectFrom('journal_event').select('operation').where('subject_id', '=', id).where('operation', 'in', ['blocking', 'unblocking']).orderBy('seq').execute();
      assert.deepEqual(ops.map((o) => o.operation), ['blocking', 'unblocking']);
    });

    it('blocks some categories: reads withhold them and list why', async () => {
      const { id } = await subjectWithData('catblock@example.kz');
      assert.equal((await post(`/v1/subjects/${id}/blocks`, { categories: ['user.contact.phone_number'], reason: 'subject-request' })).statusCode, 201);
      const read = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers });
      assert.equal(read.statusCode, 200);
      const body = read.json();
      assert.deepEqual(body.items.map((i: { category: string }) => i.category).sort(), ['user.contact.address', 'user.name']);
      assert.deepEqual(body.withheld, [{ category: 'user.contact.phone_number', reasons: [{ code: 'category_blocked', message: 'category "user.contact.phone_number" is blocked' }] }]);
    });

    it('answers 404 for the blocks and disclosures of a subject that does not exist, and 422 for depersonalizing an undeclared category', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const url of [`/v1/subjects/${unknown}/blocks`, `/v1/subjects/${unknown}/disclosures`]) {
        const res = await app.inject({ method: 'GET', url, headers });
        assert.deepEqual([res.statusCode, res.json().error.code], [404, 'not_found'], url);
      }
      const { id } = await subjectWithData('undeclared-dep@example.kz');
      const before = await storeSnapshot(t.custodian);
      const res = await post(`/v1/subjects/${id}/depersonalize`, { categories: ['user.name', 'zQnotdeclared'] });
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual([res.json().error.code, res.json().error.details.map((d: { path: string }) => d.path)], ['category_not_declared', ['categories[1]']]);
      assert.ok(!res.body.includes('zQnotdeclared'));
      assert.deepEqual(await storeSnapshot(t.custodian), before);
    });

    it('refuses a block naming an undeclared category, writing nothing', async () => {
      const { id } = await subjectWithData('badblock@example.kz');
      const res = await post(`/v1/subjects/${id}/blocks`, { categories: ['user.biometric'], reason: 'subject-request' });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.details[0].path, 'categories[0]');
      assert.deepEqual((await app.inject({ method: 'GET', url: `/v1/subjects/${id}/blocks`, headers })).json().blocks, []);
    });

    it('refuses data past its retention date until it is destroyed', async () => {
      const { id } = await subjectWithData('retention@example.kz');
      t.clock.advance(3 * YEAR + 86_400_000);
      try {
        t.custodian.gate.invalidate(id);
        const d = await decide(id);
        assert.deepEqual(d.reasons.map((r) => r.code), ['retention_expired']);
        assert.equal((await decide(id, ['user.name'], 'destruction')).allow, true);
      } finally {
        t.clock.advance(-(3 * YEAR + 86_400_000));
        t.custodian.gate.invalidate(id);
      }
    });

    it('rectifies an item, keeping a journaled history without values', async () => {
      const { id, items } = await subjectWithData('rectify@example.kz');
      const res = await app.inject({ method: 'PATCH', url: `/v1/subjects/${id}/data/${items[0]}`, headers, payload: { value: 'Dana Sultanqyzy' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().revision, 2);
      const read = (await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers })).json();
      assert.ok(read.items.some((i: { value: unknown }) => i.value === 'Dana Sultanqyzy'));
      assert.ok(!read.items.some((i: { value: unknown }) => i.value === 'Dana Sultanovna'));
      const event = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).where('operation', '=', 'clarification').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(event.details), { item: items[0], revision: 2 });
      assert.ok(!JSON.stringify(event).includes('Sultan'));
      // A correction is checked like a collection: a name must be text.
      for (const value of [{}, true, '', 'Dana\u0000']) {
        const bad = await app.inject({ method: 'PATCH', url: `/v1/subjects/${id}/data/${items[0]}`, headers, payload: { value } });
        assert.equal(bad.statusCode, 422, bad.body);
        assert.deepEqual([bad.json().error.code, bad.json().error.details[0].path], ['value_invalid', 'value']);
      }
      const kept = (await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers })).json();
      assert.ok(kept.items.some((i: { value: unknown; revision: number }) => i.value === 'Dana Sultanqyzy' && i.revision === 2), 'refused corrections changed nothing');
    });

    it('depersonalizes chosen items irreversibly, keeping only unlinkable transforms', async () => {
      const { id, items } = await subjectWithData('deperson@example.kz');
      const res = await post(`/v1/subjects/${id}/depersonalize`, { itemIds: [items[2], items[1]] });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { items: 2, wholeSubject: false, transforms: { 'user.contact.address': 'city', 'user.contact.phone_number': 'suppress' } });
      const records = await t.custodian.store.db.selectFrom('depersonalized_record').selectAll().execute();
      const values = records.map((r) => JSON.parse(r.value));
      assert.ok(values.includes('Shymkent'));
      assert.ok(!JSON.stringify(records).includes(id), 'no subject id');
      assert.ok(!JSON.stringify(records).includes('+7701777'), 'phone suppressed');
      const read = (await app.inject({ method: 'GET', url: `/v1/subjects/${id}/data?purpose=orders`, headers })).json();
      assert.deepEqual(read.items.map((i: { category: string }) => i.category), ['user.name']);
    });

    it('refuses to depersonalize blocked data', async () => {
      const { id } = await subjectWithData('blockedperson@example.kz');
      const block = await post(`/v1/subjects/${id}/blocks`, { reason: 'authority-order' });
      const res = await post(`/v1/subjects/${id}/depersonalize`, {});
      assert.equal(res.statusCode, 403, res.body);
      assert.ok(res.json().error.details.some((d: { code?: string }) => d.code === 'subject_blocked'));
      const items = await t.custodian.store.db.selectFrom('data_item').select('state').where('subject_id', '=', id).execute();
      assert.deepEqual(items.map((i) => i.state), ['active', 'active', 'active']);
      await app.inject({ method: 'DELETE', url: `/v1/subjects/${id}/blocks/${block.json().id}`, headers });
      assert.equal((await post(`/v1/subjects/${id}/depersonalize`, {})).statusCode, 200);

      // A subject with no data items left still has identifiers and a key to protect.
      const bare = (await post('/v1/subjects', { identifiers: [{ type: 'email', value: 'bare-blocked@example.kz' }] })).json().id;
      await post(`/v1/subjects/${bare}/blocks`, { reason: 'legal-claim' });
      assert.equal((await post(`/v1/subjects/${bare}/depersonalize`, {})).statusCode, 403);
      const subject = await t.custodian.store.db.selectFrom('subject').select(['state']).where('id', '=', bare).executeTakeFirstOrThrow();
      assert.equal(subject.state, 'active');
      assert.ok(await t.custodian.keyStore.get(t.custodian.store.db, { kind: 'subject', id: bare }), 'the key is still in the key store');
    });

    it('depersonalizes a whole subject: identifiers and data key are gone', async () => {
      const { id } = await subjectWithData('wholeperson@example.kz');
      const res = await post(`/v1/subjects/${id}/depersonalize`, {});
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().wholeSubject, true);
      const subject = await t.custodian.store.db.selectFrom('subject').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([subject.state, subject.wrapped_key], ['depersonalized', null]);
      assert.equal(await t.custodian.keyStore.get(t.custodian.store.db, { kind: 'subject', id }), undefined, 'the key is gone from the key store');
      assert.equal((await t.custodian.store.db.selectFrom('subject_identifier').select('id').where('subject_id', '=', id).execute()).length, 0);
      assert.deepEqual((await decide(id)).reasons.map((r) => r.code), ['subject_erased']);
      // The same e-mail now makes a new, unrelated subject.
      const again = await post('/v1/subjects', { identifiers: [{ type: 'email', value: 'wholeperson@example.kz' }] });
      assert.equal(again.statusCode, 201);
      assert.notEqual(again.json().id, id);
    });

    it('counts decisions in /metrics without subject ids', async () => {
      const metrics = await app.inject({ method: 'GET', url: '/metrics', headers });
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.body, /custodian_decisions_total\{operation="use",outcome="allow",purpose="orders"\} \d+/);
      assert.match(metrics.body, /custodian_decision_denials_total\{code="subject_blocked"\} \d+/);
      assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(metrics.body));
    });
  });
}
