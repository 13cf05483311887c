/**
 * The PostgreSQL pool as Kysely sees it. Every statement is a round trip to the server, so
 * the connections save the ones whose answer can wait:
 *
 *  - Statements built in prepared.ts run as named statements: the server parses and plans
 *    each once per connection instead of on every call.
 *  - A transaction's `begin`, and a write sent through `writeTogether` inside a transaction
 *    (whose result nobody reads), are held and go out in one write to the socket with the
 *    statement after them — the first read, and usually the `commit` — using pg's pipeline
 *    mode. A single-item collection is then three round trips where it was five.
 *
 * A held statement's result is still awaited, only later: the next statement's result is
 * handed back once every held one succeeded, and a failure is thrown there instead — a
 * failed write is reported by the `commit` after it, which then commits nothing. Only a
 * prepared read may go out with an unconfirmed `begin`; anything else waits for the begin's
 * answer first, so no write can run outside the transaction it was meant for.
 */
import type { Writable } from 'node:stream';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { preparedName } from './prepared.js';

/** Marks a write that may be held until the next statement (see write-together.ts). */
export const DEFERRED_WRITE = '\n/* custodian: sent with the next statement */';

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
  /** Statements whose results may wait, not sent yet: they go out with the next statement. */
  let held: { text: string; values?: unknown[] }[] = [];

  const send = (text: string, values?: unknown[]): Promise<pg.QueryResult> => {
    const name = preparedName(text);
    return name ? client.query({ name, text, values }) : client.query(text, values);
  };
  /** Sends the held statements and then this one in a single write; the first failure among the held ones is thrown. */
  const sendWithHeld = async (text: string, values?: unknown[]): Promise<pg.QueryResult> => {
    const earlier = held;
    held = [];
    const socket = (client as unknown as { connection?: { stream?: Writable } }).connection?.stream;
    socket?.cork();
    const results = earlier.map((statement) => send(statement.text, statement.values));
    const result = send(text, values);
    socket?.uncork();
    try {
      await Promise.all(results);
    } catch (error) {
      result.catch(() => undefined);
      throw error;
    }
    return result;
  };

  const query = async (text: string, values?: unknown[]) => {
    if (typeof text !== 'string') return client.query(text as never);
    const begun = held.length > 0 && held[0].text === 'begin';
    if (text === 'begin' && !values?.length && held.length === 0) {
      held.push({ text });
      return NO_RESULT;
    }
    if (text === 'rollback' || (text === 'commit' && begun && held.length === 1)) {
      // Nothing held needs to run: it would be rolled back, or the transaction did nothing.
      held = [];
      return begun ? NO_RESULT : send(text, values);
    }
    // Only a read of prepared.ts goes out with an unconfirmed `begin`: were the begin to
    // fail, it would run outside a transaction, and change nothing.
    if (begun && !(preparedName(text) && /^select\b/.test(text))) {
      held = [];
      await send('begin');
    }
    if (text.endsWith(DEFERRED_WRITE)) {
      held.push({ text, values });
      return NO_RESULT;
    }
    return held.length > 0 ? sendWithHeld(text, values) : send(text, values);
  };
  const release = () => {
    // A transaction ends with commit or rollback, which leave nothing held.
    held = [];
    client.release();
  };
  return { query: query as unknown as PostgresPoolClient['query'], release };
}
