/**
 * The gate as a service: what it caches about a subject and when it stops trusting the
 * cache, what it folds in after a collection, and what it counts — on both engines.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { addDuration } from '../../src/law/duration.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { createTestDatabase, ENGINES, engineSkip, type TestDatabase } from '../support/engines.js';

const YEAR = 366 * 86_400_000;

/** The test Custodian, with a cache TTL no slow machine outlasts between two calls. */
interface GateTest {
  custodian: Custodian;
  clock: ManualClock;
  dispose(): Promise<void>;
}

async function openGateTest(engine: (typeof ENGINES)[number]): Promise<GateTest> {
  const database: TestDatabase = await createTestDatabase(engine);
  const clock = new ManualClock(Date.parse('2026-11-22T09:00:00Z'));
  const custodian = await openCustodian({ database: database.location, keyringPath: join(database.dir, 'keyring.json') }, { clock, gateCacheTtlMs: 10 * 60_000 });
  await publishPolicyFile(custodian, DEMO_POLICY);
  return { custodian, clock, dispose: async () => (await custodian.close(), await database.drop()) };
}

for (const engine of ENGINES) {
  describe(`purpose gate service (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: GateTest;
    before(async () => {
      t = await openGateTest(engine);
    });
    after(async () => t?.dispose());

    const newSubject = async () => (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `g${Math.random()}@example.kz` }] }, 'test')).id;
    const use = (subjectId: string, within?: Parameters<Custodian['gate']['decide']>[1]) =>
      t.custodian.gate.decide({ subjectId, purpose: 'orders', operation: 'use', categories: ['user.name'] }, within);

    it('answers for an unknown subject, and caches that answer too', async () => {
      const d = await use('00000000-0000-4000-8000-000000000000');
      assert.deepEqual(d.reasons.map((r) => r.code), ['subject_not_found']);
      assert.equal(d.policyVersion, t.custodian.policies.active().number);
    });

    it('keeps serving its cached context until told the subject changed', async () => {
      const id = await newSubject();
      assert.equal((await use(id)).allow, true);
      // A block written behind the gate's back (as another node would) is not seen from the cache…
      await t.custodian.store.db.insertInto('data_block').values({ id: crypto.randomUUID(), subject_id: id, categories: null, reason: 'subject-request', created_at: t.clock.now(), created_by: 'test', lifted_at: null, lifted_by: null }).execute();
      assert.equal((await use(id)).allow, true);
      // …until the change event arrives.
      t.custodian.gate.invalidate(id);
      assert.deepEqual((await use(id)).reasons.map((r) => r.code), ['subject_blocked']);
    });

    it('drops everything it cached on clear()', async () => {
      const id = await newSubject();
      assert.equal((await use(id)).allow, true);
      await t.custodian.store.db.updateTable('subject').set({ state: 'erased' }).where('id', '=', id).execute();
      assert.equal((await use(id)).allow, true, 'cached');
      t.custodian.gate.clear();
      assert.deepEqual((await use(id)).reasons.map((r) => r.code), ['subject_erased']);
    });

    it('inside a unit of work, does not trust a cached context of another subject version', async () => {
      const id = await newSubject();
      assert.equal((await use(id)).allow, true);
      await t.custodian.store.db.insertInto('data_block').values({ id: crypto.randomUUID(), subject_id: id, categories: null, reason: 'subject-request', created_at: t.clock.now(), created_by: 'test', lifted_at: null, lifted_by: null }).execute();
      const row = await t.custodian.store.db.selectFrom('subject').select('version').where('id', '=', id).executeTakeFirstOrThrow();
      // The version the caller holds locked is the one cached: trusted.
      assert.equal((await use(id, { trx: t.custodian.store.db, subject: { version: Number(row.version) } })).allow, true);
      // Another version (a change committed since, maybe on another node): reloaded.
      const stale = await use(id, { trx: t.custodian.store.db, subject: { version: Number(row.version) + 1 } });
      assert.deepEqual(stale.reasons.map((r) => r.code), ['subject_blocked']);
    });

    it('folds the retention dates of what it just collected into its cache, the earliest per purpose and category', async () => {
      const id = await newSubject();
      assert.equal((await use(id)).allow, true, 'cached before the collection');
      await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'Aigerim', purpose: 'orders', source: 'direct' }], 'test');
      const firstDue = addDuration(t.clock.now(), 'P3Y'); // the demo policy keeps orders three years from collection
      t.clock.advance(YEAR);
      await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'Aigerim N.', purpose: 'orders', source: 'direct' }], 'test');
      t.clock.set(firstDue - 1);
      assert.equal((await use(id)).allow, true, 'neither item is due yet');
      t.clock.set(firstDue);
      const d = await use(id);
      assert.deepEqual(d.reasons.map((r) => r.code), ['retention_expired'], 'the first item’s date counts, from the cache');
      t.custodian.gate.invalidate(id);
      assert.deepEqual((await use(id)).reasons.map((r) => r.code), ['retention_expired'], 'and from the database');
    });

    it('counts every decision by purpose, operation and outcome, and each deny reason, never naming an undeclared purpose', async () => {
      const id = await newSubject();
      const { metrics } = t.custodian;
      const allowedBefore = metrics.decisions.get({ purpose: 'orders', operation: 'use', outcome: 'allow' });
      const deniedBefore = metrics.decisions.get({ purpose: '(undeclared)', operation: 'use', outcome: 'deny' });
      const reasonBefore = metrics.denials.get({ code: 'purpose_not_declared' });
      const consentBefore = metrics.denials.get({ code: 'consent_missing' });
      const ordersDeniedBefore = metrics.decisions.get({ purpose: 'orders', operation: 'use', outcome: 'deny' });
      await use(id);
      await t.custodian.gate.decide({ subjectId: id, purpose: 'aigerim@example.kz', operation: 'use', categories: [] });
      await t.custodian.gate.decide({ subjectId: id, purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] });
      assert.equal(metrics.decisions.get({ purpose: 'orders', operation: 'use', outcome: 'allow' }), allowedBefore + 1);
      assert.equal(metrics.decisions.get({ purpose: '(undeclared)', operation: 'use', outcome: 'deny' }), deniedBefore + 1);
      assert.equal(metrics.denials.get({ code: 'purpose_not_declared' }), reasonBefore + 1);
      assert.equal(metrics.denials.get({ code: 'consent_missing' }), consentBefore + 1);
      assert.equal(metrics.decisions.get({ purpose: 'orders', operation: 'use', outcome: 'deny' }), ordersDeniedBefore, 'an allowed decision is not counted as a denial');
      assert.equal(metrics.denials.get({ code: 'basis_contract' }), 0, 'allow reasons are not denials');
      assert.ok(!metrics.render().includes('aigerim'), 'caller input never becomes a label');
    });
  });
}
