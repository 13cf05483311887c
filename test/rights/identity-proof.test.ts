import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, EXAMPLES_DIR, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { requestCalls, requestEvents } from './support.js';

for (const engine of ENGINES) {
  describe(`rights requests: CCPA data points and agents (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let close: () => Promise<void>;
    let calls: ReturnType<typeof requestCalls>;
    let sam: string;

    before(async () => {
      let headers: Record<string, string>;
      ({ t, app, headers, close } = await createTestApp(engine, { policy: `${EXAMPLES_DIR}smart-communications.policy.yaml` }));
      calls = requestCalls(app, headers);
      sam = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'sam@example.com' }], jurisdiction: 'US-CA' }, 'test')).id;
      await t.custodian.vault.collect(sam, [{ category: 'user.name', value: 'Sam  Rivera', purpose: 'relationship-management', source: 'direct' }], 'test');
    });
    after(async () => close());

    it('two matching data points verify a request to know categories; a wrong one is refused without saying which', async () => {
      const filed = (await calls.file({ type: 'access', subjectId: sam })).json();
      const wrong = await calls.act(filed.id, 'identity/data-points', { points: [{ category: 'user.contact.email', value: 'sam@example.com' }, { category: 'user.name', value: 'Sam Smith' }] });
      assert.equal(wrong.statusCode, 400, wrong.body);
      assert.deepEqual(wrong.json().error.details, [{ path: 'points', message: 'not enough details match', code: 'data_points_not_matched' }]);
      assert.ok(!wrong.body.includes('Smith') && !wrong.body.includes('Rivera'));
      assert.equal((await calls.get(filed.id)).json().state, 'received');

      const ok = await calls.act(filed.id, 'identity/data-points', { points: [{ category: 'user.contact.email', value: ' SAM@example.com' }, { category: 'user.name', value: 'sam rivera' }] });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual([ok.json().state, ok.json().verificationMethod], ['in-progress', 'data-points']);
      const checks = (await requestEvents(t.custodian, filed.id)).filter((e) => e.details.event === 'data-points-checked');
      assert.deepEqual(checks.map((e) => e.details.matched), [false, true]);
      assert.ok(!JSON.stringify(checks).includes('Rivera'), 'the journal names categories, never the values given');
    });

    it('specific pieces (portability) need three points and a declaration signed under penalty of perjury', async () => {
      const filed = (await calls.file({ type: 'portability', subjectId: sam })).json();
      const points = [{ category: 'user.contact.email', value: 'sam@example.com' }, { category: 'user.name', value: 'Sam Rivera' }];
      const unsigned = await calls.act(filed.id, 'identity/data-points', { points });
      assert.deepEqual(unsigned.json().error.details.map((d: { path: string }) => d.path), ['declaration']);
      const two = await calls.act(filed.id, 'identity/data-points', { points, declaration: { signed: true } });
      assert.deepEqual(two.json().error.details.map((d: { path: string }) => d.path), ['points'], 'three are needed');
      assert.match(two.json().error.message, /3 data points/);
    });

    it('records an authorized agent with the kind and reference of their proof', async () => {
      const filed = (await calls.file({ type: 'erasure', subjectId: sam })).json();
      const res = await calls.act(filed.id, 'agent', { kind: 'authorized-agent', proof: 'signed-permission', proofReference: 'dms:2026/agent-0042' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().agent, { kind: 'authorized-agent', proof: 'signed-permission', proofReference: 'dms:2026/agent-0042' });
      assert.equal((await calls.act(filed.id, 'agent', { kind: 'friend', proof: 'signed-permission', proofReference: 'x' })).statusCode, 400);
    });
  });

  describe(`rights requests: 152-FZ document details (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let calls: ReturnType<typeof requestCalls>;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine, { policy: `${EXAMPLES_DIR}smartthings.policy.yaml` }));
      calls = requestCalls(app, headers);
    });
    after(async () => close());

    it('captures the identity document sealed under the subject’s key, shows it to the verifying staff member, journaled', async () => {
      const ivan = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'ivan@example.ru' }], jurisdiction: 'RU' }, 'test')).id;
      const filed = (await calls.file({ type: 'access', subjectId: ivan })).json();
      assert.deepEqual(filed.laws, ['ru']);
      const document = { type: 'passport', series: '4510', number: '123456', issuedAt: '2015-06-01', issuer: 'ОУФМС России по г. Москве', relationship: 'договор № 17 от 2025-02-01' };
      const res = await calls.act(filed.id, 'identity/document', document);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().documentCaptured, true);
      assert.equal(res.json().state, 'received', 'staff still verify');

      const row = await t.custodian.store.db.selectFrom('rights_request').selectAll().where('id', '=', filed.id).executeTakeFirstOrThrow();
      assert.ok(row.document_enc && !JSON.stringify(row).includes('123456') && !JSON.stringify(row).includes('ОУФМС'), 'sealed at rest');
      const shown = await app.inject({ method: 'GET', url: `/v1/requests/${filed.id}/identity/document`, headers });
      assert.equal(shown.statusCode, 200, shown.body);
      assert.deepEqual(shown.json().document, document);
      const events = await requestEvents(t.custodian, filed.id);
      assert.deepEqual(events.filter((e) => String(e.details.event).startsWith('identity-document')).map((e) => e.operation), ['recording', 'view']);
      assert.ok(!JSON.stringify(events).includes('123456'));
      assert.equal((await calls.act(filed.id, 'verify', { method: 'staff' })).json().state, 'in-progress');
    });

    it('refuses document details that are not in the shape 14(3) asks for', async () => {
      const olga = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'olga@example.ru' }], jurisdiction: 'RU' }, 'test')).id;
      const filed = (await calls.file({ type: 'access', subjectId: olga })).json();
      const bad = await calls.act(filed.id, 'identity/document', { type: 'passport', number: '123456', issuedAt: 'yesterday', issuer: 'X' });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.json().error.details.some((d: { path: string }) => d.path === 'issuedAt'));
      assert.equal((await calls.get(filed.id)).json().documentCaptured, false);
    });
  });
}
