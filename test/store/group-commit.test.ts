/**
 * The unit of work's transactions under concurrency: a failing unit takes only its own
 * writes with it, on both engines. On SQLite, units that wait for the one writer share a
 * commit (src/store/sqlite-group-commit.ts); these tests hold that sharing to the promises
 * of a transaction: atomic per unit, durable once resolved, and — when the shared
 * transaction is lost as a whole — the other units run again and caches are told.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, ENGINES, engineSkip, type TestDatabase } from '../support/engines.js';

async function rows(store: Store): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from unit_probe order by name`.execute(store.db);
  return result.rows.map((r) => r.name);
}

for (const engine of ENGINES) {
  describe(`transactions of concurrent units (${engine})`, { skip: engineSkip(engine) }, () => {
    let database: TestDatabase;
    let store: Store;

    before(async () => {
      database = await createTestDatabase(engine);
      store = openStore(database.location);
      await sql`create table unit_probe (name text primary key)`.execute(store.db);
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it('a unit that fails leaves no write behind and the units around it commit', async () => {
      const insert = (name: string) => store.transaction(async (trx) => void (await sql`insert into unit_probe (name) values (${name})`.execute(trx)));
      const failing = store.transaction(async (trx) => {
        await sql`insert into unit_probe (name) values (${'b-failed'})`.execute(trx);
        throw new Error('the unit changed its mind');
      });
      const results = await Promise.allSettled([insert('a'), failing, insert('c'), insert('d')]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.equal((results[1] as PromiseRejectedResult).reason.message, 'the unit changed its mind');
      assert.deepEqual(await rows(store), ['a', 'c', 'd']);
    });

    it('a unit that breaks a constraint fails alone; its earlier writes are undone', async () => {
      const results = await Promise.allSettled([
        store.transaction(async (trx) => void (await sql`insert into unit_probe (name) values (${'e'})`.execute(trx))),
        store.transaction(async (trx) => {
          await sql`insert into unit_probe (name) values (${'f-undone'})`.execute(trx);
          await sql`insert into unit_probe (name) values (${'a'})`.execute(trx); // exists: a unique violation
        }),
        store.transaction(async (trx) => void (await sql`insert into unit_probe (name) values (${'g'})`.execute(trx))),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual(await rows(store), ['a', 'c', 'd', 'e', 'g']);
    });
  });
}

describe('a SQLite commit group lost as a whole', { skip: engineSkip('sqlite') }, () => {
  let database: TestDatabase;
  let store: Store;

  before(async () => {
    database = await createTestDatabase('sqlite');
    store = openStore(database.location);
    await sql`create table unit_probe (name text primary key)`.execute(store.db);
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  it('runs the other units again, rejects the one that ended it, and tells the caches', async () => {
    let rolledBack = 0;
    const stop = store.onRolledBack(() => rolledBack++);
    let runsOfA = 0;
    const a = store.transaction(async (trx) => {
      runsOfA++;
      await sql`insert into unit_probe (name) values (${'a'})`.execute(trx);
      return 'a committed';
    });
    // Ends the shared transaction from inside: SQLite rolls back everything, A's insert included.
    const breaker = store.transaction(async (trx) => {
      await sql`insert into unit_probe (name) values (${'broken'})`.execute(trx);
      await sql`rollback`.execute(trx);
      throw new Error('the transaction is gone');
    });
    const c = store.transaction(async (trx) => void (await sql`insert into unit_probe (name) values (${'c'})`.execute(trx)));
    const results = await Promise.allSettled([a, breaker, c]);
    stop();
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((results[0] as PromiseFulfilledResult<string>).value, 'a committed');
    assert.equal(runsOfA, 2, 'A ran again after its first run was rolled back');
    assert.deepEqual(await rows(store), ['a', 'c']);
    assert.equal(rolledBack, 1, 'listeners heard of the lost group once');
  });
});
