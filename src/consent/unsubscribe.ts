/**
 * Signed one-click unsubscribe links (RFC 8058). The token carries only the subject id,
 * the purpose and when it was issued — no e-mail address or name — and an HMAC under the
 * link-signing key, so anyone holding the link can withdraw that one consent and nothing
 * else, without logging in.
 *
 * Links do not expire: a person may unsubscribe from a mail that is years old, and
 * withdrawing must stay as easy as consenting was (GDPR art. 7(3)). The issue time is
 * kept so the journal can tell which mailing the click came from.
 *
 * Token: base64url(JSON {v, s, p, iat}) "." base64url(HMAC-SHA256).
 */
import { timingSafeEqual } from 'node:crypto';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError } from '../errors.js';

export interface UnsubscribeClaims {
  subjectId: string;
  purpose: string;
  /** Epoch seconds. */
  issuedAt: number;
}

const MAC_CONTEXT = 'custodian/unsubscribe/v1|';

export function signUnsubscribeToken(keys: KeyService, claims: UnsubscribeClaims): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, s: claims.subjectId, p: claims.purpose, iat: claims.issuedAt })).toString('base64url');
  return `${payload}.${keys.linkMac(MAC_CONTEXT + payload)}`;
}

/** The claims of a genuine token; any other string is a `link_invalid` error that says nothing about why. */
export function verifyUnsubscribeToken(keys: KeyService, token: string): UnsubscribeClaims {
  const [payload, mac, ...rest] = token.split('.');
  if (!payload || !mac || rest.length > 0) throw invalidLink();
  const expected = Buffer.from(keys.linkMac(MAC_CONTEXT + payload));
  const presented = Buffer.from(mac);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) throw invalidLink();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidLink();
  }
  const { v, s, p, iat } = (claims ?? {}) as Record<string, unknown>;
  if (v !== 1 || typeof s !== 'string' || typeof p !== 'string' || typeof iat !== 'number') throw invalidLink();
  return { subjectId: s, purpose: p, issuedAt: iat };
}

function invalidLink(): CustodianError {
  return new CustodianError('link_invalid', 'The unsubscribe link is not valid', [{ path: 'token', message: 'is not a genuine unsubscribe token' }]);
}
