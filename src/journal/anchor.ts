/**
 * Anchors: a signed checkpoint kept outside the database (a file an auditor holds, a line
 * in the checkpoint sink). Whoever can rewrite the database can delete its checkpoints;
 * they cannot reach the anchor, so `journal verify --anchor FILE` proves the journal still
 * holds every event the anchor covered, unchanged.
 *
 * The file is one JSON object, everything needed to check it offline:
 *
 * ```json
 * {
 *   "format": "custodian/checkpoint/v2",
 *   "number": 42,                        // place in the checkpoint chain, from 1
 *   "at": 1767225600000,                 // epoch milliseconds
 *   "heads": { "p07": [3, "9f…"], … },   // stream → [seq, hash of the event at seq]
 *   "prevDigest": "c1…" | null,          // digest of checkpoint 41 (null for 1)
 *   "digest": "5e…",                     // see below
 *   "keyId": "ed25519:0123456789abcdef", // sha256("custodian/key-id\0" + publicKey), first 16 hex
 *   "publicKey": "MCowBQYDK2VwAyEA…",    // Ed25519 SPKI DER, base64
 *   "signature": "…"                     // Ed25519 over the 32 digest bytes, base64
 * }
 * ```
 *
 * `digest` = hex SHA-256 of `JSON.stringify(["custodian/checkpoint/v2", number, at,
 * prevDigest, [[stream, seq, hash], …]])` with streams in ascending order. An auditor also
 * checks that `publicKey` is the operator's (`custodian journal public-key`).
 */
import { createPublicKey, verify } from 'node:crypto';
import { journalKeyId } from '../crypto/keys.js';
import { CustodianError, type ErrorDetail } from '../errors.js';
import { type Checkpoint, CHECKPOINT_FORMAT, checkpointDigest, type Heads } from './checkpoint.js';

export interface Anchor {
  format: typeof CHECKPOINT_FORMAT;
  number: number;
  at: number;
  heads: Heads;
  prevDigest: string | null;
  digest: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

export function toAnchor(checkpoint: Checkpoint, publicKey: string): Anchor {
  const { number, at, heads, prevDigest, digest, keyId, signature } = checkpoint;
  return { format: CHECKPOINT_FORMAT, number, at, heads, prevDigest, digest, keyId, publicKey, signature };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Reads an anchor file's text; a malformed one is a validation error naming the field. */
export function parseAnchor(text: string): Anchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CustodianError('validation_failed', 'The anchor file is not JSON');
  }
  const problems: ErrorDetail[] = [];
  const a = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const need = (path: string, ok: boolean, message: string) => ok || problems.push({ path, message });
  need('format', a.format === CHECKPOINT_FORMAT, `must be "${CHECKPOINT_FORMAT}"`);
  need('number', Number.isSafeInteger(a.number) && (a.number as number) >= 1, 'must be a whole number from 1');
  need('at', Number.isSafeInteger(a.at) && (a.at as number) >= 0, 'must be epoch milliseconds');
  need('prevDigest', a.prevDigest === null || (typeof a.prevDigest === 'string' && HEX64.test(a.prevDigest)), 'must be a SHA-256 hex digest or null');
  need('digest', typeof a.digest === 'string' && HEX64.test(a.digest), 'must be a SHA-256 hex digest');
  for (const field of ['keyId', 'publicKey', 'signature'] as const) need(field, typeof a[field] === 'string' && a[field] !== '', 'must be a non-empty string');
  const heads = a.heads;
  if (typeof heads !== 'object' || heads === null || Array.isArray(heads)) problems.push({ path: 'heads', message: 'must be an object of stream → [seq, hash]' });
  else {
    for (const [stream, head] of Object.entries(heads)) {
      const ok = Array.isArray(head) && head.length === 2 && Number.isSafeInteger(head[0]) && head[0] >= 1 && typeof head[1] === 'string' && HEX64.test(head[1]);
      need(`heads.${stream}`, ok, 'must be [seq, hash]');
    }
  }
  if (problems.length > 0) throw new CustodianError('validation_failed', 'The anchor file is not a Custodian checkpoint', problems);
  return a as unknown as Anchor;
}

/**
 * Checks the anchor on its own, as an auditor would offline: the digest matches its
 * content, the key id names its public key, and the signature is that key's. Returns the
 * problems found (none when it holds).
 */
export function anchorProblems(anchor: Anchor): string[] {
  const problems: string[] = [];
  if (checkpointDigest(anchor) !== anchor.digest) problems.push(`the anchor's digest does not match its number, time, previous digest and heads (the file was edited)`);
  if (journalKeyId(anchor.publicKey) !== anchor.keyId) problems.push(`the anchor's key id ${anchor.keyId} does not name its public key`);
  let signed = false;
  try {
    signed = verify(null, Buffer.from(anchor.digest, 'hex'), createPublicKey({ key: Buffer.from(anchor.publicKey, 'base64'), format: 'der', type: 'spki' }), Buffer.from(anchor.signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) problems.push(`the anchor's signature is not valid for its public key`);
  return problems;
}
