/**
 * Key-store backups, separate from data backups, and expiring.
 *
 * A key backup holds the wrapped keys (subjects', acts', and the system keys) as they are
 * at one moment, with the moment it stops being restorable: `CUSTODIAN_KEY_BACKUP_DAYS`
 * (default 30) days later. A MAC under a key derived from the KEK covers every byte, so an
 * edited expiry is refused like an expired one. Restoring one never brings back the key of
 * a subject the data already marks erased. So an erasure is final, in every copy, once the
 * key backups taken before it have expired.
 */
import type { Clock } from '../clock.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { KeyMaterialTable } from '../store/tables.js';
import type { KeyOwner, KeyStore, StoredKey } from './key-store.js';

export const KEY_BACKUP_FORMAT = 'custodian/key-backup/v1';
export const DEFAULT_KEY_BACKUP_DAYS = 30;
const DAY_MS = 86_400_000;
const PAGE = 1000;

export interface KeyBackupBody {
  format: typeof KEY_BACKUP_FORMAT;
  createdAt: number;
  expiresAt: number;
  /** The KEK the MAC key is derived from (the active one when written). */
  kekId: string;
  keys: { kind: KeyOwner['kind']; id: string; kekId: string; wrapped: string; createdAt: number; retainUntil: number | null }[];
  systemKeys: KeyMaterialTable[];
}

export interface KeyBackupDeps {
  store: Store;
  keys: KeyService;
  keyStore: KeyStore;
  clock: Clock;
}

/** The key backup as text (JSON with its MAC), and what it holds. */
export async function writeKeyBackup(deps: KeyBackupDeps, options: { days: number; onProgress?: (done: number) => void }): Promise<{ text: string; keys: number; expiresAt: number }> {
  const { store, keys, keyStore, clock } = deps;
  const now = clock.now();
  // One read transaction: the keys and the system keys of the same moment.
  const body = await store.transaction(async (trx): Promise<KeyBackupBody> => {
    const all: StoredKey[] = [];
    for (const kind of ['subject', 'act'] as const) {
      for (let after = ''; ; ) {
        const page = await keyStore.page(trx, kind, after, PAGE);
        if (page.length === 0) break;
        all.push(...page);
        after = page[page.length - 1].owner.id;
        options.onProgress?.(all.length);
      }
    }
    const systemKeys = (await trx.selectFrom('key_material').selectAll().orderBy('purpose').execute()).map((r) => ({ ...r, created_at: Number(r.created_at) }));
    return {
      format: KEY_BACKUP_FORMAT,
      createdAt: now,
      expiresAt: now + options.days * DAY_MS,
      kekId: keys.keks.activeId,
      keys: all.map((k) => ({ kind: k.owner.kind, id: k.owner.id, kekId: k.kekId, wrapped: k.wrapped, createdAt: k.createdAt, retainUntil: k.retainUntil })),
      systemKeys,
    };
  });
  const payload = JSON.stringify(body);
  const text = JSON.stringify({ body: payload, mac: keys.keyBackupMac(body.kekId, Buffer.from(payload, 'utf8')) });
  return { text: `${text}\n`, keys: body.keys.length, expiresAt: body.expiresAt };
}

export interface KeyRestoreResult {
  restored: number;
  present: number;
  /** Keys of subjects the data marks erased: never brought back. */
  refused: number;
  systemKeys: number;
}

/** Restores the keys of a key backup that has not expired; keys already present are left as they are. */
export async function restoreKeyBackup(deps: KeyBackupDeps, text: string): Promise<KeyRestoreResult> {
  const { store, keys, keyStore, clock } = deps;
  const body = parseKeyBackup(text, keys);
  if (clock.now() >= body.expiresAt) {
    throw new CustodianError('validation_failed', `The key backup expired on ${new Date(body.expiresAt).toISOString()}: key backups expire so that erased subjects' keys cannot come back`, [
      { path: 'expiresAt', message: 'the backup has expired' },
    ]);
  }
  const result: KeyRestoreResult = { restored: 0, present: 0, refused: 0, systemKeys: 0 };
  await store.transaction(async (trx) => {
    for (const row of body.systemKeys) {
      const inserted = await trx.insertInto('key_material').values(row).onConflict((oc) => oc.column('purpose').doNothing()).executeTakeFirst();
      result.systemKeys += Number(inserted.numInsertedOrUpdatedRows ?? 0);
    }
    const subjectIds = body.keys.filter((k) => k.kind === 'subject').map((k) => k.id);
    const gone = new Set<string>();
    for (let i = 0; i < subjectIds.length; i += PAGE) {
      const slice = subjectIds.slice(i, i + PAGE);
      const rows = await trx.selectFrom('subject').select('id').where('id', 'in', slice).where('state', 'in', ['erased', 'depersonalized']).execute();
      for (const row of rows) gone.add(row.id);
    }
    for (const key of body.keys) {
      const owner: KeyOwner = { kind: key.kind, id: key.id };
      if (key.kind === 'subject' && gone.has(key.id)) {
        result.refused++;
        continue;
      }
      if (await keyStore.get(trx, owner)) {
        result.present++;
        continue;
      }
      await keyStore.put(trx, owner, { kekId: key.kekId, wrapped: key.wrapped }, { now: key.createdAt, retainUntil: key.retainUntil });
      result.restored++;
    }
  });
  return result;
}

function parseKeyBackup(text: string, keys: KeyService): KeyBackupBody {
  const refuse = (message: string) => new CustodianError('validation_failed', 'Not a Custodian key backup, or altered', [{ path: 'file', message }]);
  let outer: { body?: unknown; mac?: unknown };
  try {
    outer = JSON.parse(text) as { body?: unknown; mac?: unknown };
  } catch {
    throw refuse('is not JSON');
  }
  if (typeof outer.body !== 'string' || typeof outer.mac !== 'string') throw refuse('has no body and MAC');
  let body: KeyBackupBody;
  try {
    body = JSON.parse(outer.body) as KeyBackupBody;
  } catch {
    throw refuse('its body is not JSON');
  }
  if (body.format !== KEY_BACKUP_FORMAT || typeof body.kekId !== 'string' || !Number.isSafeInteger(body.expiresAt) || !Array.isArray(body.keys) || !Array.isArray(body.systemKeys)) {
    throw refuse(`is not in the ${KEY_BACKUP_FORMAT} format`);
  }
  let mac: string;
  try {
    mac = keys.keyBackupMac(body.kekId, Buffer.from(outer.body, 'utf8'));
  } catch {
    throw refuse(`was written under key-encryption key ${body.kekId}, which is not in the keyring any more`);
  }
  if (mac !== outer.mac) throw refuse('its MAC does not match: the file was altered');
  return body;
}

/** `CUSTODIAN_KEY_BACKUP_DAYS`: how long a key backup stays restorable. */
export function keyBackupDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CUSTODIAN_KEY_BACKUP_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_KEY_BACKUP_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new CustodianError('validation_failed', 'CUSTODIAN_KEY_BACKUP_DAYS must be a whole number of days from 1 to 3650', [{ path: 'CUSTODIAN_KEY_BACKUP_DAYS', message: 'a whole number from 1 to 3650' }]);
  return days;
}
