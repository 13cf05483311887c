/**
 * Start-up: the compiled server (`bin/custodian.js serve --demo`, what `npm start` runs)
 * started `runs` times, each on a fresh database — so every start migrates, creates the
 * keyring and publishes the demo policy. Reports the time from spawning the process to
 * the first 200 from /readyz, the CPU time the process used until then (which, unlike the
 * wall-clock time, hardly changes when other work shares the machine), and the resident
 * memory (VmRSS) after two idle seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { BIN } from '../support/cli.js';
import { createTestDatabase, type TestEngine } from '../support/engines.js';
import { type FigureRow, figure } from './harness.js';
import { COMPILED_MAIN, freePort, residentMb, serverEnv } from './server.js';

const IDLE_MS = 2000;


async function untilReady(base: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`server not ready after 30 s:\n${output()}`);
}

/** User plus system CPU time of a process (all its threads) in ms, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number): number | undefined {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th, in clock ticks (100 per second on Linux).
  const line = readFileSync(stat, 'utf8');
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}


async function startOnce(engine: TestEngine): Promise<{ readyMs: number; cpuMs: number | undefined; rssMb: number | undefined }> {
  const database = await createTestDatabase(engine);
  const port = await freePort();
  const env = serverEnv(database, port);
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  try {
    await untilReady(`http://127.0.0.1:${port}`, child, () => output);
    const readyMs = performance.now() - started;
    const cpu = cpuMs(child.pid!);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs, cpuMs: cpu, rssMb: residentMb(child.pid!) };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await database.drop();
  }
}

export async function startupBenchmark(engine: TestEngine, runs: number, log: (line: string) => void): Promise<FigureRow[]> {
  if (!existsSync(COMPILED_MAIN)) throw new Error('dist/ is not built: run `npm run build:js` (`npm run bench` does it)');
  const ready: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await startOnce(engine);
    ready.push(result.readyMs);
    if (result.cpuMs !== undefined) cpu.push(result.cpuMs);
    if (result.rssMb !== undefined) rss.push(result.rssMb);
    log(`  ${engine}: start ${i + 1}/${runs}: ready in ${result.readyMs.toFixed(0)} ms (${result.cpuMs ?? '?'} ms CPU), ${result.rssMb?.toFixed(1) ?? '?'} MB resident after ${IDLE_MS / 1000} s idle`);
  }
  const rows = [figure('startup', engine, 'ms to ready', ready, 'fresh database each start')];
  if (cpu.length > 0) rows.push(figure('startup', engine, 'cpu ms to ready', cpu, 'user + system'));
  if (rss.length > 0) rows.push(figure('memory', engine, 'idle rss MB', rss, `${IDLE_MS / 1000} s after ready`));
  return rows;
}
