/**
 * Signed checkpoints: an Ed25519 signature over the heads of every stream at one moment.
 * A checkpoint pins each chain's length and last hash, so a later truncation or a
 * rewritten tail is caught even though the chains themselves use unkeyed hashes (which
 * keeps them verifiable by anyone holding an export and the public key).
 *
 * Checkpoints are themselves a chain: checkpoint n signs its number and the digest of
 * checkpoint n − 1, so deleting the newest checkpoints (to hide a rewound journal) leaves
 * a gap or an old tail that `journal verify` reports, and an anchor exported from one
 * checkpoint (see anchor.ts) proves everything before it is still there.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import type { KeyService } from '../crypto/keys.js';
import type { Store } from '../store/store.js';
import type { Database, JournalCheckpointTable } from '../store/tables.js';
import { toAnchor } from './anchor.js';
import { type CheckpointSink, deliveryFailureReason, type SinkFailureLog, stderrSinkLog } from './sink.js';
import './tables.js';

export type Heads = Record<string, [seq: number, hash: string]>;

/** What a checkpoint's digest is made of; it names the construction so verifiers outside Custodian can recompute it. */
export const CHECKPOINT_FORMAT = 'custodian/checkpoint/v2';
const LEGACY_FORMAT = 'custodian/checkpoint/v1';

export interface Checkpoint {
  id: string;
  /** 1, 2, 3…, one more than the checkpoint before. */
  number: number;
  at: number;
  heads: Heads;
  /** The digest of checkpoint `number - 1`, null for checkpoint 1. */
  prevDigest: string | null;
  digest: string;
  keyId: string;
  signature: string;
}

/**
 * SHA-256 (hex) of the JSON array `["custodian/checkpoint/v2", number, at, prevDigest,
 * [[stream, seq, hash], …]]`, streams in ascending order. The signature is Ed25519 over
 * the 32 digest bytes.
 *
 * @example
 * checkpointDigest({ number: 1, at: 1767225600000, prevDigest: null, heads: { p07: [3, 'ab…'] } });
 */
export function checkpointDigest(checkpoint: Pick<Checkpoint, 'number' | 'at' | 'prevDigest' | 'heads'>): string {
  return sha256Json([CHECKPOINT_FORMAT, checkpoint.number, checkpoint.at, checkpoint.prevDigest, orderedHeads(checkpoint.heads)]);
}

/** The digest of checkpoints written before they were numbered: time and heads only. */
export function legacyCheckpointDigest(at: number, heads: Heads): string {
  return sha256Json([LEGACY_FORMAT, at, orderedHeads(heads)]);
}

/** True for a checkpoint from before numbering (migration 0005), whose number and link the migration assigned and nobody signed. */
export function isLegacy(checkpoint: Checkpoint): boolean {
  return checkpointDigest(checkpoint) !== checkpoint.digest && legacyCheckpointDigest(checkpoint.at, checkpoint.heads) === checkpoint.digest;
}

export async function currentHeads(db: Kysely<Database>): Promise<Heads> {
  const rows = await db.selectFrom('journal_head').selectAll().where('seq', '>', 0).execute();
  return Object.fromEntries(rows.map((r) => [r.stream, [Number(r.seq), r.hash]]));
}

export interface CheckpointDeps {
  store: Store;
  keys: KeyService;
  clock: Clock;
  ids: IdSource;
  /** Receives every new checkpoint, so an anchor exists outside the database. */
  sink?: CheckpointSink;
  /** Where an undelivered checkpoint is reported (number and reason only). Default: stderr. */
  onSinkFailure?: SinkFailureLog;
}

/** Refused: the heads are behind the newest checkpoint, so signing them would bless a rewound journal. */
export class JournalRewoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalRewoundError';
  }
}

/**
 * Writes the next checkpoint unless nothing changed since the last one, and returns the
 * checkpoint that now covers the journal (undefined while the journal is empty). Then
 * hands the sink every checkpoint it has not acknowledged yet; a sink failure is logged
 * and retried on the next call, and never fails this one.
 *
 * @example
 * const checkpoint = await writeCheckpoint({ store, keys, clock, ids });
 */
export async function writeCheckpoint(deps: CheckpointDeps): Promise<Checkpoint | undefined> {
  const checkpoint = await signNext(deps);
  if (deps.sink) await deliverPending(deps.store.db, deps.sink, deps.keys, deps.onSinkFailure ?? stderrSinkLog);
  return checkpoint;
}

async function signNext({ store, keys, clock, ids, sink }: CheckpointDeps): Promise<Checkpoint | undefined> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await store.transaction(async (trx): Promise<{ checkpoint?: Checkpoint; raced?: true }> => {
      const heads = await currentHeads(trx);
      const last = await latestCheckpoint(trx);
      if (last) refuseRewind(last, heads);
      if (Object.keys(heads).length === 0) return {};
      // A legacy checkpoint is not returned as the cover: what it signed has no number to anchor.
      if (last && sameHeads(last.heads, heads) && !isLegacy(last)) return { checkpoint: last };
      const unsigned = { number: (last?.number ?? 0) + 1, at: clock.now(), prevDigest: last?.digest ?? null, heads };
      const digest = checkpointDigest(unsigned);
      const checkpoint: Checkpoint = { id: ids.next(), ...unsigned, digest, keyId: keys.journalKeyId, signature: keys.signJournal(Buffer.from(digest, 'hex')) };
      const inserted = await trx
        .insertInto('journal_checkpoint')
        .values({ ...toRow(checkpoint), sink_pending: sink ? 1 : 0 })
        // Another process signed this number first: start again from its checkpoint.
        .onConflict((oc) => oc.column('number').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 ? { checkpoint } : { raced: true };
    });
    if (!outcome.raced) return outcome.checkpoint;
    if (attempt >= 5) throw new Error('Other processes kept taking the next checkpoint number; try again');
  }
}

function refuseRewind(last: Checkpoint, heads: Heads): void {
  for (const [stream, [seq, hash]] of Object.entries(last.heads)) {
    const head = heads[stream];
    if (!head || head[0] < seq || (head[0] === seq && head[1] !== hash)) {
      throw new JournalRewoundError(
        `Stream ${stream} is at seq ${head?.[0] ?? 0} but checkpoint ${last.number} covered seq ${seq}${head?.[0] === seq ? ' with another hash' : ''}: the journal was rewound or rewritten; run \`custodian journal verify\``,
      );
    }
  }
}

/** Delivers unacknowledged checkpoints in order, stopping at the first failure so the sink never sees them out of order. */
async function deliverPending(db: Kysely<Database>, sink: CheckpointSink, keys: KeyService, log: SinkFailureLog): Promise<void> {
  let number = 0;
  try {
    const pending = await db.selectFrom('journal_checkpoint').selectAll().where('sink_pending', '=', 1).orderBy('number').limit(100).execute();
    for (const row of pending) {
      const checkpoint = toCheckpoint(row);
      number = checkpoint.number;
      await sink.deliver(toAnchor(checkpoint, keys.journalPublicKey));
      await db.updateTable('journal_checkpoint').set({ sink_pending: 0 }).where('id', '=', row.id).execute();
    }
  } catch (error) {
    log({ number, reason: deliveryFailureReason(error) });
  }
}

export async function latestCheckpoint(db: Kysely<Database>): Promise<Checkpoint | undefined> {
  const row = await db.selectFrom('journal_checkpoint').selectAll().orderBy('number', 'desc').limit(1).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

export function toCheckpoint(row: JournalCheckpointTable): Checkpoint {
  return {
    id: row.id,
    number: Number(row.number),
    at: Number(row.at),
    heads: JSON.parse(row.heads) as Heads,
    prevDigest: row.prev_digest,
    digest: row.digest,
    keyId: row.key_id,
    signature: row.signature,
  };
}

function toRow(checkpoint: Checkpoint): Omit<JournalCheckpointTable, 'sink_pending'> {
  return {
    id: checkpoint.id,
    number: checkpoint.number,
    at: checkpoint.at,
    heads: JSON.stringify(checkpoint.heads),
    prev_digest: checkpoint.prevDigest,
    digest: checkpoint.digest,
    key_id: checkpoint.keyId,
    signature: checkpoint.signature,
  };
}

function orderedHeads(heads: Heads): [string, number, string][] {
  return Object.keys(heads)
    .sort()
    .map((stream) => [stream, heads[stream][0], heads[stream][1]]);
}

function sameHeads(a: Heads, b: Heads): boolean {
  return JSON.stringify(orderedHeads(a)) === JSON.stringify(orderedHeads(b));
}

function sha256Json(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
