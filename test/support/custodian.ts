/**
 * A Custodian on a fresh test database with the demo policy published, for service and
 * HTTP tests.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { fileURLToPath } from 'node:url';
import { type Clock, ManualClock } from '../../src/clock.js';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { DEFAULT_MAIL_FROM, type MailConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase, type TestEngine } from './engines.js';

export const DEMO_POLICY = fileURLToPath(new URL('../../examples/demo.policy.yaml', import.meta.url));
/** Where test Custodians say people reach them, for links in mail. */
export const TEST_PUBLIC_URL = 'https://privacy.test';
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface TestCustodian {
  custodian: Custodian;
  database: TestDatabase;
  clock: ManualClock;
  config: { database: TestDatabase['location']; keyringPath: string; masterKey?: string; mail: MailConfig; publicUrl: string };
  /** Closes Custodian and drops the database. */
  dispose(): Promise<void>;
}

export async function createTestCustodian(engine: TestEngine, options: { policy?: string | null; clock?: Clock; now?: string } = {}): Promise<TestCustodian> {
  const database = await createTestDatabase(engine);
  const clock = new ManualClock(Date.parse(options.now ?? '2026-11-22T09:00:00Z'));
  const config = {
    database: database.location,
    keyringPath: join(database.dir, 'keyring.json'),
    mail: { transport: 'outbox' as const, dir: join(database.dir, 'outbox'), from: DEFAULT_MAIL_FROM },
    publicUrl: TEST_PUBLIC_URL,
  };
  const custodian = await openCustodian(config, { clock: options.clock ?? clock });
  const policy = options.policy === undefined ? DEMO_POLICY : options.policy;
  if (policy) await publishPolicyFile(custodian, policy);
  return {
    custodian,
    database,
    clock,
    config,
    async dispose() {
      await custodian.close();
      await database.drop();
    },
  };
}

export interface TestApp {
  t: TestCustodian;
  app: FastifyInstance;
  /** An admin API key's Authorization header. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** A test Custodian behind its HTTP app (in-process, `app.inject`), with an admin key. */
export async function createTestApp(engine: TestEngine, options: Parameters<typeof createTestCustodian>[1] = {}): Promise<TestApp> {
  const t = await createTestCustodian(engine, options);
  const app = await buildApp(t.custodian);
  const headers = { authorization: `Bearer ${(await t.custodian.apiKeys.create('test', ['admin'])).key}` };
  return {
    t,
    app,
    headers,
    async close() {
      await app.close();
      await t.dispose();
    },
  };
}
