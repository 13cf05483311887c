/**
 * The consent tables as Kysely sees them (portable: TEXT ids, BIGINT epoch-ms, JSON as
 * TEXT, 0/1 booleans). They join the store's `Database` by declaration merging, below.
 */

/**
 * One row per consent act — given, refused, withdrawn — and per system marking
 * (`renewal-needed`). Rows are never updated except to clear `current` when a newer row
 * for the same subject, purpose and topic arrives, so the table is the consent history and
 * the rows with `current = 1` are the present state.
 */
export interface ConsentRecordTable {
  id: string;
  subject_id: string;
  /** Order of this subject's rows; acts recorded in the same millisecond still sort. */
  seq: number;
  purpose: string;
  /** `purpose` for the consent to the purpose itself, or the separate scope it grants: `thirdParties`, `crossBorder`, `publicDissemination`. */
  topic: string;
  /** `given`, `refused`, `withdrawn` or `renewal-needed`; `expired` is derived from `valid_until` and the clock. */
  event: string;
  /** 1 on the newest row of (subject, purpose, topic). */
  current: number;
  at: number;
  /** `apikey:<id>`, `subject` (unsubscribe link), `system:<job>`. */
  actor: string;
  /** The policy version whose notice the person saw (for a marking: the version that needs a new consent). */
  policy_version: number;
  third_parties: number;
  cross_border: number;
  public_dissemination: number;
  /** JSON array of data-category ids the consent covers (94-V art. 8(4) "list of data"). */
  categories: string;
  /** ISO 8601 duration as stated on the consent; null = until the purpose is achieved. */
  validity: string | null;
  valid_until: number | null;
  channel: string | null;
  locale: string | null;
  /** SHA-256 (hex) of the notice text shown. */
  notice_sha256: string | null;
  /** The notice text itself, when the caller asked to keep it. It is the operator's text, not personal data. */
  notice_text: string | null;
  /** The subject's full name as written on the consent, sealed with the subject's key. */
  subject_name_enc: string | null;
  /** The row this one replaced as current, for reading the history as a chain. */
  previous_id: string | null;
  /**
   * For a `renewal-needed` marker: the version whose notice the marked consent was given
   * under — what the consent still covers until it is renewed. Null on acts of the person.
   */
  given_version: number | null;
}

/**
 * Signals that limit processing without being consent acts: a Global Privacy Control
 * opt-out (`gpc`, no purpose) and objections to a purpose (`objection`).
 */
export interface OptOutSignalTable {
  id: string;
  subject_id: string;
  kind: string;
  purpose: string | null;
  at: number;
  actor: string;
  /** `sec-gpc-header` or `api` for GPC; `api` for objections. */
  source: string;
  policy_version: number;
}

export interface ConsentDatabase {
  consent_record: ConsentRecordTable;
  opt_out_signal: OptOutSignalTable;
}

declare module '../store/tables.js' {
  // Features add their tables to the one Database type; the store imports none of them.
  interface Database extends ConsentDatabase {}
}
