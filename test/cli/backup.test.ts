/**
 * `custodian backup` / `custodian restore`, on both engines, through the real binary: a data
 * backup holds no key; restored after an erasure, the erased subject stays erased (their key
 * is gone) while everyone else in the backup reads as before, and `journal verify` passes.
 * Key backups are separate, refuse to bring back an erased subject's key, and expire.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { ManualClock } from '../../src/clock.js';
import { type Custodian, openCustodian } from '../../src/custodian.js';
import { CustodianError } from '../../src/errors.js';
import { restoreKeyBackup, writeKeyBackup } from '../../src/vault/key-backup.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip, PG_ADMIN_URL } from '../support/engines.js';

const ERASED = { email: 'erased.backupcheck@example.kz', name: 'Erased Backupcheckova', street: 'Backupcheck lane 5' };
const KEPT = { email: 'kept.backupcheck@example.kz', name: 'Kept Backupcheckov' };

function raw(t: TestCustodian): string {
  if (t.database.location.engine === 'sqlite') {
    const path = t.database.location.path;
    return ['', '-wal'].map((s) => (existsSync(`${path}${s}`) ? readFileSync(`${path}${s}`).toString('latin1') : '')).join('');
  }
  const url = new URL(PG_ADMIN_URL);
  return execFileSync('pg_dump', ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', '--no-owner', t.database.pgDatabase!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

for (const engine of ENGINES) {
  describe(`custodian backup and restore (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let env: Record<string, string>;
    let erased: string;
    let kept: string;
    let erasedCiphertexts: string[];
    let erasedKey: string;
    const dataBackup = () => join(t.database.dir, 'data.backup');
    const keyBackup = () => join(t.database.dir, 'keys.backup');

    before(async () => {
      t = await createTestCustodian(engine);
      env = cliEnv(t.database.location, t.config.keyringPath);
      const { vault } = t.custodian;
      erased = (await vault.upsertSubject({ identifiers: [{ type: 'email', value: ERASED.email }] }, 'test')).id;
      await vault.collect(erased, [{ category: 'user.name', value: ERASED.name, purpose: 'orders', source: 'direct' }, { category: 'user.contact.address', value: { street: ERASED.street, city: 'Almaty' }, purpose: 'orders', source: 'direct' }], 'test');
      kept = (await vault.upsertSubject({ identifiers: [{ type: 'email', value: KEPT.email }] }, 'test')).id;
      await vault.collect(kept, [{ category: 'user.name', value: KEPT.name, purpose: 'orders', source: 'direct' }], 'test');
      erasedCiphertexts = (await t.custodian.store.db.selectFrom('data_item').select('value_enc').where('subject_id', '=', erased).execute()).map((r) => r.value_enc);
      erasedKey = (await t.custodian.keyStore.get(t.custodian.store.db, { kind: 'subject', id: erased }))!.wrapped;
    });
    after(async () => t?.dispose());

    it('writes a data backup without keys while the server runs, with progress on stderr', async () => {
      const result = await runCli(['backup', '--out', dataBackup()], env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Backing up data|Data backed up/);
      assert.match(result.stdout, /Data backup written to .*no keys/);
      const bytes = readFileSync(dataBackup()).toString('latin1');
      assert.ok(bytes.length > 1000);
      assert.ok(!bytes.includes(erasedKey), 'no subject key in the backup');
      assert.ok(erasedCiphertexts.every((c) => bytes.includes(c) || engine === 'postgres'), 'the data is in it (PostgreSQL: compressed)');
      if (engine === 'sqlite') {
        const copy = new SqliteDatabase(dataBackup(), { readonly: true });
        try {
          assert.equal((copy.prepare('select count(*) as n from key_material').get() as { n: number }).n, 0, 'no system keys either');
          assert.equal((copy.prepare('select count(*) as n from subject where wrapped_key is not null').get() as { n: number }).n, 0);
        } finally {
          copy.close();
        }
      } else {
        const listing = execFileSync('pg_restore', ['--list', dataBackup()], { encoding: 'utf8' });
        assert.match(listing, /TABLE DATA public subject /);
        assert.doesNotMatch(listing, /TABLE DATA public key_material |custodian_keys/);
      }
      const keys = await runCli(['backup', '--keys', '--out', keyBackup()], { ...env, CUSTODIAN_KEY_BACKUP_DAYS: '7' });
      assert.equal(keys.code, 0, keys.stderr);
      assert.match(keys.stdout, /can be restored until .*\(7 days\)/);
    });

    it('restored after an erasure, the erased subject stays unreadable and erased; the others read as before', async () => {
      await t.custodian.erasure.erase(erased, { actor: 'staff:dpo', reason: 'request' });
      await t.custodian.close();
      const restored = await runCli(['restore', dataBackup()], env);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /1 subject\(s\) erased since the backup have no key and were erased again/);

      const custodian: Custodian = await openCustodian(t.config, { clock: t.clock });
      t.custodian = custodian;
      assert.equal((await custodian.vault.readForPurpose(kept, 'orders', 'test')).items[0].value, KEPT.name, 'the others read normally');
      assert.equal((await custodian.lookup.byIdentifier({ type: 'email', value: KEPT.email }, 'test')).id, kept);
      const refused = await custodian.vault.readForPurpose(erased, 'orders', 'test').catch((e: unknown) => e);
      assert.ok(refused instanceof CustodianError && refused.code === 'subject_not_active');
      assert.equal((await custodian.store.db.selectFrom('subject').select('state').where('id', '=', erased).executeTakeFirstOrThrow()).state, 'erased');
      assert.equal(await custodian.keyStore.get(custodian.store.db, { kind: 'subject', id: erased }), undefined);
      const acts = await custodian.erasure.actsOf(erased);
      assert.deepEqual(acts.map((a) => [a.reason, a.signatureValid]), [['restore', true]], 'the restore proves the destruction again');
      const text = raw(t);
      for (const value of [ERASED.email, ERASED.name, ERASED.street, erasedKey, ...erasedCiphertexts]) assert.ok(!text.includes(value), 'nothing of the erased subject in the restored database');

      // The reads above were journaled; the server would sign them within a minute.
      await custodian.checkpoint();
      const verify = await runCli(['journal', 'verify'], env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    });

    it('a key backup never brings back an erased subject’s key, and restores what is missing', async () => {
      const { keyStore, store } = t.custodian;
      await keyStore.destroy(store.db, { kind: 'subject', id: kept });
      const result = await runCli(['restore', '--keys', keyBackup()], env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Restored 1 key\(s\) and 0 system key\(s\); 0 already present; 1 of erased subjects not brought back/);
      assert.equal(await keyStore.get(store.db, { kind: 'subject', id: erased }), undefined);
      assert.equal((await t.custodian.vault.readForPurpose(kept, 'orders', 'test')).items[0].value, KEPT.name);
    });

    it('refuses an expired or altered key backup', async () => {
      const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
      const deps = { ...t.custodian, clock };
      const backup = await writeKeyBackup(deps, { days: 30 });
      clock.set(Date.parse('2026-01-31T00:00:00Z'));
      const expired = await restoreKeyBackup(deps, backup.text).catch((e: unknown) => e);
      assert.ok(expired instanceof CustodianError);
      assert.match(expired.message, /expired on 2026-01-31T00:00:00.000Z/);
      clock.set(Date.parse('2026-01-30T23:59:59Z'));
      assert.deepEqual(await restoreKeyBackup(deps, backup.text), { restored: 0, present: 1, refused: 0, systemKeys: 0 }, 'a second before, it restores (nothing is missing)');

      const outer = JSON.parse(backup.text) as { body: string; mac: string };
      const body = JSON.parse(outer.body) as { expiresAt: number };
      const stretched = JSON.stringify({ body: JSON.stringify({ ...body, expiresAt: body.expiresAt + 365 * 86_400_000 }), mac: outer.mac });
      const altered = await restoreKeyBackup(deps, stretched).catch((e: unknown) => e);
      assert.ok(altered instanceof CustodianError && /altered/.test(altered.details[0].message));

      const file = join(t.database.dir, 'expired.keys');
      writeFileSync(file, backup.text);
      const cli = await runCli(['restore', '--keys', file], env);
      assert.notEqual(cli.code, 0);
      assert.match(cli.stderr, /expired on 2026-01-31/);
    });

    it('refuses a file that is not a key-less data backup, changing nothing', async () => {
      const bogus = join(t.database.dir, 'bogus.backup');
      writeFileSync(bogus, 'not a backup at all');
      const result = await runCli(['restore', bogus], env);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /not a Custodian data backup/);
      assert.equal((await t.custodian.vault.readForPurpose(kept, 'orders', 'test')).items[0].value, KEPT.name);
    });
  });
}
