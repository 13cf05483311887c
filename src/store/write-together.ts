/**
 * Several writes that return nothing, sent as one where the engine allows it. On
 * PostgreSQL every statement is a round trip to the server, so a collection's item insert,
 * journal event insert and stream head update become one statement of data-modifying CTEs:
 *
 *   with w0 as (insert into data_item …), w1 as (insert into journal_event …) update journal_head …
 *
 * SQLite runs statements in-process, so there they simply run one after another.
 *
 * The writes must not touch the same rows: in one PostgreSQL statement they all see the
 * database as it was before any of them. They are still one transaction's writes, and a
 * failure of any fails the statement. Inside a transaction the statement's outcome is
 * reported with the next statement's (postgres-pool.ts): a failure is thrown there, at the
 * latest by the `commit`, which then commits nothing.
 *
 * @example
 *   await writeTogether(trx, [...INSERT_ITEMS.bind(trx, rows), ...journaled.writes]);
 */
import { type CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import { DEFERRED_WRITE } from './postgres-pool.js';
import { nameForPostgres } from './prepared.js';
import type { Database } from './tables.js';

export async function writeTogether(db: Kysely<Database>, writes: readonly CompiledQuery[]): Promise<void> {
  const combined = db.getExecutor().adapter instanceof PostgresAdapter && writes.length > 0 ? combine(writes, db.isTransaction) : undefined;
  if (combined) {
    await db.executeQuery(combined);
    return;
  }
  for (const write of writes) await db.executeQuery(write);
}

/**
 * Combined texts by their parts and whether the result may wait; a few shapes recur (items
 * per call, streams per append). In a transaction the write is marked so the connection
 * sends it with the next statement and reports its outcome there (see postgres-pool.ts).
 */
const combinedTexts = new Map<string, string | null>();
const MAX_SHAPES = 500;

function combine(writes: readonly CompiledQuery[], inTransaction: boolean): CompiledQuery | undefined {
  const key = `${inTransaction}\u0000${writes.map((w) => w.sql).join('\u0000')}`;
  let text = combinedTexts.get(key);
  if (text === undefined) {
    text = combinedText(writes);
    if (text !== null && inTransaction) text += DEFERRED_WRITE;
    if (combinedTexts.size < MAX_SHAPES) {
      combinedTexts.set(key, text);
      if (text !== null) nameForPostgres(text);
    }
  }
  if (text === null) return undefined;
  const parameters: unknown[] = [];
  for (const write of writes) parameters.push(...write.parameters);
  return { sql: text, query: writes[0].query, queryId: writes[0].queryId, parameters };
}

/** `with w0 as (…), w1 as (…) <last>`, each part's `$n` moved past the parameters before it; null if a part is not plain. */
function combinedText(writes: readonly CompiledQuery[]): string | null {
  const parts: string[] = [];
  let offset = 0;
  for (const write of writes) {
    // Kysely numbers a statement's values $1…$n in order and writes no literals, so every
    // `$` followed by digits is a placeholder; anything else is left to run on its own.
    let expected = 1;
    const renumbered = write.sql.replace(/\$(\d+)/g, (_match, n: string) => {
      if (Number(n) !== expected++) expected = Number.NaN;
      return `$${Number(n) + offset}`;
    });
    if (expected - 1 !== write.parameters.length || /^\s*with\b/i.test(write.sql) || /\breturning\b/i.test(write.sql)) return null;
    parts.push(renumbered);
    offset += write.parameters.length;
  }
  const last = parts.pop()!;
  return parts.length === 0 ? last : `with ${parts.map((part, i) => `w${i} as (${part})`).join(', ')} ${last}`;
}
