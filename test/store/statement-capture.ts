/**
 * Records the SQL a piece of real code runs, with its parameters, without touching `src/`:
 * the engines' drivers are wrapped where every statement passes — better-sqlite3's
 * statements (`run`, `get`, `all`, `iterate`; the store caches prepared statements, so
 * wrapping `prepare` alone would miss repeated runs) and `pg.Client.prototype.query`
 * (the pool's clients, named statements included).
 *
 * @example
 *   const { statements } = await captureStatements(() => custodian.vault.readForPurpose(id, 'orders', 'test'));
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

export interface CapturedStatement {
  engine: 'sqlite' | 'postgres';
  sql: string;
  params: readonly unknown[];
  /** What ran it, when the caller labels statements (e.g. `vault.collect`). */
  operation?: string;
}

let recording: CapturedStatement[] | undefined;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const probe = new SqliteDatabase(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = statementPrototype[method];
    statementPrototype[method] = function (this: { source: string }, ...args: unknown[]) {
      if (recording) recording.push({ engine: 'sqlite', sql: this.source, params: args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : args });
      return original.apply(this, args);
    };
  }
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const originalQuery = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    if (recording) {
      const [config, values] = args as [unknown, unknown];
      if (typeof config === 'string') recording.push({ engine: 'postgres', sql: config, params: Array.isArray(values) ? [...values] : [] });
      else if (config && typeof (config as { text?: unknown }).text === 'string') {
        const named = config as { text: string; values?: unknown[] };
        recording.push({ engine: 'postgres', sql: named.text, params: [...(named.values ?? [])] });
      }
    }
    return originalQuery.apply(this, args);
  };
}

/** Runs `work` and returns what it returned with every statement it ran, in order. */
export async function captureStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: CapturedStatement[] }> {
  install();
  if (recording) throw new Error('captureStatements does not nest');
  const statements: CapturedStatement[] = [];
  recording = statements;
  try {
    const result = await work();
    return { result, statements };
  } finally {
    recording = undefined;
  }
}
