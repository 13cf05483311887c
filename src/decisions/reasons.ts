/**
 * Stable reason codes of the purpose gate. Clients branch on codes; messages are for
 * people and may be reworded.
 */
export const DENY_CODES = [
  'subject_not_found',
  'subject_erased',
  'purpose_not_declared',
  'operation_not_allowed',
  'category_not_declared_for_purpose',
  'subject_blocked',
  'category_blocked',
  'no_legal_basis',
  'consent_missing',
  'consent_refused',
  'consent_withdrawn',
  'consent_expired',
  'consent_renewal_needed',
  'consent_category_not_covered',
  'consent_scope_not_covered',
  'objection_upheld',
  'opted_out_of_sale_or_sharing',
  'retention_expired',
  'residency_storage',
  'recipient_required',
  'recipient_not_declared',
  'recipient_not_declared_for_purpose',
  'category_not_declared_for_recipient',
  'transfer_without_safeguard',
  'cross_border_consent_missing',
  'third_party_consent_missing',
] as const;
export type DenyCode = (typeof DENY_CODES)[number];

/** Reasons given with an allow: which basis carried it. */
export const ALLOW_CODES = ['basis_consent', 'basis_contract', 'basis_legal_obligation', 'basis_vital_interests', 'basis_public_task', 'basis_legitimate_interests', 'basis_other', 'safeguard', 'obligation_to_erase'] as const;
export type AllowCode = (typeof ALLOW_CODES)[number];

export interface Reason {
  code: DenyCode | AllowCode;
  message: string;
}
