/**
 * The job queue as a feature sees it: a job commits or rolls back with the unit of work
 * that enqueued it; an idempotency key makes one job; failures are retried with growing
 * backoff until they are left as dead letters whose error names no personal data; a
 * dead letter can be put back; a job whose worker died is taken over once its lease ends;
 * two workers on one PostgreSQL database never run the same job; `/metrics` counts jobs
 * by state. Time is the test's manual clock, so no test waits for a backoff.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Custodian, openCustodian } from '../../src/custodian.js';
import { CustodianError } from '../../src/errors.js';
import { type Job, PermanentJobError } from '../../src/store/job-types.js';
import { JobWorker } from '../../src/store/job-worker.js';
import { createTestApp, createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const ADDRESS = 'aigerim.nurlanovna@example.kz';

class Rollback extends Error {}

for (const engine of ENGINES) {
  describe(`job queue (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    const others: Custodian[] = [];

    /** Another node on the same database (its own connections, same clock). */
    async function secondNode(): Promise<Custodian> {
      const other = await openCustodian(t.config, { clock: t.clock });
      others.push(other);
      return other;
    }

    beforeEach(async () => {
      t = await createTestCustodian(engine, { policy: null });
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await t.dispose();
    });

    it('a job enqueued in a unit of work that fails is rolled back with it, and committed with one that succeeds', async () => {
      const { work, jobs, worker } = t.custodian;
      const other = await secondNode();
      const ran: Job[] = [];
      worker.handle('test.after-change', async (job) => {
        ran.push(job);
      });

      await assert.rejects(
        work.run(async (uow) => {
          await uow.enqueue({ kind: 'test.after-change', payload: { n: 1 } });
          await uow.enqueue({ kind: 'test.after-change', payload: { n: 2 } });
          throw new Rollback('the change failed');
        }),
        Rollback,
      );
      assert.deepEqual(await jobs.list(), [], 'no job outlives the unit that failed');
      assert.equal(await worker.runDue(), 0);

      let seenByOtherNodeBeforeCommit: Job | undefined;
      const id = await work.run(async (uow) => {
        const enqueued = await uow.enqueue({ kind: 'test.after-change', payload: { n: 3 } });
        seenByOtherNodeBeforeCommit = await other.jobs.get(enqueued);
        return enqueued;
      });
      assert.equal(seenByOtherNodeBeforeCommit, undefined, 'another node does not see the job before the unit commits');
      const job = await other.jobs.get(id);
      assert.equal(job?.state, 'pending');
      assert.deepEqual(job?.payload, { n: 3 });

      assert.equal(await worker.runDue(), 1);
      assert.deepEqual(
        ran.map((r) => r.payload),
        [{ n: 3 }],
      );
      assert.equal((await jobs.get(id))?.state, 'done');
    });

    it('an idempotency key makes one job, however often and wherever it is enqueued', async () => {
      const { work, jobs, worker } = t.custodian;
      let runs = 0;
      worker.handle('test.once', async () => {
        runs++;
      });
      const first = await jobs.enqueue({ kind: 'test.once', idempotencyKey: 'renewals:7', payload: { v: 1 } });
      const again = await jobs.enqueue({ kind: 'test.once', idempotencyKey: 'renewals:7', payload: { v: 2 } });
      const inUnit = await work.run((uow) => uow.enqueue({ kind: 'test.once', idempotencyKey: 'renewals:7', payload: { v: 3 } }));
      const fromOtherNode = await (await secondNode()).jobs.enqueue({ kind: 'test.once', idempotencyKey: 'renewals:7' });
      assert.equal(first.created, true);
      assert.deepEqual([again, fromOtherNode], [
        { id: first.id, created: false },
        { id: first.id, created: false },
      ]);
      assert.equal(inUnit, first.id);

      const listed = await jobs.list({ kind: 'test.once' });
      assert.equal(listed.length, 1);
      assert.deepEqual(listed[0].payload, { v: 1 }, 'the first job stands');
      await worker.runDue();
      assert.equal(runs, 1);
      // Once done, the key still stands: the work is not done twice.
      assert.equal((await jobs.enqueue({ kind: 'test.once', idempotencyKey: 'renewals:7' })).created, false);
      assert.equal(await worker.runDue(), 0);
      assert.equal(runs, 1);
    });

    it('a failing job is retried with growing backoff, then left failed with an error that names no personal data', async () => {
      const { jobs, worker } = t.custodian;
      let calls = 0;
      worker.handle('test.flaky-mail', async () => {
        calls++;
        throw new Error(`connection refused while sending to ${ADDRESS}`);
      });
      const { id } = await jobs.enqueue({ kind: 'test.flaky-mail', maxAttempts: 4 });

      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        assert.equal(await worker.runDue(), 1, `attempt ${attempt} runs`);
        const job = (await jobs.get(id))!;
        assert.equal(job.state, 'pending', `after attempt ${attempt}`);
        assert.equal(job.attempts, attempt);
        const delay = job.runAt - t.clock.now();
        delays.push(delay);
        // 1 s, 2 s, 4 s, each with at most 20 % jitter.
        const base = 1000 * 2 ** (attempt - 1);
        assert.ok(delay >= base && delay <= base * 1.2, `attempt ${attempt}: retried after ${delay} ms, expected ${base}–${base * 1.2}`);
        assert.ok(job.lastError && !job.lastError.includes(ADDRESS) && !job.lastError.includes('aigerim'), `lastError: ${job.lastError}`);

        // Not before its time…
        t.clock.advance(delay - 1);
        assert.equal(await worker.runDue(), 0, 'a job in backoff is not run early');
        assert.equal(calls, attempt);
        // …and then it is due.
        t.clock.advance(1);
      }
      assert.ok(delays[0] < delays[1] && delays[1] < delays[2], `delays grow: ${delays.join(', ')}`);

      assert.equal(await worker.runDue(), 1);
      const dead = (await jobs.get(id))!;
      assert.equal(dead.state, 'failed');
      assert.equal(dead.attempts, 4);
      assert.equal(dead.finishedAt, t.clock.now());
      assert.equal(dead.lastError, 'Error', 'a foreign error keeps only its class');
      assert.ok(!JSON.stringify(dead).includes('aigerim'), JSON.stringify(dead));
      assert.deepEqual(
        (await jobs.list({ state: 'failed' })).map((j) => j.id),
        [id],
      );

      // A dead letter is not run again, however much time passes.
      t.clock.advance(24 * 3600_000);
      assert.equal(await worker.runDue(), 0);
      assert.equal(calls, 4);
    });

    it('a PermanentJobError fails the job at once, keeping its code and message', async () => {
      const { jobs, worker } = t.custodian;
      let calls = 0;
      worker.handle('test.gone', async () => {
        calls++;
        throw new PermanentJobError('recipient_erased', 'The subject was erased');
      });
      const { id } = await jobs.enqueue({ kind: 'test.gone' });
      assert.equal(await worker.runDue(), 1);
      const job = (await jobs.get(id))!;
      assert.deepEqual([job.state, job.attempts, job.lastError], ['failed', 1, 'recipient_erased: The subject was erased']);
      t.clock.advance(3600_000);
      assert.equal(await worker.runDue(), 0);
      assert.equal(calls, 1);
    });

    it('a job of a kind no handler runs is not lost: it is retried, naming the kind', async () => {
      const { jobs, worker } = t.custodian;
      const { id } = await jobs.enqueue({ kind: 'test.nobody-handles-this' });
      assert.equal(await worker.runDue(), 1);
      const job = (await jobs.get(id))!;
      assert.deepEqual([job.state, job.attempts, job.lastError], ['pending', 1, 'UnknownJobKind test.nobody-handles-this']);
    });

    it('jobs.retry puts a failed job back with fresh attempts, and it then runs', async () => {
      const { jobs, worker } = t.custodian;
      let broken = true;
      let done = 0;
      worker.handle('test.relay', async () => {
        if (broken) throw new Error('relay down');
        done++;
      });
      const { id } = await jobs.enqueue({ kind: 'test.relay', maxAttempts: 2 });
      await worker.runDue();
      t.clock.advance(5000);
      await worker.runDue();
      assert.equal((await jobs.get(id))?.state, 'failed');

      broken = false;
      t.clock.advance(60_000);
      const retried = await jobs.retry(id);
      assert.deepEqual([retried.state, retried.attempts, retried.runAt], ['pending', 0, t.clock.now()]);
      assert.equal(await worker.runDue(), 1);
      const job = (await jobs.get(id))!;
      assert.deepEqual([job.state, job.attempts, job.lastError], ['done', 1, null]);
      assert.equal(done, 1);

      await assert.rejects(jobs.retry(id), (error: unknown) => error instanceof CustodianError && error.code === 'conflict');
      await assert.rejects(jobs.retry('00000000-0000-4000-8000-000000000000'), (error: unknown) => error instanceof CustodianError && error.code === 'not_found');
    });

    it('a job whose worker died is claimed again once its lease has ended, and the dead worker cannot finish it', async () => {
      const { jobs, worker } = t.custodian;
      const ran: Job[] = [];
      worker.handle('test.lease', async (job) => {
        ran.push(job);
      });
      const { id } = await jobs.enqueue({ kind: 'test.lease' });
      // A worker on another node claims it with a 30 s lease, then dies without a word.
      const [claimed] = await (await secondNode()).jobs.claim('node-that-died', 10, 30_000);
      assert.equal(claimed.id, id);
      assert.equal((await jobs.get(id))?.state, 'running');

      t.clock.advance(29_999);
      assert.equal(await worker.runDue(), 0, 'a live lease is respected');
      t.clock.advance(2);
      assert.equal(await worker.runDue(), 1, 'the expired lease is taken over');
      assert.equal(ran.length, 1);
      const job = (await jobs.get(id))!;
      assert.deepEqual([job.state, job.attempts], ['done', 2]);

      // The dead worker wakes up late: its outcome no longer counts.
      assert.equal(await jobs.complete(claimed, 'node-that-died'), false);
      await jobs.fail(claimed, 'node-that-died', new Error('late failure'));
      const after = (await jobs.get(id))!;
      assert.deepEqual([after.state, after.lastError], ['done', null]);
    });

    it('a worker that outlives its lease does not record the job as done, and says so', async () => {
      const { jobs } = t.custodian;
      const other = await secondNode();
      const logged: { level: string; msg: string }[] = [];
      const log = (level: string) => (_obj: object, msg: string) => void logged.push({ level, msg });
      const slow = new JobWorker({ queue: jobs, workerId: 'slow', leaseMs: 1000, log: { info: log('info'), warn: log('warn'), error: log('error') } });
      let takenOver: Job | undefined;
      slow.handle('test.slow', async () => {
        t.clock.advance(1001); // the handler runs past its lease…
        [takenOver] = await other.jobs.claim('fast', 1, 60_000); // …and another worker takes the job
      });
      const { id } = await jobs.enqueue({ kind: 'test.slow' });
      assert.equal(await slow.runDue(), 1);
      assert.equal(takenOver?.id, id);
      const job = (await jobs.get(id))!;
      assert.deepEqual([job.state, job.attempts], ['running', 2], 'the job is the other worker’s now');
      assert.deepEqual(logged, [{ level: 'warn', msg: 'job finished after its lease ended; its outcome was not recorded' }]);
      assert.equal(await other.jobs.complete(takenOver!, 'fast'), true);
    });

    it('a job that kills every worker that takes it is left failed once its attempts are spent, not retried forever', async () => {
      const { jobs, worker } = t.custodian;
      let ran = 0;
      worker.handle('test.poison', async () => {
        ran++;
      });
      const { id } = await jobs.enqueue({ kind: 'test.poison', maxAttempts: 2 });
      const other = await secondNode();
      for (const dead of ['node-1', 'node-2']) {
        assert.equal((await other.jobs.claim(dead, 10, 1000)).length, 1, `${dead} takes it, then dies`);
        t.clock.advance(1001);
      }
      assert.equal(await worker.runDue(), 0, 'its two attempts are spent: no third');
      assert.equal(ran, 0);
      const job = (await jobs.get(id))!;
      assert.deepEqual([job.state, job.attempts, job.finishedAt], ['failed', 2, t.clock.now()]);
      assert.match(job.lastError ?? '', /^LeaseExpired/);
      // A dead letter like any other: it can be put back.
      await jobs.retry(id);
      assert.equal(await worker.runDue(), 1);
      assert.equal(ran, 1);
    });

    it(
      'two workers on two nodes claiming at once run every one of 50 jobs exactly once',
      { skip: engine === 'sqlite' ? 'SQLite has one writer: claims cannot overlap; this is about FOR UPDATE SKIP LOCKED between PostgreSQL sessions' : false },
      async () => {
        const nodeA = t.custodian;
        const nodeB = await secondNode();
        const ranBy = new Map<string, string[]>();
        const workers = [
          new JobWorker({ queue: nodeA.jobs, workerId: 'worker-a', concurrency: 4 }),
          new JobWorker({ queue: nodeB.jobs, workerId: 'worker-b', concurrency: 4 }),
        ];
        for (const [i, worker] of workers.entries()) {
          const name = i === 0 ? 'a' : 'b';
          worker.handle('test.share', async (job) => {
            ranBy.set(job.id, [...(ranBy.get(job.id) ?? []), name]);
            await sleep(3); // long enough for the other worker to claim meanwhile
          });
        }
        const ids = new Set<string>();
        for (let i = 0; i < 50; i++) ids.add((await nodeA.jobs.enqueue({ kind: 'test.share', payload: { i } })).id);

        const [ranA, ranB] = await Promise.all(workers.map((w) => w.runDue()));
        assert.equal(ranA + ranB, 50);
        assert.ok(ranA > 0 && ranB > 0, `both workers took jobs (a: ${ranA}, b: ${ranB})`);
        assert.deepEqual(new Set(ranBy.keys()), ids);
        const twice = [...ranBy].filter(([, by]) => by.length !== 1);
        assert.deepEqual(twice, [], 'no job ran twice');
        const states = await nodeB.jobs.counts();
        assert.deepEqual(states, { pending: 0, running: 0, done: 50, failed: 0 });
      },
    );
  });

  describe(`job counts in /metrics (${engine})`, { skip: engineSkip(engine) }, () => {
    it('shows jobs by state, dead letters included', async () => {
      const { t, app, headers, close } = await createTestApp(engine);
      try {
        const { jobs, worker } = t.custodian;
        worker
          .handle('test.metrics-ok', async () => undefined)
          .handle('test.metrics-broken', async () => {
            throw new PermanentJobError('broken', 'Always fails');
          });
        await jobs.enqueue({ kind: 'test.metrics-ok' });
        await jobs.enqueue({ kind: 'test.metrics-ok' });
        await jobs.enqueue({ kind: 'test.metrics-broken' });
        await worker.runDue();
        await jobs.enqueue({ kind: 'test.metrics-ok', runAt: t.clock.now() + 60_000 });

        const response = await app.inject({ method: 'GET', url: '/metrics', headers });
        assert.equal(response.statusCode, 200);
        assert.match(response.headers['content-type'] as string, /^text\/plain/);
        const lines = response.body.split('\n');
        for (const line of ['custodian_jobs{state="pending"} 1', 'custodian_jobs{state="running"} 0', 'custodian_jobs{state="done"} 2', 'custodian_jobs{state="failed"} 1']) {
          assert.ok(lines.includes(line), `${line} in:\n${response.body}`);
        }

        assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
      } finally {
        await close();
      }
    });
  });
}
