/**
 * The unit of work: the one way a feature changes the database. A unit is one transaction
 * (retried whole on serialization failures) that
 *
 *  - locks the subjects it touches (`lockSubject`: `FOR UPDATE` on PostgreSQL, `FOR SHARE`
 *    for readers; SQLite's write transaction serializes writers already), so no two writers
 *    interleave on one person — a depersonalization cannot slip between a collection's
 *    decision and its commit;
 *  - collects change events (`afterCommit`) that are delivered to this process only once
 *    the transaction has committed, and sent to every other node with `pg_notify` inside
 *    the transaction, which PostgreSQL delivers at commit and drops on rollback;
 *  - writes jobs (`enqueue`) in the same commit as the change that needs them.
 *
 * @example
 *   await work.run(async (uow) => {
 *     const subject = await uow.lockSubject(subjectId);
 *     …write…
 *     uow.afterCommit({ topic: 'subject', key: subjectId });
 *     await uow.enqueue({ kind: 'mail.send', payload: { … } });
 *   });
 */
import { sql, type Transaction } from 'kysely';
import { type ChangeBus, type ChangeEvent, distinctEvents } from './change-bus.js';
import type { JobInput } from './job-types.js';
import type { JobQueue } from './jobs.js';
import { prepared } from './prepared.js';
import type { Store } from './store.js';
import type { Database, SubjectRow } from './tables.js';

/** The channel every Custodian node LISTENs on. */
export const CHANGE_CHANNEL = 'custodian_changes';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well under. */
const NOTIFY_PAYLOAD_LIMIT = 7000;

export interface UnitOfWork {
  readonly trx: Transaction<Database>;
  /**
   * Reads the subject row and locks it for the rest of the transaction; `share` lets other
   * readers in but keeps writers out. Undefined when there is no such subject.
   */
  lockSubject(subjectId: string, mode?: 'update' | 'share'): Promise<SubjectRow | undefined>;
  /** Locks several subjects, in id order so two units locking overlapping sets cannot deadlock. */
  lockSubjects(subjectIds: readonly string[]): Promise<SubjectRow[]>;
  /** Raised now, delivered only if and after the transaction commits. */
  afterCommit(event: ChangeEvent): void;
  /** Writes a job in this transaction. */
  enqueue(job: JobInput): Promise<string>;
}

export interface UnitOfWorkDeps {
  store: Store;
  bus: ChangeBus;
  jobs: JobQueue;
  /** This node's id, so a node can tell its own notifications from others'. */
  nodeId: string;
}

export class UnitOfWorkRunner {
  constructor(private readonly deps: UnitOfWorkDeps) {}

  async run<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const { store, bus } = this.deps;
    let events: ChangeEvent[] = [];
    const result = await store.transaction(async (trx) => {
      events = []; // a retried attempt starts over
      const jobsEnqueued = { count: 0 };
      const uow = this.unit(trx, events, jobsEnqueued);
      const value = await work(uow);
      if (jobsEnqueued.count > 0) events.push({ topic: JOBS_TOPIC });
      if (store.engine === 'postgres' && events.length > 0) await notify(trx, this.deps.nodeId, distinctEvents(events));
      return value;
    });
    if (events.length > 0) bus.deliver(distinctEvents(events), 'local');
    return result;
  }

  private unit(trx: Transaction<Database>, events: ChangeEvent[], jobsEnqueued: { count: number }): UnitOfWork {
    const { store, jobs } = this.deps;
    const lockable = store.engine === 'postgres';
    return {
      trx,
      async lockSubject(subjectId, mode = 'update') {
        const statement = !lockable ? READ_SUBJECT : mode === 'share' ? SHARE_SUBJECT : LOCK_SUBJECT;
        const [row] = await statement.rows(trx, { id: subjectId });
        return row;
      },
      async lockSubjects(subjectIds) {
        if (subjectIds.length === 0) return [];
        let query = trx
          .selectFrom('subject')
          .selectAll()
          .where('id', 'in', [...new Set(subjectIds)])
          .orderBy('id');
        if (lockable) query = query.forUpdate();
        return query.execute();
      },
      afterCommit(event) {
        events.push(event);
      },
      async enqueue(job) {
        jobsEnqueued.count++;
        return jobs.enqueueIn(trx, job);
      },
    };
  }
}

// Every write starts here: built once (see prepared.ts).
const READ_SUBJECT = prepared<{ id: string }, SubjectRow>((db, p) => db.selectFrom('subject').selectAll().where('id', '=', p.id));
const LOCK_SUBJECT = prepared<{ id: string }, SubjectRow>((db, p) => db.selectFrom('subject').selectAll().where('id', '=', p.id).forUpdate());
const SHARE_SUBJECT = prepared<{ id: string }, SubjectRow>((db, p) => db.selectFrom('subject').selectAll().where('id', '=', p.id).forShare());

/** Raised when jobs were enqueued, so idle workers wake at once instead of at their next poll. */
export const JOBS_TOPIC = 'jobs';

async function notify(trx: Transaction<Database>, nodeId: string, events: ChangeEvent[]): Promise<void> {
  for (const chunk of chunks(events)) {
    await sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify({ node: nodeId, events: chunk })})`.execute(trx);
  }
}

function chunks(events: ChangeEvent[]): ChangeEvent[][] {
  const out: ChangeEvent[][] = [];
  let current: ChangeEvent[] = [];
  let size = 0;
  for (const event of events) {
    const length = JSON.stringify(event).length + 1;
    if (current.length > 0 && size + length > NOTIFY_PAYLOAD_LIMIT) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += length;
  }
  if (current.length > 0) out.push(current);
  return out;
}
