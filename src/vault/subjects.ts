/**
 * The subjects repository: the one place that decides whether a subject may be written to,
 * and how a change to what the purpose gate knows about a subject is announced. Every
 * service that touches a subject locks it here first (`lock`), inside its unit of work.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError, notFound } from '../errors.js';
import type { UnitOfWork } from '../store/unit-of-work.js';
import type { Database, SubjectRow } from '../store/tables.js';

/** Change events about one subject: `key` is the subject id. The gate drops its cached context. */
export const SUBJECT_TOPIC = 'subject';

/** A subject that can be processed: active, with its data key. */
export type ActiveSubject = SubjectRow & { state: 'active'; wrapped_key: string; kek_id: string };

export interface LockOptions {
  /** The request field that named the subject, for error details; default `id`. */
  path?: string;
  /** `share` for units that only read the subject's data (they still journal the read). */
  mode?: 'update' | 'share';
}

export function isActive(subject: SubjectRow): subject is ActiveSubject {
  return subject.state === 'active' && subject.wrapped_key !== null && subject.kek_id !== null;
}

export function notActive(subject: SubjectRow, path = 'id'): CustodianError {
  return new CustodianError('subject_not_active', `The subject is ${subject.state}`, [{ path, message: `the subject is ${subject.state}` }]);
}

export class Subjects {
  constructor(private readonly deps: { keys: KeyService; clock: Clock }) {}

  /** Locks the subject for the unit of work; not found → `not_found`, not active → `subject_not_active`. */
  async lock(uow: UnitOfWork, subjectId: string, options: LockOptions = {}): Promise<ActiveSubject> {
    const subject = await this.lockAny(uow, subjectId, options);
    if (!isActive(subject)) throw notActive(subject, options.path);
    return subject;
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
    for (const id of ids) uow.afterCommit({ topic: SUBJECT_TOPIC, key: id });
  }

  /** The subject's data key. */
  key(subject: ActiveSubject): Buffer {
    return this.deps.keys.subjectKey(subject.id, { kekId: subject.kek_id, wrapped: subject.wrapped_key });
  }
}
