/**
 * Global Privacy Control for a person whose residence is not known: read against the
 * jurisdictions the operator declares (`law/jurisdictions.ts`, `governingJurisdictions`).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { GLOBAL_POLICY, newSubject } from './consent-fixtures.js';

const ACTOR = 'apikey:gpc-test';
const global = readFileSync(GLOBAL_POLICY, 'utf8');

for (const engine of ENGINES) {
  describe(`GPC when the subject's residence is unknown (${engine})`, { skip: engineSkip(engine) }, () => {
    let californiaOnly: TestCustodian;
    let euAndCalifornia: TestCustodian;

    before(async () => {
      euAndCalifornia = await createTestCustodian(engine, { policy: GLOBAL_POLICY });
      californiaOnly = await createTestCustodian(engine, { policy: null });
      const source = global.replace('jurisdictions: [EU, US-CA]', 'jurisdictions: [US-CA]');
      assert.notEqual(source, global, 'the fixture changed: update the edit');
      const file = join(californiaOnly.database.dir, 'california.policy.yaml');
      writeFileSync(file, source);
      await californiaOnly.custodian.policies.publish(source, file);
    });
    after(async () => {
      await californiaOnly.dispose();
      await euAndCalifornia.dispose();
    });

    const shareAds = (t: TestCustodian, subjectId: string) => t.custodian.gate.decide({ subjectId, purpose: 'ad-sharing', operation: 'use', categories: ['user.device.cookie_id'] });

    it('binds as an opt-out of sale and sharing for an operator that declares only California', async () => {
      const t = californiaOnly;
      const id = await newSubject(t.custodian, 'gpc-unknown@example.com');
      const gpc = await t.custodian.consents.recordGpc(id, 'sec-gpc-header', ACTOR);
      assert.equal(gpc.saleSharingOptOut, true);
      assert.deepEqual((await t.custodian.consents.optOuts(id)).purposes, [{ purpose: 'ad-sharing', reason: 'gpc-sale-sharing' }]);
      assert.ok((await shareAds(t, id)).reasons.some((r) => r.code === 'opted_out_of_sale_or_sharing'));
      const [event] = await t.custodian.store.db.selectFrom('journal_event').select('details').where('subject_id', '=', id).where('operation', '=', 'recording').execute();
      assert.equal(JSON.parse(event.details).effect, 'sale-sharing-opt-out');
    });

    it('applies every declared law when the operator declares several: a CCPA opt-out and a GDPR objection', async () => {
      const t = euAndCalifornia;
      const id = await newSubject(t.custodian, 'gpc-both@example.com');
      assert.equal((await t.custodian.consents.recordGpc(id, 'api', ACTOR)).saleSharingOptOut, true);
      const optOuts = await t.custodian.consents.optOuts(id);
      assert.deepEqual(optOuts.purposes.map((p) => [p.purpose, p.reason]), [
        ['ad-sharing', 'gpc-sale-sharing'],
        ['newsletter', 'gpc-objection'],
      ]);
    });

    it('a declared residence still decides: an EU resident is not opted out of sale under the CCPA', async () => {
      const t = euAndCalifornia;
      const id = await newSubject(t.custodian, 'gpc-eu-known@example.com', { jurisdiction: 'EU' });
      assert.equal((await t.custodian.consents.recordGpc(id, 'api', ACTOR)).saleSharingOptOut, false);
    });
  });
}
