import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { storeSnapshot } from '../support/snapshot.js';

const GATE_POLICY = fileURLToPath(new URL('../decisions/fixtures/gate.policy.yaml', import.meta.url));

for (const engine of ENGINES) {
  describe(`disclosure register (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let alice: string;
    let bob: string;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine, { policy: GATE_POLICY }));
      alice = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'alice@example.kz' }] }, 'test')).id;
      bob = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'bob@example.kz' }] }, 'test')).id;
    });
    after(async () => close());

    const disclose = (payload: object) => app.inject({ method: 'POST', url: '/v1/disclosures', headers, payload });

    it('records a domestic transfer and a cross-border one under SCCs, journaled', async () => {
      const home = await disclose({ subjectId: alice, recipient: 'courier', purpose: 'orders', categories: ['user.name', 'user.contact.address'] });
      assert.equal(home.statusCode, 201, home.body);
      assert.equal(home.json().crossBorder, false);
      t.clock.advance(60_000);
      const abroad = await disclose({ subjectId: alice, recipient: 'eu-cloud', purpose: 'orders', categories: ['user.contact.email'] });
      assert.equal(abroad.statusCode, 201, abroad.body);
      assert.deepEqual([abroad.json().country, abroad.json().crossBorder, abroad.json().safeguard], ['DE', true, 'scc']);
      assert.deepEqual(abroad.json().bases, ['Kazakhstan 94-V: contract', 'GDPR: contract', 'CCPA/CPRA: performing-services']);
      t.clock.advance(60_000);
      assert.equal((await disclose({ subjectId: bob, recipient: 'eu-cloud', purpose: 'orders', categories: ['user.name'] })).statusCode, 201);

      const events = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('operation', '=', 'transfer').where('subject_id', '=', alice).execute();
      assert.equal(events.length, 2);
      assert.equal(JSON.parse(events[1].details).recipient, 'eu-cloud');
    });

    it('refuses undeclared recipients, recipients of other purposes and categories they may not receive, writing nothing', async () => {
      const before = await storeSnapshot(t.custodian);
      const cases: [object, string][] = [
        [{ subjectId: alice, recipient: 'nobody', purpose: 'orders', categories: ['user.name'] }, 'recipient_not_declared'],
        [{ subjectId: alice, recipient: 'us-ads', purpose: 'orders', categories: ['user.name'] }, 'recipient_not_declared_for_purpose'],
        [{ subjectId: alice, recipient: 'courier', purpose: 'orders', categories: ['user.contact.email'] }, 'category_not_declared_for_recipient'],
        [{ subjectId: alice, recipient: 'us-ads', purpose: 'analytics', categories: ['user.device.cookie_id'] }, 'cross_border_consent_missing'],
      ];
      for (const [payload, code] of cases) {
        const res = await disclose(payload);
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().error.code, 'denied');
        assert.ok(res.json().error.details.some((d: { code?: string }) => d.code === code), `${code} in ${res.body}`);
      }
      assert.deepEqual(await storeSnapshot(t.custodian), before);
    });

    it('never echoes an undeclared recipient or purpose id: it may be personal data in the wrong field', async () => {
      const iin = '900101300123';
      for (const payload of [
        { subjectId: alice, recipient: iin, purpose: 'orders', categories: ['user.name'] },
        { subjectId: alice, recipient: 'courier', purpose: iin, categories: ['user.name'] },
      ]) {
        const res = await disclose(payload);
        assert.equal(res.statusCode, 403, res.body);
        assert.ok(!res.body.includes(iin), res.body);
        assert.ok(res.json().error.details.every((d: { path: string; code?: string }) => d.path === 'recipient' && typeof d.code === 'string'), 'reason codes in code, the field in path');
      }
    });

    it('answers who received a subject’s data, by recipient and by country', async () => {
      const mine = (await app.inject({ method: 'GET', url: `/v1/subjects/${alice}/disclosures`, headers })).json().disclosures;
      assert.deepEqual(mine.map((d: { recipient: string }) => d.recipient), ['courier', 'eu-cloud']);
      const byRecipient = (await app.inject({ method: 'GET', url: '/v1/disclosures?recipient=eu-cloud', headers })).json().disclosures;
      assert.deepEqual(byRecipient.map((d: { subjectId: string }) => d.subjectId), [alice, bob]);
      const byCountry = (await app.inject({ method: 'GET', url: '/v1/disclosures?country=KZ', headers })).json().disclosures;
      assert.deepEqual(byCountry.map((d: { recipient: string }) => d.recipient), ['courier']);
    });

    it('reports cross-border transfers in a period', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/reports/cross-border?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', headers });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().transfers, [
        { recipient: 'eu-cloud', country: 'DE', safeguard: 'scc', purposes: ['orders'], categories: ['user.contact.email', 'user.name'], disclosures: 2, subjects: 2 },
      ]);
      const empty = await app.inject({ method: 'GET', url: '/v1/reports/cross-border?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z', headers });
      assert.deepEqual(empty.json().transfers, []);
      const bad = await app.inject({ method: 'GET', url: '/v1/reports/cross-border?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', headers });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.details[0].path, 'to');
    });

    it('refuses a transfer of blocked data', async () => {
      await t.custodian.blocks.block(bob, { reason: 'authority-order' }, 'test');
      const res = await disclose({ subjectId: bob, recipient: 'courier', purpose: 'orders', categories: ['user.name'] });
      assert.equal(res.statusCode, 403);
      assert.ok(res.json().error.details.some((d: { code?: string }) => d.code === 'subject_blocked'));
    });
  });
}
