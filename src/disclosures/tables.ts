export interface DisclosureTable {
  id: string;
  subject_id: string;
  recipient_id: string;
  recipient_kind: string;
  /** ISO 3166-1 alpha-2 of the recipient. */
  country: string;
  /** 1 when the recipient is outside the operator's storage region. */
  cross_border: number;
  safeguard: string | null;
  purpose: string;
  /** JSON array of category ids. */
  categories: string;
  /** JSON array of "law: basis" strings the gate allowed the transfer on. */
  bases: string;
  policy_version: number;
  disclosed_at: number;
  actor: string;
}

export interface DisclosureDatabase {
  disclosure: DisclosureTable;
}

declare module '../store/tables.js' {
  // Features add their tables to the one Database type; the store imports none of them.
  interface Database extends DisclosureDatabase {}
}
