/**
 * Rights requests at scale: one subject's access package and one subject's erasure, among
 * `BENCH_RIGHTS_SUBJECTS` (default 100k) other subjects holding `BENCH_RIGHTS_ITEMS` (default
 * 1M) items in all. The others are bulk-seeded (test/store/bulk-seed.ts); the measured
 * subjects are ordinary ones made through the vault — an identifier, ten items, a consent.
 * Each measured operation is the fulfilment of a verified request (`POST
 * /v1/requests/{id}/fulfil` in-process): building, zipping and sealing the package, or
 * crypto-shredding the subject with its destruction act. Goal (issue 8), on SQLite: access
 * p99 ≤ 50 ms, erasure p99 ≤ 20 ms.
 */
import { join } from 'node:path';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import type { RequestType } from '../../src/law/index.js';
import { refreshStatistics } from '../../src/store/statistics.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { createTestDatabase, type TestEngine } from '../support/engines.js';
import { bulkSeed } from '../store/bulk-seed.js';
import { type BenchRow, measure, row } from './harness.js';
import { vacuumAnalyze } from './scale.bench.js';

const OTHERS = Number(process.env.BENCH_RIGHTS_SUBJECTS ?? 100_000);
const ITEMS = Number(process.env.BENCH_RIGHTS_ITEMS ?? 1_000_000);
const MEASURED = Number(process.env.BENCH_RIGHTS_MEASURED ?? 200);

const ITEMS_OF_ONE = [
  { category: 'user.name', value: 'Aigerim Nurlanovna Bekova', purpose: 'orders', source: 'direct' as const },
  { category: 'user.contact.email', value: 'aigerim.bekova@example.kz', purpose: 'orders', source: 'direct' as const },
  { category: 'user.contact.phone_number', value: '+77015550123', purpose: 'orders', source: 'direct' as const },
  { category: 'user.contact.address', value: { city: 'Almaty', line1: 'Abay 10, apt 5' }, purpose: 'orders', source: 'direct' as const },
];

async function verifiedRequests(custodian: Custodian, type: RequestType, prefix: string): Promise<string[]> {
  const version = custodian.policies.active().number;
  const ids: string[] = [];
  for (let i = 0; i < MEASURED; i++) {
    const { id } = await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `${prefix}${i}@example.kz` }] }, 'bench');
    // Ten items: the four order items twice and two more, as a customer of some standing.
    await custodian.vault.collect(id, [...ITEMS_OF_ONE, ...ITEMS_OF_ONE, ITEMS_OF_ONE[0], ITEMS_OF_ONE[2]], 'bench');
    await custodian.consents.record(id, marketingConsent(version, { subjectFullName: 'Bench Person', notice: { policyVersion: version, locale: 'en', textSha256: 'a'.repeat(64) } }), 'bench');
    const { request } = await custodian.rights.requests.intake({ type, subjectId: id }, 'bench');
    await custodian.rights.requests.verify(request.id, { method: 'staff' }, 'bench');
    ids.push(request.id);
  }
  return ids;
}

export async function rightsBenchmark(engine: TestEngine, log: (line: string) => void): Promise<BenchRow[]> {
  const database = await createTestDatabase(engine);
  const custodian = await openCustodian({ database: database.location, keyringPath: join(database.dir, 'keyring.json') });
  try {
    await publishPolicyFile(custodian, DEMO_POLICY);
    log(`  ${engine}: seeding ${OTHERS} subjects with ~${ITEMS} items…`);
    let lastLog = performance.now();
    const seeded = await bulkSeed(database.location, {
      subjects: OTHERS,
      itemsPerSubject: ITEMS / OTHERS,
      eventsPerItem: 2,
      now: custodian.clock.now(),
      policyVersion: custodian.policies.active().number,
      chunk: 2000,
      onProgress: (line) => {
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        log(`    ${line}`);
      },
    });
    await refreshStatistics(custodian.store, { kind: 'bulk' });
    if (database.location.engine === 'postgres') await vacuumAnalyze(database.location.url);
    log(`    ${seeded.items} items and ${seeded.events} events in ${seeded.seconds.toFixed(0)} s; ${MEASURED} verified access and erasure requests…`);
    const access = await verifiedRequests(custodian, 'access', 'access');
    const erasure = await verifiedRequests(custodian, 'erasure', 'erasure');
    log(`  ${engine}: ${MEASURED} access packages…`);
    const packages = await measure(MEASURED, 1, (i) => custodian.rights.fulfilment.fulfil(access[i], {}, 'bench'));
    log(`  ${engine}: ${MEASURED} erasures…`);
    const erasures = await measure(MEASURED, 1, (i) => custodian.rights.fulfilment.fulfil(erasure[i], {}, 'bench'));
    const among = `among ${Math.round(OTHERS / 1000)}k subjects, ${Math.round(seeded.items / 1e5) / 10}M items`;
    return [
      row('rights', engine, 'access package (10 items)', MEASURED, packages, among),
      row('rights', engine, 'erasure (10 items, key shredded)', MEASURED, erasures, among),
    ];
  } finally {
    await custodian.close();
    await database.drop();
  }
}
