/**
 * Table shapes as Kysely sees them. Portable across SQLite and PostgreSQL: TEXT ids made
 * by the app, BIGINT epoch-millisecond times, JSON as TEXT, 0/1 integers for booleans.
 */
import type { Generated } from 'kysely';

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
}

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

export interface Database {
  key_material: KeyMaterialTable;
  subject: SubjectTable;
  subject_identifier: SubjectIdentifierTable;
  data_item: DataItemTable;
  journal_event: JournalEventTable;
  journal_head: JournalHeadTable;
  journal_checkpoint: JournalCheckpointTable;
  api_key: ApiKeyTable;
  policy_version: PolicyVersionTable;
}

export type { Generated };
