/**
 * A fingerprint of every table — row count and a hash of the rows' content — to prove a
 * rejected request changed nothing, not even in place. `api_key` is left out: verifying a
 * key stamps its last use.
 */
import { createHash } from 'node:crypto';
import type { Custodian } from '../../src/custodian.js';
import type { Database } from '../../src/store/tables.js';

const TABLES: readonly (keyof Database)[] = [
  'subject',
  'subject_identifier',
  'data_item',
  'data_block',
  'depersonalized_record',
  'journal_event',
  'journal_head',
  'journal_checkpoint',
  'policy_version',
  'consent_record',
  'opt_out_signal',
  'disclosure',
  'key_material',
];

export async function storeSnapshot(custodian: Custodian): Promise<Record<string, string>> {
  const fingerprint: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = (await custodian.store.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    const canonical = rows.map((row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, String(row[k])]))).sort();
    fingerprint[table] = `${rows.length}:${createHash('sha256').update(canonical.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return fingerprint;
}
