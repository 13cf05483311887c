/**
 * API keys managed over HTTP, and finding a subject by an identifier without creating one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestApp, type TestApp } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { storeSnapshot } from '../support/snapshot.js';

for (const engine of ENGINES) {
  describe(`API keys and subject lookup over HTTP (${engine})`, { skip: engineSkip(engine) }, () => {
    let h: TestApp;
    before(async () => {
      h = await createTestApp(engine);
    });
    after(() => h.close());

    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers = h.headers) => h.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    it('creates a key shown once, lists keys without secrets, and revokes it at once', async () => {
      const created = await call('POST', '/v1/apikeys', { name: 'crm', scopes: ['subjects:read'] });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.headers['cache-control'], 'no-store');
      const { id, key } = created.json() as { id: string; key: string };
      assert.match(key, /^cust_[a-f0-9]{16}_/);
      const bearer = { authorization: `Bearer ${key}` };
      assert.equal((await call('GET', '/v1/subjects?identifier=email:nobody@example.kz', undefined, bearer)).statusCode, 404, 'the new key works');
      assert.equal((await call('GET', '/v1/apikeys', undefined, bearer)).statusCode, 403, 'a key without admin cannot manage keys');

      const listed = (await call('GET', '/v1/apikeys')).json().keys as { id: string; name: string; scopes: string[] }[];
      const entry = listed.find((k) => k.id === id);
      assert.deepEqual([entry?.name, entry?.scopes], ['crm', ['subjects:read']]);
      assert.ok(!JSON.stringify(listed).includes(key.slice(-20)), 'no secret is listed');

      const revoked = await call('DELETE', `/v1/apikeys/${id}`);
      assert.deepEqual([revoked.statusCode, revoked.json()], [200, { id, revoked: true }]);
      assert.equal((await call('GET', '/v1/subjects?identifier=email:nobody@example.kz', undefined, bearer)).statusCode, 401, 'revoked at once');
      assert.equal((await call('DELETE', `/v1/apikeys/${id}`)).statusCode, 404, 'a key is revoked once');
    });

    it('refuses unknown and empty scopes, naming the field', async () => {
      for (const scopes of [['subjects:read', ''], ['everything'], []]) {
        const res = await call('POST', '/v1/apikeys', { name: 'bad', scopes });
        assert.equal(res.statusCode, 400, res.body);
        assert.ok(res.json().error.details.some((d: { path: string }) => d.path.startsWith('scopes')), res.body);
      }
    });

    it('finds a subject by a normalized identifier without creating one, journaling the view but not the value', async () => {
      const { id } = (await call('POST', '/v1/subjects', { identifiers: [{ type: 'email', value: 'lookup@example.kz' }, { type: 'phone', value: '+7 701 555 12 34' }] })).json();
      const before = await storeSnapshot(h.t.custodian);
      const missing = await call('GET', '/v1/subjects?identifier=email:stranger@example.kz');
      assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'not_found']);
      assert.ok(!missing.body.includes('stranger'), 'the identifier is not echoed');
      assert.deepEqual(await storeSnapshot(h.t.custodian), before, 'a miss creates nothing and journals nothing');

      const found = await call('GET', '/v1/subjects?identifier=email:%20LookUp@Example.KZ%20');
      assert.equal(found.statusCode, 200, found.body);
      assert.equal(found.json().id, id);
      assert.equal((await call('GET', `/v1/subjects?identifier=${encodeURIComponent('phone:+7 (701) 555-12-34')}`)).json().id, id);

      const views = await h.t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).where('operation', '=', 'view').execute();
      assert.equal(views.length, 2);
      assert.deepEqual(JSON.parse(views[0].details), { kind: 'lookup', identifierType: 'email' });
      assert.ok(!JSON.stringify(views).includes('lookup@example.kz'));

      const bad = await call('GET', '/v1/subjects?identifier=email:not-an-address');
      assert.deepEqual([bad.statusCode, bad.json().error.details[0].path], [400, 'identifier']);
      assert.ok(!bad.body.includes('not-an-address'));
      assert.equal((await call('GET', '/v1/subjects?identifier=passport:123')).statusCode, 400, 'an unknown identifier type');
    });

    it('`apikey create` refuses empty scope items instead of dropping them', async () => {
      const env = cliEnv(h.t.database.location, h.t.config.keyringPath);
      const result = await runCli(['apikey', 'create', '--name', 'typo', '--scopes', 'subjects:read,,data:read'], env);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /scopes\[1\]: is empty/);
      assert.ok(!result.stderr.includes('    at '), 'no stack trace');
      const keys = await h.t.custodian.apiKeys.list();
      assert.ok(!keys.some((k) => k.name === 'typo'), 'no key was created');
    });
  });
}
