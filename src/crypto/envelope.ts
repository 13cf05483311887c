/**
 * Envelope encryption primitives over node:crypto. Values and wrapped keys are AES-256-GCM
 * with a random 96-bit nonce; the associated data binds each ciphertext to where it
 * belongs, so a value copied onto another subject, item or category fails to decrypt.
 *
 * Encoded form: `v1.` + base64url(nonce ‖ ciphertext ‖ tag).
 */
import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';

const VERSION = 'v1.';
const NONCE = 12;
const TAG = 16;

/**
 * Nonces are drawn from a pool the CSPRNG refills 512 nonces at a time: one call per value
 * cost more than the encryption itself. Each nonce is still 96 fresh random bits, handed
 * out once; `seal` copies it before anything can refill the pool.
 */
const noncePool = Buffer.alloc(NONCE * 512);
let nonceOffset = noncePool.length;

function freshNonce(): Buffer {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  nonceOffset += NONCE;
  return noncePool.subarray(nonceOffset - NONCE, nonceOffset);
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): string {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = cipher.update(plaintext);
  const last = cipher.final();
  return VERSION + Buffer.concat([nonce, body, last, cipher.getAuthTag()]).toString('base64url');
}

export class DecryptionError extends Error {
  constructor() {
    super('Ciphertext could not be decrypted (wrong key, wrong binding or tampered data)');
    this.name = 'DecryptionError';
  }
}

export function open(key: Buffer, sealed: string, associatedData: string): Buffer {
  if (!sealed.startsWith(VERSION)) throw new DecryptionError();
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
  if (raw.length < NONCE + TAG) throw new DecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG));
    return Buffer.concat([decipher.update(raw.subarray(NONCE, raw.length - TAG)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** Associated data for a wrapped key: the KEK id and what the key belongs to. */
export function wrapContext(kekId: string, owner: string): string {
  return `custodian/wrap/v1|${kekId}|${owner}`;
}

/** Associated data for a personal-data value. */
export function valueContext(subjectId: string, itemId: string, category: string): string {
  return `custodian/value/v1|${subjectId}|${itemId}|${category}`;
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}
