/**
 * Planner statistics upkeep. The indexes make a subject's queries cheap whatever the
 * statistics say (each subject-scoped index starts with the subject's id); statistics keep
 * the planners' other choices — join order, sort versus index order — sound as tables grow.
 *
 * SQLite never gathers statistics by itself: `PRAGMA optimize` analyzes the tables that have
 * none yet or grew (or shrank) a lot since, with `analysis_limit` bounding each table's
 * sample so it stays a matter of milliseconds on a database of millions of rows (ANALYZE
 * holds the write lock while it runs). PostgreSQL's autovacuum keeps statistics current on
 * its own; after work that changed many rows at once an explicit `ANALYZE` closes the gap
 * before autovacuum gets round to it.
 *
 * @example
 *   await refreshStatistics(store, { kind: 'periodic' });                         // scheduled, and at close
 *   await refreshStatistics(store, { kind: 'bulk', tables: ['consent_record'] });  // after marking renewals
 */
import { sql } from 'kysely';
import type { Store } from './store.js';

export type StatisticsOccasion =
  /** Routine upkeep: SQLite re-analyzes what needs it; PostgreSQL leaves it to autovacuum. */
  | { kind: 'periodic' }
  /** After work that changed many rows of these tables (all tables when none are named). */
  | { kind: 'bulk'; tables?: readonly string[] };

/** Rows sampled per index by SQLite's ANALYZE (its documentation suggests a few hundred). */
const SQLITE_ANALYSIS_LIMIT = 1000;

export async function refreshStatistics(store: Store, occasion: StatisticsOccasion): Promise<void> {
  const tables = occasion.kind === 'bulk' ? (occasion.tables ?? []) : [];
  for (const table of tables) if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`refreshStatistics: not a table name: ${table}`);
  if (store.engine === 'sqlite') {
    // One connection: the pragmas run between transactions, never inside one.
    await sql.raw(`pragma analysis_limit = ${SQLITE_ANALYSIS_LIMIT}`).execute(store.db);
    if (occasion.kind === 'periodic') await sql.raw('pragma optimize').execute(store.db);
    else if (tables.length === 0) await sql.raw('analyze').execute(store.db);
    else for (const table of tables) await sql.raw(`analyze "${table}"`).execute(store.db);
    return;
  }
  if (occasion.kind === 'periodic') return;
  await sql.raw(tables.length === 0 ? 'analyze' : `analyze ${tables.map((t) => `"${t}"`).join(', ')}`).execute(store.db);
}
