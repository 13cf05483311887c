/**
 * Blocks as a service, on both engines: a block of some categories or of the whole
 * subject, named by a reason code, journaled; lifted once, by whoever lifts it, also after
 * the subject was depersonalized.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BLOCK_REASONS } from '../../src/vault/blocking.js';
import { CustodianError } from '../../src/errors.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { storeSnapshot } from '../support/snapshot.js';

async function refusal(promise: Promise<unknown>): Promise<CustodianError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CustodianError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

for (const engine of ENGINES) {
  describe(`blocks (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const newSubject = async () => (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `b${Math.random()}@example.kz` }] }, 'test')).id;
    const lastEvent = async (id: string) => (await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow());

    it('has a fixed list of reasons', () => {
      assert.deepEqual(BLOCK_REASONS, ['accuracy-disputed', 'unlawful-processing', 'subject-request', 'objection-pending', 'authority-order', 'legal-claim', 'breach-investigation']);
    });

    it('blocks some categories, each once, journaling scope and reason', async () => {
      const id = await newSubject();
      const block = await t.custodian.blocks.block(id, { categories: ['user.name', 'user.contact.email', 'user.name'], reason: 'accuracy-disputed' }, 'apikey:b');
      assert.deepEqual({ ...block, id: undefined }, { id: undefined, categories: ['user.name', 'user.contact.email'], reason: 'accuracy-disputed', createdAt: t.clock.now(), createdBy: 'apikey:b', liftedAt: null, liftedBy: null });
      const event = await lastEvent(id);
      assert.deepEqual([event.operation, event.actor, JSON.parse(event.categories), JSON.parse(event.details)], ['blocking', 'apikey:b', ['user.name', 'user.contact.email'], { block: block.id, scope: 'categories', reason: 'accuracy-disputed' }]);
      assert.deepEqual(await t.custodian.blocks.list(id), [block]);
    });

    it('blocks the whole subject when no category, or an empty list, is named', async () => {
      for (const categories of [undefined, []]) {
        const id = await newSubject();
        const block = await t.custodian.blocks.block(id, { ...(categories ? { categories } : {}), reason: 'legal-claim' }, 'test');
        assert.equal(block.categories, null);
        const event = await lastEvent(id);
        assert.deepEqual([JSON.parse(event.categories), JSON.parse(event.details).scope], [[], 'subject']);
        assert.deepEqual((await t.custodian.gate.decide({ subjectId: id, purpose: 'orders', operation: 'use', categories: [] })).reasons.map((r) => r.code), ['subject_blocked']);
      }
    });

    it('refuses a category the policy does not declare, naming its place, and writes nothing', async () => {
      const id = await newSubject();
      const before = await storeSnapshot(t.custodian);
      const error = await refusal(t.custodian.blocks.block(id, { categories: ['user.name', 'aigerim@example.kz'], reason: 'subject-request' }, 'test'));
      assert.deepEqual([error.code, error.message, error.details], ['category_not_declared', 'Unknown category', [{ path: 'categories[1]', message: 'category is not declared in the policy' }]]);
      assert.deepEqual(await storeSnapshot(t.custodian), before);
    });

    it('lifts a block once, recording who lifted it and when, and journals the lifting', async () => {
      const id = await newSubject();
      const block = await t.custodian.blocks.block(id, { categories: ['user.name'], reason: 'objection-pending' }, 'test');
      t.clock.advance(60_000);
      const lifted = await t.custodian.blocks.unblock(id, block.id, 'apikey:lift');
      assert.deepEqual([lifted.liftedAt, lifted.liftedBy, lifted.createdAt, lifted.categories], [t.clock.now(), 'apikey:lift', block.createdAt, ['user.name']]);
      const event = await lastEvent(id);
      assert.deepEqual([event.operation, event.actor, JSON.parse(event.categories), JSON.parse(event.details)], ['unblocking', 'apikey:lift', ['user.name'], { block: block.id, scope: 'categories' }]);
      assert.deepEqual((await t.custodian.blocks.list(id))[0], lifted);
      const again = await refusal(t.custodian.blocks.unblock(id, block.id, 'test'));
      assert.deepEqual([again.code, again.message, again.details], ['conflict', 'The block was already lifted', [{ path: 'blockId', message: 'already lifted' }]]);
      t.clock.advance(-60_000);
    });

    it('refuses an unknown block, or one of another subject', async () => {
      const id = await newSubject();
      const other = await newSubject();
      const block = await t.custodian.blocks.block(id, { reason: 'authority-order' }, 'test');
      for (const [subject, blockId] of [[other, block.id], [id, '00000000-0000-4000-8000-000000000000']]) {
        const error = await refusal(t.custodian.blocks.unblock(subject, blockId, 'test'));
        assert.deepEqual([error.code, error.details[0].path], ['not_found', 'blockId']);
      }
      assert.equal((await refusal(t.custodian.blocks.list('00000000-0000-4000-8000-000000000000'))).code, 'not_found');
    });

    it('lifts a whole-subject block of a depersonalized subject; blocks it no further', async () => {
      const id = await newSubject();
      const early = await t.custodian.blocks.block(id, { categories: ['user.contact.phone_number'], reason: 'breach-investigation' }, 'test');
      await t.custodian.depersonalizer.depersonalize(id, { categories: ['user.name'] }, 'test');
      await t.custodian.store.db.updateTable('subject').set({ state: 'depersonalized' }).where('id', '=', id).execute();
      const lifted = await t.custodian.blocks.unblock(id, early.id, 'test');
      assert.notEqual(lifted.liftedAt, null);
      assert.equal((await lastEvent(id)).operation, 'unblocking');
      const error = await refusal(t.custodian.blocks.block(id, { reason: 'legal-claim' }, 'test'));
      assert.equal(error.code, 'subject_not_active');
    });

    it('lists a subject’s blocks oldest first', async () => {
      const id = await newSubject();
      const first = await t.custodian.blocks.block(id, { categories: ['user.name'], reason: 'subject-request' }, 'test');
      t.clock.advance(1000);
      const second = await t.custodian.blocks.block(id, { reason: 'legal-claim' }, 'test');
      t.clock.advance(-1000);
      assert.deepEqual((await t.custodian.blocks.list(id)).map((b) => b.id), [first.id, second.id]);
    });
  });
}
