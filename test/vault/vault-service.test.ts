/**
 * The vault as a service, on both engines: subjects found or created by their identifiers,
 * collection checked item by item before anything is written, reads released through the
 * gate category by category, corrections, and the one address mail goes to.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CustodianError } from '../../src/errors.js';
import { addDuration } from '../../src/law/duration.js';
import type { CollectItemInput } from '../../src/vault/vault.js';
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

const SECRET = 'Aigerim Nurlanovna';

for (const engine of ENGINES) {
  describe(`vault service (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const email = () => `v${Math.random().toString(36).slice(2)}@example.kz`;
    const newSubject = async (extra: { jurisdiction?: 'KZ' | 'EU'; locale?: 'ru' | 'kk' | 'en' } = {}) => (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: email() }], ...extra }, 'test')).id;
    const events = (subjectId: string) => t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', subjectId).orderBy('seq').execute();
    const name = (value: unknown = SECRET): CollectItemInput => ({ category: 'user.name', value: value as string, purpose: 'orders', source: 'direct' });

    describe('subjects', () => {
      it('creates a subject with its residence and language, journaling which identifiers were collected, never their values', async () => {
        const address = email();
        const { id, created } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }, { type: 'phone', value: '+7 701 000 00 01' }, { type: 'email', value: address.toUpperCase() }], jurisdiction: 'KZ', locale: 'kk' }, 'apikey:one');
        assert.equal(created, true);
        assert.deepEqual(await t.custodian.vault.getSubject(id), { id, state: 'active', jurisdiction: 'KZ', locale: 'kk', createdAt: t.clock.now() });
        const [event] = await events(id);
        assert.equal(event.operation, 'collection');
        assert.equal(event.actor, 'apikey:one');
        assert.deepEqual(JSON.parse(event.categories), ['user.contact.email', 'user.contact.phone_number']);
        assert.deepEqual(JSON.parse(event.details), { kind: 'identifiers', count: 2, newSubject: true }, 'the same address written twice is one identifier');
        assert.ok(!JSON.stringify(event).includes(address.split('@')[0]));
      });

      it('finds the subject again and attaches only identifiers it did not have, journaled as such', async () => {
        const address = email();
        const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }] }, 'test');
        const again = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: ` ${address.toUpperCase()} ` }] }, 'test');
        assert.deepEqual(again, { id, created: false });
        assert.equal((await events(id)).length, 1, 'nothing new, nothing journaled');
        const more = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }, { type: 'account_id', value: `acc-${id}` }] }, 'test');
        assert.deepEqual(more, { id, created: false });
        const last = (await events(id)).at(-1)!;
        assert.deepEqual(JSON.parse(last.categories), ['user.account.username']);
        assert.deepEqual(JSON.parse(last.details), { kind: 'identifiers', count: 1, newSubject: false });
      });

      it('refuses an invalid identifier, naming its place and type, and writes nothing', async () => {
        const before = await storeSnapshot(t.custodian);
        const error = await refusal(t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: email() }, { type: 'iin', value: '880101300124' }, { type: 'email', value: 'aigerim.example.kz' }] }, 'test'));
        assert.equal(error.code, 'validation_failed');
        assert.equal(error.message, 'Invalid identifier');
        assert.deepEqual(error.details, [
          { path: 'identifiers[1].value', message: 'iin must be a valid 12-digit Kazakhstan IIN (check digit failed)' },
          { path: 'identifiers[2].value', message: 'email must be an e-mail address' },
        ]);
        assert.deepEqual(await storeSnapshot(t.custodian), before);
      });

      it('adds no identifier to a blocked subject, nor one of a blocked category', async () => {
        const address = email();
        const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }] }, 'test');
        const phoneBlock = await t.custodian.blocks.block(id, { categories: ['user.contact.phone_number'], reason: 'accuracy-disputed' }, 'test');
        const phone = await refusal(t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }, { type: 'phone', value: '+77010000002' }] }, 'test'));
        assert.equal(phone.code, 'denied');
        assert.equal(phone.message, 'Some identifiers are in blocked categories');
        assert.deepEqual(phone.details, [{ path: 'identifiers[1]', code: 'category_blocked', message: 'user.contact.phone_number is blocked' }]);
        assert.equal((await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }, { type: 'account_id', value: `a-${id}` }] }, 'test')).id, id, 'other categories may still be added');
        await t.custodian.blocks.unblock(id, phoneBlock.id, 'test');
        await t.custodian.blocks.block(id, { reason: 'subject-request' }, 'test');
        const whole = await refusal(t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }, { type: 'phone', value: '+77010000003' }] }, 'test'));
        assert.deepEqual([whole.code, whole.message, whole.details], ['denied', 'The subject is blocked: no identifiers can be added', [{ path: 'identifiers', code: 'subject_blocked', message: 'the subject’s data is blocked' }]]);
        assert.equal((await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }] }, 'test')).id, id, 'finding a blocked subject adds nothing and is allowed');
      });

      it('changes residence and language, journaling which fields changed; refuses an empty change', async () => {
        const id = await newSubject();
        const changed = await t.custodian.vault.updateSubject(id, { jurisdiction: 'EU', locale: undefined }, 'apikey:two');
        assert.deepEqual([changed.jurisdiction, changed.locale], ['EU', null]);
        const event = (await events(id)).at(-1)!;
        assert.deepEqual([event.operation, event.actor, JSON.parse(event.details)], ['clarification', 'apikey:two', { kind: 'subject', fields: ['jurisdiction'] }]);
        const empty = await refusal(t.custodian.vault.updateSubject(id, { locale: undefined }, 'test'));
        assert.deepEqual([empty.code, empty.message], ['validation_failed', 'Nothing to change']);
        const missing = await refusal(t.custodian.vault.getSubject('00000000-0000-4000-8000-000000000000'));
        assert.equal(missing.code, 'not_found');
      });
    });

    describe('collection', () => {
      it('stores each item with its purpose, source and retention date, and journals one event per purpose', async () => {
        const id = await newSubject();
        const { ids, policyVersion } = await t.custodian.vault.collect(id, [name(), { category: 'user.contact.phone_number', value: '+7 701 000 00 04', purpose: 'orders', source: 'direct' }], 'apikey:three');
        assert.equal(ids.length, 2);
        assert.equal(policyVersion, t.custodian.policies.active().number);
        const rows = await t.custodian.store.db.selectFrom('data_item').selectAll().where('subject_id', '=', id).orderBy('category').execute();
        assert.deepEqual(rows.map((r) => [r.category, JSON.parse(r.purposes), r.source, Number(r.collected_at), Number(r.retention_due_at), r.state, Number(r.revision)]), [
          ['user.contact.phone_number', ['orders'], 'direct', t.clock.now(), addDuration(t.clock.now(), 'P3Y'), 'active', 1],
          ['user.name', ['orders'], 'direct', t.clock.now(), addDuration(t.clock.now(), 'P3Y'), 'active', 1],
        ]);
        assert.ok(rows.every((r) => !r.value_enc.includes('Aigerim') && !r.value_enc.includes('701')));
        const collection = (await events(id)).filter((e) => e.operation === 'collection' && e.purpose === 'orders');
        assert.equal(collection.length, 1);
        assert.deepEqual(JSON.parse(collection[0].categories), ['user.name', 'user.contact.phone_number']);
        assert.deepEqual(JSON.parse(collection[0].details), { items: ids, sources: ['direct'], policyVersion });
        const { items } = await t.custodian.vault.readForPurpose(id, 'orders', 'test');
        assert.deepEqual(items.map((i) => i.value).sort(), ['+77010000004', SECRET], 'stored normalized');
      });

      it('refuses a request with any bad item, naming each, quoting no value, and writes nothing', async () => {
        const id = await newSubject();
        const before = await storeSnapshot(t.custodian);
        const error = await refusal(
          t.custodian.vault.collect(
            id,
            [
              name(),
              { category: 'user.name', value: SECRET, purpose: SECRET, source: 'direct' },
              { category: SECRET, value: 'x', purpose: 'orders', source: 'direct' },
              { category: 'user.contact.phone_number', value: '+77010000009', purpose: 'marketing', source: 'direct' },
              { category: 'user.name', value: SECRET, purpose: 'orders', source: 'third-party' },
              { category: 'user.contact.email', value: SECRET, purpose: 'orders', source: 'direct' },
            ],
            'test',
          ),
        );
        assert.equal(error.code, 'purpose_not_declared', 'the first problem’s code');
        assert.deepEqual(error.details, [
          { path: 'items[1].purpose', message: 'purpose is not declared in the policy' },
          { path: 'items[2].category', message: 'category is not declared in the policy' },
          { path: 'items[3].category', message: 'category "user.contact.phone_number" is not declared for purpose "marketing"' },
          { path: 'items[4].source', message: 'purpose "orders" does not declare third-party as a source of its data' },
          { path: 'items[5].value', message: 'a value of "user.contact.email" must be an e-mail address (name@example.com): a local part, "@" and a domain' },
        ]);
        assert.ok(!JSON.stringify(error).includes('Aigerim'));
        assert.deepEqual(await storeSnapshot(t.custodian), before);
        const value = await refusal(t.custodian.vault.collect(id, [name(true)], 'test'));
        assert.equal(value.code, 'value_invalid');
      });

      it('refuses collection the gate refuses, with every reason at `items`', async () => {
        const id = await newSubject();
        await t.custodian.blocks.block(id, { reason: 'subject-request' }, 'test');
        const error = await refusal(t.custodian.vault.collect(id, [name()], 'test'));
        assert.equal(error.code, 'denied');
        assert.equal(error.message, 'Collection for "orders" is not allowed');
        assert.deepEqual(error.details, [{ path: 'items', code: 'subject_blocked', message: 'the subject’s data is blocked' }]);
        const marketing = await refusal(t.custodian.vault.collect(await newSubject(), [{ category: 'user.contact.email', value: 'a@b.kz', purpose: 'marketing', source: 'direct' }], 'test'));
        assert.deepEqual(marketing.details.map((d) => d.code), ['consent_missing']);
      });
    });

    describe('reading for a purpose', () => {
      it('releases only the purpose’s items, as extraction where the purpose declares it, journaling which items', async () => {
        const id = await newSubject();
        const { ids } = await t.custodian.vault.collect(id, [name(), { category: 'user.contact.phone_number', value: '+77010000005', purpose: 'orders', source: 'direct' }], 'test');
        const { items, withheld } = await t.custodian.vault.readForPurpose(id, 'orders', 'apikey:reader');
        assert.deepEqual(withheld, []);
        assert.deepEqual(items.map((i) => i.id).sort(), [...ids].sort());
        const item = items.find((i) => i.category === 'user.name')!;
        assert.deepEqual({ ...item, id: undefined }, { id: undefined, category: 'user.name', value: SECRET, purposes: ['orders'], source: 'direct', collectedAt: t.clock.now(), retentionDueAt: addDuration(t.clock.now(), 'P3Y'), state: 'active', policyVersion: t.custodian.policies.active().number, revision: 1 });
        const read = (await events(id)).at(-1)!;
        assert.deepEqual([read.operation, read.actor, read.purpose], ['extraction', 'apikey:reader', 'orders']);
        assert.deepEqual(JSON.parse(read.categories).sort(), ['user.contact.phone_number', 'user.name']);
        assert.deepEqual(JSON.parse(read.details).items.sort(), [...ids].sort());
      });

      it('withholds blocked categories, naming why, and refuses the whole read when the subject is blocked', async () => {
        const id = await newSubject();
        await t.custodian.vault.collect(id, [name(), { category: 'user.contact.phone_number', value: '+77010000006', purpose: 'orders', source: 'direct' }], 'test');
        await t.custodian.blocks.block(id, { categories: ['user.name'], reason: 'accuracy-disputed' }, 'test');
        const { items, withheld } = await t.custodian.vault.readForPurpose(id, 'orders', 'test');
        assert.deepEqual(items.map((i) => i.category), ['user.contact.phone_number']);
        assert.deepEqual(withheld, [{ category: 'user.name', reasons: [{ code: 'category_blocked', message: 'category "user.name" is blocked' }] }]);
        const read = (await events(id)).at(-1)!;
        assert.deepEqual(JSON.parse(read.categories), ['user.contact.phone_number'], 'only what was released is journaled');

        await t.custodian.blocks.block(id, { categories: ['user.contact.phone_number'], reason: 'accuracy-disputed' }, 'test');
        const none = await refusal(t.custodian.vault.readForPurpose(id, 'orders', 'test'));
        assert.equal(none.code, 'denied', 'nothing left to release');
        assert.equal(none.message, 'Processing for "orders" is not allowed');
        assert.ok(none.details.every((d) => d.path === 'purpose'));

        const other = await newSubject();
        await t.custodian.vault.collect(other, [name()], 'test');
        await t.custodian.blocks.block(other, { reason: 'subject-request' }, 'test');
        const whole = await refusal(t.custodian.vault.readForPurpose(other, 'orders', 'test'));
        assert.deepEqual(whole.details.map((d) => d.code), ['subject_blocked']);
      });

      it('returns nothing and journals nothing for a subject without data for the purpose; refuses an undeclared purpose', async () => {
        const id = await newSubject();
        const before = (await events(id)).length;
        assert.deepEqual(await t.custodian.vault.readForPurpose(id, 'orders', 'test'), { items: [], withheld: [] });
        assert.equal((await events(id)).length, before);
        const undeclared = await refusal(t.custodian.vault.readForPurpose(id, SECRET, 'test'));
        assert.deepEqual([undeclared.code, undeclared.details], ['purpose_not_declared', [{ path: 'purpose', message: 'purpose is not declared' }]]);
        assert.ok(!undeclared.message.includes('Aigerim'));
      });
    });

    describe('rectification', () => {
      it('replaces the value, counts the revision and journals who changed which item, never the value', async () => {
        const id = await newSubject();
        const { ids: [item] } = await t.custodian.vault.collect(id, [name()], 'test');
        const first = await t.custodian.vault.rectify(id, item, '  Dana Sultanqyzy ', 'apikey:fix');
        assert.deepEqual([first.value, first.revision, first.id], ['Dana Sultanqyzy', 2, item]);
        const second = await t.custodian.vault.rectify(id, item, 'Dana S.', 'apikey:fix');
        assert.equal(second.revision, 3);
        const event = (await events(id)).at(-1)!;
        assert.deepEqual([event.operation, event.actor, event.purpose, JSON.parse(event.categories), JSON.parse(event.details)], ['clarification', 'apikey:fix', 'orders', ['user.name'], { item, revision: 3 }]);
        assert.ok(!JSON.stringify(event).includes('Dana'));
        assert.equal((await t.custodian.vault.readForPurpose(id, 'orders', 'test')).items[0].value, 'Dana S.');
      });

      it('refuses an unknown item, one of another subject, and one no longer active', async () => {
        const id = await newSubject();
        const { ids: [item] } = await t.custodian.vault.collect(id, [name()], 'test');
        const other = await newSubject();
        assert.equal((await refusal(t.custodian.vault.rectify(other, item, 'X', 'test'))).code, 'not_found');
        assert.equal((await refusal(t.custodian.vault.rectify(id, '00000000-0000-4000-8000-000000000000', 'X', 'test'))).code, 'not_found');
        await t.custodian.depersonalizer.depersonalize(id, { itemIds: [item] }, 'test');
        const gone = await refusal(t.custodian.vault.rectify(id, item, 'X', 'test'));
        assert.deepEqual([gone.code, gone.message, gone.details], ['conflict', 'The item is depersonalized and cannot be changed', [{ path: 'itemId', message: 'item is depersonalized' }]]);
      });
    });

    describe('the mail recipient', () => {
      it('is the newest e-mail address and the subject’s language, and its decryption is journaled', async () => {
        const first = email();
        const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: first }], locale: 'ru' }, 'test');
        t.clock.advance(1000);
        const second = email();
        await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: first }, { type: 'email', value: second }] }, 'test');
        t.clock.advance(-1000);
        const recipient = await t.custodian.vault.mailRecipient(id, { purpose: 'marketing', reason: 'consent-renewal' }, 'system:mail');
        assert.deepEqual(recipient, { address: second, locale: 'ru' });
        const event = (await events(id)).at(-1)!;
        assert.deepEqual([event.operation, event.actor, event.purpose, JSON.parse(event.categories), JSON.parse(event.details)], ['extraction', 'system:mail', 'marketing', ['user.contact.email'], { record: 'identifier', output: 'mail', reason: 'consent-renewal' }]);
      });

      it('is none for a subject without an address, an unknown one, or one no longer active', async () => {
        const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'account_id', value: `mail-${Math.random()}` }] }, 'test');
        assert.equal(await t.custodian.vault.mailRecipient(id, { purpose: null, reason: 'x' }, 'test'), undefined);
        assert.equal(await t.custodian.vault.mailRecipient('00000000-0000-4000-8000-000000000000', { purpose: null, reason: 'x' }, 'test'), undefined);
        const gone = await newSubject();
        await t.custodian.depersonalizer.depersonalize(gone, {}, 'test');
        assert.equal(await t.custodian.vault.mailRecipient(gone, { purpose: null, reason: 'x' }, 'test'), undefined);
      });
    });
  });
}
