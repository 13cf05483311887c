/**
 * Crash safety: a child process runs a mixed workload on Custodian and is killed with
 * SIGKILL at random moments, then restarted, again and again. Afterwards every write the
 * child acknowledged (printed after its commit) must be there, readable, and the journal
 * must verify: a crash loses at most what was not yet acknowledged, and never leaves a
 * half-written change or a broken chain.
 *
 * The kill schedule comes from a seeded generator; reproduce a run with CUSTODIAN_CRASH_SEED.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { cliEnv } from '../support/cli.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { createTestDatabase, ENGINES, engineSkip, type TestDatabase } from '../support/engines.js';
import type { Ack } from './crash-workload.js';

const WORKLOAD = fileURLToPath(new URL('./crash-workload.ts', import.meta.url));
const SEED = Number(process.env.CUSTODIAN_CRASH_SEED ?? 947);
const KILLS = 14;
/** Generous: the test is about crashes, not about how often checkpoints are signed. */
const CHECKPOINT_INTERVAL_MS = 3_600_000;
/** A child that prints nothing for this long is stuck, not slow. */
const READY_TIMEOUT_MS = 20_000;

/** mulberry32: a small seeded generator, so a kill schedule can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Round {
  acks: Ack[];
  /** What the child wrote to stderr (it should be nothing). */
  stderr: string;
}

/**
 * One workload process. It loads its modules at once and waits; `go()` lets it open
 * Custodian and work, and resolves when it is working. Keeping the next ones loaded while
 * one runs keeps each restart to opening Custodian.
 */
class Workload {
  private readonly child: ChildProcess;
  private stdout = '';
  private stderr = '';
  private readonly loaded: Promise<void>;
  private readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private onReady?: () => void;

  constructor(
    env: Record<string, string>,
    readonly run: number,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WORKLOAD], { env: { ...process.env, ...env, CRASH_RUN: String(run) }, stdio: ['pipe', 'pipe', 'pipe'] });
    let onLoaded: () => void;
    this.loaded = new Promise((resolve) => (onLoaded = resolve));
    this.child.stdout!.on('data', (chunk) => {
      this.stdout += chunk;
      if (this.stdout.startsWith('loaded\n')) onLoaded();
      if (this.stdout.startsWith('loaded\nready\n')) this.onReady?.();
    });
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.closed = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  private within<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout;
    const exited = this.closed.then(({ code, signal }) => Promise.reject(new Error(`workload ${this.run} exited (${signal ?? code}) before it was ${what}; stderr: ${this.stderr}`)));
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`workload ${this.run} was not ${what} within ${READY_TIMEOUT_MS} ms; stderr: ${this.stderr}`)), READY_TIMEOUT_MS)));
    return Promise.race([promise, exited, late]).finally(() => clearTimeout(timer));
  }

  async go(): Promise<void> {
    await this.within(this.loaded, 'loaded');
    const ready = new Promise<void>((resolve) => (this.onReady = resolve));
    this.child.stdin!.write('go\n');
    await this.within(ready, 'ready');
  }

  /** SIGKILL, then every complete line it printed; a line cut by the kill was never acknowledged. */
  async kill(): Promise<Round> {
    this.child.kill('SIGKILL');
    const { code, signal } = await this.closed;
    if (signal !== 'SIGKILL') throw new Error(`workload ${this.run} exited by itself (code ${code}) before the kill; stderr: ${this.stderr}`);
    const lines = this.stdout.split('\n').slice(2, -1);
    return { acks: lines.map((line) => JSON.parse(line) as Ack), stderr: this.stderr };
  }
}

for (const engine of ENGINES) {
  describe(`crash safety under SIGKILL (${engine})`, { skip: engineSkip(engine) }, () => {
    let database: TestDatabase;
    let keyringPath: string;
    let custodian: Custodian | undefined;
    const acks: Ack[] = [];

    before(async () => {
      database = await createTestDatabase(engine);
      keyringPath = join(database.dir, 'keyring.json');
      const setup = await openCustodian({ database: database.location, keyringPath });
      await publishPolicyFile(setup, DEMO_POLICY);
      await setup.close();
    });
    after(async () => {
      await custodian?.close();
      await database?.drop();
    });

    it(`keeps every acknowledged write through ${KILLS} kills`, { timeout: 120_000 }, async (context) => {
      const next = random(SEED);
      context.diagnostic(`kill schedule seed ${SEED} (CUSTODIAN_CRASH_SEED)`);
      const env = cliEnv(database.location, keyringPath);
      const warm: Workload[] = [1, 2, 3].map((run) => new Workload(env, run));
      try {
        for (let run = 1; run <= KILLS; run++) {
          const workload = warm.shift()!;
          if (run + warm.length + 1 <= KILLS) warm.push(new Workload(env, run + warm.length + 1));
          await workload.go();
          await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(next() * 500)));
          const round = await workload.kill();
          // The child either works or is killed; anything it complains about is a failure of its own.
          assert.equal(round.stderr.trim(), '', `round ${run} wrote to stderr`);
          acks.push(...round.acks);
        }
      } finally {
        await Promise.all(warm.map((w) => w.kill().catch(() => undefined)));
      }
      const byOp = (op: Ack['op']) => acks.filter((a) => a.op === op).length;
      context.diagnostic(`acknowledged: ${['subject', 'item', 'consent', 'block', 'unblock', 'checkpoint'].map((op) => `${byOp(op as Ack['op'])} ${op}`).join(', ')}`);
      assert.ok(byOp('subject') >= KILLS && byOp('item') > 0 && byOp('consent') > 0 && byOp('block') > 0, 'the workload got far enough to be worth crashing');
    });

    it('finds every acknowledged write after the crashes, and a journal that verifies', async () => {
      assert.ok(acks.length > 0, 'the crash rounds ran');
      custodian = await openCustodian({ database: database.location, keyringPath });
      const verify = () => verifyJournal({ db: custodian!.store.db, keys: custodian!.keys, now: Date.now(), checkpointIntervalMs: CHECKPOINT_INTERVAL_MS });
      const first = await verify();
      assert.deepEqual(first.problems, []);
      assert.equal(first.ok, true);

      const lifted = new Set(acks.flatMap((a) => (a.op === 'unblock' ? [a.blockId] : [])));
      const missing: string[] = [];
      for (const a of acks) {
        switch (a.op) {
          case 'subject': {
            const subject = await custodian.vault.getSubject(a.subjectId).catch(() => undefined);
            if (subject?.state !== 'active') missing.push(`subject ${a.subjectId} (${subject?.state ?? 'absent'})`);
            break;
          }
          case 'item': {
            const read = await custodian.vault.readForPurpose(a.subjectId, 'orders', 'crash-test:verify');
            if (!read.items.some((item) => item.id === a.itemId && item.value === a.value)) missing.push(`item ${a.itemId}`);
            break;
          }
          case 'consent': {
            const record = await custodian.consents.get(a.recordId).catch(() => undefined);
            if (record?.subjectId !== a.subjectId || record.event !== 'given') missing.push(`consent ${a.recordId}`);
            break;
          }
          case 'block':
          case 'unblock': {
            const block = (await custodian.blocks.list(a.subjectId)).find((b) => b.id === a.blockId);
            if (!block) missing.push(`block ${a.blockId}`);
            // A lift may commit and the kill land before its acknowledgement: only an acknowledged lift must show.
            else if (lifted.has(a.blockId) && block.liftedAt === null) missing.push(`block ${a.blockId} not lifted`);
            break;
          }
          case 'checkpoint': {
            const row = await custodian.store.db.selectFrom('journal_checkpoint').select('id').where('id', '=', a.checkpointId).executeTakeFirst();
            if (!row) missing.push(`checkpoint ${a.checkpointId}`);
            break;
          }
        }
      }
      assert.deepEqual(missing, []);

      // The reads above were journaled too; the journal still verifies after them.
      const last = await verify();
      assert.deepEqual(last.problems, []);
      assert.ok(last.events > first.events);
    });
  });
}
