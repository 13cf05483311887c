/**
 * `custodian jobs list` and `custodian jobs retry`, run as an operator runs them — the real
 * binary in a child process — against a database this test fills through Custodian.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PermanentJobError } from '../../src/store/job-types.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

interface ListedJob {
  id: string;
  kind: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
}

/** A run time well ahead of the real clock (whole seconds, as an operator would set it). */
const LATER = Math.floor(Date.now() / 1000) * 1000 + 30 * 24 * 3600_000;

for (const engine of ENGINES) {
  describe(`custodian jobs (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let env: Record<string, string>;
    const ids = { pending: '', failed: '', done: '' };
    let relayUp = false;

    before(async () => {
      // The CLI runs on the real clock, so this side starts from it too.
      t = await createTestCustodian(engine, { policy: null, now: new Date().toISOString() });
      env = cliEnv(t.database.location, t.config.keyringPath);
      const { jobs, worker } = t.custodian;
      worker
        .handle('test.receipt', async () => undefined)
        .handle('test.relay', async () => {
          if (!relayUp) throw new PermanentJobError('relay_refused', 'The relay refused the message');
        });
      ids.done = (await jobs.enqueue({ kind: 'test.receipt' })).id;
      t.clock.advance(1);
      ids.failed = (await jobs.enqueue({ kind: 'test.relay' })).id;
      await worker.runDue();
      t.clock.advance(1);
      ids.pending = (await jobs.enqueue({ kind: 'test.later', runAt: LATER })).id;
    });
    after(() => t.dispose());

    const list = async (...args: string[]): Promise<ListedJob[]> => {
      const result = await runCli(['jobs', 'list', '--json', ...args], env);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as ListedJob[];
    };

    it('jobs list --json prints every job, newest first, with id, kind, state, attempts and run time', async () => {
      const listed = await list();
      assert.ok(Array.isArray(listed));
      assert.deepEqual(
        listed.map((j) => [j.id, j.kind, j.state, j.attempts]),
        [
          [ids.pending, 'test.later', 'pending', 0],
          [ids.failed, 'test.relay', 'failed', 1],
          [ids.done, 'test.receipt', 'done', 1],
        ],
      );
      assert.equal(listed[0].runAt, new Date(LATER).toISOString());
      assert.equal(listed[1].lastError, 'relay_refused: The relay refused the message');
      for (const job of listed) assert.ok(!('payload' in job), 'payloads are not printed');
    });

    it('--state failed lists only the dead letters', async () => {
      const failed = await list('--state', 'failed');
      assert.deepEqual(
        failed.map((j) => [j.id, j.state]),
        [[ids.failed, 'failed']],
      );
      assert.deepEqual(await list('--state', 'running'), []);
    });

    it('--state with a state that does not exist is refused', async () => {
      const result = await runCli(['jobs', 'list', '--state', 'stuck'], env);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /stuck/);
      assert.match(result.stderr, /pending, running, done, failed/);
    });

    it('jobs retry ID makes a failed job pending again, and a worker then runs it', async () => {
      const result = await runCli(['jobs', 'retry', ids.failed], env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Job ${ids.failed} \\(test\\.relay\\) is pending again`));

      const [listed] = (await list('--state', 'pending')).filter((j) => j.id === ids.failed);
      assert.deepEqual([listed?.state, listed?.attempts], ['pending', 0]);
      assert.deepEqual(await list('--state', 'failed'), []);
      const text = await runCli(['jobs', 'list', '--state', 'failed'], env);
      assert.deepEqual([text.code, text.stdout.trim()], [0, 'No failed jobs']);

      relayUp = true;
      t.clock.set(Date.now());
      assert.equal(await t.custodian.worker.runDue(), 1);
      assert.equal((await t.custodian.jobs.get(ids.failed))?.state, 'done');
    });

    it('jobs retry with an unknown id, or a job that is done, fails with one clear line and no stack trace', async () => {
      for (const [id, expected] of [
        ['00000000-0000-4000-8000-000000000000', /^Error \(not_found\): Job not found$/],
        ['not-even-an-id', /^Error \(not_found\): Job not found$/],
        [ids.done, /^Error \(conflict\): The job is done; only failed or pending jobs can be retried$/],
      ] as const) {
        const result = await runCli(['jobs', 'retry', id], env);
        assert.notEqual(result.code, 0, `${id}: ${result.stdout}`);
        const lines = result.stderr.trim().split('\n');
        assert.equal(lines.length, 1, `one line: ${result.stderr}`);
        assert.match(lines[0], expected);
        assert.doesNotMatch(result.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
        assert.equal(result.stdout, '');
      }
      assert.equal((await t.custodian.jobs.get(ids.done))?.state, 'done', 'the done job is left alone');
    });
  });
}
