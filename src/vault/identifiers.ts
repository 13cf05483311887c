/**
 * Identifier types a subject can be found by, with the normalization that makes equal
 * identifiers index equally ("A@B.kz " and "a@b.kz") and the format checks that catch
 * typos before they create a second subject.
 */

export const IDENTIFIER_TYPES = ['email', 'phone', 'account_id', 'iin', 'external_id'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/** The data category an identifier of each type belongs to, for the journal. */
export const IDENTIFIER_CATEGORY: Record<IdentifierType, string> = {
  email: 'user.contact.email',
  phone: 'user.contact.phone_number',
  account_id: 'user.account.username',
  iin: 'user.government_id.iin',
  external_id: 'user.unique_id',
};

export type NormalizeResult = { ok: true; value: string } | { ok: false; message: string };

export function normalizeIdentifier(type: IdentifierType, raw: string): NormalizeResult {
  const value = raw.trim();
  switch (type) {
    case 'email': {
      const lower = value.toLowerCase();
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(lower) ? { ok: true, value: lower } : { ok: false, message: 'must be an e-mail address' };
    }
    case 'phone': {
      const digits = value.replace(/[\s()-]/g, '');
      return /^\+?\d{7,15}$/.test(digits) ? { ok: true, value: digits.startsWith('+') ? digits : `+${digits}` } : { ok: false, message: 'must be a phone number (7–15 digits, optional leading +)' };
    }
    case 'iin':
      return isValidIin(value) ? { ok: true, value } : { ok: false, message: 'must be a valid 12-digit Kazakhstan IIN (check digit failed)' };
    case 'account_id':
    case 'external_id':
      return value.length > 0 && value.length <= 200 ? { ok: true, value } : { ok: false, message: 'must be 1–200 characters' };
  }
}

/**
 * Kazakhstan IIN check digit: weights 1..11, mod 11; on 10 retry with weights 3..11,1,2;
 * a second 10 means the number is invalid.
 */
export function isValidIin(iin: string): boolean {
  if (!/^\d{12}$/.test(iin)) return false;
  const d = [...iin].map(Number);
  const weighted = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * d[i], 0) % 11;
  let check = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (check === 10) check = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return check !== 10 && check === d[11];
}
