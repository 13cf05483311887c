/**
 * Periodic tasks across nodes: a cluster task runs once per occurrence however many nodes
 * schedule it — by hand (`fire`) and with the real timers — while a local task runs on
 * every node. Two Custodian instances on one database stand for two nodes.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Custodian, openCustodian, PLATFORM_JOBS } from '../../src/custodian.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`scheduler across two nodes (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let nodeA: Custodian;
    let nodeB: Custodian;

    beforeEach(async () => {
      t = await createTestCustodian(engine);
      nodeA = t.custodian;
      nodeB = await openCustodian(t.config, { clock: t.clock });
    });
    afterEach(async () => {
      nodeA.scheduler.stop();
      nodeB.scheduler.stop();
      await nodeB.close();
      await t.dispose();
    });

    it('the platform checkpoint fired by both nodes for one occurrence is one job and one checkpoint', async () => {
      const occurrence = new Date('2026-11-22T09:01:00Z');
      const first = await nodeA.scheduler.fire('journal-checkpoint', occurrence);
      const second = await nodeB.scheduler.fire('journal-checkpoint', occurrence);
      assert.equal(first.created, true);
      assert.deepEqual(second, { created: false, jobId: first.jobId });
      const queued = await nodeB.jobs.list({ kind: PLATFORM_JOBS.checkpoint });
      assert.equal(queued.length, 1);
      assert.equal(queued[0].payload.occurrence, occurrence.toISOString());

      const checkpoints = async () => (await nodeA.store.db.selectFrom('journal_checkpoint').select('id').execute()).length;
      const before = await checkpoints();
      const ran = (await nodeA.worker.runDue()) + (await nodeB.worker.runDue());
      assert.equal(ran, 1);
      assert.equal(await checkpoints(), before + 1, 'one checkpoint for the occurrence, not one per node');

      // The next occurrence is a job of its own.
      const next = await nodeB.scheduler.fire('journal-checkpoint', new Date('2026-11-22T09:02:00Z'));
      assert.equal(next.created, true);
      assert.notEqual(next.jobId, first.jobId);
      assert.equal((await nodeA.jobs.list({ kind: PLATFORM_JOBS.checkpoint })).length, 2);
    });

    it('both nodes firing the same occurrence at the same moment make exactly one job, and exactly one of them says it did', async () => {
      for (const node of [nodeA, nodeB]) node.scheduler.cluster('test-race', '0 */5 * * * *', { kind: 'test.race' });
      for (let minute = 0; minute < 10; minute += 5) {
        const at = new Date(Date.UTC(2026, 10, 22, 10, minute));
        const results = await Promise.all([nodeA.scheduler.fire('test-race', at), nodeB.scheduler.fire('test-race', at)]);
        assert.deepEqual(results.map((r) => r.created).sort(), [false, true], `${at.toISOString()}: ${JSON.stringify(results)}`);
        assert.equal(results[0].jobId, results[1].jobId);
      }
      assert.equal((await nodeA.jobs.list({ kind: 'test.race' })).length, 2);
    });

    it('with the real timers, an every-second cluster task on two nodes makes one job per occurrence', async () => {
      for (const node of [nodeA, nodeB]) node.scheduler.cluster('test-every-second', '* * * * * *', { kind: 'test.tick' });
      nodeA.scheduler.start();
      nodeB.scheduler.start();
      await sleep(3500);
      nodeA.scheduler.stop();
      nodeB.scheduler.stop();
      await sleep(100); // a fire already under way finishes its insert

      const jobs = await nodeA.jobs.list({ kind: 'test.tick' });
      const perOccurrence = new Map<string, number>();
      for (const job of jobs) {
        const occurrence = String(job.payload.occurrence);
        assert.equal(job.idempotencyKey, `schedule:test-every-second:${occurrence}`);
        perOccurrence.set(occurrence, (perOccurrence.get(occurrence) ?? 0) + 1);
      }
      assert.ok(perOccurrence.size >= 2, `at least 2 occurrences in 3.5 s, got ${[...perOccurrence.keys()].join(', ')}`);
      assert.deepEqual(
        [...perOccurrence].filter(([, n]) => n !== 1),
        [],
        'one job per occurrence',
      );
      const seconds = [...perOccurrence.keys()].map((o) => Date.parse(o)).sort((a, b) => a - b);
      for (const [i, at] of seconds.entries()) {
        assert.equal(at % 1000, 0, `occurrence ${new Date(at).toISOString()} is a whole second`);
        if (i > 0) assert.equal(at - seconds[i - 1], 1000, `occurrences are consecutive seconds: ${seconds.map((s) => new Date(s).toISOString()).join(', ')}`);
      }
      assert.ok(seconds.length <= 5, `no more occurrences than seconds elapsed: ${seconds.length}`);
    });

    it('patterns are read in UTC, so a node in another time zone keeps the same occurrences', async () => {
      // Every second, but only during this UTC hour (or the next, if it is about to end).
      // Read in the node's local time in India (UTC+05:30), those hours are hours away.
      const hour = new Date().getUTCHours();
      const pattern = `* * ${hour},${(hour + 1) % 24} * * *`;
      const zone = process.env.TZ;
      process.env.TZ = 'Asia/Kolkata';
      try {
        assert.notEqual(new Date().getHours(), hour, 'the process now runs on India time');
        nodeA.scheduler.cluster('test-utc', pattern, { kind: 'test.utc' });
        nodeA.scheduler.start();
        await sleep(2500);
        nodeA.scheduler.stop();
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
      await sleep(100);
      const jobs = await nodeA.jobs.list({ kind: 'test.utc' });
      assert.ok(jobs.length >= 1, `the task ran during its UTC hour: ${jobs.length} occurrences`);
      for (const job of jobs) assert.ok([hour, (hour + 1) % 24].includes(new Date(String(job.payload.occurrence)).getUTCHours()), String(job.payload.occurrence));
    });

    it('a local task runs on every node', async () => {
      const runs = { a: 0, b: 0 };
      nodeA.scheduler.local('test-local', '* * * * * *', async () => void runs.a++);
      nodeB.scheduler.local('test-local', '* * * * * *', async () => void runs.b++);
      nodeA.scheduler.start();
      nodeB.scheduler.start();
      await sleep(2500);
      nodeA.scheduler.stop();
      nodeB.scheduler.stop();
      assert.ok(runs.a >= 2 && runs.b >= 2, `each node ran it at least twice in 2.5 s: ${JSON.stringify(runs)}`);
      const after = { ...runs };
      await sleep(1200);
      assert.deepEqual(runs, after, 'a stopped scheduler runs nothing');
    });

    it('refuses a second task of the same name and a pattern it cannot keep, when registered', () => {
      assert.throws(() => nodeA.scheduler.cluster('journal-checkpoint', '0 * * * * *', { kind: 'test.x' }), /already exists/);
      assert.throws(() => nodeA.scheduler.cluster('test-bad', 'every minute', { kind: 'test.x' }));
      assert.ok(!nodeA.scheduler.names().includes('test-bad'));
    });
  });
}
