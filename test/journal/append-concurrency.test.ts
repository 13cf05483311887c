/**
 * Writers appending to one stream at the same time: each transaction takes the stream's
 * head in turn, so none is lost, no sequence number is used twice, and the chain verifies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_STREAM } from '../../src/journal/journal.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`appending to one stream at once (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    it('keeps every event, in one unbroken chain', async () => {
      const { store, journal } = t.custodian;
      const before = await store.db.selectFrom('journal_event').select('id').where('stream', '=', SYSTEM_STREAM).execute();
      await Promise.all(Array.from({ length: 12 }, (_, i) => store.transaction((trx) => journal.append(trx, [{ actor: `system:writer-${i}`, operation: 'storage' }]))));
      const seqs = (await store.db.selectFrom('journal_event').select('seq').where('stream', '=', SYSTEM_STREAM).orderBy('seq').execute()).map((r) => Number(r.seq));
      assert.deepEqual(seqs, Array.from({ length: before.length + 12 }, (_, i) => i + 1));
      const report = await verifyJournal({ db: store.db, keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000 });
      assert.deepEqual(report.problems, []);
    });
  });
}
