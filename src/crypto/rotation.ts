/**
 * KEK rotation: every wrapped key (subjects' data keys and the system keys) is unwrapped
 * with its old KEK and wrapped with the active one, in batches, each row updated only if
 * it still carries the KEK it was read with. Values are never re-encrypted. Until every
 * row is done, old KEKs stay in the keyring so reads keep working; then they are retired.
 * With keys from the environment nothing is retired here: the operator removes the old key
 * from CUSTODIAN_MASTER_KEY once every node runs with the new one first.
 */
import type { Transaction } from 'kysely';
import type { Store } from '../store/store.js';
import type { Database } from '../store/tables.js';
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
  options: { newKek: boolean; onProgress?: (p: RotationProgress) => void; propagationMs?: number },
): Promise<RotationResult> {
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

  const countRow = await store.db.selectFrom('subject').select((eb) => eb.fn.countAll<number>().as('n')).where('kek_id', '<>', active).where('wrapped_key', 'is not', null).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  let done = 0;
  options.onProgress?.({ done, total });
  for (let after = ''; ; ) {
    const batch = await store.db
      .selectFrom('subject')
      .select(['id', 'kek_id', 'wrapped_key'])
      .where('kek_id', '<>', active)
      .where('wrapped_key', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (batch.length === 0) break;
    await store.transaction(async (trx) => {
      for (const row of batch) await rewrapSubject(trx, keys, row);
    });
    done += batch.length;
    rewrapped += batch.length;
    after = batch[batch.length - 1].id;
    options.onProgress?.({ done, total });
  }

  // Final sweep under the keyring lock: every transaction that wrapped a key with an old
  // KEK has committed by now, and none can start (all processes see the new KEK).
  const stillUsed = await store.transaction(async (trx) => {
    await store.lockKeyring(trx, 'exclusive');
    const stragglers = await trx.selectFrom('subject').select(['id', 'kek_id', 'wrapped_key']).where('kek_id', '<>', active).where('wrapped_key', 'is not', null).execute();
    for (const row of stragglers) await rewrapSubject(trx, keys, row);
    rewrapped += stragglers.length;
    return new Set([
      ...(await trx.selectFrom('subject').select('kek_id').distinct().where('kek_id', 'is not', null).execute()).map((r) => r.kek_id!),
      ...(await trx.selectFrom('key_material').select('kek_id').distinct().execute()).map((r) => r.kek_id),
    ]);
  });
  const retired = provider.ids().filter((id) => id !== active && !stillUsed.has(id));
  for (const id of retired) provider.retire(id);
  return { activeKekId: active, rewrapped, retired };
}

/** Re-wraps one subject's data key, only if it still carries the KEK it was read with. */
async function rewrapSubject(trx: Transaction<Database>, keys: KeyService, row: { id: string; kek_id: string | null; wrapped_key: string | null }): Promise<void> {
  const owner = `subject:${row.id}`;
  const next = keys.wrap(keys.unwrap({ kekId: row.kek_id!, wrapped: row.wrapped_key! }, owner), owner);
  await trx.updateTable('subject').set({ kek_id: next.kekId, wrapped_key: next.wrapped }).where('id', '=', row.id).where('kek_id', '=', row.kek_id).execute();
}
