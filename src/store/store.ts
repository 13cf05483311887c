/**
 * The store seam: one Kysely database over either engine. Everything above this file is
 * engine-agnostic; the few places that differ (row locks, JSON) ask `store.engine`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDialectConfig, SqliteDriver, type Transaction } from 'kysely';
import type pg from 'pg';
import { postgresPool } from './postgres-pool.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { Database } from './tables.js';

export type Engine = 'sqlite' | 'postgres';

export type StoreLocation =
  | { engine: 'sqlite'; path: string }
  | { engine: 'postgres'; url: string };

export interface Store {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
  /** A human-readable location with credentials removed, safe for logs. */
  readonly description: string;
  /** Where it is, for connections outside the pool (the PostgreSQL change listener). */
  readonly location: StoreLocation;
  /**
   * Runs `work` in a transaction, retrying on serialization failures (SQLSTATE 40001 and
   * deadlocks) so distributed Postgres-compatible engines work unchanged. On SQLite, units
   * that wait for the one writer share a commit, each in its own savepoint
   * (sqlite-group-commit.ts); the promise resolves once the unit's writes are committed.
   */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Orders key wrapping against KEK rotation: a transaction that wraps a key with the active
   * KEK holds the lock `shared`; rotation takes it `exclusive` before its final sweep, so no
   * key wrapped with the old KEK can commit after the sweep that decides to retire it.
   */
  lockKeyring(trx: Transaction<Database>, mode: 'shared' | 'exclusive'): Promise<void>;
  /**
   * Listens for transactions rolled back after their reads may have been cached: on SQLite,
   * a commit group that failed as a whole (its units run again). Returns the function that
   * stops listening.
   */
  onRolledBack(listener: () => void): () => void;
  /**
   * After keys were deleted (and committed): makes them unrecoverable from the medium where
   * the engine allows. SQLite cuts the key file's WAL back to nothing (its pages were already
   * overwritten, `secure_delete`); PostgreSQL's dead rows go with autovacuum and never reach a
   * dump. Best effort: a reader holding the WAL defers it to the next call.
   */
  purgeDeletedKeys(): Promise<void>;
  close(): Promise<void>;
}

/** The SQLite key file beside a database: `custodian.keys.sqlite` for `custodian.db`. */
export function keyStorePath(databasePath: string): string {
  if (databasePath === ':memory:') return ':memory:';
  return `${databasePath.replace(/\.(db|sqlite3?)$/i, '')}.keys.sqlite`;
}

/** `sqlite:<path>` or `postgres://…`; anything else is a configuration error. */
export function parseDatabaseUrl(url: string, baseDir = process.cwd()): StoreLocation {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error('CUSTODIAN_DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/custodian.db');
    return { engine: 'sqlite', path: path === ':memory:' ? path : resolve(baseDir, path) };
  }
  throw new Error('CUSTODIAN_DATABASE_URL must start with sqlite: or postgres://');
}

/** Serialization failures and deadlocks (PostgreSQL), and a writer in another process (SQLite). */
const RETRYABLE = new Set(['40001', '40P01', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code !== undefined && RETRYABLE.has(code);
}

export function openStore(location: StoreLocation): Store {
  const sqlite: { connection?: SqliteDatabase.Database } = {};
  const db =
    location.engine === 'sqlite' ? new Kysely<Database>({ dialect: sqliteDialect(location.path, sqlite) }) : new Kysely<Database>({ dialect: postgresDialect(location.url) });
  const description = location.engine === 'sqlite' ? `sqlite:${location.path}` : redactUrl(location.url);
  const rollbackListeners = new Set<() => void>();
  const rolledBack = () => {
    for (const listener of rollbackListeners) listener();
  };
  const groups = location.engine === 'sqlite' ? new SqliteGroupCommit(db, () => sqlite.connection?.inTransaction === true, isRetryable, rolledBack) : undefined;
  return {
    engine: location.engine,
    db,
    description,
    location,
    async transaction(work) {
      if (groups) return groups.transaction(work);
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(work);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, attempt * 10 + Math.random() * 20));
        }
      }
    },
    async lockKeyring(trx, mode) {
      if (location.engine === 'postgres') {
        await (mode === 'shared' ? sql`select pg_advisory_xact_lock_shared(${KEYRING_LOCK}::bigint)` : sql`select pg_advisory_xact_lock(${KEYRING_LOCK}::bigint)`).execute(trx);
      } else if (mode === 'exclusive') {
        // SQLite has one writer at a time: becoming it waits for every other write to commit.
        await sql`update key_material set kek_id = kek_id where 1 = 0`.execute(trx);
      }
    },
    onRolledBack(listener) {
      rollbackListeners.add(listener);
      return () => rollbackListeners.delete(listener);
    },
    async purgeDeletedKeys() {
      if (location.engine === 'sqlite') await sql`pragma custodian_keys.wal_checkpoint(TRUNCATE)`.execute(db).catch(() => undefined);
    },
    close: () => db.destroy(),
  };
}

/** Advisory lock key for keyring changes (an arbitrary constant of Custodian's). */
const KEYRING_LOCK = 7_120_231_001;

function sqliteDialect(path: string, opened: { connection?: SqliteDatabase.Database }): SqliteDialect {
  return new ImmediateSqliteDialect({
    database: async () => {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const sqlite = new SqliteDatabase(path);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      // Checkpoint every 10,000 WAL pages (40 MB) instead of 1,000: a page written by many
      // commits in between is copied to the database once, and fewer commits pay for a
      // checkpoint; after one the WAL file is cut back to 64 MB. Durability is unchanged.
      sqlite.pragma('wal_autocheckpoint = 10000');
      sqlite.pragma('journal_size_limit = 67108864');
      sqlite.pragma('foreign_keys = ON');
      // Deleted rows are overwritten, not left in free space: an erased subject's ciphertexts
      // and wrapped key do not linger in the file (crypto-shredding, DESIGN principle 3).
      sqlite.pragma('secure_delete = ON');
      // A CLI command (e.g. `apikey create`) may write while the server holds the file.
      sqlite.pragma('busy_timeout = 5000');
      // The key store, a file of its own (vault/key-store.ts); it inherits secure_delete.
      sqlite.prepare('attach database ? as custodian_keys').run(keyStorePath(path));
      sqlite.pragma('custodian_keys.journal_mode = WAL');
      sqlite.pragma('custodian_keys.synchronous = NORMAL');
      opened.connection = sqlite;
      return withStatementCache(sqlite);
    },
  });
}

/**
 * Transactions begin IMMEDIATE: they take the writer's lock at once rather than at their
 * first write, so a transaction (and a commit group, see sqlite-group-commit.ts) never finds
 * that another process wrote after it read (SQLITE_BUSY_SNAPSHOT) halfway through.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every query anew; with a handful of distinct statements run thousands of
 * times, reusing the prepared statement saves about a sixth of a write's cost. Statements
 * are never iterated concurrently (better-sqlite3 is synchronous), so sharing is safe.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, capacity = 500): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return (source: string) => {
        let statement = cache.get(source);
        if (!statement) {
          statement = target.prepare(source);
          if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

function postgresDialect(url: string): PostgresDialect {
  // pg is loaded when the first connection is made, so a SQLite node never holds it.
  const pool = async () => {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.CUSTODIAN_PG_POOL_SIZE ?? 10),
      // Lets a connection send a statement before the last one's answer is in (postgres-pool.ts).
      pipeline: true,
      // BIGINT epoch-ms times fit in a double; parse them as numbers, not strings.
      types: {
        getTypeParser(oid: number, format?: any) {
          if (oid === 20) return (value: string) => Number(value);
          return pg.types.getTypeParser(oid, format);
        },
      },
    });
    // An idle connection the server drops (restart, failover, DROP DATABASE … FORCE) is
    // discarded by the pool and replaced on demand; without a listener it would crash us.
    pool.on('error', () => undefined);
    return postgresPool(pool);
  };
  return new PostgresDialect({ pool });
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
