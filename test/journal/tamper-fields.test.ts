/**
 * What the journal's hashes and signatures cover, field by field: an edit of any column
 * of an event, or of a checkpoint, is reported — and an outside verifier recomputes both
 * from the documented constructions, not from Custodian's functions.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eventHash, GENESIS_HASH, streamFor, toEvent } from '../../src/journal/journal.js';
import { verifyJournal } from '../../src/journal/verify.js';
import type { JournalEventTable } from '../../src/store/tables.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

for (const engine of ENGINES) {
  describe(`journal: what a hash and a signature cover (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let subject: string;
    let stream: string;
    let rows: JournalEventTable[];

    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());

    const db = () => t.custodian.store.db;
    const verify = () => verifyJournal({ db: db(), keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000 });

    beforeEach(async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      await db().deleteFrom('journal_checkpoint').execute();
      const { vault } = t.custodian;
      ({ id: subject } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: `f${Math.random()}@example.kz` }] }, 'test'));
      await vault.collect(subject, [{ category: 'user.name', value: 'A', purpose: 'orders', source: 'direct' }], 'apikey:one');
      await vault.collect(subject, [{ category: 'user.contact.email', value: 'a@b.kz', purpose: 'orders', source: 'direct' }], 'apikey:two');
      await t.custodian.checkpoint();
      rows = await db().selectFrom('journal_event').selectAll().where('subject_id', '=', subject).orderBy('seq').execute();
      assert.equal(rows.length, 3);
      stream = rows[0].stream;
    });

    it('chains each event to the one before it, from the genesis hash, with a hash an outsider can recompute', () => {
      assert.equal(stream, streamFor(subject));
      assert.match(stream, /^p\d{2}$/);
      let prev = GENESIS_HASH;
      rows.forEach((row, i) => {
        assert.equal(Number(row.seq), i + 1);
        assert.equal(row.prev_hash, prev);
        const documented = JSON.stringify([row.stream, Number(row.seq), row.id, Number(row.at), row.actor, row.operation, row.subject_id, row.purpose, row.categories, row.details, row.prev_hash]);
        assert.equal(row.hash, sha256(documented));
        assert.equal(eventHash(row), row.hash);
        prev = row.hash;
      });
      const head = toEvent(rows[2]);
      assert.deepEqual(head.categories, ['user.contact.email']);
      assert.equal(head.details.policyVersion, t.custodian.policies.active().number);
    });

    const edits: [column: keyof JournalEventTable, value: (row: JournalEventTable) => unknown][] = [
      ['id', () => '22222222-2222-4222-8222-222222222222'],
      ['at', (row) => Number(row.at) + 1],
      ['actor', () => 'apikey:someone-else'],
      ['operation', () => 'destruction'],
      ['subject_id', () => '33333333-3333-4333-8333-333333333333'],
      ['purpose', () => 'marketing'],
      ['categories', () => '["user.name","user.contact.phone_number"]'],
      ['details', (row) => row.details.replace('"policyVersion":', '"policyVersion":9') ],
    ];
    for (const [column, value] of edits) {
      it(`reports an edit of an event's ${column} at that event`, async () => {
        const target = rows[1];
        await db().updateTable('journal_event').set({ [column]: value(target) }).where('stream', '=', stream).where('seq', '=', 2).execute();
        const report = await verify();
        assert.equal(report.ok, false);
        const first = report.problems[0];
        assert.deepEqual([first.stream, first.seq, first.eventId], [stream, 2, column === 'id' ? '22222222-2222-4222-8222-222222222222' : target.id]);
        assert.equal(first.problem, 'content does not match its hash (the event was edited)');
      });
    }

    it('reports an event moved to another stream as a gap where it was', async () => {
      const away = stream === 'p00' ? 'p01' : 'p00';
      await db().updateTable('journal_event').set({ stream: away }).where('stream', '=', stream).where('seq', '=', 2).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.stream === stream && p.seq === 3 && p.problem === 'sequence gap: expected 2, found 3 (an event was deleted)'), JSON.stringify(report.problems));
    });

    it('reports a rewritten previous-hash link, naming the event before it', async () => {
      await db().updateTable('journal_event').set({ prev_hash: 'f'.repeat(64) }).where('stream', '=', stream).where('seq', '=', 3).execute();
      const report = await verify();
      assert.deepEqual([report.problems[0].seq, report.problems[0].eventId], [3, rows[2].id]);
      assert.equal(report.problems[0].problem, `previous-hash link broken: the event before it (seq 2, id ${rows[1].id}) was inserted, edited or moved, or deleted or reordered`);
    });

    it('reports a first event that does not start from the genesis hash', async () => {
      await db().updateTable('journal_event').set({ prev_hash: 'e'.repeat(64) }).where('stream', '=', stream).where('seq', '=', 1).execute();
      const report = await verify();
      assert.deepEqual([report.problems[0].stream, report.problems[0].seq], [stream, 1]);
      assert.equal(report.problems[0].problem, 'previous-hash link broken: an event before it was deleted or reordered');
    });

    it('reports a replaced hash at the event that carries it', async () => {
      await db().updateTable('journal_event').set({ hash: 'd'.repeat(64) }).where('stream', '=', stream).where('seq', '=', 3).execute();
      const report = await verify();
      assert.deepEqual([report.problems[0].stream, report.problems[0].seq, report.problems[0].problem], [stream, 3, 'content does not match its hash (the event was edited)']);
    });

    it('reports only the first break of a stream, and goes on checking the other streams', async () => {
      let other: string;
      do ({ id: other } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `o${Math.random()}@example.kz` }] }, 'test'));
      while (streamFor(other) === stream);
      const otherStream = streamFor(other);
      await db().updateTable('journal_event').set({ actor: 'x' }).where('stream', '=', stream).where('seq', '=', 1).execute();
      await db().updateTable('journal_event').set({ actor: 'y' }).where('stream', '=', stream).where('seq', '=', 3).execute();
      await db().updateTable('journal_event').set({ actor: 'z' }).where('stream', '=', otherStream).where('seq', '=', 1).execute();
      const report = await verify();
      const broken = report.problems.filter((p) => /edited|link broken/.test(p.problem));
      assert.deepEqual(broken.map((p) => [p.stream, p.seq]), [[stream, 1], [otherStream, 1]].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      assert.equal(report.events, (await db().selectFrom('journal_event').select('id').execute()).length);
    });

    it('reports a stream head that says more or less than its chain', async () => {
      await db().updateTable('journal_head').set({ seq: 4 }).where('stream', '=', stream).execute();
      const ahead = await verify();
      assert.ok(ahead.problems.some((p) => p.stream === stream && p.seq === 4 && p.eventId === null && p.problem === 'stream head says seq 4 but the chain ends at seq 3 (events were deleted or appended outside Custodian)'), JSON.stringify(ahead.problems));
      await db().updateTable('journal_head').set({ seq: 3, hash: 'c'.repeat(64) }).where('stream', '=', stream).execute();
      assert.ok((await verify()).problems.some((p) => p.stream === stream && p.seq === 3 && /stream head says seq 3 but the chain ends at seq 3/.test(p.problem)));
      await db().updateTable('journal_head').set({ seq: 3, hash: rows[2].hash }).where('stream', '=', stream).execute();
      assert.equal((await verify()).ok, true);
    });

    describe('a checkpoint', () => {
      const checkpointRow = () => db().selectFrom('journal_checkpoint').selectAll().where('number', '=', 1).executeTakeFirstOrThrow();
      const problemsOf = async () => (await verify()).problems.filter((p) => p.checkpoint === 1).map((p) => p.problem);

      it('is signed by this journal’s key over its digest, which an outsider recomputes', async () => {
        const row = await checkpointRow();
        const heads = JSON.parse(row.heads) as Record<string, [number, string]>;
        const ordered = Object.keys(heads).sort().map((s) => [s, heads[s][0], heads[s][1]]);
        assert.deepEqual(heads[stream], [3, rows[2].hash]);
        assert.equal(row.digest, sha256(JSON.stringify(['custodian/checkpoint/v2', 1, Number(row.at), null, ordered])));
        assert.equal(row.key_id, t.custodian.keys.journalKeyId);
        assert.equal(t.custodian.keys.verifyJournal(Buffer.from(row.digest, 'hex'), row.signature), true);
        assert.equal(t.custodian.keys.verifyJournal(Buffer.from('0'.repeat(64), 'hex'), row.signature), false);
      });

      it('covers its time', async () => {
        const row = await checkpointRow();
        await db().updateTable('journal_checkpoint').set({ at: Number(row.at) + 1 }).where('number', '=', 1).execute();
        assert.deepEqual(await problemsOf(), ["checkpoint 1's digest does not match its number, time, previous digest and heads (it was edited)"]);
      });

      it('covers each head’s sequence number and hash, and the set of streams', async () => {
        const row = await checkpointRow();
        const heads = JSON.parse(row.heads) as Record<string, [number, string]>;
        const variants = [
          { ...heads, [stream]: [2, heads[stream][1]] },
          { ...heads, [stream]: [3, rows[1].hash] },
          { ...heads, p99: [1, 'a'.repeat(64)] },
          Object.fromEntries(Object.entries(heads).filter(([s]) => s !== stream)),
        ];
        for (const variant of variants) {
          await db().updateTable('journal_checkpoint').set({ heads: JSON.stringify(variant) }).where('number', '=', 1).execute();
          const problems = await problemsOf();
          assert.ok(problems.includes("checkpoint 1's digest does not match its number, time, previous digest and heads (it was edited)"), `${JSON.stringify(variant)}: ${JSON.stringify(problems)}`);
        }
      });

      it('covers its link to the checkpoint before it', async () => {
        await db().updateTable('journal_checkpoint').set({ prev_digest: 'b'.repeat(64) }).where('number', '=', 1).execute();
        assert.deepEqual(await problemsOf(), [
          "checkpoint 1 names a previous checkpoint, so the chain's start is missing",
          "checkpoint 1's digest does not match its number, time, previous digest and heads (it was edited)",
        ]);
      });

      it('is refused with a replaced digest or signature, or another key named', async () => {
        const row = await checkpointRow();
        await db().updateTable('journal_checkpoint').set({ digest: 'a'.repeat(64) }).where('number', '=', 1).execute();
        assert.deepEqual(await problemsOf(), ['checkpoint 1 has an invalid signature']);
        await db().updateTable('journal_checkpoint').set({ digest: row.digest, signature: t.custodian.keys.signJournal(Buffer.from('a'.repeat(64), 'hex')) }).where('number', '=', 1).execute();
        assert.deepEqual(await problemsOf(), ['checkpoint 1 has an invalid signature']);
        await db().updateTable('journal_checkpoint').set({ signature: row.signature, key_id: 'ed25519:0000000000000000' }).where('number', '=', 1).execute();
        assert.deepEqual(await problemsOf(), [`checkpoint 1 names key ed25519:0000000000000000, not this journal's signing key ${t.custodian.keys.journalKeyId}`]);
      });

      it('vouches only for the events it pins: an event it signed that is gone or different is named', async () => {
        await db().updateTable('journal_event').set({ hash: rows[1].hash }).where('stream', '=', stream).where('seq', '=', 3).execute();
        const differs = await verify();
        assert.ok(differs.problems.some((p) => p.checkpoint === 1 && p.stream === stream && p.seq === 3 && p.problem === 'event differs from the one signed by checkpoint 1'), JSON.stringify(differs.problems));
        await db().deleteFrom('journal_event').where('stream', '=', stream).where('seq', '=', 3).execute();
        const missing = await verify();
        assert.ok(missing.problems.some((p) => p.checkpoint === 1 && p.stream === stream && p.seq === 3 && p.problem === 'event signed by checkpoint 1 is missing'), JSON.stringify(missing.problems));
      });

      it('that failed its signature vouches for nothing: its events count as uncovered once old', async () => {
        await db().updateTable('journal_checkpoint').set({ signature: Buffer.alloc(64).toString('base64') }).execute();
        const later = await verifyJournal({ db: db(), keys: t.custodian.keys, now: t.clock.now() + 2 * 60_000 + 1, checkpointIntervalMs: 60_000 });
        assert.ok(later.problems.some((p) => p.stream === stream && p.seq === 1 && /no checkpoint covers it/.test(p.problem)), JSON.stringify(later.problems));
        assert.ok(later.problems.some((p) => p.problem === 'checkpoint 1 has an invalid signature'));
      });
    });

    it('counts streams, events and checkpoints in its report', async () => {
      const report = await verify();
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      const streams = await db().selectFrom('journal_head').select('stream').execute();
      assert.equal(report.streams, streams.length);
      assert.equal(report.events, (await db().selectFrom('journal_event').select('id').execute()).length);
      assert.equal(report.checkpoints, 1);
      assert.equal(report.latestCheckpoint, 1);
      assert.equal(report.anchor, undefined);
    });
  });
}
