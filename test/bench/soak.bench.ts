/**
 * Soak: the compiled server (`bin/custodian.js serve --demo`) under a steady mixed load over
 * HTTP — decisions, collections, reads for a purpose and consents — for many minutes, at 70 %
 * of the rate it sustained flat out just before. What it shows: that throughput holds (each
 * minute completes the offered load), that nothing fails, and that the server's resident
 * memory does not creep (drift from the first measured minute to the last).
 *
 * Environment: `BENCH_SOAK_SECONDS` (default 600), `BENCH_SOAK_LOAD` (fraction of the
 * maximum, default 0.7), `BENCH_SOAK_SUBJECTS` (default 500).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { BIN } from '../support/cli.js';
import { marketingConsent } from '../support/consents.js';
import { createTestDatabase, type TestEngine } from '../support/engines.js';
import { type BenchRow, type FigureRow, figure, row } from './harness.js';
import { COMPILED_MAIN, freePort, residentMb as rss, serverEnv } from './server.js';

const residentMb = (pid: number) => rss(pid) ?? Number.NaN;

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const LOAD = Number(process.env.BENCH_SOAK_LOAD ?? 0.7);
const SUBJECTS = Number(process.env.BENCH_SOAK_SUBJECTS ?? 500);
const MAX_SECONDS = 20;
const CONCURRENCY = 16;



interface Client {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  close(): void;
}

function client(base: string, key: string): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  const url = new URL(base);
  return {
    call(method, path, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = http.request(
          { host: url.hostname, port: url.port, method, path, agent, headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/** One operation of the mix: 4 decisions, 3 collections, 2 reads and 1 consent in every 10. */
function operation(api: Client, subjects: string[], policyVersion: number, i: number): Promise<{ status: number; body: string }> {
  const subject = subjects[i % subjects.length];
  switch (i % 10) {
    case 0:
    case 3:
    case 6:
      return api.call('POST', `/v1/subjects/${subject}/data`, { items: [{ category: 'user.name', value: `Soak Person ${i}`, purpose: 'orders', source: 'direct' }] });
    case 1:
    case 7:
      return api.call('GET', `/v1/subjects/${subject}/data?purpose=orders`);
    case 9:
      return api.call('POST', `/v1/subjects/${subject}/consents`, marketingConsent(policyVersion, { subjectFullName: 'Soak Person', notice: { policyVersion, locale: 'en', textSha256: 'a'.repeat(64) } }));
    default:
      return api.call('POST', '/v1/decisions', { subjectId: subject, purpose: 'orders', operation: 'use', categories: ['user.name'] });
  }
}

export async function soakBenchmark(engine: TestEngine, log: (line: string) => void): Promise<(BenchRow | FigureRow)[]> {
  if (!existsSync(COMPILED_MAIN)) throw new Error('dist/ is not built: run `npm run build:js` (`npm run bench` does it)');
  const database = await createTestDatabase(engine);
  const port = await freePort();
  const env = serverEnv(database, port);
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  let api: Client | undefined;
  try {
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const created = spawnSync(process.execPath, [BIN, 'apikey', 'create', '--name', 'soak', '--scopes', 'admin'], { env, encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`apikey create failed: ${created.stderr}`);
    api = client(base, created.stdout.trim().split('\n').at(-1)!);
    const policy = JSON.parse((await api.call('GET', '/v1/policy')).body) as { publishedVersion: { number: number } };
    const policyVersion = policy.publishedVersion.number;

    log(`  ${engine}: ${SUBJECTS} subjects…`);
    const subjects: string[] = [];
    for (let i = 0; i < SUBJECTS; i++) {
      const res = await api.call('POST', '/v1/subjects', { identifiers: [{ type: 'email', value: `soak${i}@example.kz` }] });
      if (res.status >= 300) throw new Error(`POST /v1/subjects: ${res.status} ${res.body}`);
      subjects.push((JSON.parse(res.body) as { id: string }).id);
    }

    // Flat out: CONCURRENCY requests in flight for MAX_SECONDS.
    log(`  ${engine}: the maximum, ${CONCURRENCY} requests in flight for ${MAX_SECONDS} s…`);
    let done = 0;
    let failed = 0;
    let next = 0;
    const flatOutUntil = performance.now() + MAX_SECONDS * 1000;
    const flatStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < flatOutUntil) {
          const res = await operation(api!, subjects, policyVersion, next++);
          if (res.status >= 400) failed++;
          done++;
        }
      }),
    );
    const maximum = done / ((performance.now() - flatStarted) / 1000);
    const target = maximum * LOAD;
    log(`  ${engine}: maximum ${maximum.toFixed(0)} ops/s (${failed} failed); now ${SECONDS} s at ${target.toFixed(0)} ops/s…`);

    // The soak: an open loop issuing requests on a fixed schedule; a request that would exceed
    // the in-flight cap waits, so a server that falls behind shows as a minute below target.
    const interval = 1000 / target;
    const started = performance.now();
    const minutes: { completed: number; errors: number; rss: number[] }[] = [];
    const latencies: number[] = [];
    let errors = 0;
    let inFlight = 0;
    let issued = 0;
    const bucket = (at: number) => {
      const m = Math.floor((at - started) / 60_000);
      while (minutes.length <= m) minutes.push({ completed: 0, errors: 0, rss: [] });
      return minutes[m];
    };
    const sampler = setInterval(() => bucket(performance.now()).rss.push(residentMb(child.pid!)), 5000);
    const pending = new Set<Promise<void>>();
    while (performance.now() - started < SECONDS * 1000) {
      const due = started + issued * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      while (inFlight >= CONCURRENCY * 4) await Promise.race(pending);
      const i = next++;
      issued++;
      inFlight++;
      const sent = performance.now();
      const p: Promise<void> = operation(api, subjects, policyVersion, i).then(
        (res) => {
          const at = performance.now();
          latencies.push(at - sent);
          const b = bucket(at);
          b.completed++;
          if (res.status >= 400) {
            b.errors++;
            errors++;
          }
        },
        () => {
          bucket(performance.now()).errors++;
          errors++;
        },
      ).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
      if (issued % Math.max(1, Math.round(target * 60)) === 0) log(`    minute ${Math.floor((performance.now() - started) / 60_000) + 1}: ${issued} issued, ${errors} errors, ${residentMb(child.pid!).toFixed(0)} MB resident`);
    }
    await Promise.all(pending);
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const whole = minutes.filter((m, i) => i < Math.floor(seconds / 60) && m.rss.length > 0);
    const perMinute = whole.map((m) => m.completed / 60);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    // The first minute warms caches and the JIT; drift is measured from the second on.
    const firstRss = avg((whole[1] ?? whole[0])?.rss ?? []);
    const lastRss = avg(whole.at(-1)?.rss ?? []);
    const held = perMinute.length > 0 ? Math.min(...perMinute) / target : 0;
    log(`  ${engine}: held ${(held * 100).toFixed(1)} % of target in the slowest minute, ${errors} errors, RSS ${firstRss.toFixed(0)} → ${lastRss.toFixed(0)} MB`);
    return [
      { ...row('soak', engine, `mixed load at ${Math.round(LOAD * 100)} % of max`, latencies.length, { seconds, latenciesMs: latencies.sort((a, b) => a - b) }), note: `target ${target.toFixed(0)} ops/s of max ${maximum.toFixed(0)}` },
      figure('soak', engine, 'slowest minute % of target', [held * 100]),
      figure('soak', engine, 'errors', [errors]),
      figure('soak', engine, 'rss drift %', [firstRss > 0 ? ((lastRss - firstRss) / firstRss) * 100 : Number.NaN], `${firstRss.toFixed(0)} → ${lastRss.toFixed(0)} MB`),
    ];
  } finally {
    api?.close();
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await database.drop();
  }
}
