/**
 * The processing operations the law names: Kazakhstan 94-V's list (seed 004 §9.1), which
 * every purpose declares from and the journal records, plus the staff-side operations the
 * journal also records. A law fact, so its home is here; `policy/model.ts` re-exports it.
 */
export const PROCESSING_OPERATIONS = [
  'collection',
  'recording',
  'systematization',
  'accumulation',
  'storage',
  'clarification',
  'extraction',
  'use',
  'transfer',
  'depersonalization',
  'blocking',
  'deletion',
  'destruction',
] as const;
export type ProcessingOperation = (typeof PROCESSING_OPERATIONS)[number];

/**
 * What the journal records besides processing: lifting a block, staff views and decisions,
 * and `publication` — a policy version published, the declaration every later operation
 * is checked against.
 */
export const JOURNAL_OPERATIONS = [...PROCESSING_OPERATIONS, 'unblocking', 'view', 'decision', 'publication'] as const;
export type JournalOperation = (typeof JOURNAL_OPERATIONS)[number];
