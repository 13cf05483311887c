/**
 * The blind index finds a subject by an identifier without storing the identifier: equal
 * identifiers of one type index equally, and nothing else does — not the same text as
 * another type, not the same identifier under another installation's key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IDENTIFIER_TYPES } from '../../src/vault/identifiers.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`blind index (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let other: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
      other = await createTestCustodian(engine, { policy: null });
    });
    after(async () => {
      await t?.dispose();
      await other?.dispose();
    });

    it('is the same for the same identifier and differs for another value', () => {
      const { keys } = t.custodian;
      assert.equal(keys.blindIndex('email', 'aigerim@example.kz'), keys.blindIndex('email', 'aigerim@example.kz'));
      assert.notEqual(keys.blindIndex('email', 'aigerim@example.kz'), keys.blindIndex('email', 'aigerim@example.com'));
      assert.match(keys.blindIndex('email', 'aigerim@example.kz'), /^[A-Za-z0-9_-]{43}$/, 'an HMAC-SHA-256, base64url');
    });

    it('never shares an index between identifier types, whatever the text', () => {
      const { keys } = t.custodian;
      for (const text of ['880101300123', 'aigerim', '+77010000000']) {
        const indexes = IDENTIFIER_TYPES.map((type) => keys.blindIndex(type, text));
        assert.equal(new Set(indexes).size, IDENTIFIER_TYPES.length, `${text}: ${indexes.join(' ')}`);
      }
      // The type and the value are kept apart, so moving text between them does not collide either.
      assert.notEqual(keys.blindIndex('email', 'x'), keys.blindIndex('emailx', ''));
    });

    it('depends on the installation’s key, so an index reveals nothing elsewhere', () => {
      assert.notEqual(t.custodian.keys.blindIndex('email', 'aigerim@example.kz'), other.custodian.keys.blindIndex('email', 'aigerim@example.kz'));
    });

    it('keeps two subjects apart whose identifiers of different types have the same text', async () => {
      const { vault, lookup } = t.custodian;
      const text = `shared${Date.now()}`;
      const byAccount = await vault.upsertSubject({ identifiers: [{ type: 'account_id', value: text }] }, 'test');
      const byExternal = await vault.upsertSubject({ identifiers: [{ type: 'external_id', value: text }] }, 'test');
      assert.equal(byAccount.created, true);
      assert.equal(byExternal.created, true);
      assert.notEqual(byAccount.id, byExternal.id);
      assert.equal((await lookup.byIdentifier({ type: 'account_id', value: text }, 'test')).id, byAccount.id);
      assert.equal((await lookup.byIdentifier({ type: 'external_id', value: text }, 'test')).id, byExternal.id);
      await assert.rejects(lookup.byIdentifier({ type: 'email', value: `${text}@example.kz` }, 'test'), { code: 'not_found' });
    });

    it('is what the database holds instead of the identifier', async () => {
      const value = `stored${Date.now()}@example.kz`;
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value }] }, 'test');
      const rows = await t.custodian.store.db.selectFrom('subject_identifier').selectAll().where('subject_id', '=', id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].blind_index, t.custodian.keys.blindIndex('email', value));
      assert.ok(!JSON.stringify(rows).includes(value), 'no column holds the address in clear');
    });
  });

  describe(`signed-link MAC (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let other: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine, { policy: null });
      other = await createTestCustodian(engine, { policy: null });
    });
    after(async () => {
      await t?.dispose();
      await other?.dispose();
    });

    it('is keyed, deterministic and covers the whole payload', () => {
      const mac = t.custodian.keys.linkMac('payload');
      assert.equal(t.custodian.keys.linkMac('payload'), mac);
      assert.notEqual(t.custodian.keys.linkMac('payload!'), mac);
      assert.notEqual(other.custodian.keys.linkMac('payload'), mac);
      assert.notEqual(t.custodian.keys.linkMac('email\u0000payload'), t.custodian.keys.blindIndex('email', 'payload'), 'the link key is not the blind-index key');
    });
  });
}
