/**
 * Asks each engine how it would run captured statements, and judges every access to a
 * subject-scoped table: it must go through an index led by the subject's id (so its cost is
 * the subject's rows, not everyone's), or be an equality lookup on every column of a unique
 * index (an item by its id, an identifier by its blind index). A full scan, a full index
 * scan, or a search of an index led by anything else (`state`, `purpose`, `at`, `type`) is
 * a problem, reported with the statement, its parameters and the whole plan.
 *
 * SQLite: `EXPLAIN QUERY PLAN` with the captured parameters (better-sqlite3 builds SQLite
 * with STAT4, so values can matter). PostgreSQL: `EXPLAIN (FORMAT JSON)` with the captured
 * parameters (a custom plan, as unnamed statements get), and the generic plan of the same
 * text (`PREPARE` + `plan_cache_mode = force_generic_plan`), which named statements switch
 * to after five runs. PostgreSQL rightly reads a table of a few pages whole; such a
 * sequential scan passes only if, with sequential scans priced out, the planner then picks
 * an index led by the subject — the plan it moves to as the table grows.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { StoreLocation } from '../../src/store/store.js';
import type { CapturedStatement } from './statement-capture.js';

/** Tables whose rows belong to one subject, and the column naming that subject. */
export const SUBJECT_KEY: Readonly<Record<string, string>> = {
  subject: 'id',
  subject_identifier: 'subject_id',
  data_item: 'subject_id',
  data_block: 'subject_id',
  consent_record: 'subject_id',
  opt_out_signal: 'subject_id',
  disclosure: 'subject_id',
  journal_event: 'subject_id',
};

export interface TableAccess {
  table: string;
  /** How the engine reaches the rows: `SEARCH … USING INDEX …`, `Index Scan on … using …`. */
  path: string;
  problem?: string;
}

export interface PlanReport {
  statement: CapturedStatement;
  /** `custom`: planned with the parameters; `generic`: PostgreSQL's plan for any parameters. */
  mode: 'custom' | 'generic';
  accesses: TableAccess[];
  plan: string;
}

export interface PlanInspector {
  inspect(statement: CapturedStatement): Promise<PlanReport[]>;
  close(): Promise<void>;
}

export interface IndexInfo {
  table: string;
  columns: string[];
  unique: boolean;
}

/** The tables a statement reads or changes. */
export function tablesOf(sql: string): string[] {
  return [...new Set([...sql.matchAll(/\b(?:from|join|update)\s+"?(\w+)"?/gi)].map((m) => m[1]))];
}

/**
 * The statements worth a plan: reads, updates and deletes touching a subject-scoped table,
 * once per distinct text (inserts have no access path to choose).
 */
export function subjectScopedStatements(statements: readonly CapturedStatement[]): CapturedStatement[] {
  const seen = new Map<string, CapturedStatement>();
  for (const s of statements) {
    if (!/^\s*(select|update|delete|with)\b/i.test(s.sql)) continue;
    if (!tablesOf(s.sql).some((t) => t in SUBJECT_KEY)) continue;
    const key = `${s.engine}\u0000${s.sql}`;
    const first = seen.get(key);
    // The first run's parameters stand for all; every operation that ran the text is named.
    if (!first) seen.set(key, { ...s });
    else if (s.operation && !(first.operation ?? '').split(', ').includes(s.operation)) first.operation = first.operation ? `${first.operation}, ${s.operation}` : s.operation;
  }
  return [...seen.values()];
}

/** Judges one index access; undefined when it is bounded by the subject. */
function judgeIndex(table: string, index: IndexInfo | undefined, equalities: (column: string) => boolean): string | undefined {
  const key = SUBJECT_KEY[table];
  if (!index) return `an index the check does not know`;
  if (index.columns[0] === key) return undefined;
  if (index.unique && index.columns.every(equalities)) return undefined;
  return `index on (${index.columns.join(', ')}) is not led by ${key}`;
}

function sqliteIndexes(db: SqliteDatabase.Database): Map<string, IndexInfo> {
  const indexes = new Map<string, IndexInfo>();
  for (const table of Object.keys(SUBJECT_KEY)) {
    for (const index of db.prepare(`pragma index_list("${table}")`).all() as { name: string; unique: number }[]) {
      const columns = (db.prepare(`pragma index_info("${index.name}")`).all() as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
      indexes.set(index.name, { table, columns, unique: index.unique === 1 });
    }
  }
  return indexes;
}

async function postgresIndexes(client: pg.Client): Promise<Map<string, IndexInfo>> {
  const { rows } = await client.query<{ index: string; table: string; unique: boolean; columns: string[] }>(`
    select i.relname as index, t.relname as table, ix.indisunique as unique,
           array(select a.attname::text from unnest(ix.indkey::int2[]) with ordinality k(attnum, n)
                 join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns
      from pg_index ix
      join pg_class i on i.oid = ix.indexrelid
      join pg_class t on t.oid = ix.indrelid
      join pg_namespace ns on ns.oid = t.relnamespace
     where ns.nspname = current_schema()`);
  return new Map(rows.map((r) => [r.index, { table: r.table, columns: r.columns, unique: r.unique }]));
}

/** The subject-scoped tables' indexes, by name: what the check judges accesses against. */
export async function subjectTableIndexes(location: StoreLocation): Promise<Map<string, IndexInfo>> {
  if (location.engine === 'sqlite') {
    const db = new SqliteDatabase(location.path, { readonly: true });
    try {
      return sqliteIndexes(db);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    return new Map([...(await postgresIndexes(client))].filter(([, index]) => index.table in SUBJECT_KEY));
  } finally {
    await client.end();
  }
}

export async function openPlanInspector(location: StoreLocation): Promise<PlanInspector> {
  return location.engine === 'sqlite' ? sqliteInspector(location.path) : postgresInspector(location.url);
}

function sqliteInspector(path: string): PlanInspector {
  // A connection of its own, opened now: it reads the statistics as they are at this moment.
  const db = new SqliteDatabase(path);
  const indexes = sqliteIndexes(db);
  return {
    async inspect(statement) {
      const rows = db.prepare(`explain query plan ${statement.sql}`).all(...(statement.params as unknown[])) as { id: number; parent: number; detail: string }[];
      const depth = new Map<number, number>([[0, 0]]);
      const lines = rows.map((r) => {
        depth.set(r.id, (depth.get(r.parent) ?? 0) + 1);
        return `${'  '.repeat(depth.get(r.id)! - 1)}${r.detail}`;
      });
      const accesses: TableAccess[] = [];
      for (const { detail } of rows) {
        const m = /^(SCAN|SEARCH) (\w+)(?: AS \w+)?(?: USING (?:(?:COVERING )?INDEX (\w+)|(INTEGER PRIMARY KEY|PRIMARY KEY)))?(?: \((.*)\))?/.exec(detail);
        if (!m || !(m[2] in SUBJECT_KEY)) continue;
        const [, kind, table, indexName, primaryKey, constraints = ''] = m;
        let problem: string | undefined;
        if (kind === 'SCAN') problem = indexName ? `full scan of index ${indexName}` : 'full table scan';
        else if (!primaryKey) {
          const equal = new Set(constraints.split(' AND ').flatMap((c) => (/^(\w+)=\?$/.exec(c.trim()) ? [c.trim().slice(0, -2)] : [])));
          problem = judgeIndex(table, indexes.get(indexName), (column) => equal.has(column));
        }
        accesses.push({ table, path: detail, problem });
      }
      return [{ statement, mode: 'custom', accesses, plan: lines.join('\n') }];
    },
    async close() {
      db.close();
    },
  };
}

interface PgPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgPlanNode[];
  [key: string]: unknown;
}

type ExplainRow = { 'QUERY PLAN': { Plan: PgPlanNode }[] };

/** A sequential scan of a table this small (8 KB pages) may be the better plan; see `inspect`. */
const SMALL_TABLE_PAGES = 16;

async function postgresInspector(url: string): Promise<PlanInspector> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const indexes = await postgresIndexes(client);

  const judge = (root: PgPlanNode): TableAccess[] => {
    const accesses: TableAccess[] = [];
    const walk = (node: PgPlanNode) => {
      const type = node['Node Type'];
      const indexName = node['Index Name'];
      const index = indexName ? indexes.get(indexName) : undefined;
      const table = node['Relation Name'] ?? index?.table;
      if (table && table in SUBJECT_KEY && type !== 'ModifyTable' && type !== 'Bitmap Heap Scan') {
        const cond = node['Index Cond'] ?? '';
        const path = `${type} on ${table}${indexName ? ` using ${indexName}` : ''}${cond ? ` ${cond}` : ''}`;
        let problem: string | undefined;
        if (!indexName) problem = type === 'Seq Scan' ? 'full table scan' : `${type} without an index`;
        else if (!cond) problem = `full scan of index ${indexName}`;
        else problem = judgeIndex(table, index, (column) => new RegExp(`\\(${column} = `).test(cond));
        accesses.push({ table, path, problem });
      }
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(root);
    return accesses;
  };
  const render = (node: PgPlanNode, depth = 0): string => {
    const detail = ['Relation Name', 'Index Name', 'Index Cond', 'Filter', 'Recheck Cond'].flatMap((k) => (node[k] ? [`${k}: ${String(node[k])}`] : []));
    return [`${'  '.repeat(depth)}${node['Node Type']}${detail.length > 0 ? ` (${detail.join('; ')})` : ''}`, ...(node.Plans ?? []).map((c) => render(c, depth + 1))].join('\n');
  };
  const literal = (value: unknown) => (value === null || value === undefined ? 'NULL' : client.escapeLiteral(String(value)));

  return {
    async inspect(statement) {
      const explain = async (mode: PlanReport['mode']): Promise<PgPlanNode> => {
        if (mode === 'custom') return (await client.query<ExplainRow>(`explain (format json) ${statement.sql}`, [...statement.params])).rows[0]['QUERY PLAN'][0].Plan;
        await client.query(`prepare custodian_plan_check as ${statement.sql}`);
        try {
          await client.query('set plan_cache_mode = force_generic_plan');
          const args = statement.params.length > 0 ? `(${statement.params.map(literal).join(', ')})` : '';
          return (await client.query<ExplainRow>(`explain (format json) execute custodian_plan_check${args}`)).rows[0]['QUERY PLAN'][0].Plan;
        } finally {
          await client.query('reset plan_cache_mode');
          await client.query('deallocate custodian_plan_check');
        }
      };
      const reports: PlanReport[] = [];
      for (const mode of ['custom', 'generic'] as const) {
        const plan = await explain(mode);
        const accesses = judge(plan);
        const scanned = accesses.filter((a) => a.problem && a.path.startsWith('Seq Scan'));
        if (scanned.length > 0) {
          // A table of a few pages is cheaper to read whole, and PostgreSQL rightly does; it is
          // accepted only if, with sequential scans priced out, a subject-led index is chosen —
          // the plan it switches to once the table grows.
          await client.query('set enable_seqscan = off');
          let alternative: TableAccess[];
          try {
            alternative = judge(await explain(mode));
          } finally {
            await client.query('reset enable_seqscan');
          }
          for (const access of scanned) {
            const pages = Number((await client.query<{ pages: string }>('select pg_relation_size($1::regclass) / 8192 as pages', [access.table])).rows[0].pages);
            const instead = alternative.filter((a) => a.table === access.table);
            if (pages <= SMALL_TABLE_PAGES && instead.length > 0 && instead.every((a) => !a.problem)) {
              access.problem = undefined;
              access.path = `${access.path} (${pages} pages; without sequential scans: ${instead.map((a) => a.path).join('; ')})`;
            } else if (pages <= SMALL_TABLE_PAGES) {
              access.problem = `${access.problem}, and with sequential scans priced out: ${instead.map((a) => `${a.path}${a.problem ? ` (${a.problem})` : ''}`).join('; ') || 'still a full scan'}`;
            }
          }
        }
        reports.push({ statement, mode, accesses, plan: render(plan) });
      }
      return reports;
    },
    async close() {
      await client.end();
    },
  };
}

/** Reports with at least one problem access. */
export function withProblems(reports: readonly PlanReport[]): PlanReport[] {
  return reports.filter((r) => r.accesses.some((a) => a.problem));
}

/** A failing report as a reader needs it: what ran, with what, and how the engine would run it. */
export function describeProblem(report: PlanReport): string {
  const problems = report.accesses.filter((a) => a.problem).map((a) => `  ${a.table}: ${a.problem} — ${a.path}`);
  return [`[${report.statement.engine}, ${report.mode} plan${report.statement.operation ? `, run by ${report.statement.operation}` : ''}] ${report.statement.sql}`, `  params: ${JSON.stringify(report.statement.params)}`, ...problems, '  plan:', ...report.plan.split('\n').map((l) => `    ${l}`)].join('\n');
}

/** One line per access, for the test's log. */
export function describeAccesses(report: PlanReport): string[] {
  const sql = report.statement.sql.replace(/\s+/g, ' ');
  return report.accesses.map((a) => `${a.problem ? 'PROBLEM' : 'ok     '} [${report.mode}] ${a.path}${a.problem ? ` — ${a.problem}` : ''}\n          ${sql.length > 160 ? `${sql.slice(0, 157)}...` : sql}`);
}
