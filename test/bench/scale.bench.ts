/**
 * Scale (issue 16): a subject's cost must not grow with everyone else's data. One subject's
 * read (`vault.readForPurpose`), collection of one item, decision with a cold context (the
 * cache dropped first, so the context load is measured) and consent (`consents.record`),
 * measured on databases of 10k, 100k and 1M items with the matching journal (about three
 * events per item, as in the soak that found the problem). `ratio` is each operation's rate
 * over its rate at the first size: the goal is at least 0.8 at 1M.
 *
 * Each size is a database of its own: the other subjects are seeded in bulk with multi-row
 * inserts of realistic rows (see test/store/bulk-seed.ts), not through the vault, so seeding
 * stays within minutes, and the planner statistics are refreshed after it as production
 * does after bulk work. The measured subjects are ordinary ones, made through the vault —
 * 200 readers (who also get the decisions), 200 collectors and 200 consenters per database —
 * and every size measures subjects of the same history.
 *
 * Environment: `BENCH_SCALE_SIZES` (default `10k,100k,1M`), `BENCH_SCALE_OPS` (operations per
 * round, default 1000), `BENCH_SCALE_ROUNDS` (default 3; the best round counts, since the
 * machine is shared), `BENCH_SCALE_STATISTICS=0` to skip Custodian's statistics refresh (on
 * SQLite then no statistics exist, as before issue 16; PostgreSQL is vacuumed and analyzed
 * after each bulk step either way, as autovacuum would).
 */
import { join } from 'node:path';
import pg from 'pg';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { refreshStatistics } from '../../src/store/statistics.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { createTestDatabase, type TestDatabase, type TestEngine } from '../support/engines.js';
import { bulkSeed } from '../store/bulk-seed.js';
import { type BenchRow, type FigureRow, measure, row } from './harness.js';

const ITEMS_PER_SUBJECT = 5;
const EVENTS_PER_ITEM = 3;
/** Measured subjects per role. */
const MEASURED = 200;

export interface ScaleOptions {
  sizes: number[];
  operations: number;
  rounds: number;
  statistics: boolean;
}

/** `10k,100k,1M` → [10000, 100000, 1000000]. */
export function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(part);
    if (!m) throw new Error(`BENCH_SCALE_SIZES: "${part}" is not a size like 10k or 1M`);
    return Math.round(Number(m[1]) * (m[2] === '' ? 1 : m[2].toLowerCase() === 'k' ? 1e3 : 1e6));
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function scaleOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  return {
    sizes: parseSizes(env.BENCH_SCALE_SIZES ?? '10k,100k,1M'),
    operations: Number(env.BENCH_SCALE_OPS ?? 1000),
    rounds: Number(env.BENCH_SCALE_ROUNDS ?? 3),
    statistics: env.BENCH_SCALE_STATISTICS !== '0',
  };
}

function label(size: number): string {
  return size >= 1e6 && size % 1e5 === 0 ? `${size / 1e6}M` : size >= 1e3 && size % 100 === 0 ? `${size / 1e3}k` : String(size);
}

const ORDER_ITEMS = [
  { category: 'user.name', value: 'Aigerim Nurlanovna Bekova', purpose: 'orders', source: 'direct' as const },
  { category: 'user.contact.email', value: 'aigerim.bekova@example.kz', purpose: 'orders', source: 'direct' as const },
  { category: 'user.contact.phone_number', value: '+77015550123', purpose: 'orders', source: 'direct' as const },
  { category: 'user.contact.address', value: { city: 'Almaty', line1: 'Abay 10, apt 5' }, purpose: 'orders', source: 'direct' as const },
];

/** Subjects made the ordinary way: an identifier, four order items, a marketing consent. */
async function ordinarySubjects(custodian: Custodian, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const version = custodian.policies.active().number;
  for (let i = 0; i < count; i++) {
    const { id } = await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `${prefix}${i}@example.kz` }] }, 'bench');
    await custodian.vault.collect(id, ORDER_ITEMS, 'bench');
    await custodian.consents.record(id, consentAct(version), 'bench');
    ids.push(id);
  }
  return ids;
}

function consentAct(version: number) {
  return marketingConsent(version, { subjectFullName: 'Bench Person', notice: { policyVersion: version, locale: 'en', textSha256: 'a'.repeat(64) } });
}

interface SizedDatabase {
  size: number;
  database: TestDatabase;
  custodian: Custodian;
  operations: [string, (i: number) => Promise<unknown>][];
  seedSeconds: number;
}

/** A database of `size` items: bulk-seeded others, then the measured subjects made through the vault. */
async function sizedDatabase(engine: TestEngine, size: number, options: ScaleOptions, log: (line: string) => void): Promise<SizedDatabase> {
  const database = await createTestDatabase(engine);
  const custodian = await openCustodian({ database: database.location, keyringPath: join(database.dir, 'keyring.json') }, { gateCacheTtlMs: 60_000 });
  try {
    await publishPolicyFile(custodian, DEMO_POLICY);
    const version = custodian.policies.active().number;
    const measuredItems = 3 * MEASURED * ORDER_ITEMS.length;
    const subjects = Math.max(0, Math.ceil((size - measuredItems) / ITEMS_PER_SUBJECT));
    log(`  ${engine} ${label(size)}: seeding ${subjects} subjects (~${subjects * ITEMS_PER_SUBJECT} items, ~${subjects * ITEMS_PER_SUBJECT * EVENTS_PER_ITEM} journal events)…`);
    let lastLog = performance.now();
    const seeded = await bulkSeed(database.location, {
      subjects,
      itemsPerSubject: ITEMS_PER_SUBJECT,
      eventsPerItem: EVENTS_PER_ITEM,
      now: custodian.clock.now(),
      policyVersion: version,
      chunk: 2000,
      onProgress: (line) => {
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        log(`    ${line}`);
      },
    });
    const settle = performance.now();
    if (options.statistics) await refreshStatistics(custodian.store, { kind: 'bulk' });
    // What autovacuum would do after a bulk load (vacuum and analyze), done now so it does not run while we measure.
    if (database.location.engine === 'postgres') await vacuumAnalyze(database.location.url);
    const settled = (performance.now() - settle) / 1000;
    const readers = await ordinarySubjects(custodian, 'reader', MEASURED);
    const collectors = await ordinarySubjects(custodian, 'collector', MEASURED);
    const consenters = await ordinarySubjects(custodian, 'consenter', MEASURED);
    log(`    ${seeded.items} items and ${seeded.events} events in ${seeded.seconds.toFixed(0)} s; statistics and vacuum ${settled.toFixed(1)} s`);
    const operations: SizedDatabase['operations'] = [
      ['read', (i) => custodian.vault.readForPurpose(readers[i % MEASURED], 'orders', 'bench')],
      ['collect', (i) => custodian.vault.collect(collectors[i % MEASURED], [ORDER_ITEMS[i % ORDER_ITEMS.length]], 'bench')],
      [
        'decision (cold context)',
        (i) => {
          const subjectId = readers[i % MEASURED];
          custodian.gate.invalidate(subjectId);
          return custodian.gate.decide({ subjectId, purpose: 'orders', operation: 'use', categories: ['user.name'] });
        },
      ],
      ['consent', (i) => custodian.consents.record(consenters[i % MEASURED], consentAct(version), 'bench')],
    ];
    return { size, database, custodian, operations, seedSeconds: seeded.seconds };
  } catch (error) {
    await custodian.close();
    await database.drop();
    throw error;
  }
}

/**
 * One database per size, all open at once, measured in alternating rounds (the order of the
 * sizes turning each round): on a shared machine, a slow spell then falls on every size
 * alike instead of on whichever size happened to run during it.
 */
export async function scaleBenchmark(engine: TestEngine, options: ScaleOptions, log: (line: string) => void): Promise<(BenchRow | FigureRow)[]> {
  const sized: SizedDatabase[] = [];
  const rows: (BenchRow | FigureRow)[] = [];
  try {
    for (const size of options.sizes) sized.push(await sizedDatabase(engine, size, options, log));
    const names = sized[0].operations.map(([name]) => name);
    for (const [o, name] of names.entries()) {
      for (const s of sized) await measure(Math.min(200, options.operations), 1, s.operations[o][1]); // warm: JIT, caches, pages
      const best = new Map<number, BenchRow>();
      for (let round = 0; round < options.rounds; round++) {
        for (let k = 0; k < sized.length; k++) {
          const s = sized[(k + round) % sized.length];
          const result = row('scale', engine, `${name} @ ${label(s.size)}`, options.operations, await measure(options.operations, 1, s.operations[o][1]), `best of ${options.rounds}`);
          if (!best.has(s.size) || result.perSecond > best.get(s.size)!.perSecond) best.set(s.size, result);
        }
      }
      const baseline = best.get(sized[0].size)!.perSecond;
      for (const s of sized) {
        const result = best.get(s.size)!;
        rows.push({ ...result, ratio: Number((result.perSecond / baseline).toFixed(3)) });
        log(`    ${name} @ ${label(s.size)}: ${result.perSecond}/s, p50 ${result.p50Ms} ms (×${(result.perSecond / baseline).toFixed(2)} of ${label(sized[0].size)})`);
      }
    }
    for (const s of sized) rows.push({ benchmark: 'scale-seed', engine, variant: `seconds seeding ${label(s.size)} items`, value: Number(s.seedSeconds.toFixed(1)), runs: 1, min: Number(s.seedSeconds.toFixed(1)), max: Number(s.seedSeconds.toFixed(1)) });
    return rows;
  } finally {
    for (const s of sized) {
      await s.custodian.close();
      await s.database.drop();
    }
  }
}

export async function vacuumAnalyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}
