/**
 * `npm run bench`: runs every benchmark on SQLite and PostgreSQL, prints a table and
 * writes `bench-results/latest.json`. `BENCH_SCALE` (default 1) multiplies the work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { ENGINES, engineSkip } from '../support/engines.js';
import { type BenchRow, withRatios } from './harness.js';
import { decisionsBenchmark } from './decisions.bench.js';
import { ingestBenchmark } from './ingest.bench.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
const log = (line: string) => process.stderr.write(`${line}\n`);

const rows: BenchRow[] = [];
for (const engine of ENGINES) {
  const skip = engineSkip(engine);
  if (skip) {
    log(`Skipping ${engine}: ${skip}`);
    continue;
  }
  log(`Benchmark ingest on ${engine}`);
  rows.push(...(await ingestBenchmark(engine, Math.round(4000 * scale), log)));
  log(`Benchmark decisions on ${engine}`);
  rows.push(...(await decisionsBenchmark(engine, scale, log)));
}

const table = withRatios(rows, (r) => r.note === 'baseline');
const header = ['benchmark', 'engine', 'variant', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'ratio'];
const lines = table.map((r) => [r.benchmark, r.engine, r.variant, String(r.operations), String(r.perSecond), String(r.p50Ms ?? ''), String(r.p99Ms ?? ''), r.ratio === undefined ? '' : String(r.ratio)]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(format(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const line of lines) console.log(format(line));

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', JSON.stringify({ at: new Date().toISOString(), node: process.version, scale, rows: table }, null, 2));
console.log('\nWrote bench-results/latest.json');
