/**
 * Signed checkpoints: an Ed25519 signature over the heads of every stream at one moment.
 * A checkpoint pins each chain's length and last hash, so a later truncation or a
 * rewritten tail is caught even though the chains themselves use unkeyed hashes (which
 * keeps them verifiable by anyone holding an export and the public key).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import type { KeyService } from '../crypto/keys.js';
import type { Database } from '../store/tables.js';

export type Heads = Record<string, [seq: number, hash: string]>;

export interface Checkpoint {
  id: string;
  at: number;
  heads: Heads;
  digest: string;
  keyId: string;
  signature: string;
}

export function headsDigest(at: number, heads: Heads): string {
  const ordered = Object.keys(heads)
    .sort()
    .map((stream) => [stream, heads[stream][0], heads[stream][1]]);
  return createHash('sha256').update(JSON.stringify(['custodian/checkpoint/v1', at, ordered])).digest('hex');
}

export async function currentHeads(db: Kysely<Database>): Promise<Heads> {
  const rows = await db.selectFrom('journal_head').selectAll().where('seq', '>', 0).execute();
  return Object.fromEntries(rows.map((r) => [r.stream, [Number(r.seq), r.hash]]));
}

/**
 * Writes a checkpoint unless nothing changed since the last one. Returns the checkpoint
 * that now covers the journal.
 */
export async function writeCheckpoint(db: Kysely<Database>, keys: KeyService, clock: Clock, ids: IdSource): Promise<Checkpoint | undefined> {
  const heads = await currentHeads(db);
  if (Object.keys(heads).length === 0) return undefined;
  const last = await latestCheckpoint(db);
  if (last && JSON.stringify(sortHeads(last.heads)) === JSON.stringify(sortHeads(heads))) return last;
  const at = clock.now();
  const digest = headsDigest(at, heads);
  const checkpoint: Checkpoint = {
    id: ids.next(),
    at,
    heads,
    digest,
    keyId: keys.journalKeyId,
    signature: keys.signJournal(Buffer.from(digest, 'hex')),
  };
  await db
    .insertInto('journal_checkpoint')
    .values({ id: checkpoint.id, at, heads: JSON.stringify(heads), digest, key_id: checkpoint.keyId, signature: checkpoint.signature })
    .execute();
  return checkpoint;
}

export async function latestCheckpoint(db: Kysely<Database>): Promise<Checkpoint | undefined> {
  const row = await db.selectFrom('journal_checkpoint').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

export function toCheckpoint(row: { id: string; at: number; heads: string; digest: string; key_id: string; signature: string }): Checkpoint {
  return { id: row.id, at: Number(row.at), heads: JSON.parse(row.heads) as Heads, digest: row.digest, keyId: row.key_id, signature: row.signature };
}

function sortHeads(heads: Heads): [string, number, string][] {
  return Object.keys(heads)
    .sort()
    .map((s) => [s, heads[s][0], heads[s][1]]);
}
