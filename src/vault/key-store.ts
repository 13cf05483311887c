/**
 * The key store: where wrapped data keys live, apart from the data they open. A subject's
 * key and a destruction act's key are each a row here; erasing a subject deletes its row,
 * and with it every copy of the subject's data that exists anywhere (crypto-shredding).
 *
 * Where it is:
 *
 * - SQLite: its own file beside the database (`custodian.keys.sqlite` for `custodian.db`),
 *   ATTACHed to every connection as the schema `custodian_keys`, so one transaction reads
 *   and writes both. SQLite's WAL mode makes such a transaction atomic per file, not across
 *   files, so writes are ordered for crashes: a key is written before the subject that uses
 *   it (a crash leaves at most an unused key), and deleted before the subject becomes a
 *   tombstone (a crash leaves at most a subject whose key is gone — which reads as erased,
 *   see `Subjects.lock`). Deleted rows are overwritten in place (`secure_delete`) and the key
 *   file's WAL is cut back after each destruction (`Store.purgeDeletedKeys`).
 * - PostgreSQL: its own schema `custodian_keys` (a backup of the data schema leaves it
 *   out; grant it to a different role if the data's readers must not see it).
 *
 * `KeyStore` is the key-provider seam: an external KMS holding one key per subject can
 * stand in for the database tables by implementing it.
 */
import type { Kysely } from 'kysely';
import type { WrappedKey } from '../crypto/keys.js';
import { prepared } from '../store/prepared.js';
import type { Database } from '../store/tables.js';

/** The schema (PostgreSQL) or attached database (SQLite) the keys live in. */
export const KEY_SCHEMA = 'custodian_keys';

/** Who a key belongs to. A subject's key lives until erasure; an act's as long as the act. */
export type KeyOwner = { kind: 'subject'; id: string } | { kind: 'act'; id: string };

export interface StoredKey extends WrappedKey {
  owner: KeyOwner;
  createdAt: number;
  /** An act's key goes when the act's retention ends; null for subject keys. */
  retainUntil: number | null;
}

export interface KeyStore {
  /** Stores a wrapped key, in the caller's transaction. */
  put(db: Kysely<Database>, owner: KeyOwner, key: WrappedKey, options: { now: number; retainUntil?: number | null }): Promise<void>;
  get(db: Kysely<Database>, owner: KeyOwner): Promise<WrappedKey | undefined>;
  /** Deletes the key; true when there was one. */
  destroy(db: Kysely<Database>, owner: KeyOwner): Promise<boolean>;
  /** Keys of one kind not wrapped with `kekId`, in owner-id order after `after` (for KEK rotation). */
  wrappedWithOther(db: Kysely<Database>, kind: KeyOwner['kind'], kekId: string, after: string, limit: number): Promise<StoredKey[]>;
  /** Replaces a key's wrapping, only if it is still wrapped with `fromKekId`. */
  rewrap(db: Kysely<Database>, owner: KeyOwner, fromKekId: string, next: WrappedKey): Promise<void>;
  countWrappedWithOther(db: Kysely<Database>, kekId: string): Promise<number>;
  /** Every KEK id some key is wrapped with. */
  kekIds(db: Kysely<Database>): Promise<Set<string>>;
  /** Every key, in owner order, a page at a time (for key backups). */
  page(db: Kysely<Database>, kind: KeyOwner['kind'], after: string, limit: number): Promise<StoredKey[]>;
}

/** A subject's key row and an act's key row. */
export interface SubjectKeyTable {
  subject_id: string;
  kek_id: string;
  wrapped: string;
  created_at: number;
}

export interface ActKeyTable {
  act_id: string;
  kek_id: string;
  wrapped: string;
  created_at: number;
  retain_until: number;
}

declare module '../store/tables.js' {
  interface Database {
    'custodian_keys.subject_key': SubjectKeyTable;
    'custodian_keys.act_key': ActKeyTable;
  }
}

const GET_SUBJECT_KEY = prepared<{ id: string }, { kek_id: string; wrapped: string }>((db, p) => db.selectFrom('custodian_keys.subject_key').select(['kek_id', 'wrapped']).where('subject_id', '=', p.id));

/** The key store in the Custodian database's own key schema (see the file comment). */
export class DatabaseKeyStore implements KeyStore {
  async put(db: Kysely<Database>, owner: KeyOwner, key: WrappedKey, options: { now: number; retainUntil?: number | null }): Promise<void> {
    if (owner.kind === 'subject') {
      await db.insertInto('custodian_keys.subject_key').values({ subject_id: owner.id, kek_id: key.kekId, wrapped: key.wrapped, created_at: options.now }).execute();
    } else {
      await db
        .insertInto('custodian_keys.act_key')
        .values({ act_id: owner.id, kek_id: key.kekId, wrapped: key.wrapped, created_at: options.now, retain_until: options.retainUntil ?? options.now })
        .execute();
    }
  }

  async get(db: Kysely<Database>, owner: KeyOwner): Promise<WrappedKey | undefined> {
    const row =
      owner.kind === 'subject'
        ? (await GET_SUBJECT_KEY.rows(db, { id: owner.id }))[0]
        : await db.selectFrom('custodian_keys.act_key').select(['kek_id', 'wrapped']).where('act_id', '=', owner.id).executeTakeFirst();
    return row ? { kekId: row.kek_id, wrapped: row.wrapped } : undefined;
  }

  async destroy(db: Kysely<Database>, owner: KeyOwner): Promise<boolean> {
    const result =
      owner.kind === 'subject'
        ? await db.deleteFrom('custodian_keys.subject_key').where('subject_id', '=', owner.id).executeTakeFirst()
        : await db.deleteFrom('custodian_keys.act_key').where('act_id', '=', owner.id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async wrappedWithOther(db: Kysely<Database>, kind: KeyOwner['kind'], kekId: string, after: string, limit: number): Promise<StoredKey[]> {
    return this.rows(db, kind, after, limit, kekId);
  }

  async page(db: Kysely<Database>, kind: KeyOwner['kind'], after: string, limit: number): Promise<StoredKey[]> {
    return this.rows(db, kind, after, limit);
  }

  async rewrap(db: Kysely<Database>, owner: KeyOwner, fromKekId: string, next: WrappedKey): Promise<void> {
    if (owner.kind === 'subject') {
      await db.updateTable('custodian_keys.subject_key').set({ kek_id: next.kekId, wrapped: next.wrapped }).where('subject_id', '=', owner.id).where('kek_id', '=', fromKekId).execute();
    } else {
      await db.updateTable('custodian_keys.act_key').set({ kek_id: next.kekId, wrapped: next.wrapped }).where('act_id', '=', owner.id).where('kek_id', '=', fromKekId).execute();
    }
  }

  async countWrappedWithOther(db: Kysely<Database>, kekId: string): Promise<number> {
    const subjects = await db.selectFrom('custodian_keys.subject_key').select((eb) => eb.fn.countAll<number>().as('n')).where('kek_id', '<>', kekId).executeTakeFirst();
    const acts = await db.selectFrom('custodian_keys.act_key').select((eb) => eb.fn.countAll<number>().as('n')).where('kek_id', '<>', kekId).executeTakeFirst();
    return Number(subjects?.n ?? 0) + Number(acts?.n ?? 0);
  }

  async kekIds(db: Kysely<Database>): Promise<Set<string>> {
    const subjects = await db.selectFrom('custodian_keys.subject_key').select('kek_id').distinct().execute();
    const acts = await db.selectFrom('custodian_keys.act_key').select('kek_id').distinct().execute();
    return new Set([...subjects, ...acts].map((r) => r.kek_id));
  }

  private async rows(db: Kysely<Database>, kind: KeyOwner['kind'], after: string, limit: number, notKekId?: string): Promise<StoredKey[]> {
    if (kind === 'subject') {
      let query = db.selectFrom('custodian_keys.subject_key').selectAll().where('subject_id', '>', after);
      if (notKekId !== undefined) query = query.where('kek_id', '<>', notKekId);
      const rows = await query.orderBy('subject_id').limit(limit).execute();
      return rows.map((r) => ({ owner: { kind, id: r.subject_id }, kekId: r.kek_id, wrapped: r.wrapped, createdAt: Number(r.created_at), retainUntil: null }));
    }
    let query = db.selectFrom('custodian_keys.act_key').selectAll().where('act_id', '>', after);
    if (notKekId !== undefined) query = query.where('kek_id', '<>', notKekId);
    const rows = await query.orderBy('act_id').limit(limit).execute();
    return rows.map((r) => ({ owner: { kind, id: r.act_id }, kekId: r.kek_id, wrapped: r.wrapped, createdAt: Number(r.created_at), retainUntil: Number(r.retain_until) }));
  }
}

/** The KEK-wrapping context of a key: which subject or act it belongs to. */
export function keyOwnerName(owner: KeyOwner): string {
  return `${owner.kind}:${owner.id}`;
}
