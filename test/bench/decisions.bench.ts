/**
 * Decisions: the purpose gate in-process and over HTTP, with a trivial Fastify route in
 * the same run as the HTTP baseline. The subject contexts are warm (cached), as they are
 * for a busy service asking about its active users.
 */
import { join } from 'node:path';
import Fastify from 'fastify';
import { openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { buildApp } from '../../src/http/app.js';
import { createTestDatabase, type TestEngine } from '../support/engines.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { type BenchRow, measure, row } from './harness.js';
import { httpLoad } from './http-load.js';

const SUBJECTS = 1000;

export async function decisionsBenchmark(engine: TestEngine, scale: number, log: (line: string) => void): Promise<BenchRow[]> {
  const database = await createTestDatabase(engine);
  const custodian = await openCustodian({ database: database.location, keyringPath: join(database.dir, 'keyring.json') }, { gateCacheTtlMs: 60_000 });
  try {
    await publishPolicyFile(custodian, DEMO_POLICY);
    log(`  ${engine}: ${SUBJECTS} subjects with order data…`);
    const subjects: string[] = [];
    for (let i = 0; i < SUBJECTS; i++) {
      const { id } = await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `d${i}@example.kz` }] }, 'bench');
      await custodian.vault.collect(id, [{ category: 'user.name', value: `Person ${i}`, purpose: 'orders', source: 'direct' }], 'bench');
      subjects.push(id);
    }
    const request = (i: number) => ({ subjectId: subjects[i % SUBJECTS], purpose: 'orders', operation: 'use' as const, categories: ['user.name', 'user.contact.email'] });
    for (let i = 0; i < SUBJECTS; i++) await custodian.gate.decide(request(i)); // warm the cache

    const inProcessCount = Math.round(300_000 * scale);
    log(`  ${engine}: ${inProcessCount} in-process decisions…`);
    const inProcess = await measure(inProcessCount, 1, (i) => custodian.gate.decide(request(i)));

    const app = await buildApp(custodian);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const key = (await custodian.apiKeys.create('bench', ['decisions'])).key;
    const trivial = Fastify({ logger: false });
    trivial.post('/trivial', async () => ({ allow: true, reasons: [], policyVersion: 1 }));
    const trivialBase = await trivial.listen({ host: '127.0.0.1', port: 0 });

    const httpCount = Math.round(20_000 * scale);
    const body = (i: number) => JSON.stringify(request(i));
    // Warm both servers (JIT, sockets) so neither side of the ratio pays for it.
    const warm = Math.min(2000, httpCount);
    await httpLoad(trivialBase, warm, 16, (i) => ({ method: 'POST', path: '/trivial', body: body(i) }));
    await httpLoad(base, warm, 16, (i) => ({ method: 'POST', path: '/v1/decisions', headers: { authorization: `Bearer ${key}` }, body: body(i) }));
    log(`  ${engine}: ${httpCount} requests to a trivial Fastify route…`);
    const baseline = await httpLoad(trivialBase, httpCount, 16, (i) => ({ method: 'POST', path: '/trivial', body: body(i) }));
    log(`  ${engine}: ${httpCount} decisions over HTTP…`);
    const overHttp = await httpLoad(base, httpCount, 16, (i) => ({ method: 'POST', path: '/v1/decisions', headers: { authorization: `Bearer ${key}` }, body: body(i) }));
    await app.close();
    await trivial.close();

    return [
      row('decisions', engine, 'in-process gate.decide (warm)', inProcessCount, inProcess, 'in-process'),
      row('decisions-http', engine, 'trivial Fastify POST route', httpCount, baseline, 'baseline'),
      row('decisions-http', engine, 'POST /v1/decisions (auth + validation)', httpCount, overHttp),
    ];
  } finally {
    await custodian.close();
    await database.drop();
  }
}
