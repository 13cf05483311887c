/**
 * The consent service's edges, on both engines: links under a configured address however
 * it is written, and what a refused act, objection or withdrawal says.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Consents } from '../../src/consent/consents.js';
import { CustodianError } from '../../src/errors.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { marketingConsent } from '../support/consents.js';

async function refusal(promise: Promise<unknown>): Promise<CustodianError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CustodianError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

for (const engine of ENGINES) {
  describe(`consent service (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const newSubject = async () => (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `c${Math.random()}@example.kz` }] }, 'test')).id;
    const consentsAt = (publicUrl?: string) => {
      const { store, work, subjects, keys, journal, policies, clock, ids } = t.custodian;
      return new Consents({ store, work, subjects, keys, journal, policies, clock, ids, ...(publicUrl === undefined ? {} : { publicUrl }) });
    };

    it('makes unsubscribe links under the public address without doubled slashes, however many it ends with', async () => {
      const id = await newSubject();
      for (const publicUrl of ['https://privacy.example', 'https://privacy.example/', 'https://privacy.example///']) {
        assert.match(await consentsAt(publicUrl).unsubscribeLink(id, 'marketing'), /^https:\/\/privacy\.example\/unsubscribe\?token=[\w-]+\.[\w-]+$/, publicUrl);
      }
      assert.match(await consentsAt('https://example.org/privacy/').unsubscribeLink(id, 'marketing'), /^https:\/\/example\.org\/privacy\/unsubscribe\?token=/);
    });

    it('withdrawing what was never given is a conflict that names the purpose only when a version declares it', async () => {
      const id = await newSubject();
      const declared = await refusal(t.custodian.consents.withdraw(id, 'marketing', { channel: 'web-form' }, 'test'));
      assert.deepEqual([declared.code, declared.message, declared.details], ['conflict', 'There is no consent to "marketing" to withdraw', [{ path: 'purpose', message: 'no given consent to withdraw' }]]);
      const separate = await refusal(t.custodian.consents.withdraw(id, 'marketing', { channel: 'web-form', separateScope: 'crossBorder' }, 'test'));
      assert.deepEqual([separate.message, separate.details], ['There is no separate consent (crossBorder) to "marketing" to withdraw', [{ path: 'separateScope', message: 'no given separate consent (crossBorder) to withdraw' }]]);
      const undeclared = await refusal(t.custodian.consents.withdraw(id, 'aigerim@example.kz', { channel: 'web-form' }, 'test'));
      assert.equal(undeclared.message, 'There is no consent to this purpose to withdraw');
    });

    it('refuses an objection to a purpose the policy does not declare, without naming it', async () => {
      const error = await refusal(t.custodian.consents.object(await newSubject(), 'aigerim@example.kz', 'test'));
      assert.deepEqual([error.code, error.message, error.details], ['purpose_not_declared', `The purpose is not declared in policy version ${t.custodian.policies.active().number}`, [{ path: 'purpose', message: 'purpose is not declared' }]]);
      const contract = await refusal(t.custodian.consents.object(await newSubject(), 'orders', 'test'));
      assert.deepEqual([contract.code, contract.message], ['objection_not_applicable', 'Purpose "orders" is not open to objection']);
      assert.match(contract.details[0].message, /^only purposes with legalBasis\.gdpr legitimate-interests or public-task, or marketing purposes, take an objection \(GDPR art\. 21\)/);
    });

    it('upholds an objection to direct marketing and journals it without values', async () => {
      const id = await newSubject();
      const { objection, created } = await t.custodian.consents.object(id, 'marketing', 'apikey:o');
      assert.equal(created, true);
      assert.deepEqual([objection.purpose, objection.at], ['marketing', t.clock.now()]);
      const event = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.deepEqual([event.operation, event.actor, event.purpose, JSON.parse(event.details)], [
        'recording',
        'apikey:o',
        'marketing',
        { record: 'objection', objectionId: objection.recordId, basis: 'consent', marketing: true, outcome: 'upheld', policyVersion: t.custodian.policies.active().number },
      ]);
      const again = await t.custodian.consents.object(id, 'marketing', 'test');
      assert.deepEqual([again.created, again.objection.recordId, again.objection.at], [false, objection.recordId, objection.at]);
    });

    it('marks nothing when no purpose changed materially', async () => {
      assert.deepEqual(await t.custodian.consents.markRenewalNeeded(1, 2, []), { marked: 0, subjectIds: [] });
    });

    it('a withdrawal records the channel and language of the act, and the version in effect', async () => {
      const id = await newSubject();
      const version = t.custodian.policies.active().number;
      await t.custodian.consents.record(id, marketingConsent(version), 'test');
      const [withdrawn] = await t.custodian.consents.withdraw(id, 'marketing', { channel: 'email', locale: 'kk' }, 'apikey:w');
      assert.deepEqual([withdrawn.event, withdrawn.channel, withdrawn.locale, withdrawn.policyVersion, withdrawn.actor, withdrawn.validUntil, withdrawn.notice], ['withdrawn', 'email', 'kk', version, 'apikey:w', null, null]);
      assert.deepEqual(withdrawn.categories, ['user.name', 'user.contact.email'], 'what was withdrawn');
    });
  });
}
