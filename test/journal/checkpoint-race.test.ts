/**
 * Writing a checkpoint when other processes sign the next number first: the writer starts
 * again from their checkpoint, and after losing five times gives up with an error that
 * says so, rather than spinning for ever.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import type { KeyService } from '../../src/crypto/keys.js';
import { writeCheckpoint } from '../../src/journal/checkpoint.js';
import type { Store } from '../../src/store/store.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

describe('checkpoint numbers taken by other processes', () => {
  it('tries five times, then asks to try again', async () => {
    let attempts = 0;
    // Every transaction reports that another process inserted the checkpoint number first.
    const store = { transaction: async () => (attempts++, { raced: true }) } as unknown as Store;
    await assert.rejects(writeCheckpoint({ store, keys: {} as KeyService, clock: new ManualClock(0), ids: { next: () => 'id' } }), {
      message: 'Other processes kept taking the next checkpoint number; try again',
    });
    assert.equal(attempts, 5);
  });
});

for (const engine of ENGINES) {
  describe(`checkpoint writers at the same time (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    it('each returns the one checkpoint that covers the journal, whoever signed it', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'race@example.kz' }] }, 'test');
      await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'A', purpose: 'orders', source: 'direct' }], 'test');
      for (let round = 0; round < 5; round++) {
        await t.custodian.vault.collect(id, [{ category: 'user.name', value: `B${round}`, purpose: 'orders', source: 'direct' }], 'test');
        const deps = { store: t.custodian.store, keys: t.custodian.keys, clock: t.clock, ids: t.custodian.ids };
        const written = await Promise.all(Array.from({ length: 4 }, () => writeCheckpoint(deps)));
        assert.ok(written.every((c) => c !== undefined), 'no writer comes back empty-handed');
        const stored = await t.custodian.store.db.selectFrom('journal_checkpoint').select(['id', 'number']).orderBy('number').execute();
        assert.equal(stored.length, round + 1, 'one checkpoint per round');
        assert.deepEqual(new Set(written.map((c) => c!.id)), new Set([stored.at(-1)!.id]), 'all return the stored checkpoint');
      }
    });
  });
}
