/**
 * Depersonalization as a service, on both engines: what it refuses before touching
 * anything, what a depersonalized record keeps (no subject, no item, the month only), and
 * what a whole-subject run destroys.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
  describe(`depersonalization (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    /** A subject with a name, a phone number and an address, for orders. */
    async function subjectWithData() {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `d${Math.random()}@example.kz` }] }, 'test');
      const { ids } = await t.custodian.vault.collect(
        id,
        [
          { category: 'user.name', value: 'Dana Sultanovna', purpose: 'orders', source: 'direct' },
          { category: 'user.contact.phone_number', value: '+77017770000', purpose: 'orders', source: 'direct' },
          { category: 'user.contact.address', value: { street: 'Abay 1', city: 'Shymkent' }, purpose: 'orders', source: 'direct' },
        ],
        'test',
      );
      return { id, ids };
    }
    const db = () => t.custodian.store.db;
    const states = async (id: string) => (await db().selectFrom('data_item').select(['category', 'state']).where('subject_id', '=', id).orderBy('category').execute()).map((r) => [r.category, r.state]);

    it('applies each category’s transform, or the one asked for, and keeps no link to the subject', async () => {
      const { id, ids } = await subjectWithData();
      const before = (await db().selectFrom('depersonalized_record').select('id').execute()).length;
      const result = await t.custodian.depersonalizer.depersonalize(id, { itemIds: [ids[0], ids[2]], transforms: { 'user.name': 'suppress' } }, 'apikey:dp');
      assert.deepEqual(result, { items: 2, wholeSubject: false, transforms: { 'user.name': 'suppress', 'user.contact.address': 'city' } });
      const records = await db().selectFrom('depersonalized_record').selectAll().execute();
      assert.equal(records.length, before + 2);
      const mine = records.filter((r) => ['user.name', 'user.contact.address'].includes(r.category)).slice(-2);
      assert.deepEqual(mine.map((r) => [r.category, JSON.parse(r.value), r.transform, JSON.parse(r.purposes), r.collected_month]).sort(), [
        ['user.contact.address', 'Shymkent', 'city', ['orders'], new Date(t.clock.now()).toISOString().slice(0, 7)],
        ['user.name', null, 'suppress', ['orders'], new Date(t.clock.now()).toISOString().slice(0, 7)],
      ]);
      assert.ok(!JSON.stringify(records).includes(id) && !ids.some((item) => JSON.stringify(records).includes(item)), 'no subject or item id');
      assert.deepEqual(await states(id), [
        ['user.contact.address', 'depersonalized'],
        ['user.contact.phone_number', 'active'],
        ['user.name', 'depersonalized'],
      ]);
      const emptied = await db().selectFrom('data_item').select('value_enc').where('id', 'in', [ids[0], ids[2]]).execute();
      assert.deepEqual(emptied.map((r) => r.value_enc), ['', '']);
      const event = (await db().selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq').execute()).at(-1)!;
      assert.deepEqual([event.operation, event.actor], ['depersonalization', 'apikey:dp']);
      assert.deepEqual(JSON.parse(event.categories).sort(), ['user.contact.address', 'user.name']);
      const details = JSON.parse(event.details);
      assert.deepEqual({ ...details, transforms: details.transforms.sort() }, { items: 2, scope: 'items', transforms: ['user.contact.address:city', 'user.name:suppress'] });
      assert.equal((await db().selectFrom('subject').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'active');
    });

    it('depersonalizes by category, and only active items', async () => {
      const { id } = await subjectWithData();
      const result = await t.custodian.depersonalizer.depersonalize(id, { categories: ['user.contact.phone_number'] }, 'test');
      assert.deepEqual(result, { items: 1, wholeSubject: false, transforms: { 'user.contact.phone_number': 'suppress' } });
      assert.deepEqual((await t.custodian.depersonalizer.depersonalize(id, { categories: ['user.contact.phone_number'] }, 'test')).items, 0, 'already done');
      assert.deepEqual((await t.custodian.depersonalizer.depersonalize(id, { categories: [] }, 'test')).items, 0, 'an empty list names nothing');
      assert.deepEqual((await t.custodian.depersonalizer.depersonalize(id, { itemIds: [] }, 'test')).items, 0);
    });

    it('refuses an unknown transform, an undeclared category and items that are not active, changing nothing', async () => {
      const { id, ids } = await subjectWithData();
      const before = await storeSnapshot(t.custodian);
      const transform = await refusal(t.custodian.depersonalizer.depersonalize(id, { transforms: { 'user.name': 'shuffle' as never, 'user.contact.address': 'city' } }, 'test'));
      assert.deepEqual([transform.code, transform.message, transform.details], ['validation_failed', 'Unknown transform', [{ path: 'transforms.user.name', message: 'must be one of year, age-band, city, suppress, hash' }]]);
      const category = await refusal(t.custodian.depersonalizer.depersonalize(id, { categories: ['user.name', 'Dana Sultanovna'] }, 'test'));
      assert.deepEqual([category.code, category.details], ['category_not_declared', [{ path: 'categories[1]', message: 'category is not declared in the policy' }]]);
      assert.ok(!JSON.stringify(category).includes('Dana'));
      await t.custodian.depersonalizer.depersonalize(id, { itemIds: [ids[1]] }, 'test');
      const after = await storeSnapshot(t.custodian);
      const missing = await refusal(t.custodian.depersonalizer.depersonalize(id, { itemIds: [ids[0], ids[1], '00000000-0000-4000-8000-000000000000'] }, 'test'));
      assert.deepEqual([missing.code, missing.message, missing.details], [
        'not_found',
        'Some items do not exist or are not active',
        [
          { path: 'itemIds[1]', message: 'no active item with this id' },
          { path: 'itemIds[2]', message: 'no active item with this id' },
        ],
      ]);
      assert.deepEqual(await storeSnapshot(t.custodian), after);
      assert.notDeepEqual(before, after);
    });

    it('refuses blocked data, naming the block, and lets it through once lifted', async () => {
      const { id, ids } = await subjectWithData();
      const block = await t.custodian.blocks.block(id, { categories: ['user.name', 'user.contact.email'], reason: 'accuracy-disputed' }, 'test');
      const byItem = await refusal(t.custodian.depersonalizer.depersonalize(id, { itemIds: [ids[0]] }, 'test'));
      assert.deepEqual([byItem.code, byItem.message, byItem.details], ['denied', 'Blocked data cannot be depersonalized until the block is lifted', [{ path: 'itemIds', code: 'category_blocked', message: 'blocked categories: user.name, user.contact.email' }]]);
      const byCategory = await refusal(t.custodian.depersonalizer.depersonalize(id, { categories: ['user.name'] }, 'test'));
      assert.equal(byCategory.details[0].path, 'categories');
      assert.equal((await t.custodian.depersonalizer.depersonalize(id, { itemIds: [ids[1]] }, 'test')).items, 1, 'another category is not blocked');
      const whole = await refusal(t.custodian.depersonalizer.depersonalize(id, {}, 'test'));
      assert.equal(whole.details[0].code, 'category_blocked', 'the whole subject includes its e-mail identifier');
      await t.custodian.blocks.unblock(id, block.id, 'test');
      await t.custodian.blocks.block(id, { reason: 'authority-order' }, 'test');
      const subject = await refusal(t.custodian.depersonalizer.depersonalize(id, { itemIds: [ids[2]] }, 'test'));
      assert.deepEqual(subject.details, [{ path: 'id', code: 'subject_blocked', message: 'the subject’s data is blocked' }]);
    });

    it('a whole subject: every item, the identifiers and the data key go; the journal says so', async () => {
      const { id } = await subjectWithData();
      const result = await t.custodian.depersonalizer.depersonalize(id, {}, 'test');
      assert.deepEqual(result, { items: 3, wholeSubject: true, transforms: { 'user.name': 'suppress', 'user.contact.phone_number': 'suppress', 'user.contact.address': 'city' } });
      const subject = await db().selectFrom('subject').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([subject.state, subject.wrapped_key, subject.kek_id], ['depersonalized', null, null]);
      assert.equal((await db().selectFrom('subject_identifier').select('id').where('subject_id', '=', id).execute()).length, 0);
      const event = (await db().selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq').execute()).at(-1)!;
      assert.equal(JSON.parse(event.details).scope, 'subject');
      const again = await refusal(t.custodian.depersonalizer.depersonalize(id, {}, 'test'));
      assert.equal(again.code, 'subject_not_active');
    });
  });
}
