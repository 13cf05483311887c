/**
 * The indexes the journal's readers rely on: a subject's history pages through one index
 * led by the subject and ending in the page order (migration 0008), which replaced the
 * narrower (subject_id, at) index; auditors page by time through their own.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`journal indexes (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const indexes = async (): Promise<string[]> => {
      const db = t.custodian.store.db;
      const query =
        engine === 'sqlite'
          ? sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'journal_event'`
          : sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'journal_event'`;
      return (await query.execute(db)).rows.map((r) => r.name).sort();
    };

    it('keep the subject page index and the time index, and no longer the subject-and-time one', async () => {
      const names = await indexes();
      assert.ok(names.includes('journal_event_subject_page_idx'), names.join(', '));
      assert.ok(names.includes('journal_event_at_idx'), names.join(', '));
      assert.ok(!names.includes('journal_event_subject_idx'), names.join(', '));
    });
  });
}
