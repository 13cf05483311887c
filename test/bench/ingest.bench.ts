/**
 * Ingest: collecting one item per call through the vault (encrypt with the subject's key,
 * insert, journal — one transaction each), against raw inserts of the same bytes with the
 * engine's own driver, one transaction each, at the same concurrency.
 *
 * `BENCH_INGEST_ROUNDS` (default 1) measures each row that many times and reports the run of
 * median duration: on a shared machine one run can land in another process's burst.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { createTestDatabase, type TestEngine } from '../support/engines.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { type BenchRow, measure, row } from './harness.js';
import { join } from 'node:path';

const SUBJECTS = 200;
const CONCURRENCY = 8;
const ROUNDS = Math.max(1, Number(process.env.BENCH_INGEST_ROUNDS ?? 1));

type Measured = Awaited<ReturnType<typeof measure>>;

/** Runs a measurement ROUNDS times; the run of median duration. */
async function median(run: () => Promise<Measured>): Promise<Measured> {
  const runs: Measured[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await run());
  return runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

export async function ingestBenchmark(engine: TestEngine, items: number, log: (line: string) => void): Promise<BenchRow[]> {
  const database = await createTestDatabase(engine);
  try {
    const custodian = await openCustodian({ database: database.location, keyringPath: join(database.dir, 'keyring.json') });
    await publishPolicyFile(custodian, DEMO_POLICY);
    const subjects: string[] = [];
    for (let i = 0; i < SUBJECTS; i++) subjects.push((await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `bench${i}@example.kz` }] }, 'bench')).id);
    const value = 'Aigerim Nurlanovna Bekova'; // a typical name-sized value
    log(`  ${engine}: collecting ${items} items through the vault…`);
    const vault = await median(() => measure(items, CONCURRENCY, (i) => custodian.vault.collect(subjects[i % SUBJECTS], [{ category: 'user.name', value, purpose: 'orders', source: 'direct' }], 'bench'), (n) => log(`    ${n}/${items}`)));
    const BATCH = 50;
    log(`  ${engine}: ${items} items in batches of ${BATCH} per call…`);
    const batched = await median(() =>
      measure(Math.ceil(items / BATCH), CONCURRENCY, (i) =>
        custodian.vault.collect(subjects[i % SUBJECTS], Array.from({ length: BATCH }, () => ({ category: 'user.name', value, purpose: 'orders', source: 'direct' as const })), 'bench'),
      ),
    );
    log(`  ${engine}: consents for ${SUBJECTS} subjects, then ${items} items under the consent purpose…`);
    const policyVersion = custodian.policies.active().number;
    for (const id of subjects) {
      await custodian.consents.record(id, marketingConsent(policyVersion, { subjectFullName: 'Bench Person', notice: { policyVersion, locale: 'en', textSha256: 'a'.repeat(64) } }), 'bench');
    }
    const withConsent = await median(() =>
      measure(items, CONCURRENCY, (i) => custodian.vault.collect(subjects[i % SUBJECTS], [{ category: 'user.contact.email', value: `bench${i}@example.kz`, purpose: 'marketing', source: 'direct' }], 'bench'), (n) => log(`    ${n}/${items}`)),
    );
    const sample = await custodian.store.db.selectFrom('data_item').select('value_enc').limit(1).executeTakeFirstOrThrow();
    await custodian.close();

    // The same number of bytes per row as the vault stored, via the raw driver.
    const bytes = randomBytes(Buffer.byteLength(sample.value_enc));
    log(`  ${engine}: ${items} raw inserts of ${bytes.length}-byte rows…`);
    let raw;
    if (database.location.engine === 'sqlite') {
      const db = new SqliteDatabase(join(database.dir, 'raw.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec('create table raw_item (id text primary key, subject_id text not null, value blob not null, at integer not null)');
      const insert = db.prepare('insert into raw_item values (?, ?, ?, ?)');
      raw = await median(() => measure(items, CONCURRENCY, async (i) => insert.run(randomUUID(), subjects[i % SUBJECTS], bytes, Date.now())));
      db.close();
    } else {
      const pool = new pg.Pool({ connectionString: database.location.url, max: 10 });
      pool.on('error', () => undefined);
      try {
        await pool.query('create table raw_item (id text primary key, subject_id text not null, value bytea not null, at bigint not null)');
        raw = await median(() => measure(items, CONCURRENCY, (i) => pool.query('insert into raw_item values ($1, $2, $3, $4)', [randomUUID(), subjects[i % SUBJECTS], bytes, Date.now()])));
      } finally {
        await pool.end();
      }
    }
    return [
      row('ingest', engine, `raw ${engine === 'sqlite' ? 'better-sqlite3' : 'pg'} insert`, items, raw, 'baseline'),
      row('ingest', engine, 'vault.collect (gate+encrypt+store+journal)', items, vault),
      row('ingest', engine, 'vault.collect, consent purpose (consents present)', items, withConsent),
      { ...row('ingest', engine, `vault.collect, ${BATCH} items per call`, Math.ceil(items / BATCH) * BATCH, batched), note: 'latency per call' },
    ];
  } finally {
    await database.drop();
  }
}
