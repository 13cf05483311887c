/**
 * Statements built once. Kysely builds and compiles a query on every call; on the ingest
 * path (lock a subject, insert its items, append to the journal) that costs more than
 * SQLite takes to run the statements. A prepared statement is written with Kysely as usual
 * — table and column names checked, identifiers quoted and placeholders in the engine's
 * style — but with named placeholders for its values; it is compiled the first time it runs
 * on an engine, and afterwards only its parameters change.
 *
 * On PostgreSQL the compiled text is also registered as a named server-side statement (see
 * `preparedName`), so the server parses and plans it once per connection, not per call.
 *
 * @example
 *   const findSubject = prepared<{ id: string }, SubjectRow>((db, p) => db.selectFrom('subject').selectAll().where('id', '=', p.id));
 *   const [row] = await findSubject.rows(trx, { id });
 */
import { createHash } from 'node:crypto';
import { type Compilable, type CompiledQuery, type Insertable, type Kysely, PostgresAdapter, type RootOperationNode } from 'kysely';
import type { Database } from './tables.js';

/** Stand-ins for a statement's values while it is built; typed `never` so they fit any column. */
export type Placeholders<P> = { readonly [K in keyof P]: never };

class Placeholder {
  constructor(readonly name: string) {}
}

/** Where each parameter of the compiled text comes from: a named value, or a constant of the statement. */
type Slot = { name: string } | { constant: unknown };

interface Compiled {
  sql: string;
  query: RootOperationNode;
  queryId: CompiledQuery['queryId'];
  slots: Slot[];
}

/** The engine a transaction runs on, told apart by its adapter (one per store). */
type EngineKey = object;

function engineKey(db: Kysely<Database>): EngineKey {
  return db.getExecutor().adapter;
}

function compile(db: Kysely<Database>, query: Compilable<unknown>): Compiled {
  const compiled = query.compile();
  const slots = compiled.parameters.map((value): Slot => (value instanceof Placeholder ? { name: value.name } : { constant: value }));
  if (db.getExecutor().adapter instanceof PostgresAdapter) nameForPostgres(compiled.sql);
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, slots };
}

function bind<R>(compiled: Compiled, values: Readonly<Record<string, unknown>>): CompiledQuery<R> {
  const parameters = new Array<unknown>(compiled.slots.length);
  for (let i = 0; i < parameters.length; i++) {
    const slot = compiled.slots[i];
    parameters[i] = 'name' in slot ? values[slot.name] : slot.constant;
  }
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters };
}

function placeholders<P>(): Placeholders<P> {
  return new Proxy({}, { get: (_target, name) => new Placeholder(String(name)) }) as Placeholders<P>;
}

/** A statement with a fixed shape, run with fresh values. */
export interface PreparedQuery<P, R> {
  /** The statement bound to `values`, for `trx.executeQuery` or `runTogether`. */
  bind(db: Kysely<Database>, values: P): CompiledQuery<R>;
  /** Runs it and returns the rows. */
  rows(db: Kysely<Database>, values: P): Promise<R[]>;
}

export function prepared<P extends Record<string, unknown>, R = unknown>(build: (db: Kysely<Database>, p: Placeholders<P>) => Compilable<R>): PreparedQuery<P, R> {
  const byEngine = new WeakMap<EngineKey, Compiled>();
  const compiledFor = (db: Kysely<Database>): Compiled => {
    const key = engineKey(db);
    let compiled = byEngine.get(key);
    if (!compiled) {
      compiled = compile(db, build(db, placeholders<P>()));
      byEngine.set(key, compiled);
    }
    return compiled;
  };
  return {
    bind: (db, values) => bind<R>(compiledFor(db), values),
    async rows(db, values) {
      return (await db.executeQuery(bind<R>(compiledFor(db), values))).rows;
    },
  };
}

/**
 * A multi-row insert into one table with a fixed list of columns, compiled once per row
 * count (up to `maxRows` rows per statement; more are written in several).
 */
export interface PreparedInsert<T extends keyof Database> {
  /** The statements inserting `rows`, for `writeTogether`. */
  bind(db: Kysely<Database>, rows: readonly Insertable<Database[T]>[]): CompiledQuery[];
}

export function preparedInsert<T extends keyof Database & string>(table: T, columns: readonly (keyof Database[T] & string)[], maxRows = 100): PreparedInsert<T> {
  const byEngine = new WeakMap<EngineKey, Map<number, Compiled>>();
  const compiledFor = (db: Kysely<Database>, count: number): Compiled => {
    const key = engineKey(db);
    let byCount = byEngine.get(key);
    if (!byCount) byEngine.set(key, (byCount = new Map()));
    let compiled = byCount.get(count);
    if (!compiled) {
      const rows = Array.from({ length: count }, (_, r) => Object.fromEntries(columns.map((column) => [column, new Placeholder(`${r}\u0000${column}`)])));
      compiled = compile(db, db.insertInto(table).values(rows as never));
      // Rows are bound by position: row r, column c is parameter r * columns + c.
      const inOrder = compiled.slots.every((slot, i) => 'name' in slot && slot.name === `${Math.floor(i / columns.length)}\u0000${columns[i % columns.length]}`);
      if (!inOrder || compiled.slots.length !== count * columns.length) throw new Error(`preparedInsert(${table}): parameters are not in row order`);
      byCount.set(count, compiled);
    }
    return compiled;
  };
  const bindRows = (db: Kysely<Database>, rows: readonly Insertable<Database[T]>[]): CompiledQuery[] => {
    const statements: CompiledQuery[] = [];
    for (let start = 0; start < rows.length; start += maxRows) {
      const chunk = rows.slice(start, start + maxRows);
      const compiled = compiledFor(db, chunk.length);
      const parameters: unknown[] = [];
      for (const row of chunk) for (const column of columns) parameters.push((row as Record<string, unknown>)[column]);
      statements.push({ sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters });
    }
    return statements;
  };
  return { bind: bindRows };
}

/**
 * Statement texts the PostgreSQL connections run as named statements. Only texts built here
 * and in write-together.ts are named; the server keeps each one per connection, so past
 * MAX_NAMED (an odd mix of batch sizes) further texts run unnamed.
 */
const postgresNames = new Map<string, string>();
const MAX_NAMED = 256;

/** Registers a statement text to run as a named statement on PostgreSQL. */
export function nameForPostgres(sql: string): void {
  if (!postgresNames.has(sql) && postgresNames.size < MAX_NAMED) postgresNames.set(sql, `custodian_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`);
}

/** The server-side statement name for a registered text, or undefined (then it is sent unnamed). */
export function preparedName(sql: string): string | undefined {
  return postgresNames.get(sql);
}
