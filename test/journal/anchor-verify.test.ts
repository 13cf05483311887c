/**
 * Anchors checked in-process (the CLI tests in anchor.test.ts run the compiled binary):
 * an anchor file is read field by field, checked on its own as an auditor would offline,
 * and held against the journal — which must still hold every event it covered.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { journalKeyId } from '../../src/crypto/keys.js';
import { type Anchor, anchorProblems, parseAnchor, toAnchor } from '../../src/journal/anchor.js';
import { checkpointDigest, type Checkpoint } from '../../src/journal/checkpoint.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { CustodianError } from '../../src/errors.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

/** A self-consistent anchor signed with a throwaway key. */
function anchorWith(fields: Partial<Anchor> = {}): Anchor {
  const pair = generateKeyPairSync('ed25519');
  const publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const base = { number: 2, at: 1_767_225_600_000, prevDigest: 'a'.repeat(64), heads: { p07: [3, 'b'.repeat(64)] as [number, string] }, ...fields };
  const digest = fields.digest ?? checkpointDigest(base);
  return { format: 'custodian/checkpoint/v2', keyId: journalKeyId(publicKey), publicKey, signature: sign(null, Buffer.from(digest, 'hex'), pair.privateKey).toString('base64'), ...base, digest, ...fields };
}

function parseError(text: string): CustodianError {
  try {
    parseAnchor(text);
  } catch (error) {
    assert.ok(error instanceof CustodianError, String(error));
    return error;
  }
  assert.fail('expected the anchor to be refused');
}

describe('an anchor file', () => {
  it('reads back what toAnchor wrote', () => {
    const anchor = anchorWith();
    assert.deepEqual(parseAnchor(JSON.stringify(anchor)), anchor);
    assert.deepEqual(parseAnchor(JSON.stringify(anchorWith({ number: 1, prevDigest: null }))).prevDigest, null);
    assert.equal(parseAnchor(JSON.stringify(anchorWith({ at: 0 }))).at, 0, 'a checkpoint signed at the epoch itself');
    assert.deepEqual(parseAnchor(JSON.stringify(anchorWith({ heads: { p07: [1, 'b'.repeat(64)] } }))).heads, { p07: [1, 'b'.repeat(64)] }, 'a stream of one event');
  });

  it('that is not JSON is a validation error', () => {
    const error = parseError('{"number": 1');
    assert.equal(error.code, 'validation_failed');
    assert.equal(error.message, 'The anchor file is not JSON');
  });

  it('names each field that is missing or malformed', () => {
    const good = anchorWith();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ format: 'custodian/checkpoint/v1' }, 'format', 'must be "custodian/checkpoint/v2"'],
      [{ number: 0 }, 'number', 'must be a whole number from 1'],
      [{ number: 1.5 }, 'number', 'must be a whole number from 1'],
      [{ number: '2' }, 'number', 'must be a whole number from 1'],
      [{ at: -1 }, 'at', 'must be epoch milliseconds'],
      [{ at: 1.5 }, 'at', 'must be epoch milliseconds'],
      [{ prevDigest: 'A'.repeat(64) }, 'prevDigest', 'must be a SHA-256 hex digest or null'],
      [{ prevDigest: 7 }, 'prevDigest', 'must be a SHA-256 hex digest or null'],
      [{ digest: 'a'.repeat(63) }, 'digest', 'must be a SHA-256 hex digest'],
      [{ digest: `z${'a'.repeat(64)}` }, 'digest', 'must be a SHA-256 hex digest'],
      [{ digest: `${'a'.repeat(64)}z` }, 'digest', 'must be a SHA-256 hex digest'],
      [{ prevDigest: `${'a'.repeat(64)}0` }, 'prevDigest', 'must be a SHA-256 hex digest or null'],
      [{ digest: null }, 'digest', 'must be a SHA-256 hex digest'],
      [{ keyId: '' }, 'keyId', 'must be a non-empty string'],
      [{ publicKey: 5 }, 'publicKey', 'must be a non-empty string'],
      [{ signature: '' }, 'signature', 'must be a non-empty string'],
      [{ heads: [] }, 'heads', 'must be an object of stream → [seq, hash]'],
      [{ heads: null }, 'heads', 'must be an object of stream → [seq, hash]'],
      [{ heads: 'p07' }, 'heads', 'must be an object of stream → [seq, hash]'],
      [{ heads: { p07: [0, 'b'.repeat(64)] } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: [1.5, 'b'.repeat(64)] } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: [1, 'b'.repeat(63)] } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: [1, 'b'.repeat(64), 'extra'] } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: [1] } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: [1, ['b'.repeat(64)]] } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: { seq: 1 } } }, 'heads.p07', 'must be [seq, hash]'],
      [{ heads: { p07: [1, 7] } }, 'heads.p07', 'must be [seq, hash]'],
    ];
    for (const [change, path, message] of cases) {
      const error = parseError(JSON.stringify({ ...good, ...change }));
      assert.equal(error.code, 'validation_failed');
      assert.equal(error.message, 'The anchor file is not a Custodian checkpoint');
      assert.deepEqual(error.details, [{ path, message }], JSON.stringify(change));
    }
    const { digest: _digest, ...withoutDigest } = good;
    assert.deepEqual(parseError(JSON.stringify(withoutDigest)).details.map((d) => d.path), ['digest']);
    assert.equal(parseError('null').details.length, 9, 'every field of an empty file is named');
    assert.equal(parseError('[1]').details.length, 9);
    assert.deepEqual(parseAnchor(JSON.stringify({ ...good, heads: {} })).heads, {}, 'a checkpoint of no streams');
  });

  it('holds on its own when its digest, key id and signature agree, and says which does not', () => {
    assert.deepEqual(anchorProblems(anchorWith()), []);
    const digestOff = "the anchor's digest does not match its number, time, previous digest and heads (the file was edited)";
    const anchor = anchorWith();
    for (const edited of [{ ...anchor, number: 3 }, { ...anchor, at: anchor.at + 1 }, { ...anchor, prevDigest: 'c'.repeat(64) }, { ...anchor, prevDigest: null }, { ...anchor, heads: { p07: [4, 'b'.repeat(64)] as [number, string] } }, { ...anchor, heads: { p07: [3, 'c'.repeat(64)] as [number, string] } }, { ...anchor, heads: {} }]) {
      assert.deepEqual(anchorProblems(edited), [digestOff], JSON.stringify(edited));
    }
    assert.deepEqual(anchorProblems({ ...anchor, keyId: 'ed25519:0000000000000000' }), ['the anchor\'s key id ed25519:0000000000000000 does not name its public key']);
    assert.deepEqual(anchorProblems({ ...anchor, signature: Buffer.alloc(64).toString('base64') }), ["the anchor's signature is not valid for its public key"]);
    assert.deepEqual(anchorProblems({ ...anchor, signature: 'not base64 at all!' }), ["the anchor's signature is not valid for its public key"]);
    const other = anchorWith();
    assert.deepEqual(anchorProblems({ ...anchor, publicKey: other.publicKey }), [`the anchor's key id ${anchor.keyId} does not name its public key`, "the anchor's signature is not valid for its public key"]);
    assert.deepEqual(anchorProblems({ ...anchor, publicKey: 'garbage' }), [`the anchor's key id ${anchor.keyId} does not name its public key`, "the anchor's signature is not valid for its public key"], 'an unreadable key is no key');
    const resigned = anchorWith({ digest: 'd'.repeat(64) });
    assert.deepEqual(anchorProblems(resigned), [digestOff], 'a signature over the wrong digest does not mend the digest');
  });
});

for (const engine of ENGINES) {
  describe(`verify with an anchor (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let subject: string;
    let first: Checkpoint;
    let anchor: Anchor;

    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const db = () => t.custodian.store.db;
    const verify = (a: Anchor = anchor) => verifyJournal({ db: db(), keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000, anchor: a });
    const collect = (value: string) => t.custodian.vault.collect(subject, [{ category: 'user.name', value, purpose: 'orders', source: 'direct' }], 'test');
    const subjectStream = () => Object.keys(anchor.heads).find((s) => s !== 'system')!;

    beforeEach(async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      await db().deleteFrom('journal_checkpoint').execute();
      ({ id: subject } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `a${Math.random()}@example.kz` }] }, 'test'));
      await collect('A');
      first = (await t.custodian.checkpoint())!;
      anchor = toAnchor(first, t.custodian.keys.journalPublicKey);
    });

    it('passes an intact journal, also after more events and checkpoints', async () => {
      assert.deepEqual(anchor, { format: 'custodian/checkpoint/v2', number: first.number, at: first.at, heads: first.heads, prevDigest: first.prevDigest, digest: first.digest, keyId: first.keyId, publicKey: t.custodian.keys.journalPublicKey, signature: first.signature });
      const report = await verify();
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      assert.deepEqual(report.anchor, { number: 1, digest: first.digest, ok: true });
      await collect('B');
      t.clock.advance(10_000);
      await t.custodian.checkpoint();
      assert.equal((await verify()).ok, true);
    });

    it('vouches for events past twice the interval that no stored checkpoint covers any more', async () => {
      await db().deleteFrom('journal_checkpoint').execute();
      const late = verifyJournal({ db: db(), keys: t.custodian.keys, now: t.clock.now() + 10 * 60_000, checkpointIntervalMs: 60_000, anchor });
      const report = await late;
      assert.deepEqual(report.problems.map((p) => p.problem), ['the anchored checkpoint 1 is not in the database (checkpoints were deleted)']);
    });

    it('names an event that differs from the one it covered', async () => {
      const stream = subjectStream();
      const [seq] = anchor.heads[stream];
      await db().updateTable('journal_event').set({ hash: 'e'.repeat(64) }).where('stream', '=', stream).where('seq', '=', seq).execute();
      const report = await verify();
      assert.equal(report.anchor?.ok, false);
      assert.ok(report.problems.some((p) => p.stream === stream && p.seq === seq && p.checkpoint === 1 && p.problem === 'event differs from the one the anchor (checkpoint 1) covered: the journal was rewritten'), JSON.stringify(report.problems));
    });

    it('names a journal shorter than what it covered', async () => {
      const stream = subjectStream();
      const [seq] = anchor.heads[stream];
      await db().deleteFrom('journal_checkpoint').execute();
      await db().deleteFrom('journal_event').where('stream', '=', stream).where('seq', '=', seq).execute();
      const prev = await db().selectFrom('journal_event').select('hash').where('stream', '=', stream).where('seq', '=', seq - 1).executeTakeFirstOrThrow();
      await db().updateTable('journal_head').set({ seq: seq - 1, hash: prev.hash }).where('stream', '=', stream).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.stream === stream && p.seq === seq && p.problem === `the journal is shorter than the anchor: the stream ends at seq ${seq - 1}, the anchor (checkpoint 1) covered up to seq ${seq} (events were deleted)`), JSON.stringify(report.problems));
    });

    it('names a covered event that is missing from a stream that goes on', async () => {
      const stream = subjectStream();
      const [seq] = anchor.heads[stream];
      await collect('B');
      await db().deleteFrom('journal_event').where('stream', '=', stream).where('seq', '=', seq).execute();
      const report = await verify();
      assert.ok(report.problems.some((p) => p.stream === stream && p.seq === seq && p.problem === 'event covered by the anchor (checkpoint 1) is missing'), JSON.stringify(report.problems));
    });

    it('names a stored checkpoint that is not the anchored one', async () => {
      const forged = { ...first, at: first.at + 1 };
      const digest = checkpointDigest(forged);
      await db().updateTable('journal_checkpoint').set({ at: forged.at, digest, signature: t.custodian.keys.signJournal(Buffer.from(digest, 'hex')) }).where('number', '=', 1).execute();
      const report = await verify();
      assert.equal(report.anchor?.ok, false);
      assert.ok(report.problems.some((p) => p.stream === '*' && p.checkpoint === 1 && p.problem === `checkpoint 1 in the database is not the anchored one (digest ${digest.slice(0, 12)}…, anchor ${first.digest.slice(0, 12)}…)`), JSON.stringify(report.problems));
    });

    it('vouches for nothing when signed by another key, or edited', async () => {
      const foreign = anchorWith({ number: 1, prevDigest: null, heads: anchor.heads, at: anchor.at });
      const report = await verify(foreign);
      assert.equal(report.ok, false);
      assert.deepEqual(report.anchor, { number: 1, digest: foreign.digest, ok: false });
      assert.deepEqual(report.problems.map((p) => p.problem), [`the anchor was signed by key ${foreign.keyId}, not this journal's signing key ${t.custodian.keys.journalKeyId}`]);

      const edited = await verify({ ...anchor, at: anchor.at + 1 });
      assert.equal(edited.anchor?.ok, false);
      assert.deepEqual(edited.problems.map((p) => p.problem), ["the anchor's digest does not match its number, time, previous digest and heads (the file was edited)"]);
    });
  });
}
