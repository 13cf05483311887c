/**
 * The PostgreSQL pool as Kysely sees it. Every statement is a round trip to the server, so
 * the connections save the ones whose answer can wait:
 *
 *  - Statements built in prepared.ts run as named statements: the server parses and plans
 *    each once per connection instead of on every call.
 *  - A transaction's `begin` is sent together with the statement after it, and a write sent
 *    through `writeTogether` (whose result nobody reads) together with the statement after
 *    it, usually `commit`: the client pipelines them (pg's `pipeline` mode). A single-item
 *    collection is then three round trips where it was five.
 *
 * A deferred statement's result is still awaited, only later: the next statement's result
 * is handed back once every earlier one succeeded, and an earlier failure is thrown there
 * instead — a failed write is reported by the `commit` after it, which then did not commit.
 * Only `begin` is deferred before a read; before anything else it is awaited first, so a
 * write can never run outside the transaction it was meant for.
 */
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { preparedName } from './prepared.js';

/** Marks a write whose result may arrive with the next statement's (see write-together.ts). */
export const DEFERRED_WRITE = '\n/* custodian: result read with the next statement */';

const NO_RESULT = { command: '', rowCount: null, rows: [] } as unknown as PostgresQueryResult<never>;

export function postgresPool(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) {
        wrapped = pipelinedClient(client);
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}

function pipelinedClient(client: pg.PoolClient): PostgresPoolClient {
  /** Settles when every deferred statement has; rejects with the first failure. */
  let deferred: Promise<void> | undefined;
  let beginDeferred = false;

  const send = (text: string, values?: unknown[]): Promise<pg.QueryResult> => {
    const name = preparedName(text);
    return name ? client.query({ name, text, values }) : client.query(text, values);
  };
  const defer = (result: Promise<unknown>): void => {
    const settled = result.then(() => undefined);
    settled.catch(() => undefined); // reported through `deferred`
    deferred = deferred ? deferred.then(() => settled) : settled;
  };
  /** Waits for the deferred statements; their first failure is thrown. */
  const settle = async (): Promise<void> => {
    const earlier = deferred;
    deferred = undefined;
    beginDeferred = false;
    await earlier;
  };

  const query = async (text: string, values?: unknown[]) => {
    if (typeof text !== 'string') return client.query(text as never);
    if (text === 'begin' && !values?.length && !deferred) {
      defer(client.query(text));
      beginDeferred = true;
      return NO_RESULT;
    }
    // Only a read of prepared.ts may go out behind an unconfirmed `begin`: run outside a
    // transaction it would change nothing.
    if (beginDeferred && !(preparedName(text) && /^select\b/.test(text))) await settle();
    if (text.endsWith(DEFERRED_WRITE)) {
      defer(send(text, values));
      return NO_RESULT;
    }
    const result = send(text, values);
    if (!deferred) return result;
    if (text === 'rollback') {
      // Rolling back anyway: an earlier failure is why, or is moot now.
      await settle().catch(() => undefined);
      return result;
    }
    try {
      await settle();
    } catch (error) {
      result.catch(() => undefined);
      throw error;
    }
    return result;
  };
  const release = () => {
    // A transaction ends with commit or rollback, which settle everything; nothing is left here.
    deferred?.catch(() => undefined);
    deferred = undefined;
    beginDeferred = false;
    client.release();
  };
  return { query: query as unknown as PostgresPoolClient['query'], release };
}
