/**
 * An erasure on one node is obeyed by the others at once: two Custodians on one PostgreSQL
 * database, gate caches trusted for a minute, so only the change event pushed at commit can
 * make the second node deny — and forget the subject's key it had unwrapped.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { CustodianError } from '../../src/errors.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { createTestDatabase, engineSkip, type TestDatabase } from '../support/engines.js';

describe('erasure across nodes (postgres)', { skip: engineSkip('postgres') }, () => {
  let database: TestDatabase;
  let nodeA: Custodian;
  let nodeB: Custodian;
  before(async () => {
    database = await createTestDatabase('postgres');
    const config = { database: database.location, keyringPath: join(database.dir, 'keyring.json') };
    const clock = new ManualClock(Date.parse('2026-11-22T09:00:00Z'));
    nodeA = await openCustodian(config, { clock, listen: true, gateCacheTtlMs: 60_000 });
    await publishPolicyFile(nodeA, DEMO_POLICY);
    nodeB = await openCustodian(config, { clock, listen: true, gateCacheTtlMs: 60_000 });
  });
  after(async () => {
    await nodeB?.close();
    await nodeA?.close();
    await database?.drop();
  });

  it('the other node denies the erased subject and can no longer use its key, within a second', async () => {
    const { id } = await nodeA.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'nodes.erase@example.kz' }] }, 'test');
    // Node B caches the subject's context and unwraps its key.
    await nodeB.vault.collect(id, [{ category: 'user.name', value: 'Twonode Person', purpose: 'orders', source: 'direct' }], 'test');
    const request = { subjectId: id, purpose: 'orders', operation: 'use' as const, categories: ['user.name'] };
    assert.equal((await nodeB.gate.decide(request)).allow, true);

    await nodeA.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
    const started = performance.now();
    while ((await nodeB.gate.decide(request)).allow) {
      assert.ok(performance.now() - started < 1000, 'node B still allows after a second');
      await sleep(5);
    }
    assert.ok((await nodeB.gate.decide(request)).reasons.some((r) => r.code === 'subject_erased'));
    const refused = await nodeB.vault.collect(id, [{ category: 'user.name', value: 'Again', purpose: 'orders', source: 'direct' }], 'test').catch((e: unknown) => e);
    assert.ok(refused instanceof CustodianError && refused.code === 'subject_not_active');
  });
});
