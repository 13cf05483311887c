/**
 * Appending to the journal: each event lands in its subject's stream (system events in
 * `system`), continuing that stream's chain, with defaults for what the caller left out;
 * a journal reset underneath starts its chains again from the genesis hash.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GENESIS_HASH, Journal, STREAM_COUNT, streamFor, SYSTEM_STREAM } from '../../src/journal/journal.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

describe('streams', () => {
  it('put each subject in one of 32 streams by a hash of its id, and everything else in `system`', () => {
    assert.equal(STREAM_COUNT, 32);
    assert.equal(SYSTEM_STREAM, 'system');
    for (const none of [null, undefined, '']) assert.equal(streamFor(none), 'system');
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const bucket = createHash('sha256').update(id).digest().readUInt16BE(0) % 32;
      assert.equal(streamFor(id), `p${String(bucket).padStart(2, '0')}`);
      seen.add(streamFor(id));
    }
    assert.equal(seen.size, 32, 'every stream is used');
    assert.equal(GENESIS_HASH, '0'.repeat(64));
  });
});

for (const engine of ENGINES) {
  describe(`appending (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t?.dispose());
    beforeEach(async () => {
      await t.custodian.store.db.deleteFrom('journal_event').execute();
      await t.custodian.store.db.deleteFrom('journal_head').execute();
    });

    const append = (journal: Journal, entries: Parameters<Journal['append']>[1]) => t.custodian.store.transaction((trx) => journal.append(trx, entries));
    /** Two subject ids in different streams. */
    const twoStreams = () => {
      const a = '11111111-1111-4111-8111-111111111111';
      for (let i = 0; ; i++) {
        const b = `22222222-2222-4222-8222-${String(i).padStart(12, '0')}`;
        if (streamFor(b) !== streamFor(a)) return [a, b];
      }
    };

    it('writes nothing for no entries', async () => {
      assert.deepEqual(await append(t.custodian.journal, []), []);
      assert.equal((await t.custodian.store.db.selectFrom('journal_head').select('stream').execute()).length, 0);
    });

    it('continues each stream’s chain, returns the events as stored, stream by stream, with defaults filled in', async () => {
      const [a, b] = twoStreams();
      const journal = t.custodian.journal;
      await append(journal, [{ actor: 'test', operation: 'collection', subjectId: a }]);
      t.clock.advance(5);
      const written = await append(journal, [
        { actor: 'apikey:x', operation: 'use', subjectId: b, purpose: 'orders', categories: ['user.name'], details: { items: ['i1'], flag: true, count: 2, none: null } },
        { actor: 'system:job', operation: 'publication' },
        { actor: 'apikey:y', operation: 'extraction', subjectId: a, purpose: null },
        { actor: 'apikey:z', operation: 'view', subjectId: a },
      ]);
      assert.deepEqual(written.map((e) => [e.stream, e.seq]), [...[[streamFor(a), 2], [streamFor(a), 3], [streamFor(b), 1], ['system', 1]]].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] as number) - (y[1] as number))));
      const stored = await t.custodian.store.db.selectFrom('journal_event').selectAll().orderBy('stream').orderBy('seq').execute();
      for (const event of written) {
        const row = stored.find((r) => r.id === event.id)!;
        assert.deepEqual(event, { stream: row.stream, seq: Number(row.seq), id: row.id, at: Number(row.at), actor: row.actor, operation: row.operation, subjectId: row.subject_id, purpose: row.purpose, categories: JSON.parse(row.categories), details: JSON.parse(row.details), prevHash: row.prev_hash, hash: row.hash });
        assert.equal(event.at, t.clock.now());
      }
      const system = written.find((e) => e.stream === 'system')!;
      assert.deepEqual([system.subjectId, system.purpose, system.categories, system.details, system.prevHash], [null, null, [], {}, GENESIS_HASH]);
      const use = written.find((e) => e.operation === 'use')!;
      assert.deepEqual([use.purpose, use.categories, use.details], ['orders', ['user.name'], { items: ['i1'], flag: true, count: 2, none: null }]);
      const inA = written.filter((e) => e.stream === streamFor(a));
      const first = stored.find((r) => r.stream === streamFor(a) && Number(r.seq) === 1)!;
      assert.equal(inA[0].prevHash, first.hash);
      assert.equal(inA[1].prevHash, inA[0].hash);
      const heads = await t.custodian.store.db.selectFrom('journal_head').selectAll().orderBy('stream').execute();
      assert.deepEqual(heads.map((h) => [h.stream, Number(h.seq), h.hash]).sort(), [
        [streamFor(a), 3, inA[1].hash],
        [streamFor(b), 1, use.hash],
        ['system', 1, system.hash],
      ].sort());
    });

    it('starts a chain again from the genesis hash when the journal was reset underneath it', async () => {
      const [a] = twoStreams();
      const journal = t.custodian.journal;
      await append(journal, [{ actor: 'test', operation: 'collection', subjectId: a }]);
      await t.custodian.store.db.deleteFrom('journal_event').execute();
      await t.custodian.store.db.deleteFrom('journal_head').execute();
      const [again] = await append(journal, [{ actor: 'test', operation: 'collection', subjectId: a }]);
      assert.deepEqual([again.seq, again.prevHash], [1, GENESIS_HASH]);
      const [next] = await append(journal, [{ actor: 'test', operation: 'use', subjectId: a }]);
      assert.deepEqual([next.seq, next.prevHash], [2, again.hash]);
    });

    it('two journals on one store continue each other’s chains', async () => {
      const [a] = twoStreams();
      const other = new Journal(t.custodian.store.engine, t.clock, t.custodian.ids);
      const [one] = await append(t.custodian.journal, [{ actor: 'test', operation: 'collection', subjectId: a }]);
      const [two] = await append(other, [{ actor: 'test', operation: 'use', subjectId: a }]);
      const [three] = await append(t.custodian.journal, [{ actor: 'test', operation: 'use', subjectId: a }]);
      assert.deepEqual([one.seq, two.seq, three.seq], [1, 2, 3]);
      assert.deepEqual([two.prevHash, three.prevHash], [one.hash, two.hash]);
    });
  });
}
