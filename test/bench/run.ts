/**
 * `npm run bench`: runs every benchmark on SQLite and PostgreSQL, prints a table and
 * writes `bench-results/latest.json`. `BENCH_SCALE` (default 1) multiplies the work;
 * `BENCH_ONLY=startup` (or a comma list of ingest, decisions, startup) runs only those;
 * `BENCH_STARTUP_RUNS` (default 5) sets how many times the server is started;
 * `BENCH_INGEST_ROUNDS` (default 1) how many times each ingest row is measured (the median run is reported).
 * `BENCH_ONLY=scale` runs the scale benchmark (issue 16), which seeds up to a million items
 * and so runs only when named; see scale.bench.ts for `BENCH_SCALE_SIZES` and the rest.
 * `BENCH_ONLY=rights` times an access package and an erasure among 100k subjects with 1M
 * items (issue 8); see rights.bench.ts.
 * `BENCH_ENGINES=sqlite` (or postgres) runs one engine only.
 * `BENCH_ONLY=soak` runs the soak (issue 16): ten minutes per engine of mixed HTTP load at
 * 70 % of the maximum; see soak.bench.ts for `BENCH_SOAK_SECONDS` and the rest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { ENGINES, engineSkip, type TestEngine } from '../support/engines.js';
import { type BenchRow, type FigureRow, withRatios } from './harness.js';
import { decisionsBenchmark } from './decisions.bench.js';
import { ingestBenchmark } from './ingest.bench.js';
import { scaleBenchmark, scaleOptionsFromEnv } from './scale.bench.js';
import { rightsBenchmark } from './rights.bench.js';
import { soakBenchmark } from './soak.bench.js';
import { startupBenchmark } from './startup.bench.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const startupRuns = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const log = (line: string) => process.stderr.write(`${line}\n`);

const BENCHMARKS: Record<string, (engine: TestEngine) => Promise<(BenchRow | FigureRow)[]>> = {
  ingest: (engine) => ingestBenchmark(engine, Math.round(4000 * scale), log),
  decisions: (engine) => decisionsBenchmark(engine, scale, log),
  startup: (engine) => startupBenchmark(engine, startupRuns, log),
  scale: (engine) => scaleBenchmark(engine, scaleOptionsFromEnv(), log),
  soak: (engine) => soakBenchmark(engine, log),
  rights: (engine) => rightsBenchmark(engine, log),
};
/** Run only when named in BENCH_ONLY: they take many minutes. */
const ON_REQUEST = new Set(['scale', 'soak', 'rights']);
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((name) => name.trim()) : Object.keys(BENCHMARKS).filter((name) => !ON_REQUEST.has(name));
const unknown = only.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  log(`BENCH_ONLY: no benchmark named ${unknown.join(', ')} (there are ${Object.keys(BENCHMARKS).join(', ')})`);
  process.exit(2);
}

const rows: (BenchRow | FigureRow)[] = [];
const engines = process.env.BENCH_ENGINES ? ENGINES.filter((engine) => process.env.BENCH_ENGINES!.split(',').includes(engine)) : ENGINES;
for (const engine of engines) {
  const skip = engineSkip(engine);
  if (skip) {
    log(`Skipping ${engine}: ${skip}`);
    continue;
  }
  for (const name of only) {
    log(`Benchmark ${name} on ${engine}`);
    rows.push(...(await BENCHMARKS[name](engine)));
  }
}

const rates = withRatios(rows.filter((r): r is BenchRow => !('value' in r)), (r) => r.note === 'baseline');
const table = rows.map((r) => ('value' in r ? r : rates.shift()!));
// Rate rows fill ops/s, latency and ratio; figure rows (start-up, memory) fill value and its range over the runs.
const header = ['benchmark', 'engine', 'variant', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'ratio', 'value', 'min–max'];
const lines = table.map((r) =>
  'value' in r
    ? [r.benchmark, r.engine, r.variant, `${r.runs} runs`, '', '', '', '', String(r.value), `${r.min}–${r.max}`]
    : [r.benchmark, r.engine, r.variant, String(r.operations), String(r.perSecond), String(r.p50Ms ?? ''), String(r.p99Ms ?? ''), r.ratio === undefined ? '' : String(r.ratio), '', ''],
);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(format(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const line of lines) console.log(format(line));

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', JSON.stringify({ at: new Date().toISOString(), node: process.version, scale, rows: table }, null, 2));
console.log('\nWrote bench-results/latest.json');
