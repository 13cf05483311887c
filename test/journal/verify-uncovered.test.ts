/**
 * Events older than twice the checkpoint interval that no checkpoint covers: verify
 * reports the first of them per stream, once, with the interval in seconds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyJournal } from '../../src/journal/verify.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`verify: old events no checkpoint covers (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    it('names the first uncovered event of the stream, once', async () => {
      const { store, journal } = t.custodian;
      await store.db.deleteFrom('journal_event').execute();
      await store.db.deleteFrom('journal_head').execute();
      await store.db.deleteFrom('journal_checkpoint').execute();
      const at = t.clock.now();
      await store.transaction((trx) => journal.append(trx, [{ actor: 'system:test', operation: 'storage' }, { actor: 'system:test', operation: 'storage' }]));
      const report = await verifyJournal({ db: store.db, keys: t.custodian.keys, now: at + 180_000, checkpointIntervalMs: 60_000 });
      assert.deepEqual(report.problems.map((p) => [p.stream, p.seq, p.problem]), [
        ['system', 1, `written at ${new Date(at).toISOString()}, more than twice the checkpoint interval (60 s) ago, yet no checkpoint covers it: checkpoints were deleted (the journal may have been rewound), or none has been written since (is the server checkpointing? \`custodian journal checkpoint\` writes one)`],
      ]);
    });
  });
}
