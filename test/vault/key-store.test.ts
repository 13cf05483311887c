/**
 * The key store apart from the data, on both engines: subjects' wrapped keys live in the
 * `custodian_keys` schema (SQLite: a file of its own), never in the data tables; the
 * migration moves keys of an older store there and clears them; erasure leaves no trace of
 * the key in the key file or a dump; a subject whose key is gone reads as erased.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seal, valueContext } from '../../src/crypto/envelope.js';
import { KeyService } from '../../src/crypto/keys.js';
import { kekProviderFor, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { CustodianError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/migrations.js';
import { migrateToLatest } from '../../src/store/migrations.js';
import { keyStorePath, openStore } from '../../src/store/store.js';
import { createTestCustodian, DEMO_POLICY, type TestCustodian } from '../support/custodian.js';
import { createTestDatabase, ENGINES, engineSkip, PG_ADMIN_URL, type TestDatabase } from '../support/engines.js';

function sqliteFiles(path: string): string {
  return ['', '-wal'].map((suffix) => (existsSync(`${path}${suffix}`) ? readFileSync(`${path}${suffix}`).toString('latin1') : '')).join('');
}

function pgDump(database: string, args: string[] = []): string {
  const url = new URL(PG_ADMIN_URL);
  return execFileSync('pg_dump', ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', '--no-owner', ...args, database], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

for (const engine of ENGINES) {
  describe(`the key store apart from the data (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());
    const db = () => t.custodian.store.db;

    it('keeps every subject key in the key schema, none in the data tables', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'keystore.a@example.kz' }] }, 'test');
      await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'Keystore Person', purpose: 'orders', source: 'direct' }], 'test');
      const row = await db().selectFrom('subject').select(['kek_id', 'wrapped_key']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { kek_id: null, wrapped_key: null });
      const key = await t.custodian.keyStore.get(db(), { kind: 'subject', id });
      assert.ok(key?.wrapped.startsWith('v1.'));
      assert.equal((await t.custodian.vault.readForPurpose(id, 'orders', 'test')).items[0].value, 'Keystore Person');
      await t.custodian.checkpoint();
      if (t.database.location.engine === 'sqlite') {
        const keyFile = keyStorePath(t.database.location.path);
        assert.equal(keyFile, join(t.database.dir, 'custodian.keys.sqlite'));
        assert.ok(sqliteFiles(keyFile).includes(key!.wrapped), 'the key is in the key file');
        assert.ok(!sqliteFiles(t.database.location.path).includes(key!.wrapped), 'and not in the data file');
      } else {
        assert.ok(!pgDump(t.database.pgDatabase!, ['--exclude-schema=custodian_keys']).includes(key!.wrapped), 'a dump of the data schema holds no key');
        assert.ok(pgDump(t.database.pgDatabase!, ['--schema=custodian_keys']).includes(key!.wrapped), 'the key schema does');
      }
    });

    it('after an erasure the key is gone from the key file and from any dump', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'keystore.b@example.kz' }] }, 'test');
      const key = (await t.custodian.keyStore.get(db(), { kind: 'subject', id }))!;
      await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      assert.equal(await t.custodian.keyStore.get(db(), { kind: 'subject', id }), undefined);
      if (t.database.location.engine === 'sqlite') {
        assert.ok(!sqliteFiles(keyStorePath(t.database.location.path)).includes(key.wrapped), 'overwritten in the key file and its WAL');
      } else {
        assert.ok(!pgDump(t.database.pgDatabase!).includes(key.wrapped));
      }
    });

    it('a whole-subject depersonalization leaves no trace of the key either', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'keystore.d@example.kz' }] }, 'test');
      const key = (await t.custodian.keyStore.get(db(), { kind: 'subject', id }))!;
      await t.custodian.depersonalizer.depersonalize(id, {}, 'staff:dpo');
      assert.equal(await t.custodian.keyStore.get(db(), { kind: 'subject', id }), undefined);
      const raw = t.database.location.engine === 'sqlite' ? sqliteFiles(keyStorePath(t.database.location.path)) : pgDump(t.database.pgDatabase!);
      assert.ok(!raw.includes(key.wrapped));
    });

    it('a subject whose key is gone is erased to every reader, though its row says active', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'keystore.c@example.kz' }] }, 'test');
      await t.custodian.vault.collect(id, [{ category: 'user.name', value: 'Keyless Person', purpose: 'orders', source: 'direct' }], 'test');
      await t.custodian.keyStore.destroy(db(), { kind: 'subject', id });
      const error = await t.custodian.vault.readForPurpose(id, 'orders', 'test').catch((e: unknown) => e);
      assert.ok(error instanceof CustodianError);
      assert.deepEqual([error.code, error.message], ['subject_not_active', 'The subject is erased']);
      assert.equal(await t.custodian.vault.mailRecipient(id, { purpose: null, reason: 'test' }, 'test'), undefined);
      // Erasing it finishes the job: items and identifiers go, the row becomes a tombstone.
      const result = await t.custodian.erasure.erase(id, { actor: 'staff:dpo', reason: 'request' });
      assert.equal(result.shredded, true);
      assert.equal((await db().selectFrom('subject').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'erased');
    });
  });

  describe(`the key-store migration (${engine})`, { skip: engineSkip(engine) }, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(engine);
    });
    after(async () => database?.drop());

    it('moves the keys of an older store out of the subject rows, and the data still reads', async () => {
      const config = { database: database.location, keyringPath: join(database.dir, 'keyring.json') };
      const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0010_vault_key_store'));
      const store = openStore(database.location);
      const subjectId = '01890000-0000-7000-8000-00000000aaaa';
      const itemId = '01890000-0000-7000-8000-00000000bbbb';
      let wrapped: string;
      try {
        await migrateToLatest(store.db, before);
        const keys = new KeyService(kekProviderFor(config));
        await keys.load(store.db, Date.parse('2026-11-22T09:00:00Z'));
        const key = keys.newSubjectKey(subjectId);
        wrapped = key.wrapped;
        const now = Date.parse('2026-11-22T09:00:00Z');
        await store.db.insertInto('subject').values({ id: subjectId, state: 'active', jurisdiction: 'KZ', locale: null, kek_id: key.kekId, wrapped_key: key.wrapped, created_at: now, updated_at: now }).execute();
        await store.db
          .insertInto('data_item')
          .values({ id: itemId, subject_id: subjectId, category: 'user.name', value_enc: seal(key.key, Buffer.from(JSON.stringify('Migrated Person')), valueContext(subjectId, itemId, 'user.name')), purposes: '["orders"]', source: 'direct', collected_at: now, retention_due_at: null, state: 'active', policy_version: 1, updated_at: now, revision: 1 })
          .execute();
      } finally {
        await store.close();
      }

      const custodian = await openCustodian(config);
      try {
        await publishPolicyFile(custodian, DEMO_POLICY);
        const row = await custodian.store.db.selectFrom('subject').select(['kek_id', 'wrapped_key']).where('id', '=', subjectId).executeTakeFirstOrThrow();
        assert.deepEqual(row, { kek_id: null, wrapped_key: null }, 'cleared in the data table');
        assert.equal((await custodian.keyStore.get(custodian.store.db, { kind: 'subject', id: subjectId }))?.wrapped, wrapped!, 'moved to the key store');
        assert.equal((await custodian.vault.readForPurpose(subjectId, 'orders', 'test')).items[0].value, 'Migrated Person');
      } finally {
        await custodian.close();
      }
    });
  });
}
