import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DecryptionError, open, seal, valueContext } from '../../src/crypto/envelope.js';
import { envKekProvider } from '../../src/crypto/kek-provider.js';

describe('envelope encryption', () => {
  const key = randomBytes(32);
  const context = valueContext('subject-1', 'item-1', 'user.contact.email');

  it('round-trips a value and never leaves it readable in the ciphertext', () => {
    const sealed = seal(key, Buffer.from('aigerim@example.kz'), context);
    assert.ok(sealed.startsWith('v1.'));
    assert.ok(!sealed.includes('aigerim'));
    assert.equal(open(key, sealed, context).toString(), 'aigerim@example.kz');
    assert.notEqual(seal(key, Buffer.from('aigerim@example.kz'), context), sealed, 'fresh nonce each time');
  });

  it('refuses a value moved to another subject, item or category', () => {
    const sealed = seal(key, Buffer.from('secret'), context);
    for (const other of [valueContext('subject-2', 'item-1', 'user.contact.email'), valueContext('subject-1', 'item-2', 'user.contact.email'), valueContext('subject-1', 'item-1', 'user.name')]) {
      assert.throws(() => open(key, sealed, other), DecryptionError);
    }
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const sealed = seal(key, Buffer.from('secret'), context);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[14] ^= 1;
    assert.throws(() => open(key, `v1.${raw.toString('base64url')}`, context), DecryptionError);
    assert.throws(() => open(randomBytes(32), sealed, context), DecryptionError);
  });
});

describe('CUSTODIAN_MASTER_KEY', () => {
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');

  it('accepts a bare key and a list of id:key entries, the first active', () => {
    assert.equal(envKekProvider(k1).activeId, 'env');
    const ring = envKekProvider(`new:${k2},old:${k1}`);
    assert.equal(ring.activeId, 'new');
    assert.deepEqual(ring.ids(), ['new', 'old']);
    assert.equal(ring.get('old')?.toString('base64'), k1);
  });

  it('rejects keys that are not 32 bytes, naming the variable', () => {
    assert.throws(() => envKekProvider('short:AAAA'), /CUSTODIAN_MASTER_KEY \(key "short"\): a key must be 32 bytes/);
  });
});
