/**
 * The key hierarchy:
 *
 *   KEK (outside the database: keyring file or env)
 *    ├─ wraps each subject's data key        (the key store apart from the data: vault/key-store.ts)
 *    ├─ wraps each destruction act's key     (the key store too; it lives as long as the act)
 *    └─ wraps the system keys                (key_material: blind index, journal signing, link signing)
 *
 * Rotating the KEK re-wraps these small keys; personal-data values are never re-encrypted.
 */
import { createHash, createHmac, createPrivateKey, hkdfSync, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/tables.js';
import { newDataKey, open, seal, wrapContext } from './envelope.js';
import type { KekProvider } from './kek-provider.js';

export const SYSTEM_KEYS = ['blind-index', 'journal-signing', 'link-signing'] as const;
export type SystemKeyPurpose = (typeof SYSTEM_KEYS)[number];

export interface WrappedKey {
  kekId: string;
  wrapped: string;
}

/** A short, stable name for a journal signing key: a hash of its public half. */
export function journalKeyId(spkiBase64: string): string {
  return `ed25519:${createHash('sha256').update(`custodian/key-id\u0000${spkiBase64}`).digest('hex').slice(0, 16)}`;
}

export class KeyService {
  private blindIndexKey?: Buffer;
  private linkKey?: Buffer;
  private signingKey?: KeyObject;
  private verifyKey?: KeyObject;
  private signingKeyId?: string;

  constructor(readonly keks: KekProvider) {}

  /**
   * Creates the system keys on a new store and loads them into memory. On a store that
   * already holds data, a missing key is an error, never silently replaced: a new blind-index
   * key would orphan every identifier, a new signing key would disown the journal.
   */
  async load(db: Kysely<Database>, now: number): Promise<void> {
    const present = new Set((await db.selectFrom('key_material').select('purpose').execute()).map((r) => r.purpose));
    const missing = SYSTEM_KEYS.filter((purpose) => !present.has(purpose));
    if (missing.length > 0 && missing.length < SYSTEM_KEYS.length) throw new Error(`System keys are missing from key_material: ${missing.join(', ')}; restore them from a backup`);
    if (missing.length > 0) {
      const inUse = await db.selectFrom('subject').select('id').limit(1).executeTakeFirst();
      const journaled = await db.selectFrom('journal_event').select('id').limit(1).executeTakeFirst();
      if (inUse || journaled) throw new Error('The store holds subjects or journal events but no system keys; restore key_material from a backup');
    }
    for (const purpose of missing) {
      const secret = purpose === 'journal-signing' ? undefined : randomBytes(32);
      const pair = purpose === 'journal-signing' ? generateKeyPairSync('ed25519') : undefined;
      const material = pair ? pair.privateKey.export({ format: 'der', type: 'pkcs8' }) : secret!;
      await db
        .insertInto('key_material')
        .values({
          purpose,
          kek_id: this.keks.activeId,
          wrapped: this.wrap(material, `system:${purpose}`).wrapped,
          public_key: pair ? pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') : null,
          created_at: now,
        })
        .onConflict((oc) => oc.column('purpose').doNothing())
        .execute();
    }
    const rows = await db.selectFrom('key_material').selectAll().execute();
    for (const row of rows) {
      const material = this.unwrap({ kekId: row.kek_id, wrapped: row.wrapped }, `system:${row.purpose}`);
      if (row.purpose === 'blind-index') this.blindIndexKey = material;
      if (row.purpose === 'link-signing') this.linkKey = material;
      if (row.purpose === 'journal-signing') {
        this.signingKey = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
        // The public half is derived from the wrapped (authenticated) private key, never
        // trusted from the stored column: a writer with database access could swap it.
        this.verifyKey = createPublicKey(this.signingKey);
        const spki = this.verifyKey.export({ format: 'der', type: 'spki' }).toString('base64');
        if (row.public_key !== spki) throw new Error('key_material.public_key does not match the journal signing key: the database was tampered with');
        this.signingKeyId = journalKeyId(spki);
      }
    }
  }

  wrap(key: Buffer, owner: string): WrappedKey {
    const kekId = this.keks.activeId;
    return { kekId, wrapped: seal(this.kek(kekId), key, wrapContext(kekId, owner)) };
  }

  unwrap(wrapped: WrappedKey, owner: string): Buffer {
    return open(this.kek(wrapped.kekId), wrapped.wrapped, wrapContext(wrapped.kekId, owner));
  }

  newSubjectKey(subjectId: string): { key: Buffer } & WrappedKey {
    const key = newDataKey();
    return { key, ...this.wrap(key, `subject:${subjectId}`) };
  }

  subjectKey(subjectId: string, wrapped: WrappedKey): Buffer {
    return this.unwrap(wrapped, `subject:${subjectId}`);
  }

  /**
   * Keyed blind index of an identifier: equal identifiers give equal indexes, but the
   * index reveals nothing without the key. The type is part of the input so an e-mail and
   * an account id with the same text do not collide.
   */
  blindIndex(type: string, normalizedValue: string): string {
    return createHmac('sha256', this.loaded(this.blindIndexKey)).update(`${type}\u0000${normalizedValue}`).digest('base64url');
  }

  /** HMAC for signed links (one-click unsubscribe and the like). */
  linkMac(payload: string): string {
    return createHmac('sha256', this.loaded(this.linkKey)).update(payload).digest('base64url');
  }

  /** The journal signing public key (SPKI DER, base64), for verifiers outside Custodian. */
  get journalPublicKey(): string {
    return this.loaded(this.verifyKey).export({ format: 'der', type: 'spki' }).toString('base64');
  }

  get journalKeyId(): string {
    return this.loaded(this.signingKeyId);
  }

  signJournal(data: Buffer): string {
    return sign(null, data, this.loaded(this.signingKey)).toString('base64');
  }

  verifyJournal(data: Buffer, signature: string): boolean {
    return verify(null, data, this.loaded(this.verifyKey), Buffer.from(signature, 'base64'));
  }

  /**
   * A MAC over a key backup, under a key derived from the KEK the backup's keys are wrapped
   * with: whoever cannot unwrap them cannot forge one either, and an edited expiry shows.
   */
  keyBackupMac(kekId: string, data: Buffer): string {
    const macKey = Buffer.from(hkdfSync('sha256', this.kek(kekId), Buffer.alloc(0), 'custodian/key-backup/v1', 32));
    return createHmac('sha256', macKey).update(data).digest('base64url');
  }

  private kek(id: string): Buffer {
    const kek = this.keks.get(id);
    if (!kek) throw new Error(`Key-encryption key "${id}" is not in the keyring (was it removed before rotation finished?)`);
    return kek;
  }

  private loaded<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('KeyService.load() has not run');
    return value;
  }
}
