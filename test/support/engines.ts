/**
 * Runs store tests on every engine. SQLite gets a fresh file in a temp dir; PostgreSQL a
 * freshly created database, dropped afterwards. When PostgreSQL is unreachable the
 * PostgreSQL half is skipped LOUDLY — or fails when CUSTODIAN_REQUIRE_PG=1 (as in CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreLocation } from '../../src/store/store.js';

export const ENGINES = ['sqlite', 'postgres'] as const;
export type TestEngine = (typeof ENGINES)[number];

export const PG_ADMIN_URL = process.env.CUSTODIAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const requirePg = process.env.CUSTODIAN_REQUIRE_PG === '1';

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgProblem = await probePostgres();
if (pgProblem) {
  const banner = `\n${'!'.repeat(78)}\n!! PostgreSQL is NOT reachable at ${PG_ADMIN_URL}: ${pgProblem}\n!! ${requirePg ? 'CUSTODIAN_REQUIRE_PG=1: PostgreSQL tests will FAIL.' : 'PostgreSQL tests are SKIPPED; only SQLite was tested.'}\n${'!'.repeat(78)}\n`;
  process.stderr.write(banner);
}

/** `describe` options for an engine: skip PostgreSQL only when allowed. */
export function engineSkip(engine: TestEngine): string | false {
  if (engine === 'postgres' && pgProblem && !requirePg) return `PostgreSQL unreachable: ${pgProblem}`;
  return false;
}

export interface TestDatabase {
  engine: TestEngine;
  location: StoreLocation;
  /** A temp dir for the keyring and SQLite files, removed on drop. */
  dir: string;
  /** PostgreSQL database name, for pg_dump. */
  pgDatabase?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(engine: TestEngine): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-test-'));
  if (engine === 'sqlite') {
    return { engine, dir, location: { engine: 'sqlite', path: join(dir, 'custodian.db') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (pgProblem) throw new Error(`PostgreSQL is required (CUSTODIAN_REQUIRE_PG=1) but unreachable: ${pgProblem}`);
  const name = `custodian_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    engine,
    dir,
    pgDatabase: name,
    location: { engine: 'postgres', url: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
