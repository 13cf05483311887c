/** Row counts of every table, to prove a rejected request changed nothing. */
import type { Custodian } from '../../src/custodian.js';

const TABLES = ['subject', 'subject_identifier', 'data_item', 'journal_event', 'journal_head', 'policy_version', 'api_key'] as const;

export async function storeSnapshot(custodian: Custodian): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await custodian.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const heads = await custodian.store.db.selectFrom('journal_head').select(['stream', 'seq', 'hash']).orderBy('stream').execute();
  counts.journalHeads = heads.reduce((sum, h) => sum + Number(h.seq), 0);
  return counts;
}
