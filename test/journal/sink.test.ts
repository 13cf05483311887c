/**
 * The checkpoint sink: every checkpoint also lands outside the database — a line in a file
 * or a POST to a webhook — and a failing sink never fails the checkpoint; the checkpoint is
 * retried, in order, with the next one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type Custodian, openCustodian } from '../../src/custodian.js';
import { Cron } from 'croner';
import { toAnchor } from '../../src/journal/anchor.js';
import { checkpointPattern } from '../../src/journal/schedule.js';
import type { CheckpointSinkTarget } from '../../src/journal/sink.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

interface Hook {
  server: Server;
  url: string;
  received: { body: Record<string, unknown>; authorization?: string }[];
  /** The status the next POSTs get. */
  status: number;
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const hook = { received: [], status: 200 } as unknown as Hook;
  hook.server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (hook.status < 300) hook.received.push({ body: JSON.parse(body) as Record<string, unknown>, authorization: request.headers.authorization });
      // No keep-alive: once the server closes, the next delivery finds nothing listening.
      response.writeHead(hook.status, { connection: 'close' }).end();
    });
  });
  await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/checkpoints`;
  hook.close = () =>
    new Promise((resolve) => {
      hook.server.close(() => resolve());
      hook.server.closeAllConnections();
    });
  return hook;
}

for (const engine of ENGINES) {
  describe(`checkpoint sink (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let subject: string;

    before(async () => {
      t = await createTestCustodian(engine);
      ({ id: subject } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'sink@example.kz' }] }, 'test'));
    });
    after(async () => t.dispose());

    beforeEach(async () => {
      await t.custodian.store.db.deleteFrom('journal_checkpoint').execute();
    });

    /** A second Custodian on the test database, configured with the sink. */
    async function withSink(sink: CheckpointSinkTarget, failures: { number: number; reason: string }[] = []): Promise<Custodian> {
      return openCustodian({ ...t.config, checkpointSink: sink }, { clock: t.clock, onCheckpointSinkFailure: (f) => failures.push(f) });
    }
    const collect = (custodian: Custodian, value: string) => custodian.vault.collect(subject, [{ category: 'user.name', value, purpose: 'orders', source: 'direct' }], 'test');
    const pending = async () => (await t.custodian.store.db.selectFrom('journal_checkpoint').select('number').where('sink_pending', '=', 1).orderBy('number').execute()).map((r) => Number(r.number));

    it('appends one anchor line per new checkpoint to a file, which `verify --anchor` reads', async () => {
      const path = join(t.database.dir, 'sink', 'checkpoints.jsonl');
      const custodian = await withSink({ kind: 'file', path });
      try {
        await collect(custodian, 'A');
        const one = (await custodian.checkpoint())!;
        await custodian.checkpoint(); // unchanged: nothing new to send
        await collect(custodian, 'B');
        const two = (await custodian.checkpoint())!;
        const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
        assert.deepEqual(lines, [toAnchor(one, custodian.keys.journalPublicKey), toAnchor(two, custodian.keys.journalPublicKey)]);
        assert.deepEqual(await pending(), []);

        const verified = await runCli(['journal', 'verify', '--anchor', path, '--json'], cliEnv(t.database.location, t.config.keyringPath));
        assert.equal(verified.code, 0, verified.stdout + verified.stderr);
        assert.equal(JSON.parse(verified.stdout).anchor.number, 2, 'the newest line is the anchor');
      } finally {
        await custodian.close();
      }
    });

    it('POSTs each checkpoint to a webhook; a refusal is logged without data, never fails the checkpoint, and is retried in order', async () => {
      const hook = await startHook();
      const failures: { number: number; reason: string }[] = [];
      const custodian = await withSink({ kind: 'webhook', url: hook.url.replace('http://', 'http://auditor:s%3Acret@') }, failures);
      try {
        hook.status = 500;
        await collect(custodian, 'A');
        const one = await custodian.checkpoint();
        assert.equal(one?.number, 1, 'the checkpoint is written although the sink refused it');
        assert.deepEqual(failures, [{ number: 1, reason: 'HTTP 500' }]);
        assert.deepEqual(await pending(), [1]);

        hook.status = 200;
        await collect(custodian, 'B');
        const two = (await custodian.checkpoint())!;
        assert.deepEqual(
          hook.received.map((r) => r.body),
          [toAnchor(one!, custodian.keys.journalPublicKey), toAnchor(two, custodian.keys.journalPublicKey)],
        );
        assert.equal(hook.received[0].authorization, `Basic ${Buffer.from('auditor:s:cret').toString('base64')}`, 'credentials in the URL become Basic authentication');
        assert.deepEqual(await pending(), []);

        await hook.close();
        await collect(custodian, 'C');
        const three = await custodian.checkpoint();
        assert.equal(three?.number, 3, 'an unreachable sink does not block the checkpoint');
        assert.deepEqual(failures.at(-1), { number: 3, reason: 'ECONNREFUSED' });
        assert.deepEqual(await pending(), [3]);
        assert.ok(!JSON.stringify(failures).includes('auditor') && !JSON.stringify(failures).includes(three!.digest), 'the log carries no URL and no checkpoint content');
      } finally {
        await custodian.close();
        await hook.close().catch(() => undefined);
      }
    });

    it('without a sink, checkpoints are not marked pending', async () => {
      await collect(t.custodian, 'D');
      await t.custodian.checkpoint();
      assert.deepEqual(await pending(), []);
    });
  });
}

describe('checkpoint configuration', () => {
  const env = (vars: Record<string, string>) => ({ CUSTODIAN_DATA_DIR: '/tmp/custodian-config-test', ...vars });

  it('defaults to a 60 s interval and no sink', () => {
    const config = loadConfig(env({}));
    assert.equal(config.checkpointIntervalMs, 60_000);
    assert.equal(config.checkpointSink, undefined);
  });

  it('reads CUSTODIAN_CHECKPOINT_INTERVAL in seconds and rejects anything the scheduler cannot keep', () => {
    assert.equal(loadConfig(env({ CUSTODIAN_CHECKPOINT_INTERVAL: '300' })).checkpointIntervalMs, 300_000);
    for (const bad of ['0', '-60', '1.5', 'soon', '7', '90', '86401']) {
      assert.throws(() => loadConfig(env({ CUSTODIAN_CHECKPOINT_INTERVAL: bad })), (e: Error) => e instanceof ConfigError && e.message.startsWith('CUSTODIAN_CHECKPOINT_INTERVAL: '));
    }
  });

  it('turns an interval into a schedule that fires exactly that often', () => {
    for (const seconds of [1, 15, 30, 60, 300, 900, 3600, 21_600, 86_400]) {
      const [a, b, c] = new Cron(checkpointPattern(seconds * 1000)).nextRuns(3, new Date('2026-12-01T10:00:00.500Z'));
      assert.deepEqual([b.getTime() - a.getTime(), c.getTime() - b.getTime()], [seconds * 1000, seconds * 1000], `${seconds} s`);
    }
    assert.throws(() => checkpointPattern(45_000), RangeError);
  });

  it('reads CUSTODIAN_CHECKPOINT_SINK as a file path or an http(s) URL, and never repeats a bad value', () => {
    assert.deepEqual(loadConfig(env({ CUSTODIAN_CHECKPOINT_SINK: 'anchors/checkpoints.jsonl' }), '/srv/custodian').checkpointSink, { kind: 'file', path: '/srv/custodian/anchors/checkpoints.jsonl' });
    assert.deepEqual(loadConfig(env({ CUSTODIAN_CHECKPOINT_SINK: 'https://audit.example/hook?token=t' })).checkpointSink, { kind: 'webhook', url: 'https://audit.example/hook?token=t' });
    for (const bad of ['ftp://user:hunter2@files.example/x', 'https://user:hunter2@[bad']) {
      assert.throws(
        () => loadConfig(env({ CUSTODIAN_CHECKPOINT_SINK: bad })),
        (e: Error) => e instanceof ConfigError && e.message === 'CUSTODIAN_CHECKPOINT_SINK: must be a file path or an http(s) URL' && !e.message.includes('hunter2'),
      );
    }
  });
});
