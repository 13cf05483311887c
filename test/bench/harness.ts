/**
 * A small benchmark harness: each benchmark returns result rows; `run.ts` prints them as
 * a table and writes them to `bench-results/latest.json`. Benchmarks, not tests: nothing
 * here asserts a speed.
 */
export interface BenchRow {
  benchmark: string;
  engine: string;
  variant: string;
  operations: number;
  seconds: number;
  perSecond: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Throughput relative to the baseline row of the same benchmark and engine. */
  ratio?: number;
  note?: string;
}

/**
 * A benchmark that measures an amount rather than a rate (start-up time, idle memory):
 * the median of `runs` measurements in `value`, the unit in `variant`.
 */
export interface FigureRow {
  benchmark: string;
  engine: string;
  variant: string;
  value: number;
  runs: number;
  min: number;
  max: number;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function figure(benchmark: string, engine: string, variant: string, values: number[], note?: string): FigureRow {
  const round = (n: number) => Number(n.toFixed(1));
  return { benchmark, engine, variant, value: round(median(values)), runs: values.length, min: round(Math.min(...values)), max: round(Math.max(...values)), note };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))];
}

/** Runs `task` `total` times with `concurrency` in flight; returns elapsed seconds and latencies. */
export async function measure(total: number, concurrency: number, task: (i: number) => Promise<unknown>, onProgress?: (done: number) => void): Promise<{ seconds: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = new Array(total);
  let next = 0;
  let done = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await task(i);
      latenciesMs[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      done++;
      if (onProgress && done % 500 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, latenciesMs: latenciesMs.sort((a, b) => a - b) };
}

export function row(benchmark: string, engine: string, variant: string, operations: number, result: { seconds: number; latenciesMs: number[] }, note?: string): BenchRow {
  return {
    benchmark,
    engine,
    variant,
    operations,
    seconds: Number(result.seconds.toFixed(3)),
    perSecond: Math.round(operations / result.seconds),
    p50Ms: Number(percentile(result.latenciesMs, 50).toFixed(3)),
    p99Ms: Number(percentile(result.latenciesMs, 99).toFixed(3)),
    note,
  };
}

export function withRatios(rows: BenchRow[], isBaseline: (r: BenchRow) => boolean): BenchRow[] {
  return rows.map((r) => {
    const baseline = rows.find((b) => b.benchmark === r.benchmark && b.engine === r.engine && isBaseline(b));
    return baseline && baseline !== r ? { ...r, ratio: Number((r.perSecond / baseline.perSecond).toFixed(3)) } : r;
  });
}
