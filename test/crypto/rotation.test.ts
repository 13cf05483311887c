import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openCustodian } from '../../src/custodian.js';
import { rotateKeys } from '../../src/crypto/rotation.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`key-encryption key rotation (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    const subjects: string[] = [];

    before(async () => {
      t = await createTestCustodian(engine);
      for (let i = 0; i < 12; i++) {
        const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `rot${i}@example.kz` }] }, 'test');
        await t.custodian.vault.collect(id, [{ category: 'user.name', value: `Rotation Person ${i}`, purpose: 'orders', source: 'direct' }], 'test');
        subjects.push(id);
      }
    });
    after(async () => t.dispose());

    it('creates the keyring on first start readable by its owner only', () => {
      assert.equal(statSync(t.config.keyringPath).mode & 0o777, 0o600);
    });

    it('`custodian keys rotate` re-wraps every data key without re-encrypting values, then retires the old key', async () => {
      const oldKek = JSON.parse(readFileSync(t.config.keyringPath, 'utf8')).active;
      const valuesBefore = await t.custodian.store.db.selectFrom('data_item').select(['id', 'value_enc']).orderBy('id').execute();

      const result = await runCli(['keys', 'rotate'], cliEnv(t.database.location, t.config.keyringPath));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Re-wrapped 15 key\(s\)/); // 12 subjects + 3 system keys
      assert.match(result.stdout, new RegExp(`Retired key-encryption key\\(s\\): ${oldKek}`));

      const ring = JSON.parse(readFileSync(t.config.keyringPath, 'utf8'));
      assert.notEqual(ring.active, oldKek);
      assert.deepEqual(Object.keys(ring.keys), [ring.active]);
      const kekIds = await t.custodian.store.db.selectFrom('custodian_keys.subject_key').select('kek_id').distinct().execute();
      assert.deepEqual(kekIds.map((r) => r.kek_id), [ring.active]);
      assert.deepEqual(await t.custodian.store.db.selectFrom('data_item').select(['id', 'value_enc']).orderBy('id').execute(), valuesBefore);

      // The running instance picks up the new keyring and still reads everything.
      const { items } = await t.custodian.vault.readForPurpose(subjects[3], 'orders', 'test');
      assert.equal(items[0].value, 'Rotation Person 3');
      const again = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'rot3@example.kz' }] }, 'test');
      assert.equal(again.id, subjects[3], 'blind index survives rotation');
    });

    it('does not retire the old KEK while a transaction that used it is still open', async () => {
      const { store, keys } = t.custodian;
      const oldKek = keys.keks.activeId;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let wrapped!: () => void;
      const didWrap = new Promise<void>((resolve) => (wrapped = resolve));
      const subjectId = '22222222-2222-4222-8222-222222222222';
      // A writer elsewhere wraps a new subject's key with the current KEK, and is slow to commit.
      const slowWriter = store.transaction(async (trx) => {
        await store.lockKeyring(trx, 'shared');
        const key = keys.newSubjectKey(subjectId);
        await trx.insertInto('custodian_keys.subject_key').values({ subject_id: subjectId, kek_id: key.kekId, wrapped: key.wrapped, created_at: 0 }).execute();
        await trx.insertInto('subject').values({ id: subjectId, state: 'active', jurisdiction: null, locale: null, kek_id: null, wrapped_key: null, created_at: 0, updated_at: 0 }).execute();
        wrapped();
        await released;
      });
      await didWrap;
      const rotation = rotateKeys(store, keys, { newKek: true, propagationMs: 0 });
      await new Promise((r) => setTimeout(r, 200));
      release();
      await slowWriter;
      const result = await rotation;
      assert.ok(result.retired.includes(oldKek));
      const row = await store.db.selectFrom('custodian_keys.subject_key').select(['kek_id', 'wrapped']).where('subject_id', '=', subjectId).executeTakeFirstOrThrow();
      assert.equal(row.kek_id, result.activeKekId, 'the late subject was re-wrapped before the old KEK was retired');
      assert.equal(keys.subjectKey(subjectId, { kekId: row.kek_id, wrapped: row.wrapped }).length, 32);
    });

    it('rotates keys supplied through CUSTODIAN_MASTER_KEY by prepending a new one', async () => {
      const { createTestDatabase } = await import('../support/engines.js');
      const database = await createTestDatabase(engine);
      try {
        const k1 = `k1:${randomBytes(32).toString('base64')}`;
        const k2 = `k2:${randomBytes(32).toString('base64')}`;
        const first = await openCustodian({ database: database.location, masterKey: k1, keyringPath: '/nonexistent' });
        await first.policies.publish(readFileSync(new URL('../../examples/demo.policy.yaml', import.meta.url), 'utf8'), 'demo');
        const { id } = await first.vault.upsertSubject({ identifiers: [{ type: 'phone', value: '+77011112233' }] }, 'test');
        await first.vault.collect(id, [{ category: 'user.name', value: 'Env Person', purpose: 'orders', source: 'direct' }], 'test');
        await first.close();

        const env = { ...cliEnv(database.location, '/nonexistent'), CUSTODIAN_MASTER_KEY: `${k2},${k1}` };
        const rotated = await runCli(['keys', 'rotate'], env);
        assert.equal(rotated.code, 0, rotated.stderr);
        assert.match(rotated.stdout, /remove it from CUSTODIAN_MASTER_KEY/);

        const second = await openCustodian({ database: database.location, masterKey: k2, keyringPath: '/nonexistent' });
        assert.equal((await second.vault.readForPurpose(id, 'orders', 'test')).items[0].value, 'Env Person');
        await second.close();
      } finally {
        await database.drop();
      }
    });
  });
}
