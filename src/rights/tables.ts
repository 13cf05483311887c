/**
 * The rights-request tables. A request row holds ids, codes and times — never a personal
 * value: codes go to the matched subject's own address (looked up when the mail job runs),
 * and RU document details are sealed under the subject's key.
 */
export interface RightsRequestTable {
  id: string;
  /** One of REQUEST_TYPES. */
  type: string;
  /** Null while (or because) no subject matches the identifiers given. */
  subject_id: string | null;
  /** One of REQUEST_STATES. */
  state: string;
  /** JSON array of the law ids whose clocks run for this request. */
  laws: string;
  /** JSON array of the due moments as last computed (see `deadlines.ts`). */
  deadlines: string;
  received_at: number;
  /** `api`, `web-form`, `email`, `phone`, `post`, `in-person`. */
  channel: string;
  locale: string | null;
  /** The first open request of the same type for the same subject, when this one repeats it. */
  duplicate_of: string | null;
  /** `unverified`, `verified` or `not-required`. */
  identity: string;
  /** `staff`, `email-code`, `link`, `data-points`, `document`, or null. */
  verification_method: string | null;
  verified_at: number | null;
  /** Since when the clock stands still (waiting for identity, or paused by staff); null when it runs. */
  paused_at: number | null;
  /** Why the clock stands still: `identity` or `staff`. */
  pause_reason: string | null;
  /** Milliseconds the clock stood still before `paused_at`. */
  paused_ms: number;
  extended: number;
  /** A reason code for the extension (see EXTENSION_REASONS). */
  extension_reason: string | null;
  refusal_code: string | null;
  refusal_article: string | null;
  /** JSON of what fulfilment did, in counts and category ids. */
  outcome: string | null;
  /** JSON of an authorized agent's details: kind and proof reference, no personal values. */
  agent: string | null;
  /** Sealed RU document details (152-FZ 14(3)) under the subject's key. */
  document_enc: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  /** When the staff reminder for the earliest deadline was queued (once per request). */
  reminded_at: number | null;
}

export interface RightsVerificationTable {
  id: string;
  request_id: string;
  /** `email-code` or `link`. */
  method: string;
  /** SHA-256 (keyed) of the code or link token; the code itself is only ever in the mail. */
  secret_hash: string;
  expires_at: number;
  attempts: number;
  max_attempts: number;
  used_at: number | null;
  created_at: number;
}

export interface RightsPackageTable {
  id: string;
  request_id: string;
  subject_id: string;
  /** The zip, sealed with the package's own key (AES-256-GCM, base64). */
  content_enc: string | null;
  /** JSON WrappedKey of the package key (KEK-wrapped). */
  content_key: string | null;
  /** The access package JSON, sealed with the same key (what `?format=json` answers). */
  json_enc: string | null;
  created_at: number;
  expires_at: number;
  /** Set when the content is deleted (expiry job); the row stays as a record. */
  deleted_at: number | null;
}

export interface RightsRecipientNoticeTable {
  id: string;
  request_id: string;
  recipient_id: string;
  /** `webhook` or `mail`. */
  channel: string;
  /** `queued`, `sent`, `failed`. */
  state: string;
  /** JSON array of category ids the notice covers. */
  categories: string;
  created_at: number;
  sent_at: number | null;
  /** HTTP status of the webhook, when it answered. */
  status_code: number | null;
}

/** Where a recipient is told of erasures, rectifications and restrictions: the operator's contact with that company, not personal data. */
export interface RightsRecipientEndpointTable {
  recipient_id: string;
  webhook_url: string | null;
  email: string | null;
  updated_at: number;
}

export interface RightsDatabase {
  rights_recipient_endpoint: RightsRecipientEndpointTable;
  rights_request: RightsRequestTable;
  rights_verification: RightsVerificationTable;
  rights_package: RightsPackageTable;
  rights_recipient_notice: RightsRecipientNoticeTable;
}

declare module '../store/tables.js' {
  // Features add their tables to the one Database type; the store imports none of them.
  interface Database extends RightsDatabase {}
}
