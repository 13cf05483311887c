/**
 * An appeal to the operator against its answer. None of the laws in scope grants one (GDPR
 * and 94-V send a refused person to the regulator), so an appeal is open only where the
 * operator's policy declares an appeal process; it then runs on each law's term for
 * answering a request.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { requestDeadlines } from '../../src/law/index.js';
import { createTestCustodian, DEMO_POLICY, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const RECEIVED = Date.parse('2026-11-02T10:00:00Z');
const APPEAL = { process: { en: 'Write to the DPO within 30 days of our answer.' }, contact: 'dpo@shop.example' };

describe('the clock of an appeal', () => {
  it('is the law’s answer term where the policy declares an appeal process, marked as the policy’s', () => {
    const declared = { rightsHandling: { answerTerms: [], regulators: [], consequences: [], appeal: APPEAL } };
    const appeal = requestDeadlines(declared, ['gdpr', 'kz'], 'appeal', RECEIVED);
    const access = requestDeadlines(declared, ['gdpr', 'kz'], 'access', RECEIVED);
    assert.deepEqual(appeal.map((d) => [d.law, d.dueAt, d.article]), access.map((d) => [d.law, d.dueAt, d.article]));
    assert.ok(appeal.length === 2 && appeal.every((d) => d.source === 'policy'));
  });

  it('does not exist without a declared appeal process', () => {
    assert.deepEqual(requestDeadlines({}, ['gdpr', 'kz', 'ru', 'uk', 'ccpa'], 'appeal', RECEIVED), []);
    assert.deepEqual(requestDeadlines({ rightsHandling: { answerTerms: [], regulators: [], consequences: [] } }, ['gdpr'], 'appeal', RECEIVED), []);
  });
});

function withAppeal(source: string): string {
  const doc = parseDocument(source);
  doc.set('rightsHandling', doc.createNode({ appeal: APPEAL }));
  return doc.toString();
}

for (const engine of ENGINES) {
  describe(`filing an appeal (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => (t = await createTestCustodian(engine)));
    after(async () => t.dispose());

    it('is refused by type until the policy declares an appeal process, then taken in on the law’s clock', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'appellant@example.kz' }], jurisdiction: 'EU' }, 'test');
      await assert.rejects(t.custodian.rights.requests.intake({ type: 'appeal', subjectId: id }, 'test'), (error: { code?: string; details?: { path: string }[] }) => error.code === 'validation_failed' && error.details?.[0]?.path === 'type');

      await t.custodian.policies.publish(withAppeal(readFileSync(DEMO_POLICY, 'utf8')), DEMO_POLICY);
      const { request } = await t.custodian.rights.requests.intake({ type: 'appeal', subjectId: id, receivedAt: RECEIVED }, 'test');
      assert.deepEqual(request.deadlines.map((d) => [d.law, d.article]), [['gdpr', '12(3)']]);
      assert.equal(request.state, 'received');
    });
  });
}
