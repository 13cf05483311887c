/**
 * The subjects repository: the one place that decides whether a subject may be written to,
 * and how a change to what the purpose gate knows about a subject is announced. Every
 * service that touches a subject locks it here first (`lock`), inside its unit of work.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { KeyService, WrappedKey } from '../crypto/keys.js';
import { CustodianError, notFound } from '../errors.js';
import type { ChangeBus } from '../store/change-bus.js';
import type { UnitOfWork } from '../store/unit-of-work.js';
import type { Database, SubjectRow } from '../store/tables.js';
import type { KeyStore } from './key-store.js';

/** Change events about one subject: `key` is the subject id. The gate drops its cached context. */
export const SUBJECT_TOPIC = 'subject';

/**
 * A subject that can be processed: active, with its data key — read from the key store by
 * `Subjects.lock` (the subject row itself holds no key; its key columns stay null).
 */
export type ActiveSubject = SubjectRow & { state: 'active'; wrapped_key: string; kek_id: string };

export interface LockOptions {
  /** The request field that named the subject, for error details; default `id`. */
  path?: string;
  /** `share` for units that only read the subject's data (they still journal the read). */
  mode?: 'update' | 'share';
}

/** Active in state. Only a subject from `Subjects.lock` / `lockActive` also carries its key. */
export function isActive(subject: SubjectRow): subject is ActiveSubject {
  return subject.state === 'active';
}

export function notActive(subject: SubjectRow, path = 'id'): CustodianError {
  return new CustodianError('subject_not_active', `The subject is ${subject.state}`, [{ path, message: `the subject is ${subject.state}` }]);
}

export interface SubjectsDeps {
  keys: KeyService;
  /** Where the subjects' wrapped keys live, apart from the data. */
  keyStore: KeyStore;
  clock: Clock;
  /** When given, a `subject` change event from any node drops that subject's cached key at once. */
  bus?: ChangeBus;
}

export class Subjects {
  private readonly keys = new KeyCache();

  constructor(private readonly deps: SubjectsDeps) {
    deps.bus?.subscribe(SUBJECT_TOPIC, (event) => event.key && this.keys.drop(event.key));
    deps.bus?.onResync(() => this.keys.clear());
  }

  /** Locks the subject for the unit of work; not found → `not_found`, not active → `subject_not_active`. */
  async lock(uow: UnitOfWork, subjectId: string, options: LockOptions = {}): Promise<ActiveSubject> {
    const subject = await this.lockAny(uow, subjectId, options);
    if (!isActive(subject)) throw notActive(subject, options.path);
    const keyed = await this.withKey(uow, subject);
    // Active in a restored backup, but its key was destroyed since: erased.
    if (!keyed) throw notActive({ ...subject, state: 'erased' }, options.path);
    return keyed;
  }

  /** Like `lock`, but undefined for a subject that is missing, not active or without a key. */
  async lockActive(uow: UnitOfWork, subjectId: string, mode: LockOptions['mode'] = 'update'): Promise<ActiveSubject | undefined> {
    const subject = await uow.lockSubject(subjectId, mode);
    return subject && isActive(subject) ? this.withKey(uow, subject) : undefined;
  }

  /**
   * Creates an active subject with a fresh data key. The key is written first: across
   * SQLite's two files a crash can then leave an unused key, never a subject without one.
   */
  async create(uow: UnitOfWork, subject: Omit<SubjectRow, 'kek_id' | 'wrapped_key' | 'state' | 'version'>): Promise<ActiveSubject> {
    const key = this.deps.keys.newSubjectKey(subject.id);
    await this.deps.keyStore.put(uow.trx, { kind: 'subject', id: subject.id }, key, { now: subject.created_at });
    await uow.trx.insertInto('subject').values({ ...subject, state: 'active', kek_id: null, wrapped_key: null, version: 0 }).execute();
    this.keys.set(subject.id, key, key.key);
    return { ...subject, state: 'active', kek_id: key.kekId, wrapped_key: key.wrapped, version: 0 };
  }

  /**
   * Destroys the subject's key (erasure, whole-subject depersonalization), in the caller's
   * transaction and before the row changes (the crash-safe order), and forgets the cached
   * unwrapped key at once.
   */
  async destroyKey(uow: UnitOfWork, subjectId: string): Promise<boolean> {
    this.keys.drop(subjectId);
    return this.deps.keyStore.destroy(uow.trx, { kind: 'subject', id: subjectId });
  }

  private async withKey(uow: UnitOfWork, subject: SubjectRow & { state: 'active' }): Promise<ActiveSubject | undefined> {
    const wrapped = await this.deps.keyStore.get(uow.trx, { kind: 'subject', id: subject.id });
    return wrapped ? { ...subject, kek_id: wrapped.kekId, wrapped_key: wrapped.wrapped } : undefined;
  }

  /** Locks the subject whatever its state (for acts that still apply to an erased one); not found → `not_found`. */
  async lockAny(uow: UnitOfWork, subjectId: string, options: LockOptions = {}): Promise<SubjectRow> {
    const subject = await uow.lockSubject(subjectId, options.mode);
    if (!subject) throw notFound('Subject', options.path ?? 'id');
    return subject;
  }

  /** Reads a subject without a lock (for reads that change nothing). */
  async find(db: Kysely<Database>, subjectId: string, path = 'id'): Promise<SubjectRow> {
    const subject = await db.selectFrom('subject').selectAll().where('id', '=', subjectId).executeTakeFirst();
    if (!subject) throw notFound('Subject', path);
    return subject;
  }

  /**
   * Records that what the gate knows about these subjects changed (state, blocks, consents,
   * objections, residency): bumps their version — so a writer on any node that holds the
   * lock sees its cached context is stale — and announces it after commit.
   */
  async changed(uow: UnitOfWork, subjectIds: string | readonly string[]): Promise<void> {
    const ids = [...new Set(typeof subjectIds === 'string' ? [subjectIds] : subjectIds)];
    if (ids.length === 0) return;
    await uow.trx
      .updateTable('subject')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: this.deps.clock.now() }))
      .where('id', 'in', ids)
      .execute();
    for (const id of ids) {
      this.keys.drop(id);
      uow.afterCommit({ topic: SUBJECT_TOPIC, key: id });
    }
  }

  /**
   * The subject's data key, from a row read under the subject's lock. Unwrapping costs as
   * much as the rest of a small write, so a key is reused for up to a second. That is safe:
   *
   * - a cached key is returned only for the very wrapped key (and KEK id) of the row given,
   *   so it opens nothing that unwrapping that row would not;
   * - erasure (and whole-subject depersonalization) deletes the wrapped key from the key
   *   store, so after it commits no lock returns a key the entry matches; and it calls
   *   `destroyKey` and `changed`, which drop the entry;
   * - on other nodes the `subject` change event drops it (with `bus`), and at the latest it
   *   is forgotten a second after it was unwrapped: no key outlives an erasure longer in memory.
   */
  key(subject: ActiveSubject): Buffer {
    if (subject.wrapped_key === null || subject.kek_id === null) throw new Error('Subjects.key needs a subject from Subjects.lock or lockActive, which read its key from the key store');
    const wrapped = { kekId: subject.kek_id, wrapped: subject.wrapped_key };
    return this.keys.get(subject.id, wrapped) ?? this.keys.set(subject.id, wrapped, this.deps.keys.subjectKey(subject.id, wrapped));
  }
}

/** Unwrapped data keys for `Subjects.key`: each forgotten KEY_TTL_MS after it was unwrapped, by a timer that keeps no process alive. */
class KeyCache {
  /** In unwrapping order, so the oldest entries are first. */
  private readonly entries = new Map<string, WrappedKey & { key: Buffer; at: number }>();
  private sweep?: NodeJS.Timeout;

  get(subjectId: string, wrapped: WrappedKey): Buffer | undefined {
    const entry = this.entries.get(subjectId);
    if (!entry || entry.wrapped !== wrapped.wrapped || entry.kekId !== wrapped.kekId || performance.now() - entry.at >= KEY_TTL_MS) return undefined;
    return entry.key;
  }

  set(subjectId: string, wrapped: WrappedKey, key: Buffer): Buffer {
    this.entries.delete(subjectId);
    if (this.entries.size >= MAX_CACHED_KEYS) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(subjectId, { ...wrapped, key, at: performance.now() });
    this.sweep ??= setTimeout(() => this.forgetExpired(), KEY_TTL_MS).unref();
    return key;
  }

  drop(subjectId: string): void {
    this.entries.delete(subjectId);
  }

  clear(): void {
    this.entries.clear();
  }

  private forgetExpired(): void {
    this.sweep = undefined;
    const now = performance.now();
    for (const [subjectId, entry] of this.entries) {
      if (now - entry.at < KEY_TTL_MS) break;
      this.entries.delete(subjectId);
    }
    const oldest = this.entries.values().next().value;
    if (oldest) this.sweep = setTimeout(() => this.forgetExpired(), KEY_TTL_MS - (now - oldest.at)).unref();
  }
}

/** How long an unwrapped data key may be reused (see `Subjects.key`). */
const KEY_TTL_MS = 1000;
const MAX_CACHED_KEYS = 10_000;
