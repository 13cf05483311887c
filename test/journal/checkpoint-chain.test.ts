/**
 * Checkpoints form a numbered chain; verify reports gaps, broken links, signed rewinds
 * and events left uncovered for longer than twice the checkpoint interval.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { openCustodian } from '../../src/custodian.js';
import { KeyService } from '../../src/crypto/keys.js';
import { fileKekProvider } from '../../src/crypto/kek-provider.js';
import { checkpointDigest, type Heads, JournalRewoundError, legacyCheckpointDigest, toCheckpoint } from '../../src/journal/checkpoint.js';
import { Journal } from '../../src/journal/journal.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { MIGRATIONS } from '../../src/migrations.js';
import { migrateToLatest } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/store.js';
import type { Database } from '../../src/store/tables.js';
import { ManualClock, uuidSource } from '../../src/clock.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { createTestDatabase, ENGINES, engineSkip } from '../support/engines.js';

const INTERVAL = 60_000;

for (const engine of ENGINES) {
  describe(`journal checkpoint chain (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let subject: string;

    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t.dispose());

    const db = () => t.custodian.store.db;
    const verify = (now = t.clock.now()) => verifyJournal({ db: db(), keys: t.custodian.keys, now, checkpointIntervalMs: INTERVAL });
    const collect = (value: string) => t.custodian.vault.collect(subject, [{ category: 'user.name', value, purpose: 'orders', source: 'direct' }], 'test');

    beforeEach(async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      await db().deleteFrom('journal_checkpoint').execute();
      ({ id: subject } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `c${Math.random()}@example.kz` }] }, 'test'));
    });

    /** Three checkpoints, each after new events, ten seconds apart. */
    async function threeCheckpoints() {
      const written = [];
      for (const value of ['A', 'B', 'C']) {
        await collect(value);
        t.clock.advance(10_000);
        written.push((await t.custodian.checkpoint())!);
      }
      return written;
    }

    it('numbers checkpoints 1, 2, 3, each naming the digest before it, the digest covering number, time, link and heads', async () => {
      const [one, two, three] = await threeCheckpoints();
      assert.deepEqual([one.number, two.number, three.number], [1, 2, 3]);
      assert.deepEqual([one.prevDigest, two.prevDigest, three.prevDigest], [null, one.digest, two.digest]);
      for (const c of [one, two, three]) {
        // Recomputed here from the documented construction, not from Custodian's function.
        const ordered = Object.keys(c.heads).sort().map((s) => [s, c.heads[s][0], c.heads[s][1]]);
        const expected = createHash('sha256').update(JSON.stringify(['custodian/checkpoint/v2', c.number, c.at, c.prevDigest, ordered])).digest('hex');
        assert.equal(c.digest, expected);
        assert.ok(t.custodian.keys.verifyJournal(Buffer.from(c.digest, 'hex'), c.signature));
      }
      const report = await verify();
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      assert.equal(report.checkpoints, 3);
      assert.equal(report.latestCheckpoint, 3);
    });

    it('returns the same checkpoint when nothing changed, without writing another', async () => {
      await collect('A');
      const first = await t.custodian.checkpoint();
      t.clock.advance(60_000);
      const again = await t.custodian.checkpoint();
      assert.equal(again?.id, first?.id);
      assert.equal((await db().selectFrom('journal_checkpoint').select('id').execute()).length, 1);
    });

    it('reports a deleted checkpoint in the middle as a gap naming its number', async () => {
      await threeCheckpoints();
      await db().deleteFrom('journal_checkpoint').where('number', '=', 2).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.checkpoint === 3 && p.problem === 'checkpoint 2 is missing (deleted)'), JSON.stringify(report.problems));
    });

    it('reports deleted first checkpoints: the chain must start at 1', async () => {
      await threeCheckpoints();
      await db().deleteFrom('journal_checkpoint').where('number', '<', 3).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.problem === 'checkpoints 1–2 are missing (deleted)'), JSON.stringify(report.problems));
    });

    it('reports a checkpoint whose previous digest is not its predecessor’s', async () => {
      const [, two, three] = await threeCheckpoints();
      // Re-signed with the journal's own key, so only the link gives it away.
      const forged = { ...three, prevDigest: 'f'.repeat(64) };
      const digest = checkpointDigest(forged);
      await db()
        .updateTable('journal_checkpoint')
        .set({ prev_digest: forged.prevDigest, digest, signature: t.custodian.keys.signJournal(Buffer.from(digest, 'hex')) })
        .where('number', '=', 3)
        .execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.problems.map((p) => [p.checkpoint, p.problem]),
        [[3, `checkpoint 3 names a previous digest that is not checkpoint ${two.number}'s (a checkpoint was replaced)`]],
      );
    });

    it('reports an edited checkpoint number as a broken digest', async () => {
      await threeCheckpoints();
      await db().updateTable('journal_checkpoint').set({ number: 4 }).where('number', '=', 3).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => /checkpoint 4's digest does not match/.test(p.problem)), JSON.stringify(report.problems));
    });

    it('fails events older than twice the interval that no checkpoint covers, and passes recent ones', async () => {
      await threeCheckpoints();
      await collect('D');
      const uncovered = await db().selectFrom('journal_event').select(['stream', 'seq', 'id', 'at']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

      assert.equal((await verify(uncovered.at + 2 * INTERVAL)).ok, true, 'exactly two intervals old is still within bounds');
      const late = await verify(uncovered.at + 2 * INTERVAL + 1);
      assert.equal(late.ok, false);
      assert.deepEqual(
        late.problems.map((p) => [p.stream, p.seq, p.eventId]),
        [[uncovered.stream, Number(uncovered.seq), uncovered.id]],
      );
      assert.match(late.problems[0].problem, /no checkpoint covers it/);

      await t.custodian.checkpoint();
      assert.equal((await verify(uncovered.at + 10 * INTERVAL)).ok, true, 'a checkpoint covers it again');
    });

    it('passes an empty journal without checkpoints, and a journal whose events are all recent', async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      assert.deepEqual(await verify(t.clock.now() + 365 * 86_400_000), { ok: true, streams: 0, events: 0, checkpoints: 0, latestCheckpoint: null, problems: [] });
      await collect('A');
      await collect('B');
      assert.equal((await verify(t.clock.now() + INTERVAL)).ok, true);
    });

    it('catches a rewind with every checkpoint deleted once the events are older than twice the interval', async () => {
      await threeCheckpoints();
      const rows = await db().selectFrom('journal_event').select(['stream', 'seq', 'hash']).where('subject_id', '=', subject).orderBy('seq').execute();
      const keep = rows[rows.length - 2];
      await db().deleteFrom('journal_checkpoint').execute();
      await db().deleteFrom('journal_event').where('stream', '=', keep.stream).where('seq', '>', keep.seq).execute();
      await db().updateTable('journal_head').set({ seq: keep.seq, hash: keep.hash }).where('stream', '=', keep.stream).execute();
      const report = await verify(t.clock.now() + 3 * INTERVAL);
      assert.equal(report.ok, false);
      assert.equal(report.checkpoints, 0);
      assert.ok(report.problems.some((p) => p.stream === keep.stream && /no checkpoint covers it/.test(p.problem)));
    });

    it('refuses to sign a journal rewound below the newest checkpoint', async () => {
      const [, , three] = await threeCheckpoints();
      const [stream, [seq]] = Object.entries(three.heads).find(([s]) => s !== 'system')!;
      const prev = await db().selectFrom('journal_event').select('hash').where('stream', '=', stream).where('seq', '=', seq - 1).executeTakeFirstOrThrow();
      await db().deleteFrom('journal_event').where('stream', '=', stream).where('seq', '=', seq).execute();
      await db().updateTable('journal_head').set({ seq: seq - 1, hash: prev.hash }).where('stream', '=', stream).execute();
      await assert.rejects(t.custodian.checkpoint(), (error: Error) => error instanceof JournalRewoundError && error.message.includes(`checkpoint 3 covered seq ${seq}`));
      assert.equal((await db().selectFrom('journal_checkpoint').select('id').execute()).length, 3);
    });

    it('reports a signed checkpoint that covers less than the one before it', async () => {
      const [, two] = await threeCheckpoints();
      const [stream, [seq, hash]] = Object.entries(two.heads).find(([s]) => s !== 'system')!;
      const shrunk: Heads = { ...two.heads, [stream]: [seq - 1, hash] };
      const forged = { number: 3, at: t.clock.now(), prevDigest: two.digest, heads: shrunk };
      const digest = checkpointDigest(forged);
      await db().deleteFrom('journal_checkpoint').where('number', '=', 3).execute();
      await db()
        .insertInto('journal_checkpoint')
        .values({ id: uuidSource.next(), number: 3, at: forged.at, heads: JSON.stringify(shrunk), prev_digest: two.digest, digest, key_id: t.custodian.keys.journalKeyId, signature: t.custodian.keys.signJournal(Buffer.from(digest, 'hex')), sink_pending: 0 })
        .execute();
      const report = await verify();
      assert.ok(report.problems.some((p) => p.checkpoint === 3 && p.problem.includes(`covers stream ${stream} only to seq ${seq - 1}, below the seq ${seq} checkpoint 2 covered`)), JSON.stringify(report.problems));
    });
  });

  describe(`journal checkpoints from before numbering (${engine})`, { skip: engineSkip(engine) }, () => {
    it('numbers legacy checkpoints in time order, verifies them, and chains the first new one to them; a deleted legacy one is then a gap', async () => {
      const database = await createTestDatabase(engine);
      const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
      const keyringPath = `${database.dir}/keyring.json`;
      try {
        // The schema as it was before migration 0005, with two signed checkpoints of the old kind.
        const store = openStore(database.location);
        const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0005_journal_checkpoint_chain'));
        await migrateToLatest(store.db, before);
        const keys = new KeyService(fileKekProvider(keyringPath));
        await keys.load(store.db, clock.now());
        const journal = new Journal(store.engine, clock, uuidSource);
        const legacy: { id: string; digest: string }[] = [];
        for (const subjectId of ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']) {
          await store.transaction((trx) => journal.append(trx, [{ actor: 'test', operation: 'collection', subjectId, categories: ['user.name'] }]));
          clock.advance(60_000);
          const rows = await store.db.selectFrom('journal_head').selectAll().execute();
          const heads: Heads = Object.fromEntries(rows.map((r) => [r.stream, [Number(r.seq), r.hash]]));
          const digest = legacyCheckpointDigest(clock.now(), heads);
          const id = uuidSource.next();
          await (store.db as unknown as Kysely<Record<string, Record<string, unknown>>>)
            .insertInto('journal_checkpoint')
            .values({ id, at: clock.now(), heads: JSON.stringify(heads), digest, key_id: keys.journalKeyId, signature: keys.signJournal(Buffer.from(digest, 'hex')) })
            .execute();
          legacy.push({ id, digest });
        }
        await store.close();

        const custodian = await openCustodian({ database: database.location, keyringPath }, { clock });
        try {
          const db: Kysely<Database> = custodian.store.db;
          const rows = (await db.selectFrom('journal_checkpoint').selectAll().orderBy('number').execute()).map(toCheckpoint);
          assert.deepEqual(
            rows.map((c) => [c.id, c.number, c.prevDigest]),
            [
              [legacy[0].id, 1, null],
              [legacy[1].id, 2, legacy[0].digest],
            ],
          );
          const check = () => verifyJournal({ db, keys: custodian.keys, now: clock.now(), checkpointIntervalMs: INTERVAL });
          assert.equal((await check()).ok, true, JSON.stringify((await check()).problems));

          // Nothing changed, yet a legacy checkpoint cannot be exported: a numbered one is signed.
          const first = await custodian.checkpoint();
          assert.equal(first?.number, 3);
          assert.equal(first?.prevDigest, legacy[1].digest);
          assert.equal((await check()).ok, true);

          await db.deleteFrom('journal_checkpoint').where('number', '=', 1).execute();
          await db.updateTable('journal_checkpoint').set({ number: 1, prev_digest: null }).where('number', '=', 2).execute();
          const report = await check();
          assert.equal(report.ok, false);
          assert.ok(report.problems.some((p) => p.problem === 'checkpoint 2 is missing (deleted)'), JSON.stringify(report.problems));
        } finally {
          await custodian.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
}
