/**
 * What the gate knows about a subject, loaded from the database and cached: every open
 * block, the earliest retention date per purpose and category of active data, and a
 * cache that never keeps a context loaded before a change it was told about.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import { loadSubjectContext, NO_PREFERENCES, retentionKey, type SubjectContext, SubjectContextCache } from '../../src/decisions/subject-context.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const context = (subjectId: string, blockedAll = false): SubjectContext => ({
  subjectId,
  version: 0,
  state: 'active',
  jurisdiction: null,
  blockedAll,
  blockedCategories: new Set(),
  retentionDue: new Map(),
  preferences: NO_PREFERENCES,
});

describe('subject context cache', () => {
  it('tells a subject it has not cached (null) from one cached as unknown (undefined)', () => {
    const cache = new SubjectContextCache(60_000);
    assert.equal(cache.get('s'), null);
    cache.set('s', undefined);
    assert.equal(cache.get('s'), undefined);
  });

  it('replaces a cached context in place, and caches nothing it did not have', () => {
    const cache = new SubjectContextCache(60_000);
    cache.replace('s', context('s', true));
    assert.equal(cache.get('s'), null);
    cache.set('s', context('s'));
    cache.replace('s', context('s', true));
    assert.equal(cache.get('s')?.blockedAll, true);
  });

  it('evicts the oldest entry, not the newest, when full', () => {
    const cache = new SubjectContextCache(60_000, 2);
    cache.set('a', context('a'));
    cache.set('b', context('b'));
    cache.set('c', context('c'));
    assert.equal(cache.get('a'), null);
    assert.notEqual(cache.get('b'), null);
    assert.notEqual(cache.get('c'), null);
  });

  it('keeps other subjects when one is invalidated, and forgets all on clear', () => {
    const cache = new SubjectContextCache(60_000);
    cache.set('a', context('a'));
    cache.set('b', context('b'));
    cache.invalidate('a');
    assert.equal(cache.get('a'), null);
    assert.notEqual(cache.get('b'), null);
    cache.clear();
    assert.equal(cache.get('b'), null);
  });

  it('turns away a load that began before clear(), and before a change of any subject once it stops counting them one by one', () => {
    const cache = new SubjectContextCache(60_000, 2);
    const seenA = cache.generation('a');
    cache.clear();
    cache.set('a', context('a'), seenA);
    assert.equal(cache.get('a'), null, 'begun before clear()');
    cache.set('a', context('a'), cache.generation('a'));
    assert.notEqual(cache.get('a'), null, 'begun after it');

    const seenX = cache.generation('x');
    cache.invalidate('p');
    cache.invalidate('q');
    cache.invalidate('r'); // the third distinct subject: the per-subject counts are dropped for a new epoch
    cache.set('x', context('x'), seenX);
    assert.equal(cache.get('x'), null, 'a load begun before the counts were dropped is not cached');
    assert.equal(cache.get('a'), null, 'and what was cached is gone');
    const seenR = cache.generation('r');
    cache.set('r', context('r'), seenR);
    assert.notEqual(cache.get('r'), null);
    cache.invalidate('r');
    cache.set('r', context('r'), seenR);
    assert.equal(cache.get('r'), null, 'counting starts again after the epoch');
  });

  it('serves an entry for exactly its time to live, and not a millisecond longer', () => {
    let now = 1_000;
    const clock = mock.method(performance, 'now', () => now);
    try {
      const cache = new SubjectContextCache(60_000);
      cache.set('s', context('s'));
      now += 60_000;
      assert.notEqual(cache.get('s'), null, 'loaded exactly one TTL ago');
      now += 1;
      assert.equal(cache.get('s'), null, 'one millisecond past the TTL');
    } finally {
      clock.mock.restore();
    }
  });

  it('turns away a load that began before clear() even for a subject changed millions of times', () => {
    const cache = new SubjectContextCache(60_000);
    for (let i = 0; i < 2 ** 21; i++) cache.invalidate('busy');
    const seen = cache.generation('busy');
    cache.clear();
    cache.set('busy', context('busy'), seen);
    assert.equal(cache.get('busy'), null);
  });
});

for (const engine of ENGINES) {
  describe(`loading a subject's context (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const db = () => t.custodian.store.db;
    const block = (subjectId: string, categories: string[] | null, lifted = false) =>
      db()
        .insertInto('data_block')
        .values({ id: randomUUID(), subject_id: subjectId, categories: categories ? JSON.stringify(categories) : null, reason: 'subject-request', created_at: 1, created_by: 'test', lifted_at: lifted ? 2 : null, lifted_by: lifted ? 'test' : null })
        .execute();
    const item = (subjectId: string, purposes: string[], category: string, due: number | null, state = 'active') =>
      db()
        .insertInto('data_item')
        .values({ id: randomUUID(), subject_id: subjectId, category, value_enc: '', purposes: JSON.stringify(purposes), source: 'direct', collected_at: 1, retention_due_at: due, state, policy_version: 1, updated_at: 1, revision: 1 })
        .execute();
    const load = (subjectId: string) => loadSubjectContext(db(), subjectId, async () => NO_PREFERENCES);

    it('is undefined for a subject that does not exist', async () => {
      assert.equal(await load(randomUUID()), undefined);
    });

    it('merges the categories of every open block, and sees a whole-subject block among them', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `c${Math.random()}@example.kz` }] }, 'test');
      await block(id, ['user.name']);
      await block(id, ['user.contact.email', 'user.name']);
      await block(id, ['user.contact.phone_number'], true);
      let ctx = (await load(id))!;
      assert.equal(ctx.blockedAll, false);
      assert.deepEqual([...ctx.blockedCategories].sort(), ['user.contact.email', 'user.name']);
      await block(id, null, true);
      assert.equal((await load(id))!.blockedAll, false, 'a lifted block of the whole subject no longer counts');
      await block(id, null);
      ctx = (await load(id))!;
      assert.equal(ctx.blockedAll, true);
      assert.equal(ctx.state, 'active');
      assert.equal(ctx.subjectId, id);
      assert.equal(typeof ctx.version, 'number');
    });

    it('keeps the earliest retention date per purpose and category of active data only', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `r${Math.random()}@example.kz` }] }, 'test');
      await item(id, ['orders'], 'user.name', 3000);
      await item(id, ['orders'], 'user.name', 2000);
      await item(id, ['orders', 'marketing'], 'user.name', 2500);
      await item(id, ['orders'], 'user.contact.email', 1000, 'destroyed');
      await item(id, ['orders'], 'user.contact.email', null);
      await item(id, ['marketing'], 'user.contact.email', 4000);
      const ctx = (await load(id))!;
      assert.deepEqual(
        new Map([...ctx.retentionDue].sort()),
        new Map<string, number>([
          [retentionKey('marketing', 'user.contact.email'), 4000],
          [retentionKey('marketing', 'user.name'), 2500],
          [retentionKey('orders', 'user.name'), 2000],
        ]),
      );
    });

    it('reads the subject’s state and residence', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `s${Math.random()}@example.kz` }], jurisdiction: 'KZ' }, 'test');
      assert.equal((await load(id))!.jurisdiction, 'KZ');
      await db().updateTable('subject').set({ state: 'erased', version: 41 }).where('id', '=', id).execute();
      const ctx = (await load(id))!;
      assert.equal(ctx.state, 'erased');
      assert.equal(ctx.version, 41);
    });
  });
}
