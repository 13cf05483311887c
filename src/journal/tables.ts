/**
 * The journal's additions to the foundation's `journal_checkpoint` table, joined to the
 * store's types by declaration merging so the store knows no feature.
 */

declare module '../store/tables.js' {
  interface JournalCheckpointTable {
    /** 1, 2, 3…: a checkpoint names its place in the chain, so a deleted one leaves a gap. */
    number: number;
    /** The digest of checkpoint `number - 1`; null on checkpoint 1. */
    prev_digest: string | null;
    /** 1 while a configured sink has not acknowledged this checkpoint (retried with the next one). */
    sink_pending: number;
  }
}

export {};
