/**
 * The job queue: work that must happen after a change, or on a schedule, written to the
 * `job` table — in the same transaction as the change that needs it when enqueued through
 * a unit of work — and run by workers on any node.
 *
 * Workers claim due jobs with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so N nodes share the
 * queue without taking the same job; SQLite has one writer, so a claim is one statement.
 * A claim is a lease: a worker that dies mid-job leaves it `running` until the lease ends,
 * then it is claimed again — handlers must be idempotent. A failed attempt is retried with
 * exponential backoff until `maxAttempts`; then the job stays as a dead letter (`failed`),
 * visible in `custodian jobs list --state failed` and `/metrics` until retried.
 */
import type { Transaction } from 'kysely';
import type { Clock, IdSource } from '../clock.js';
import { CustodianError } from '../errors.js';
import { type Job, type JobInput, type JobState, JOB_STATES, type JsonValue, PermanentJobError } from './job-types.js';
import type { Store } from './store.js';
import type { Database, JobTable } from './tables.js';

export const DEFAULT_MAX_ATTEMPTS = 8;
/** The last error of a job whose worker stopped (crashed, was killed) before finishing its last attempt. */
const LEASE_EXPIRED = 'LeaseExpired: the worker stopped before finishing the last attempt';
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60 * 60 * 1000;

/** Delay before attempt `attempt + 1`: 1 s, 2 s, 4 s … capped at an hour, with up to 20 % jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

/**
 * What may be kept of a failure. Custodian's own errors carry a code and a message that by
 * rule holds no personal data; anything else keeps only its class and code, because its
 * message might quote what it failed on (an SMTP server echoing an address, say).
 */
export function describeFailure(error: unknown): string {
  if (error instanceof CustodianError || error instanceof PermanentJobError) return `${error.code}: ${error.message}`.slice(0, 500);
  const e = error as { name?: unknown; code?: unknown };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  return typeof e?.code === 'string' || typeof e?.code === 'number' ? `${name} ${String(e.code)}` : name;
}

export interface JobFilter {
  state?: JobState;
  kind?: string;
  limit?: number;
}

export class JobQueue {
  constructor(private readonly deps: { store: Store; clock: Clock; ids: IdSource }) {}

  /**
   * Writes a job inside `trx`. With an idempotency key already used, nothing is written and
   * the existing job's id is returned.
   */
  async enqueueIn(trx: Transaction<Database>, input: JobInput): Promise<string> {
    return (await this.insert(trx, input)).id;
  }

  /**
   * Enqueues in a transaction of its own; `created` is false when the idempotency key was
   * taken. The look first is only a shortcut: `created` comes from the insert, since two
   * nodes enqueueing one key at once both look, find nothing, and only one insert wins.
   */
  async enqueue(input: JobInput): Promise<{ id: string; created: boolean }> {
    return this.deps.store.transaction(async (trx) => {
      const before = input.idempotencyKey ? await trx.selectFrom('job').select('id').where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst() : undefined;
      if (before) return { id: before.id, created: false };
      return this.insert(trx, input);
    });
  }

  private async insert(trx: Transaction<Database>, input: JobInput): Promise<{ id: string; created: boolean }> {
    const now = this.deps.clock.now();
    const row: JobTable = {
      id: this.deps.ids.next(),
      kind: input.kind,
      payload: JSON.stringify(input.payload ?? {}),
      state: 'pending',
      run_at: input.runAt ?? now,
      attempts: 0,
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      last_error: null,
      idempotency_key: input.idempotencyKey ?? null,
      locked_by: null,
      locked_until: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    if (row.idempotency_key === null) {
      await trx.insertInto('job').values(row).execute();
      return { id: row.id, created: true };
    }
    const inserted = await trx.insertInto('job').values(row).onConflict((oc) => oc.column('idempotency_key').doNothing()).returning('id').executeTakeFirst();
    if (inserted) return { id: inserted.id, created: true };
    const existing = await trx.selectFrom('job').select('id').where('idempotency_key', '=', row.idempotency_key).executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }

  /**
   * Claims up to `limit` due jobs for `workerId` for `leaseMs`. Jobs whose lease ran out
   * (their worker died) are due again — unless that was their last attempt: a job that
   * kills every worker taking it would otherwise be claimed for ever.
   */
  async claim(workerId: string, limit: number, leaseMs: number): Promise<Job[]> {
    const { store, clock } = this.deps;
    const now = clock.now();
    return store.transaction(async (trx) => {
      const expired = trx.updateTable('job').where('state', '=', 'running').where('locked_until', '<', now);
      await expired
        .set({ state: 'failed', last_error: LEASE_EXPIRED, locked_by: null, locked_until: null, updated_at: now, finished_at: now })
        .whereRef('attempts', '>=', 'max_attempts')
        .execute();
      await expired.set({ state: 'pending', locked_by: null, locked_until: null, updated_at: now }).whereRef('attempts', '<', 'max_attempts').execute();
      let due = trx.selectFrom('job').select('id').where('state', '=', 'pending').where('run_at', '<=', now).orderBy('run_at').orderBy('id').limit(limit);
      if (store.engine === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable('job')
        .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), locked_by: workerId, locked_until: now + leaseMs, updated_at: now }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1));
    });
  }

  /** Marks a claimed job done. False when the lease was lost (another worker has it now). */
  async complete(job: Job, workerId: string, options: { forgetPayload?: boolean } = {}): Promise<boolean> {
    const now = this.deps.clock.now();
    const result = await this.deps.store.db
      .updateTable('job')
      .set({ state: 'done', locked_by: null, locked_until: null, updated_at: now, finished_at: now, last_error: null, ...(options.forgetPayload ? { payload: '{}' } : {}) })
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records a failed attempt: retried after a backoff, or left as a dead letter. */
  async fail(job: Job, workerId: string, error: unknown): Promise<JobState> {
    const now = this.deps.clock.now();
    const permanent = error instanceof PermanentJobError;
    const dead = permanent || job.attempts >= job.maxAttempts;
    const state: JobState = dead ? 'failed' : 'pending';
    await this.deps.store.db
      .updateTable('job')
      .set({
        state,
        run_at: dead ? job.runAt : now + backoffMs(job.attempts),
        last_error: describeFailure(error),
        locked_by: null,
        locked_until: null,
        updated_at: now,
        finished_at: dead ? now : null,
      })
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .execute();
    return state;
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.deps.store.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  async list(filter: JobFilter = {}): Promise<Job[]> {
    let query = this.deps.store.db.selectFrom('job').selectAll();
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(Math.min(Math.max(filter.limit ?? 100, 1), 10_000)).execute();
    return rows.map(toJob);
  }

  /**
   * Puts a failed (or pending) job back to run now with a fresh set of attempts. The errors
   * carry no details: their one line names the only input, and `jobs retry` prints it alone.
   */
  async retry(id: string): Promise<Job> {
    const now = this.deps.clock.now();
    const job = await this.get(id);
    if (!job) throw new CustodianError('not_found', 'Job not found');
    if (job.state === 'running' || job.state === 'done') throw new CustodianError('conflict', `The job is ${job.state}; only failed or pending jobs can be retried`);
    const result = await this.deps.store.db.updateTable('job').set({ state: 'pending', attempts: 0, run_at: now, updated_at: now, finished_at: null }).where('id', '=', id).where('state', 'in', ['failed', 'pending']).executeTakeFirst();
    const after = (await this.get(id))!;
    // A worker claimed it between the look and the update.
    if (Number(result.numUpdatedRows) === 0) throw new CustodianError('conflict', `The job is ${after.state}; only failed or pending jobs can be retried`);
    return after;
  }

  /** Jobs per state, every state present (for `/metrics`). */
  async counts(): Promise<Record<JobState, number>> {
    const rows = await this.deps.store.db.selectFrom('job').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const row of rows) if ((JOB_STATES as readonly string[]).includes(row.state)) counts[row.state as JobState] = Number(row.n);
    return counts;
  }

  /** Removes finished jobs older than `before` (dead letters stay until someone retries or removes them). */
  async prune(before: number): Promise<number> {
    const result = await this.deps.store.db.deleteFrom('job').where('state', '=', 'done').where('finished_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export function toJob(row: JobTable): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as Record<string, JsonValue>,
    state: row.state as JobState,
    runAt: Number(row.run_at),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    lastError: row.last_error,
    idempotencyKey: row.idempotency_key,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}
