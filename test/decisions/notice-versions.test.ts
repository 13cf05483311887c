/**
 * The gate as a service across policy versions: a consent given under an earlier version
 * is judged against the notice of that version, which the service looks up among the
 * published ones — so a later version that changed nothing the consent covered lets the
 * consent stand, and one that widened the purpose asks for a new consent.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { type Custodian, openCustodian, publishPolicy, publishPolicyFile } from '../../src/custodian.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { createTestDatabase, ENGINES, engineSkip, type TestDatabase } from '../support/engines.js';

const DEMO = readFileSync(DEMO_POLICY, 'utf8');

for (const engine of ENGINES) {
  describe(`purpose gate: consents given under an earlier policy version (${engine})`, { skip: engineSkip(engine) }, () => {
    let custodian: Custodian;
    let database: TestDatabase;
    let subjectId: string;
    before(async () => {
      database = await createTestDatabase(engine);
      custodian = await openCustodian({ database: database.location, keyringPath: join(database.dir, 'keyring.json') }, { clock: new ManualClock(Date.parse('2026-11-22T09:00:00Z')), gateCacheTtlMs: 10 * 60_000 });
      await publishPolicyFile(custodian, DEMO_POLICY);
      subjectId = (await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'notice-versions@example.kz' }] }, 'test')).id;
      await custodian.consents.record(subjectId, marketingConsent(custodian.policies.active().number), 'test');
    });
    after(async () => {
      await custodian?.close();
      await database?.drop();
    });

    const useEmail = () => custodian.gate.decide({ subjectId, purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] });

    it('keeps a consent whose notice a later version left as it was', async () => {
      const given = custodian.policies.active().number;
      await publishPolicy(custodian, DEMO.replace('en: Courier service (Almaty)', 'en: Courier service (Almaty city)'), 'demo.policy.yaml');
      assert.equal(custodian.policies.active().number, given + 1);
      const decision = await useEmail();
      assert.deepEqual(decision.reasons.map((r) => r.code), ['basis_consent', 'basis_consent']);
      assert.equal(decision.allow, true);
      assert.equal(decision.policyVersion, given + 1);
    });
  });
}
