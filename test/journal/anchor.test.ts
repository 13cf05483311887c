/**
 * `custodian journal checkpoint --out FILE` exports a signed checkpoint an auditor can check
 * offline; `custodian journal verify --anchor FILE` proves the journal still holds all it
 * covered — even after every checkpoint in the database was deleted and the heads rewound.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { journalKeyId } from '../../src/crypto/keys.js';
import { eventHash, GENESIS_HASH } from '../../src/journal/journal.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

interface AnchorFile {
  format: string;
  number: number;
  at: number;
  heads: Record<string, [number, string]>;
  prevDigest: string | null;
  digest: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

/** What an auditor does with the file and nothing else: recompute the digest, check the signature. */
function checkOffline(anchor: AnchorFile): boolean {
  const ordered = Object.keys(anchor.heads).sort().map((s) => [s, anchor.heads[s][0], anchor.heads[s][1]]);
  const digest = createHash('sha256').update(JSON.stringify([anchor.format, anchor.number, anchor.at, anchor.prevDigest, ordered])).digest('hex');
  const key = createPublicKey({ key: Buffer.from(anchor.publicKey, 'base64'), format: 'der', type: 'spki' });
  return digest === anchor.digest && verify(null, Buffer.from(digest, 'hex'), key, Buffer.from(anchor.signature, 'base64'));
}

for (const engine of ENGINES) {
  describe(`journal anchors through the CLI (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let env: Record<string, string>;
    let subject: string;
    let file: string;

    before(async () => {
      // On the real clock, like the CLI: the events are recent, so only the anchor can tell a rewind.
      t = await createTestCustodian(engine, { now: new Date().toISOString() });
      env = cliEnv(t.database.location, t.config.keyringPath);
    });
    after(async () => t.dispose());

    const db = () => t.custodian.store.db;

    beforeEach(async () => {
      t.clock.set(Date.now());
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      await db().deleteFrom('journal_checkpoint').execute();
      file = join(t.database.dir, `anchor-${Math.random()}.json`);
      ({ id: subject } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: `a${Math.random()}@example.kz` }] }, 'test'));
      for (const value of ['A', 'B', 'C']) await t.custodian.vault.collect(subject, [{ category: 'user.name', value, purpose: 'orders', source: 'direct' }], 'test');
    });

    async function exportAnchor(): Promise<AnchorFile> {
      const out = await runCli(['journal', 'checkpoint', '--out', file, '--json'], env);
      assert.equal(out.code, 0, out.stderr);
      const anchor = JSON.parse(readFileSync(file, 'utf8')) as AnchorFile;
      assert.deepEqual(JSON.parse(out.stdout), anchor, '--json prints what --out wrote');
      return anchor;
    }

    async function subjectEvents() {
      return db().selectFrom('journal_event').selectAll().where('subject_id', '=', subject).orderBy('seq').execute();
    }

    it('writes an anchor file an auditor can check offline, and verify --anchor passes on the intact journal', async () => {
      const anchor = await exportAnchor();
      assert.deepEqual(Object.keys(anchor).sort(), ['at', 'digest', 'format', 'heads', 'keyId', 'number', 'prevDigest', 'publicKey', 'signature']);
      assert.equal(anchor.format, 'custodian/checkpoint/v2');
      assert.equal(anchor.number, 1);
      assert.equal(anchor.prevDigest, null);
      assert.equal(anchor.publicKey, t.custodian.keys.journalPublicKey);
      assert.equal(anchor.keyId, journalKeyId(anchor.publicKey));
      assert.ok(checkOffline(anchor));
      const events = await subjectEvents();
      assert.deepEqual(anchor.heads[events[0].stream], [events.length, events.at(-1)!.hash]);

      const intact = await runCli(['journal', 'verify', '--anchor', file], env);
      assert.equal(intact.code, 0, intact.stdout + intact.stderr);
      assert.match(intact.stdout, /Journal intact, and it holds everything checkpoint 1 covered/);
      const json = JSON.parse((await runCli(['journal', 'verify', '--anchor', file, '--json'], env)).stdout);
      assert.deepEqual(json.anchor, { number: 1, digest: anchor.digest, ok: true });
    });

    it('catches truncation below the anchor after every checkpoint was deleted and the heads rewound', async () => {
      await exportAnchor();
      const events = await subjectEvents();
      const keep = events[events.length - 3];
      await db().deleteFrom('journal_checkpoint').execute();
      await db().deleteFrom('journal_event').where('stream', '=', keep.stream).where('seq', '>', keep.seq).execute();
      await db().updateTable('journal_head').set({ seq: keep.seq, hash: keep.hash }).where('stream', '=', keep.stream).execute();

      // Without the anchor the rewound journal links up, and its events are too young to be missed.
      const blind = await runCli(['journal', 'verify'], env);
      assert.equal(blind.code, 0, blind.stdout);

      const anchored = await runCli(['journal', 'verify', '--anchor', file, '--json'], env);
      assert.equal(anchored.code, 1, anchored.stdout);
      const report = JSON.parse(anchored.stdout);
      assert.equal(report.anchor.ok, false);
      assert.ok(
        report.problems.some((p: { stream: string; problem: string }) => p.stream === keep.stream && p.problem.startsWith(`the journal is shorter than the anchor: the stream ends at seq ${keep.seq}, the anchor (checkpoint 1) covered up to seq ${events.length}`)),
        anchored.stdout,
      );
      assert.ok(report.problems.some((p: { problem: string }) => p.problem === 'the anchored checkpoint 1 is not in the database (checkpoints were deleted)'));
      const text = await runCli(['journal', 'verify', '--anchor', file], env);
      assert.equal(text.code, 1);
      assert.match(text.stdout, /Journal TAMPERED/);
    });

    it('catches a stream rewritten from its start with every hash recomputed', async () => {
      await exportAnchor();
      const events = await subjectEvents();
      let prev = GENESIS_HASH;
      for (const row of events) {
        const base = { ...row, actor: row.seq === 2 ? 'someone-else' : row.actor, prev_hash: prev };
        const hash = eventHash(base);
        await db().updateTable('journal_event').set({ actor: base.actor, prev_hash: prev, hash }).where('stream', '=', row.stream).where('seq', '=', row.seq).execute();
        prev = hash;
      }
      await db().updateTable('journal_head').set({ hash: prev }).where('stream', '=', events[0].stream).execute();
      await db().deleteFrom('journal_checkpoint').execute();

      assert.equal((await runCli(['journal', 'verify'], env)).code, 0, 'the forged chain links up');
      const anchored = await runCli(['journal', 'verify', '--anchor', file, '--json'], env);
      assert.equal(anchored.code, 1);
      const report = JSON.parse(anchored.stdout);
      assert.ok(report.problems.some((p: { stream: string; seq: number; problem: string }) => p.stream === events[0].stream && p.seq === events.length && /differs from the one the anchor \(checkpoint 1\) covered/.test(p.problem)), anchored.stdout);
    });

    it('rejects an edited anchor file and one signed by another key', async () => {
      const anchor = await exportAnchor();
      const { stream } = (await subjectEvents())[0];
      const edited = { ...anchor, heads: { ...anchor.heads, [stream]: [anchor.heads[stream][0] - 1, anchor.heads[stream][1]] } };
      writeFileSync(file, JSON.stringify(edited));
      const bad = await runCli(['journal', 'verify', '--anchor', file, '--json'], env);
      assert.equal(bad.code, 1);
      assert.ok(JSON.parse(bad.stdout).problems.some((p: { problem: string }) => /the anchor's digest does not match/.test(p.problem)), bad.stdout);

      const other = generateKeyPairSync('ed25519');
      const publicKey = other.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      const foreign = { ...anchor, publicKey, keyId: journalKeyId(publicKey), signature: sign(null, Buffer.from(anchor.digest, 'hex'), other.privateKey).toString('base64') };
      assert.ok(checkOffline(foreign), 'a well-formed anchor, just not this journal’s');
      writeFileSync(file, JSON.stringify(foreign));
      const stranger = await runCli(['journal', 'verify', '--anchor', file, '--json'], env);
      assert.equal(stranger.code, 1);
      assert.ok(JSON.parse(stranger.stdout).problems.some((p: { problem: string }) => p.problem.startsWith(`the anchor was signed by key ${foreign.keyId}, not this journal's signing key`)));

      writeFileSync(file, JSON.stringify({ ...anchor, number: 0 }));
      const malformed = await runCli(['journal', 'verify', '--anchor', file], env);
      assert.equal(malformed.code, 1);
      assert.match(malformed.stderr, /Error \(validation_failed\): The anchor file is not a Custodian checkpoint\n\s+number: must be a whole number from 1/);
    });

    it('an anchor exported later still holds after more events; a newer checkpoint chains to it', async () => {
      const first = await exportAnchor();
      await t.custodian.vault.collect(subject, [{ category: 'user.name', value: 'D', purpose: 'orders', source: 'direct' }], 'test');
      const second = JSON.parse((await runCli(['journal', 'checkpoint', '--json'], env)).stdout) as AnchorFile;
      assert.equal(second.number, 2);
      assert.equal(second.prevDigest, first.digest);
      assert.equal((await runCli(['journal', 'verify', '--anchor', file], env)).code, 0);
    });

    it('`journal checkpoint --out` on an empty journal writes nothing and fails', async () => {
      await db().deleteFrom('journal_event').execute();
      await db().deleteFrom('journal_head').execute();
      const out = await runCli(['journal', 'checkpoint', '--out', file], env);
      assert.equal(out.code, 1);
      assert.match(out.stderr, /The journal is empty/);
      assert.equal(existsSync(file), false);
    });
  });
}
