/**
 * Destruction acts over HTTP, on both engines: an auditor's key reads an act and a
 * subject's acts with the signature checked, never the person it names; a tampered act
 * says so; bad ids are 400s naming the field, unknown ones 404s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishPolicy } from '../../src/custodian.js';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { erasurePolicy } from './erasure-policy.js';

for (const engine of ENGINES) {
  describe(`destruction acts over HTTP (${engine})`, { skip: engineSkip(engine) }, () => {
    let h: TestApp;
    let auditor: Record<string, string>;
    before(async () => {
      h = await createTestApp(engine);
      await publishPolicy(h.t.custodian, erasurePolicy(), 'erasure.policy.yaml');
      auditor = { authorization: `Bearer ${(await h.t.custodian.apiKeys.create('auditor', ['journal:read'])).key}` };
    });
    after(async () => h?.close());

    it('serves an act with its checked signature and what it names, without the person', async () => {
      const { vault, erasure, store } = h.t.custodian;
      const { id } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'http.erase@example.kz' }] }, 'test');
      await vault.collect(id, [{ category: 'user.name', value: 'Httpact Personova', purpose: 'orders', source: 'direct' }], 'test');
      await vault.collect(id, [{ category: 'user.name', value: 'Httpact Invoice', purpose: 'accounting', source: 'direct' }], 'test');
      const result = await erasure.erase(id, { actor: 'staff:dpo', reason: 'request', requestId: 'req-http' });
      const res = await h.app.inject({ method: 'GET', url: `/v1/acts/${result.actId}`, headers: auditor });
      assert.equal(res.statusCode, 200, res.body);
      const act = res.json();
      assert.deepEqual(
        { ...act, at: undefined, retainUntil: undefined, signature: undefined, keyId: undefined, id: undefined },
        {
          subjectId: id,
          requestId: 'req-http',
          reason: 'request',
          actor: 'staff:dpo',
          systems: ['custodian'],
          categories: [
            { category: 'user.contact.email', items: 1 },
            { category: 'user.name', items: 1 },
          ],
          kept: [{ category: 'user.name', reason: 'legal-obligation', article: '94-V art. 18(2)', until: '2031-11-22T09:00:00.000Z' }],
          shredded: false,
          namesPerson: true,
          signatureValid: true,
          at: undefined,
          retainUntil: undefined,
          signature: undefined,
          keyId: undefined,
          id: undefined,
        },
      );
      assert.equal(act.retainUntil, '2029-11-22T09:00:00.000Z');
      assert.ok(!res.body.includes('Httpact'), 'the person stays sealed');

      const list = await h.app.inject({ method: 'GET', url: `/v1/subjects/${id}/acts`, headers: auditor });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().acts.map((a: { id: string }) => a.id), [result.actId]);

      await store.db.updateTable('destruction_act').set({ actor: 'staff:someone-else' }).where('id', '=', result.actId!).execute();
      assert.equal((await h.app.inject({ method: 'GET', url: `/v1/acts/${result.actId}`, headers: auditor })).json().signatureValid, false);
    });

    it('refuses bad and unknown ids by field, and keys without journal:read', async () => {
      const bad = await h.app.inject({ method: 'GET', url: '/v1/acts/not-a-uuid', headers: auditor });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.details[0].path, 'params.id');
      const unknown = await h.app.inject({ method: 'GET', url: '/v1/acts/01890000-0000-7000-8000-000000000000', headers: auditor });
      assert.equal(unknown.statusCode, 404);
      assert.equal((await h.app.inject({ method: 'GET', url: '/v1/subjects/01890000-0000-7000-8000-000000000000/acts', headers: auditor })).statusCode, 404);
      const writer = { authorization: `Bearer ${(await h.t.custodian.apiKeys.create('writer', ['data:write'])).key}` };
      assert.equal((await h.app.inject({ method: 'GET', url: '/v1/acts/01890000-0000-7000-8000-000000000000', headers: writer })).statusCode, 403);
    });
  });
}
