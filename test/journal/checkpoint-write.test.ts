/**
 * Writing checkpoints: what a new one signs, when none is written, what a rewound journal
 * gets, and how the sink is fed — in order, each checkpoint once acknowledged, a failure
 * logged by number and reason only.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { currentHeads, JournalRewoundError, latestCheckpoint, writeCheckpoint } from '../../src/journal/checkpoint.js';
import type { Anchor } from '../../src/journal/anchor.js';
import { deliveryFailureReason } from '../../src/journal/sink.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

describe('sink failure reasons', () => {
  it('are a status, a system error code or a class name — never the message', () => {
    const secret = 'https://user:hunter2@audit.example/x';
    assert.equal(deliveryFailureReason(Object.assign(new Error(secret), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
    assert.equal(deliveryFailureReason(Object.assign(new TypeError(`fetch failed ${secret}`), { cause: { code: 'ENOTFOUND' } })), 'ENOTFOUND', 'fetch puts the code in the cause');
    assert.equal(deliveryFailureReason(Object.assign(new TypeError(secret), { cause: { code: 'ENOTFOUND' }, code: 'OTHER' })), 'ENOTFOUND', 'the cause first');
    assert.equal(deliveryFailureReason(new RangeError(secret)), 'RangeError');
    assert.equal(deliveryFailureReason(Object.assign(new Error(secret), { code: 42 })), 'Error', 'a code that is not text is not a code');
    assert.equal(deliveryFailureReason({ name: 5 }), 'unknown error');
    assert.equal(deliveryFailureReason(null), 'unknown error');
    assert.equal(deliveryFailureReason('boom'), 'unknown error');
  });
});

for (const engine of ENGINES) {
  describe(`writing checkpoints (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let subject: string;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const db = () => t.custodian.store.db;
    const deps = (extra: Partial<Parameters<typeof writeCheckpoint>[0]> = {}) => ({ store: t.custodian.store, keys: t.custodian.keys, clock: t.clock, ids: t.custodian.ids, ...extra });
    const collect = () => t.custodian.vault.collect(subject, [{ category: 'user.name', value: 'A', purpose: 'orders', source: 'direct' }], 'test');

    beforeEach(async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      await db().deleteFrom('journal_checkpoint').execute();
      ({ id: subject } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `w${Math.random()}@example.kz` }] }, 'test'));
    });

    it('writes nothing for an empty journal', async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      assert.equal(await writeCheckpoint(deps()), undefined);
      assert.equal(await latestCheckpoint(db()), undefined);
      assert.deepEqual(await currentHeads(db()), {});
    });

    it('signs every stream head with data, numbered from 1, at the clock’s time, and is what latestCheckpoint returns', async () => {
      await collect();
      const heads = await currentHeads(db());
      const rows = await db().selectFrom('journal_head').selectAll().execute();
      assert.deepEqual(heads, Object.fromEntries(rows.filter((r) => Number(r.seq) > 0).map((r) => [r.stream, [Number(r.seq), r.hash]])));
      await db().insertInto('journal_head').values({ stream: 'p31', seq: 0, hash: '0'.repeat(64) }).onConflict((oc) => oc.column('stream').doNothing()).execute();
      assert.deepEqual(Object.keys(await currentHeads(db())).sort(), Object.keys(heads).sort(), 'a head at seq 0 holds nothing to sign');
      const checkpoint = (await writeCheckpoint(deps()))!;
      assert.deepEqual([checkpoint.number, checkpoint.at, checkpoint.prevDigest, checkpoint.keyId], [1, t.clock.now(), null, t.custodian.keys.journalKeyId]);
      assert.deepEqual(checkpoint.heads, heads);
      assert.deepEqual(await latestCheckpoint(db()), checkpoint);
      const row = await db().selectFrom('journal_checkpoint').selectAll().executeTakeFirstOrThrow();
      assert.equal(Number(row.sink_pending), 0, 'nothing pending without a sink');
    });

    it('writes the next one only when a head moved, chained to the last', async () => {
      await collect();
      const first = (await writeCheckpoint(deps()))!;
      t.clock.advance(1000);
      assert.deepEqual(await writeCheckpoint(deps()), first, 'nothing moved: the last one still covers the journal');
      await collect();
      const second = (await writeCheckpoint(deps()))!;
      assert.deepEqual([second.number, second.prevDigest, second.at], [2, first.digest, t.clock.now()]);
      assert.notDeepEqual(second.heads, first.heads);
    });

    it('refuses to sign heads behind the newest checkpoint, naming the stream and the sequence', async () => {
      await collect();
      await collect();
      const signed = (await writeCheckpoint(deps()))!;
      const stream = Object.keys(signed.heads).find((s) => s !== 'system')!;
      const [seq] = signed.heads[stream];
      const prev = await db().selectFrom('journal_event').select('hash').where('stream', '=', stream).where('seq', '=', seq - 1).executeTakeFirstOrThrow();
      await db().updateTable('journal_head').set({ seq: seq - 1, hash: prev.hash }).where('stream', '=', stream).execute();
      await assert.rejects(writeCheckpoint(deps()), (e: unknown) => e instanceof JournalRewoundError && e.name === 'JournalRewoundError' && e.message === `Stream ${stream} is at seq ${seq - 1} but checkpoint 1 covered seq ${seq}: the journal was rewound or rewritten; run \`custodian journal verify\``);
      await db().updateTable('journal_head').set({ seq, hash: 'f'.repeat(64) }).where('stream', '=', stream).execute();
      await assert.rejects(writeCheckpoint(deps()), (e: Error) => e.message === `Stream ${stream} is at seq ${seq} but checkpoint 1 covered seq ${seq} with another hash: the journal was rewound or rewritten; run \`custodian journal verify\``);
      await db().deleteFrom('journal_head').where('stream', '=', stream).execute();
      await assert.rejects(writeCheckpoint(deps()), (e: Error) => e.message.startsWith(`Stream ${stream} is at seq 0 but checkpoint 1 covered seq ${seq}:`));
      assert.equal((await db().selectFrom('journal_checkpoint').select('id').execute()).length, 1, 'nothing signed');
    });

    it('hands the sink each checkpoint not yet acknowledged, in order, and retries after a failure', async () => {
      const delivered: Anchor[] = [];
      const failures: { number: number; reason: string }[] = [];
      let failing = true;
      const sink = {
        async deliver(anchor: Anchor) {
          if (failing) throw Object.assign(new Error('refused https://secret@example'), { code: 'ECONNREFUSED' });
          delivered.push(anchor);
        },
      };
      const onSinkFailure = (f: { number: number; reason: string }) => failures.push(f);
      await collect();
      await writeCheckpoint(deps({ sink, onSinkFailure }));
      await collect();
      await writeCheckpoint(deps({ sink, onSinkFailure }));
      assert.deepEqual(failures, [{ number: 1, reason: 'ECONNREFUSED' }, { number: 1, reason: 'ECONNREFUSED' }], 'it stops at the first, oldest failure');
      const pending = async () => (await db().selectFrom('journal_checkpoint').select('number').where('sink_pending', '=', 1).orderBy('number').execute()).map((r) => Number(r.number));
      assert.deepEqual(await pending(), [1, 2]);
      failing = false;
      const again = await writeCheckpoint(deps({ sink, onSinkFailure }));
      assert.equal(again?.number, 2, 'nothing new to sign');
      assert.deepEqual(delivered.map((a) => a.number), [1, 2]);
      assert.deepEqual(delivered[1], { format: 'custodian/checkpoint/v2', number: 2, at: again!.at, heads: again!.heads, prevDigest: again!.prevDigest, digest: again!.digest, keyId: again!.keyId, publicKey: t.custodian.keys.journalPublicKey, signature: again!.signature });
      assert.deepEqual(await pending(), []);
      await writeCheckpoint(deps({ sink, onSinkFailure }));
      assert.equal(delivered.length, 2, 'each delivered once');
      assert.equal(failures.length, 2);
    });
  });
}
