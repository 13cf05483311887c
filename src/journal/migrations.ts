/**
 * The journal's migrations after the foundation: numbered, chained checkpoints, and an
 * index for reading the journal in time order.
 *
 * Checkpoints written before this migration are *legacy*: their signature covers only the
 * time and the heads (`custodian/checkpoint/v1`), not a number or a previous digest. The
 * migration numbers them 1…n in time order and links each to the one before, which keeps
 * them verifiable as the start of the chain. Those numbers and links are not signed, so
 * the legacy part of the chain is only as strong as it was before; the first checkpoint
 * written afterwards signs its number and the digest of the last legacy one, and from then
 * on removing any checkpoint, legacy or not, leaves a gap that `journal verify` reports.
 */
import type { Kysely, Migration } from 'kysely';
import './tables.js';

export const journalMigrations: Record<string, Migration> = {
  '0005_journal_checkpoint_chain': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('journal_checkpoint').addColumn('number', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('journal_checkpoint').addColumn('prev_digest', 'text').execute();
      await db.schema.alterTable('journal_checkpoint').addColumn('sink_pending', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      const legacy = await db.selectFrom('journal_checkpoint').select(['id', 'digest']).orderBy('at').orderBy('id').execute();
      let prev: string | null = null;
      for (const [index, row] of legacy.entries()) {
        await db.updateTable('journal_checkpoint').set({ number: index + 1, prev_digest: prev }).where('id', '=', row.id).execute();
        prev = row.digest as string;
      }
      await db.schema.createIndex('journal_checkpoint_number_idx').on('journal_checkpoint').column('number').unique().execute();
      await db.schema.createIndex('journal_checkpoint_sink_idx').on('journal_checkpoint').columns(['sink_pending', 'number']).execute();
      // Auditors page through the journal by time; the subject index already serves one subject's history.
      await db.schema.createIndex('journal_event_at_idx').on('journal_event').columns(['at', 'stream', 'seq']).execute();
    },
  },
  /**
   * Issue 16: a subject's journal page is ordered by (at, stream, seq) and resumes after a
   * cursor on those columns. With (subject_id, at) the cursor's later columns were only in the
   * auditors' time index, which planners then searched for the cursor's millisecond across
   * every subject. Led by the subject and ending in the page order, this index serves the
   * page and its cursor alone; it replaces its prefix.
   */
  '0008_journal_subject_page_index': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('journal_event_subject_page_idx').on('journal_event').columns(['subject_id', 'at', 'stream', 'seq']).execute();
      await db.schema.dropIndex('journal_event_subject_idx').ifExists().execute();
    },
  },
};
