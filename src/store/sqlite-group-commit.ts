/**
 * Group commit for SQLite. SQLite has one writer, and a commit costs more than a small unit
 * of work: it writes every page the unit touched to the WAL (a dozen for a collection: the
 * item, the journal event and their indexes) and every thousand pages the checkpoint that
 * syncs them. Units that wait for the writer while one runs therefore share its transaction:
 * each runs inside its own savepoint, in arrival order, and they commit once, together.
 *
 * What a unit of work promises is kept:
 *
 *  - Atomic: a unit that fails is rolled back to its savepoint and its caller gets the error;
 *    the others are unaffected.
 *  - Durable when acknowledged: a unit's promise resolves only after the shared commit, with
 *    the same `synchronous` setting as any other commit.
 *  - Isolated: units run one after another on the one connection, as they did in turn before;
 *    a unit sees the writes of the units before it, which commit with it or not at all.
 *  - Retried: if the shared transaction fails as a whole (its commit, or an error that makes
 *    SQLite roll everything back), the units whose work was lost run again, as any unit may
 *    be retried after a serialization failure; after five attempts the error is theirs.
 *
 * A group holds the writer for at most a few milliseconds more than its longest unit: no
 * unit joins once MAX_GROUP_MS have passed or MAX_GROUP_UNITS have run.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables.js';

const MAX_GROUP_UNITS = 64;
const MAX_GROUP_MS = 5;
const MAX_ATTEMPTS = 5;

const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const RELEASE = CompiledQuery.raw('release unit_of_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit_of_work');

interface Waiting {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempt: number;
}

export class SqliteGroupCommit {
  private readonly waiting: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly db: Kysely<Database>,
    /** Whether the connection is still inside the group's transaction. */
    private readonly inTransaction: () => boolean,
    private readonly isRetryable: (error: unknown) => boolean,
    /**
     * Called when a group's shared transaction was rolled back after some of its units ran:
     * their reads inside it saw writes that never committed, so whatever was cached from
     * them (a subject's context, say) must be dropped.
     */
    private readonly rolledBack: () => void = () => undefined,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject, attempt: 1 });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) await this.runGroup();
    } finally {
      this.draining = false;
    }
  }

  private async runGroup(): Promise<void> {
    const done: { unit: Waiting; value: unknown }[] = [];
    /** The unit whose failure ended the shared transaction, if one did. */
    let broken: { unit: Waiting; error: unknown } | undefined;
    const started = performance.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        while (this.waiting.length > 0 && done.length < MAX_GROUP_UNITS && (done.length === 0 || performance.now() - started < MAX_GROUP_MS)) {
          const unit = this.waiting.shift()!;
          await trx.executeQuery(SAVEPOINT);
          let value: unknown;
          try {
            value = await unit.work(trx);
          } catch (error) {
            // A busy or stale snapshot, or an error SQLite answered by rolling everything back.
            if (this.isRetryable(error) || !this.inTransaction()) {
              broken = { unit, error };
              throw error;
            }
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            unit.reject(error);
            continue;
          }
          await trx.executeQuery(RELEASE);
          done.push({ unit, value });
        }
      });
    } catch (error) {
      await this.groupFailed(error, done.map((d) => d.unit), broken);
      return;
    }
    for (const { unit, value } of done) unit.resolve(value);
  }

  /** Nothing of the group committed: its units run again, the one that broke it only if its error is retryable. */
  private async groupFailed(error: unknown, lost: Waiting[], broken: { unit: Waiting; error: unknown } | undefined): Promise<void> {
    const again: Waiting[] = [];
    const retry = (unit: Waiting, cause: unknown) => {
      if (unit.attempt >= MAX_ATTEMPTS) unit.reject(cause);
      else again.push({ ...unit, attempt: unit.attempt + 1 });
    };
    if (lost.length > 0 || broken) this.rolledBack();
    for (const unit of lost) retry(unit, broken?.error ?? error);
    if (broken) {
      if (this.isRetryable(broken.error)) retry(broken.unit, broken.error);
      else broken.unit.reject(broken.error);
    } else if (lost.length === 0 && this.waiting.length > 0) {
      // The transaction did not begin (another process holds the writer): count it against the first.
      retry(this.waiting.shift()!, error);
    }
    this.waiting.unshift(...again);
    const attempt = Math.max(0, ...again.map((u) => u.attempt));
    if (attempt > 1) await new Promise((r) => setTimeout(r, attempt * 10 + Math.random() * 20));
  }
}
