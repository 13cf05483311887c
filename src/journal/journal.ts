/**
 * The processing journal: an append-only, hash-chained record of every operation on
 * personal data, written in the same transaction as the change it records.
 *
 * Events are partitioned into streams — one per slice of the subject-id space, plus
 * `system` — so concurrent writers for different subjects do not queue on one chain.
 * Each stream is its own chain (seq 1, 2, 3…, each event hashing the previous one);
 * signed checkpoints (see checkpoint.ts) cover all stream heads at once.
 *
 * The journal never holds personal-data values: only ids, category ids, purposes and
 * details made of counts, flags and codes.
 */
import { createHash } from 'node:crypto';
import type { CompiledQuery, Transaction } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import type { JournalOperation } from '../law/operations.js';
import { prepared, preparedInsert } from '../store/prepared.js';
import type { Engine } from '../store/store.js';
import { writeTogether } from '../store/write-together.js';
import type { Database, JournalEventTable } from '../store/tables.js';

export const STREAM_COUNT = 32;
export const SYSTEM_STREAM = 'system';
export const GENESIS_HASH = '0'.repeat(64);

/** Detail values are scalars or lists of codes: there is no place to put a value object. */
export type DetailValue = string | number | boolean | null | readonly string[];

export interface JournalEntry {
  /** `apikey:<id>`, `staff:<id>`, `subject`, `system:<job>` — never a person's name or e-mail. */
  actor: string;
  operation: JournalOperation;
  subjectId?: string | null;
  purpose?: string | null;
  categories?: readonly string[];
  details?: Readonly<Record<string, DetailValue>>;
}

export interface JournalEvent {
  stream: string;
  seq: number;
  id: string;
  at: number;
  actor: string;
  operation: string;
  subjectId: string | null;
  purpose: string | null;
  categories: string[];
  details: Record<string, DetailValue>;
  prevHash: string;
  hash: string;
}

export function streamFor(subjectId: string | null | undefined): string {
  if (!subjectId) return SYSTEM_STREAM;
  const bucket = createHash('sha256').update(subjectId).digest().readUInt16BE(0) % STREAM_COUNT;
  return `p${bucket.toString().padStart(2, '0')}`;
}

/** The canonical bytes an event's hash covers: every column but the hash, in fixed order. */
export function eventHash(row: Omit<JournalEventTable, 'hash'>): string {
  const canonical = JSON.stringify([
    row.stream,
    Number(row.seq),
    row.id,
    Number(row.at),
    row.actor,
    row.operation,
    row.subject_id,
    row.purpose,
    row.categories,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export class Journal {
  /** Streams whose head row is known to exist, so appends skip the insert-if-missing. */
  private readonly knownStreams = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /**
   * Appends events inside the caller's transaction. Streams are locked in sorted order so
   * two transactions touching the same streams cannot deadlock.
   */
  async append(trx: Transaction<Database>, entries: readonly JournalEntry[]): Promise<JournalEvent[]> {
    const { events, writes } = await this.prepareAppend(trx, entries);
    await writeTogether(trx, writes);
    return events;
  }

  /**
   * The first half of `append`, for a caller that sends its own writes with the journal's
   * (`writeTogether`, one round trip on PostgreSQL): locks the streams' heads and chains the
   * entries onto them. `writes` must run in the same transaction, before it commits.
   */
  async prepareAppend(trx: Transaction<Database>, entries: readonly JournalEntry[]): Promise<{ events: JournalEvent[]; writes: CompiledQuery[] }> {
    const events: JournalEvent[] = [];
    const writes: CompiledQuery[] = [];
    if (entries.length === 0) return { events, writes };
    const at = this.clock.now();
    const byStream = new Map<string, JournalEntry[]>();
    for (const entry of entries) {
      const stream = streamFor(entry.subjectId);
      const group = byStream.get(stream);
      if (group) group.push(entry);
      else byStream.set(stream, [entry]);
    }
    for (const stream of [...byStream.keys()].sort()) {
      let head = await this.lockHead(trx, stream);
      const rows: JournalEventTable[] = [];
      for (const entry of byStream.get(stream)!) {
        const categories = entry.categories ?? [];
        const details = entry.details ?? {};
        const base = {
          stream,
          seq: head.seq + 1,
          id: this.ids.next(),
          at,
          actor: entry.actor,
          operation: entry.operation,
          subject_id: entry.subjectId ?? null,
          purpose: entry.purpose ?? null,
          categories: JSON.stringify(categories),
          details: JSON.stringify(details),
          prev_hash: head.hash,
        };
        const row = { ...base, hash: eventHash(base) };
        rows.push(row);
        events.push({ ...eventFields(row), categories: [...categories], details: { ...details } });
        head = { seq: row.seq, hash: row.hash };
      }
      writes.push(...INSERT_EVENTS.bind(trx, rows), UPDATE_HEAD.bind(trx, { stream, seq: head.seq, hash: head.hash }));
    }
    return { events, writes };
  }

  private async lockHead(trx: Transaction<Database>, stream: string): Promise<{ seq: number; hash: string }> {
    if (!this.knownStreams.has(stream)) await INSERT_HEAD.rows(trx, { stream, hash: GENESIS_HASH });
    // SQLite serializes writers on the database file; Postgres needs the row lock.
    const [head] = await (this.engine === 'postgres' ? LOCK_HEAD : READ_HEAD).rows(trx, { stream });
    if (!head) {
      // The head row vanished (a test or an operator reset the journal): create it again.
      this.knownStreams.delete(stream);
      return this.lockHead(trx, stream);
    }
    this.knownStreams.add(stream);
    return { seq: Number(head.seq), hash: head.hash };
  }
}

// The append path runs on every write: its statements are built once (see store/prepared.ts).
const EVENT_COLUMNS = ['stream', 'seq', 'id', 'at', 'actor', 'operation', 'subject_id', 'purpose', 'categories', 'details', 'prev_hash', 'hash'] as const;
const INSERT_EVENTS = preparedInsert('journal_event', EVENT_COLUMNS);
const INSERT_HEAD = prepared<{ stream: string; hash: string }>((db, p) =>
  db
    .insertInto('journal_head')
    .values({ stream: p.stream, seq: 0, hash: p.hash })
    .onConflict((oc) => oc.column('stream').doNothing()),
);
const READ_HEAD = prepared<{ stream: string }, { seq: number; hash: string }>((db, p) => db.selectFrom('journal_head').select(['seq', 'hash']).where('stream', '=', p.stream));
const LOCK_HEAD = prepared<{ stream: string }, { seq: number; hash: string }>((db, p) => db.selectFrom('journal_head').select(['seq', 'hash']).where('stream', '=', p.stream).forUpdate());
const UPDATE_HEAD = prepared<{ stream: string; seq: number; hash: string }>((db, p) => db.updateTable('journal_head').set({ seq: p.seq, hash: p.hash }).where('stream', '=', p.stream));

/** An event's scalar fields, as stored. */
function eventFields(row: JournalEventTable): Omit<JournalEvent, 'categories' | 'details'> {
  return {
    stream: row.stream,
    seq: Number(row.seq),
    id: row.id,
    at: Number(row.at),
    actor: row.actor,
    operation: row.operation,
    subjectId: row.subject_id,
    purpose: row.purpose,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function toEvent(row: JournalEventTable): JournalEvent {
  return { ...eventFields(row), categories: JSON.parse(row.categories) as string[], details: JSON.parse(row.details) as Record<string, DetailValue> };
}
