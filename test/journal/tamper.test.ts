import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { generateKeyPairSync, sign } from 'node:crypto';
import { sql } from 'kysely';
import { journalKeyId, KeyService } from '../../src/crypto/keys.js';
import { eventHash } from '../../src/journal/journal.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`journal tamper detection (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let stream: string;
    let ids: string[];

    before(async () => {
      t = await createTestCustodian(engine);
    });
    after(async () => t.dispose());

    beforeEach(async () => {
      // A fresh journal per case: clear it, then write five events for one subject.
      await t.custodian.store.db.deleteFrom('journal_event').execute();
      await t.custodian.store.db.deleteFrom('journal_head').execute();
      await t.custodian.store.db.deleteFrom('journal_checkpoint').execute();
      const { vault } = t.custodian;
      const { id } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: `t${Math.random()}@example.kz` }] }, 'test');
      await vault.collect(id, [{ category: 'user.name', value: 'A', purpose: 'orders', source: 'direct' }], 'test');
      await vault.collect(id, [{ category: 'user.contact.phone_number', value: '+77010000000', purpose: 'orders', source: 'direct' }], 'test');
      await vault.collect(id, [{ category: 'user.contact.email', value: 'a@b.kz', purpose: 'orders', source: 'direct' }], 'test');
      await vault.readForPurpose(id, 'orders', 'test');
      await t.custodian.checkpoint();
      const rows = await t.custodian.store.db.selectFrom('journal_event').select(['stream', 'seq', 'id']).where('subject_id', '=', id).orderBy('seq').execute();
      assert.equal(rows.length, 5);
      stream = rows[0].stream;
      ids = rows.map((r) => r.id);
    });

    const db = () => t.custodian.store.db;
    const verify = () => verifyJournal({ db: db(), keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000 });

    it('reports an intact journal as intact', async () => {
      const report = await verify();
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      assert.equal(report.events, 5);
      assert.equal(report.checkpoints, 1);
    });

    it('detects an edited event and names it', async () => {
      await db().updateTable('journal_event').set({ purpose: 'marketing' }).where('stream', '=', stream).where('seq', '=', 3).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.deepEqual([report.problems[0].stream, report.problems[0].seq, report.problems[0].eventId], [stream, 3, ids[2]]);
      assert.match(report.problems[0].problem, /edited/);
    });

    it('detects an edit whose hash was recomputed (chain link breaks after it)', async () => {
      const row = await db().selectFrom('journal_event').selectAll().where('stream', '=', stream).where('seq', '=', 2).executeTakeFirstOrThrow();
      const forged = { ...row, categories: '[]' };
      await db().updateTable('journal_event').set({ categories: '[]', hash: eventHash(forged) }).where('stream', '=', stream).where('seq', '=', 2).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.equal(report.problems[0].seq, 3);
      assert.ok(report.problems[0].problem.includes(ids[1]), 'names the forged event before the broken link');
    });

    it('detects a deleted event', async () => {
      await db().deleteFrom('journal_event').where('stream', '=', stream).where('seq', '=', 2).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.deepEqual([report.problems[0].seq, report.problems[0].eventId], [3, ids[2]]);
      assert.match(report.problems[0].problem, /deleted/);
    });

    it('detects a deleted last event (truncation) through the head and the checkpoint', async () => {
      await db().deleteFrom('journal_event').where('stream', '=', stream).where('seq', '=', 5).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.seq === 5 && /missing|head/.test(p.problem)));
    });

    it('detects an inserted event, naming it', async () => {
      await sql`update journal_event set seq = seq + 100 where stream = ${stream} and seq >= 3`.execute(db());
      await sql`update journal_event set seq = seq - 99 where stream = ${stream} and seq >= 103`.execute(db());
      const prev = await db().selectFrom('journal_event').selectAll().where('stream', '=', stream).where('seq', '=', 2).executeTakeFirstOrThrow();
      const base = { ...prev, seq: 3, id: '11111111-1111-4111-8111-111111111111', operation: 'destruction', prev_hash: prev.hash };
      await db().insertInto('journal_event').values({ ...base, hash: eventHash(base) }).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.equal(report.problems[0].seq, 4);
      assert.ok(report.problems[0].problem.includes('11111111-1111-4111-8111-111111111111'), report.problems[0].problem);
    });

    it('detects an event slipped in before the first one (sequence 0), which every later check would miss', async () => {
      const first = await db().selectFrom('journal_event').selectAll().where('stream', '=', stream).where('seq', '=', 1).executeTakeFirstOrThrow();
      const base = { ...first, seq: 0, id: '22222222-2222-4222-8222-222222222222', operation: 'destruction' };
      await db().insertInto('journal_event').values({ ...base, hash: eventHash(base) }).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.deepEqual([report.problems[0].seq, report.problems[0].eventId], [0, '22222222-2222-4222-8222-222222222222']);
      assert.match(report.problems[0].problem, /sequence out of order: expected 1, found 0 \(an event was inserted\)/);
    });

    it('detects two reordered events', async () => {
      await sql`update journal_event set seq = -1 where stream = ${stream} and seq = 2`.execute(db());
      await sql`update journal_event set seq = 2 where stream = ${stream} and seq = 3`.execute(db());
      await sql`update journal_event set seq = 3 where stream = ${stream} and seq = -1`.execute(db());
      const report = await verify();
      assert.equal(report.ok, false);
      assert.deepEqual([report.problems[0].seq, report.problems[0].eventId], [2, ids[2]]);
    });

    it('detects a forged checkpoint signature', async () => {
      await db().updateTable('journal_checkpoint').set({ signature: Buffer.alloc(64).toString('base64') }).execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.match(report.problems[0].problem, /invalid signature/);
    });

    it('detects checkpoints re-signed with a key swapped into the database', async () => {
      const attacker = generateKeyPairSync('ed25519');
      const spki = attacker.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      const checkpoint = await db().selectFrom('journal_checkpoint').selectAll().executeTakeFirstOrThrow();
      await db()
        .updateTable('journal_checkpoint')
        .set({ key_id: journalKeyId(spki), signature: sign(null, Buffer.from(checkpoint.digest, 'hex'), attacker.privateKey).toString('base64') })
        .execute();
      const report = await verify();
      assert.equal(report.ok, false);
      assert.match(report.problems[0].problem, /names key ed25519:[0-9a-f]{16}, not this journal's signing key/);

      // Swapping the stored public key too is caught when keys load: the public half is
      // derived from the wrapped private key, not read from the database.
      await db().updateTable('key_material').set({ public_key: spki }).where('purpose', '=', 'journal-signing').execute();
      await assert.rejects(new KeyService(t.custodian.keys.keks).load(db(), Date.now()), /does not match the journal signing key/);
      const original = t.custodian.keys.journalPublicKey;
      await db().updateTable('key_material').set({ public_key: original }).where('purpose', '=', 'journal-signing').execute();
    });

    it('refuses to start when a system key was deleted, instead of minting a new one', async () => {
      const row = await db().selectFrom('key_material').selectAll().where('purpose', '=', 'blind-index').executeTakeFirstOrThrow();
      await db().deleteFrom('key_material').where('purpose', '=', 'blind-index').execute();
      try {
        await assert.rejects(new KeyService(t.custodian.keys.keks).load(db(), Date.now()), /System keys are missing from key_material: blind-index/);
      } finally {
        await db().insertInto('key_material').values(row).execute();
      }
    });

    it('`custodian journal verify` exits 0 when intact and 1 naming the event when tampered', async () => {
      const env = cliEnv(t.database.location, t.config.keyringPath);
      const intact = await runCli(['journal', 'verify'], env);
      assert.equal(intact.code, 0, intact.stderr);
      assert.match(intact.stdout, /Journal intact/);
      await db().updateTable('journal_event').set({ actor: 'someone-else' }).where('stream', '=', stream).where('seq', '=', 4).execute();
      const tampered = await runCli(['journal', 'verify'], env);
      assert.equal(tampered.code, 1);
      assert.match(tampered.stdout, new RegExp(`first bad event: stream ${stream} seq 4 \\(event ${ids[3]}\\)`));
    });
  });
}
