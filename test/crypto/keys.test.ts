/**
 * The key hierarchy in-process (the rotation CLI test runs the compiled binary): where
 * key-encryption keys come from, what a wrapped key is bound to, what the system keys
 * refuse to do without load(), and a rotation that re-wraps every key and retires the old
 * KEK only when nothing uses it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DecryptionError, open, seal, valueContext, wrapContext } from '../../src/crypto/envelope.js';
import { envKekProvider, fileKekProvider, newKekId } from '../../src/crypto/kek-provider.js';
import { journalKeyId, KeyService } from '../../src/crypto/keys.js';
import { KEYRING_PROPAGATION_MS, rotateKeys } from '../../src/crypto/rotation.js';
import { SetupError } from '../../src/errors.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const b64 = () => randomBytes(32).toString('base64');
const setup = (run: () => unknown, message: RegExp) => assert.throws(run, (e: unknown) => e instanceof SetupError && message.test(e.message), String(message));

describe('envelope encryption', () => {
  it('binds a wrapped key to its KEK id and owner, and a value to its subject, item and category', () => {
    assert.equal(wrapContext('kek-1', 'subject:s'), 'custodian/wrap/v1|kek-1|subject:s');
    assert.equal(valueContext('s', 'i', 'user.name'), 'custodian/value/v1|s|i|user.name');
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('x'), wrapContext('kek-1', 'subject:s'));
    assert.throws(() => open(key, sealed, wrapContext('kek-2', 'subject:s')), DecryptionError);
    assert.throws(() => open(key, sealed, wrapContext('kek-1', 'subject:t')), DecryptionError);
  });

  it('refuses what is not a sealed value of this version, and one cut short', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('secret'), 'ctx');
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.equal(Buffer.from(sealed.slice(3), 'base64url').length, 12 + 6 + 16, 'nonce, ciphertext, tag');
    for (const bad of [sealed.replace('v1.', 'v2.'), sealed.slice(3), 'v1.', `v1.${Buffer.alloc(27).toString('base64url')}`]) {
      assert.throws(() => open(key, bad, 'ctx'), (e: unknown) => e instanceof DecryptionError && e.message === 'Ciphertext could not be decrypted (wrong key, wrong binding or tampered data)' && e.name === 'DecryptionError', bad);
    }
    assert.equal(open(key, seal(key, Buffer.alloc(0), 'ctx'), 'ctx').length, 0, 'an empty value is 28 bytes and opens');
  });
});

describe('keys from CUSTODIAN_MASTER_KEY', () => {
  it('reads id:key entries in order, trimming spaces and empty entries; the first is active', () => {
    const [k1, k2] = [b64(), b64()];
    const ring = envKekProvider(` new.key_2-x:${k2} , old:${k1},, `);
    assert.equal(ring.kind, 'env');
    assert.equal(ring.activeId, 'new.key_2-x');
    assert.deepEqual(ring.ids(), ['new.key_2-x', 'old']);
    assert.equal(ring.get('old')?.toString('base64'), k1);
    assert.equal(ring.get('missing'), undefined);
    ring.retire('old');
    assert.deepEqual(ring.ids(), ['new.key_2-x', 'old'], 'the operator removes keys from the environment');
  });

  it('refuses an empty value, a repeated id, a key of the wrong length, and adding a key', () => {
    setup(() => envKekProvider(' , '), /^CUSTODIAN_MASTER_KEY is empty$/);
    const key = b64();
    setup(() => envKekProvider(`a:${key},a:${key}`), /^CUSTODIAN_MASTER_KEY: key id "a" appears twice$/);
    setup(() => envKekProvider(`${key},${key}`), /key id "env" appears twice/);
    setup(() => envKekProvider(`x:${randomBytes(16).toString('base64')}`), /^CUSTODIAN_MASTER_KEY \(key "x"\): a key must be 32 bytes, base64-encoded \(got 16 bytes\)$/);
    setup(() => envKekProvider(key).addActive(), /prepend a new "id:base64" entry there, then run `custodian keys rotate`/);
  });
});

describe('the keyring file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'custodian-keyring-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is created on first use, readable by its owner only, in a directory of its own', () => {
    const path = join(dir, 'nested', 'keyring.json');
    const ring = fileKekProvider(path);
    assert.equal(ring.kind, 'file');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'nested')).mode & 0o777, 0o700);
    const stored = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(stored.version, 1);
    assert.equal(stored.active, ring.activeId);
    assert.deepEqual(Object.keys(stored.keys), [ring.activeId]);
    assert.equal(ring.get(ring.activeId)?.length, 32);
    assert.match(ring.activeId, /^kek-\d{8}-[0-9a-f]{6}$/);
    assert.equal(fileKekProvider(path).activeId, ring.activeId, 'opened again, the same keyring');
  });

  it('adds a new active key in front, retires old ones but never the active one', () => {
    const ring = fileKekProvider(join(dir, 'rotate.json'));
    const first = ring.activeId;
    const second = ring.addActive();
    assert.equal(ring.activeId, second);
    assert.deepEqual(ring.ids(), [second, first]);
    assert.equal(statSync(join(dir, 'rotate.json')).mode & 0o777, 0o600);
    setup(() => ring.retire(second), /^Cannot retire the active key-encryption key$/);
    ring.retire(first);
    assert.deepEqual(ring.ids(), [second]);
    assert.equal(ring.get(first), undefined);
  });

  it('sees a key another process added, on the next check or at once for an unknown id', async () => {
    const path = join(dir, 'shared.json');
    const server = fileKekProvider(path);
    const cli = fileKekProvider(path);
    await new Promise((resolve) => setTimeout(resolve, 30)); // past the file system's timestamp tick
    const added = cli.addActive();
    assert.equal(server.get(added)?.length, 32, 'an unknown id forces a re-read');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = cli.addActive();
    assert.ok(server.ids().includes(later), 'ids() always re-reads');
    assert.equal(server.activeId, later, 'and the active one follows');
  });

  it(
    'sees a key another process added within the same file-system timestamp tick as its own last read',
    () => {
      const path = join(dir, 'same-tick.json');
      const server = fileKekProvider(path);
      const added = fileKekProvider(path).addActive();
      assert.equal(server.get(added)?.length, 32);
    },
  );

  it('refuses a keyring others can read, and a file that is not a keyring', () => {
    const loose = join(dir, 'loose.json');
    fileKekProvider(loose);
    chmodSync(loose, 0o640);
    setup(() => fileKekProvider(loose), /loose\.json: the keyring must not be readable by group or others \(mode 640; run chmod 600\)$/);
    const bad = join(dir, 'bad.json');
    for (const content of [{ version: 2, active: 'a', keys: { a: b64() } }, { version: 1, active: 'b', keys: { a: b64() } }, { version: 1, active: 'a' }]) {
      writeFileSync(bad, JSON.stringify(content), { mode: 0o600 });
      setup(() => fileKekProvider(bad), /bad\.json: not a Custodian keyring \(version 1 with an active key\)$/);
    }
    writeFileSync(bad, JSON.stringify({ version: 1, active: 'a', keys: { a: randomBytes(8).toString('base64') } }), { mode: 0o600 });
    setup(() => fileKekProvider(bad).get('a'), /a key must be 32 bytes, base64-encoded \(got 8 bytes\)/);
  });

  it('names new keys by the day they were made', () => {
    assert.match(newKekId(new Date('2026-11-22T23:59:00Z')), /^kek-20261122-[0-9a-f]{6}$/);
    assert.notEqual(newKekId(), newKekId());
  });
});

describe('system keys before load()', () => {
  it('refuse to be used', () => {
    const keys = new KeyService(envKekProvider(b64()));
    for (const use of [() => keys.blindIndex('email', 'x'), () => keys.linkMac('x'), () => keys.journalPublicKey, () => keys.journalKeyId, () => keys.signJournal(Buffer.alloc(32)), () => keys.verifyJournal(Buffer.alloc(32), '')]) {
      assert.throws(use, /^Error: KeyService\.load\(\) has not run$/);
    }
  });

  it('a key wrapped with a KEK the keyring no longer has cannot be opened, and the error names the KEK', () => {
    const keys = new KeyService(envKekProvider(`now:${b64()}`));
    const wrapped = keys.wrap(randomBytes(32), 'subject:s');
    assert.equal(wrapped.kekId, 'now');
    assert.throws(() => keys.unwrap({ ...wrapped, kekId: 'gone' }, 'subject:s'), /^Error: Key-encryption key "gone" is not in the keyring \(was it removed before rotation finished\?\)$/);
    assert.throws(() => keys.unwrap(wrapped, 'subject:t'), DecryptionError);
    const subject = keys.newSubjectKey('s');
    assert.deepEqual(keys.subjectKey('s', subject), subject.key);
    assert.throws(() => keys.subjectKey('t', subject), DecryptionError, 'a data key is bound to its subject');
  });
});

for (const engine of ENGINES) {
  describe(`system keys and rotation in-process (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    const subjects: string[] = [];
    before(async () => {
      t = await createTestCustodian(engine);
      for (let i = 0; i < 3; i++) {
        const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `keys${i}@example.kz` }] }, 'test');
        await t.custodian.vault.collect(id, [{ category: 'user.name', value: `Key Person ${i}`, purpose: 'orders', source: 'direct' }], 'test');
        subjects.push(id);
      }
    });
    after(async () => t?.dispose());

    it('holds one wrapped key per system purpose, and a journal key whose id names its public half', async () => {
      const rows = await t.custodian.store.db.selectFrom('key_material').selectAll().orderBy('purpose').execute();
      assert.deepEqual(rows.map((r) => r.purpose), ['blind-index', 'journal-signing', 'link-signing']);
      assert.deepEqual(rows.map((r) => r.public_key === null), [true, false, true]);
      const { keys } = t.custodian;
      assert.equal(rows[1].public_key, keys.journalPublicKey);
      assert.equal(keys.journalKeyId, journalKeyId(keys.journalPublicKey));
      assert.match(keys.journalKeyId, /^ed25519:[0-9a-f]{16}$/);
      const signature = keys.signJournal(Buffer.from('digest'));
      assert.equal(keys.verifyJournal(Buffer.from('digest'), signature), true);
      assert.equal(keys.verifyJournal(Buffer.from('digesT'), signature), false);
    });

    it('loads the same keys again on restart, and refuses to mint new ones over a store in use', async () => {
      const again = new KeyService(t.custodian.keys.keks);
      await again.load(t.custodian.store.db, t.clock.now());
      assert.equal(again.journalKeyId, t.custodian.keys.journalKeyId);
      assert.equal(again.blindIndex('email', 'x'), t.custodian.keys.blindIndex('email', 'x'));
      assert.equal(again.linkMac('x'), t.custodian.keys.linkMac('x'));
      const rows = await t.custodian.store.db.selectFrom('key_material').selectAll().execute();
      try {
        await t.custodian.store.db.deleteFrom('key_material').execute();
        await assert.rejects(new KeyService(t.custodian.keys.keks).load(t.custodian.store.db, 0), /^Error: The store holds subjects or journal events but no system keys; restore key_material from a backup$/);
        await t.custodian.store.db.insertInto('key_material').values(rows.filter((r) => r.purpose === 'journal-signing')).execute();
        await assert.rejects(new KeyService(t.custodian.keys.keks).load(t.custodian.store.db, 0), /^Error: System keys are missing from key_material: blind-index, link-signing; restore them from a backup$/);
      } finally {
        await t.custodian.store.db.deleteFrom('key_material').execute();
        await t.custodian.store.db.insertInto('key_material').values(rows).execute();
      }
    });

    it('rotates in-process: every wrapped key re-wrapped with the new KEK, reported as it goes, the old KEK retired', async () => {
      const { keys, store } = t.custodian;
      const oldKek = keys.keks.activeId;
      const values = await store.db.selectFrom('data_item').select(['id', 'value_enc']).orderBy('id').execute();
      const progress: { done: number; total: number }[] = [];
      const result = await rotateKeys(store, keys, { newKek: true, propagationMs: 0, onProgress: (p) => progress.push(p) });
      assert.notEqual(result.activeKekId, oldKek);
      assert.equal(result.activeKekId, keys.keks.activeId);
      const subjectCount = (await store.db.selectFrom('custodian_keys.subject_key').select('subject_id').execute()).length;
      assert.ok(subjectCount > 0);
      assert.equal(result.rewrapped, subjectCount + 3, 'each subject and the three system keys');
      assert.deepEqual(result.retired, [oldKek]);
      assert.deepEqual(progress, [{ done: 0, total: subjectCount }, { done: subjectCount, total: subjectCount }]);
      assert.deepEqual((await store.db.selectFrom('custodian_keys.subject_key').select('kek_id').distinct().execute()).map((r) => r.kek_id), [result.activeKekId]);
      assert.deepEqual((await store.db.selectFrom('key_material').select('kek_id').distinct().execute()).map((r) => r.kek_id), [result.activeKekId]);
      assert.deepEqual(await store.db.selectFrom('data_item').select(['id', 'value_enc']).orderBy('id').execute(), values, 'no value re-encrypted');
      assert.equal((await t.custodian.vault.readForPurpose(subjects[1], 'orders', 'test')).items[0].value, 'Key Person 1');

      const idle = await rotateKeys(store, keys, { newKek: false });
      assert.deepEqual(idle, { activeKekId: result.activeKekId, rewrapped: 0, retired: [] }, 'nothing left to do');
    });

    it('waits for every process to see a new KEK before the sweep, 2.5 s unless told otherwise', async () => {
      assert.equal(KEYRING_PROPAGATION_MS, 2500);
      const started = performance.now();
      const result = await rotateKeys(t.custodian.store, t.custodian.keys, { newKek: true });
      assert.ok(performance.now() - started >= KEYRING_PROPAGATION_MS - 5, `${performance.now() - started} ms`);
      assert.equal(result.activeKekId, t.custodian.keys.keks.activeId);
    });

    it('without a new KEK, re-wraps onto the active one and retires the KEK nothing uses any more', async () => {
      const { keys, store } = t.custodian;
      const previous = keys.keks.activeId;
      const next = keys.keks.addActive();
      assert.equal(keys.wrap(randomBytes(32), 'subject:late').kekId, next, 'new keys are wrapped with the new KEK at once');
      const result = await rotateKeys(store, keys, { newKek: false });
      assert.equal(result.activeKekId, next);
      assert.deepEqual(result.retired, [previous], 'the previous KEK wraps nothing any more');
      assert.deepEqual(keys.keks.ids(), [next]);
    });
  });
}
