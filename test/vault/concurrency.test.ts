import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`vault under concurrent writers (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => (t = await createTestCustodian(engine)));
    after(async () => t.dispose());

    it('eight first sightings of one e-mail make one subject', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'race@example.kz' }] }, 'test')));
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      assert.equal(results.filter((r) => r.created).length, 1);
    });

    it('concurrent rectifications of one item each get their own revision', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'rectify-race@example.kz' }] }, 'test');
      const { ids } = await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'v0', purpose: 'orders', source: 'direct' }], 'test');
      const revisions = await Promise.all(Array.from({ length: 6 }, (_, i) => t.custodian.vault.rectify(id, ids[0], `v${i + 1}`, 'test')));
      assert.deepEqual(revisions.map((r) => r.revision).sort(), [2, 3, 4, 5, 6, 7]);
      const events = await t.custodian.store.db.selectFrom('journal_event').select('details').where('subject_id', '=', id).where('operation', '=', 'clarification').execute();
      assert.deepEqual(events.map((e) => JSON.parse(e.details).revision).sort(), [2, 3, 4, 5, 6, 7]);
    });
  });
}
