/**
 * Checkpoint rows where the chain cannot have them: one numbered 0 — below the chain's
 * first number, as a hand-made or half-migrated row would be — is out of order, naming
 * what came before it; a legacy (unnumbered, v1) checkpoint after numbered ones was copied in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { legacyCheckpointDigest } from '../../src/journal/checkpoint.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`verify: a checkpoint numbered below the chain (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    it('is out of order after no checkpoint at all', async () => {
      const db = t.custodian.store.db;
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'order@example.kz' }] }, 'test');
      await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'A', purpose: 'orders', source: 'direct' }], 'test');
      await t.custodian.checkpoint();
      const [first] = await db.selectFrom('journal_checkpoint').selectAll().orderBy('number').limit(1).execute();
      await db.insertInto('journal_checkpoint').values({ ...first, id: crypto.randomUUID(), number: 0 }).execute();
      const report = await verifyJournal({ db, keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000 });
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.checkpoint === 0 && p.problem === 'checkpoint 0 is out of order after checkpoint 0'), JSON.stringify(report.problems));
    });

    it('names a legacy checkpoint that follows numbered ones as copied in', async () => {
      const db = t.custodian.store.db;
      await db.deleteFrom('journal_checkpoint').execute();
      await t.custodian.checkpoint();
      const [first] = await db.selectFrom('journal_checkpoint').selectAll().orderBy('number').execute();
      const heads = JSON.parse(first.heads) as Record<string, [number, string]>;
      const at = Number(first.at) + 1;
      const digest = legacyCheckpointDigest(at, heads);
      const signature = t.custodian.keys.signJournal(Buffer.from(digest, 'hex'));
      await db.insertInto('journal_checkpoint').values({ ...first, id: crypto.randomUUID(), number: 2, at, prev_digest: first.digest, digest, signature }).execute();
      const report = await verifyJournal({ db, keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000 });
      assert.deepEqual(report.problems.map((p) => [p.checkpoint, p.problem]), [[2, 'checkpoint 2 is a legacy (unnumbered) checkpoint after numbered ones (it was copied in)']]);
    });
  });
}
