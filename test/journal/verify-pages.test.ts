/**
 * Verifying a stream longer than one page (verify reads 5,000 events at a time): every
 * event is counted once, progress is reported page by page, the chain is followed across
 * the page boundary, and an edit past the first page is still found.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_STREAM } from '../../src/journal/journal.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const EVENTS = 5001;

for (const engine of ENGINES) {
  describe(`journal: verifying more than a page (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
      const { store, journal } = t.custodian;
      await store.db.deleteFrom('journal_event').execute();
      await store.db.deleteFrom('journal_head').execute();
      await store.db.deleteFrom('journal_checkpoint').execute();
      for (let done = 0; done < EVENTS; done += 500) {
        const entries = Array.from({ length: Math.min(500, EVENTS - done) }, () => ({ actor: 'system:test', operation: 'storage' as const }));
        await store.transaction((trx) => journal.append(trx, entries));
      }
    });
    after(async () => t?.dispose());

    const verify = (onProgress?: (events: number) => void) => verifyJournal({ db: t.custodian.store.db, keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000, onProgress });

    it('counts every event once, reporting progress after each page', async () => {
      const progress: number[] = [];
      const report = await verify((events) => progress.push(events));
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
      assert.equal(report.events, EVENTS);
      assert.equal(report.streams, 1);
      assert.deepEqual(progress, [5000, EVENTS]);
    });

    it('finds an edit of the event after the first page', async () => {
      const db = t.custodian.store.db;
      await db.updateTable('journal_event').set({ actor: 'staff:someone-else' }).where('stream', '=', SYSTEM_STREAM).where('seq', '=', EVENTS).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.problems.map((p) => [p.stream, p.seq, p.problem]),
        [[SYSTEM_STREAM, EVENTS, 'content does not match its hash (the event was edited)']],
      );
    });
  });
}
