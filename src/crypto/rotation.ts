/**
 * KEK rotation: every wrapped key (subjects' and acts' data keys in the key store, and the
 * system keys) is unwrapped with its old KEK and wrapped with the active one, in batches,
 * each row updated only if it still carries the KEK it was read with. Values are never re-encrypted. Until every
 * row is done, old KEKs stay in the keyring so reads keep working; then they are retired.
 * With keys from the environment nothing is retired here: the operator removes the old key
 * from CUSTODIAN_MASTER_KEY once every node runs with the new one first.
 */
import type { Transaction } from 'kysely';
import type { Store } from '../store/store.js';
import type { Database } from '../store/tables.js';
import { DatabaseKeyStore, keyOwnerName, type KeyStore, type StoredKey } from '../vault/key-store.js';
import type { KeyService } from './keys.js';

export interface RotationProgress {
  done: number;
  total: number;
}

export interface RotationResult {
  activeKekId: string;
  rewrapped: number;
  retired: string[];
}

const BATCH = 500;

/**
 * Other processes re-read the keyring file at most once a second (kek-provider.ts); after
 * this long every one of them wraps new keys with the new KEK, so nothing wrapped with the
 * old one can appear after the sweep below — the condition for retiring it safely.
 */
export const KEYRING_PROPAGATION_MS = 2500;

export async function rotateKeys(
  store: Store,
  keys: KeyService,
  options: { newKek: boolean; onProgress?: (p: RotationProgress) => void; propagationMs?: number; keyStore?: KeyStore },
): Promise<RotationResult> {
  const keyStore = options.keyStore ?? new DatabaseKeyStore();
  const provider = keys.keks;
  if (options.newKek) {
    provider.addActive();
    await new Promise((resolve) => setTimeout(resolve, options.propagationMs ?? KEYRING_PROPAGATION_MS));
  }
  const active = provider.activeId;

  let rewrapped = 0;
  const systemRows = await store.db.selectFrom('key_material').selectAll().where('kek_id', '<>', active).execute();
  for (const row of systemRows) {
    const owner = `system:${row.purpose}`;
    const next = keys.wrap(keys.unwrap({ kekId: row.kek_id, wrapped: row.wrapped }, owner), owner);
    await store.db.updateTable('key_material').set({ kek_id: next.kekId, wrapped: next.wrapped }).where('purpose', '=', row.purpose).where('kek_id', '=', row.kek_id).execute();
    rewrapped++;
  }

  const total = await keyStore.countWrappedWithOther(store.db, active);
  let done = 0;
  options.onProgress?.({ done, total });
  for (const kind of ['subject', 'act'] as const) {
    for (let after = ''; ; ) {
      const batch = await keyStore.wrappedWithOther(store.db, kind, active, after, BATCH);
      if (batch.length === 0) break;
      await store.transaction(async (trx) => {
        for (const row of batch) await rewrap(trx, keys, keyStore, row);
      });
      done += batch.length;
      rewrapped += batch.length;
      after = batch[batch.length - 1].owner.id;
      options.onProgress?.({ done, total });
    }
  }

  // Final sweep under the keyring lock: every transaction that wrapped a key with an old
  // KEK has committed by now, and none can start (all processes see the new KEK).
  const stillUsed = await store.transaction(async (trx) => {
    await store.lockKeyring(trx, 'exclusive');
    for (const kind of ['subject', 'act'] as const) {
      for (let after = ''; ; ) {
        const stragglers = await keyStore.wrappedWithOther(trx, kind, active, after, BATCH);
        if (stragglers.length === 0) break;
        for (const row of stragglers) await rewrap(trx, keys, keyStore, row);
        rewrapped += stragglers.length;
        after = stragglers[stragglers.length - 1].owner.id;
      }
    }
    return new Set([...(await keyStore.kekIds(trx)), ...(await trx.selectFrom('key_material').select('kek_id').distinct().execute()).map((r) => r.kek_id)]);
  });
  const retired = provider.ids().filter((id) => id !== active && !stillUsed.has(id));
  for (const id of retired) provider.retire(id);
  return { activeKekId: active, rewrapped, retired };
}

/** Re-wraps one data key (a subject's or an act's), only if it still carries the KEK it was read with. */
async function rewrap(trx: Transaction<Database>, keys: KeyService, keyStore: KeyStore, row: StoredKey): Promise<void> {
  const owner = keyOwnerName(row.owner);
  await keyStore.rewrap(trx, row.owner, row.kekId, keys.wrap(keys.unwrap(row, owner), owner));
}
