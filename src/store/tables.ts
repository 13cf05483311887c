/**
 * Table shapes as Kysely sees them. Portable across SQLite and PostgreSQL: TEXT ids made
 * by the app, BIGINT epoch-millisecond times, JSON as TEXT, 0/1 integers for booleans.
 */
import type { Generated, Selectable } from 'kysely';

export interface KeyMaterialTable {
  /** `blind-index`, `journal-signing`, `link-signing`: system keys wrapped by the KEK. */
  purpose: string;
  kek_id: string;
  wrapped: string;
  /** Public half, for asymmetric keys (Ed25519 SPKI, base64). */
  public_key: string | null;
  created_at: number;
}

export interface SubjectTable {
  id: string;
  state: string;
  jurisdiction: string | null;
  locale: string | null;
  kek_id: string | null;
  /** The subject's data key wrapped by the KEK; null once crypto-shredded. */
  wrapped_key: string | null;
  created_at: number;
  updated_at: number;
  /**
   * Bumped by every change to what the purpose gate knows of the subject (state, blocks,
   * consents, objections, residency). A writer holding the subject's lock compares it with
   * its cached context: a cache from before another node's change is never trusted.
   */
  version: Generated<number>;
}

/** A subject row as read. */
export type SubjectRow = Selectable<SubjectTable>;

export interface SubjectIdentifierTable {
  id: string;
  subject_id: string;
  type: string;
  blind_index: string;
  value_enc: string;
  created_at: number;
}

export interface DataItemTable {
  id: string;
  subject_id: string;
  category: string;
  value_enc: string;
  /** JSON array of purpose ids. */
  purposes: string;
  source: string;
  collected_at: number;
  retention_due_at: number | null;
  state: string;
  policy_version: number;
  updated_at: number;
  /** Incremented by each rectification; the journal holds the history, without old values. */
  revision: number;
}

export interface DataBlockTable {
  id: string;
  subject_id: string;
  /** JSON array of category ids, or null when the whole subject is blocked. */
  categories: string | null;
  reason: string;
  created_at: number;
  created_by: string;
  lifted_at: number | null;
  lifted_by: string | null;
}

/**
 * Depersonalized records: what remains of items after an irreversible transform. No
 * subject id, no item id, no exact time: nothing links a row back to a person.
 */
export interface DepersonalizedRecordTable {
  id: string;
  category: string;
  /** JSON of the transformed value (a year, an age band, a city, a one-way token, or null). */
  value: string;
  transform: string;
  purposes: string;
  /** Month of collection (YYYY-MM), coarse on purpose. */
  collected_month: string;
}

export interface JournalEventTable {
  stream: string;
  seq: number;
  id: string;
  at: number;
  actor: string;
  operation: string;
  subject_id: string | null;
  purpose: string | null;
  /** JSON array of category ids. */
  categories: string;
  /** JSON object, never personal-data values. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface JournalHeadTable {
  stream: string;
  seq: number;
  hash: string;
}

export interface JournalCheckpointTable {
  id: string;
  at: number;
  /** JSON object stream → [seq, hash]. */
  heads: string;
  digest: string;
  key_id: string;
  signature: string;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  secret_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface PolicyVersionTable {
  number: number;
  policy_id: string;
  label: string | null;
  effective_at: number;
  published_at: number;
  source: string;
  /** The compiled model as JSON. */
  compiled: string;
  hash: string;
}

/** The job queue (see `jobs.ts`). `payload` is JSON without personal-data values. */
export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  /** pending | running | done | failed */
  state: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  idempotency_key: string | null;
  locked_by: string | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/**
 * Every table. Features add theirs with `declare module '../store/tables.js'` (declaration
 * merging), so the store knows no feature.
 */
export interface Database {
  key_material: KeyMaterialTable;
  subject: SubjectTable;
  subject_identifier: SubjectIdentifierTable;
  data_item: DataItemTable;
  data_block: DataBlockTable;
  depersonalized_record: DepersonalizedRecordTable;
  journal_event: JournalEventTable;
  journal_head: JournalHeadTable;
  journal_checkpoint: JournalCheckpointTable;
  api_key: ApiKeyTable;
  policy_version: PolicyVersionTable;
  job: JobTable;
}

