/**
 * The README's first walk, against a real `custodian serve` process: start with the demo
 * policy, create an API key from a second process while the server runs, then create a
 * subject, collect data and read it back over real HTTP.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, runCli } from '../support/cli.js';
import { createTestDatabase, ENGINES, engineSkip, type TestDatabase } from '../support/engines.js';

const json = async (response: Response): Promise<any> => response.json();

for (const engine of ENGINES) {
  describe(`custodian serve --demo (${engine})`, { skip: engineSkip(engine) }, () => {
    let server: ChildProcessWithoutNullStreams;
    let base: string;
    let dataDir: string;
    let database: TestDatabase | undefined;
    let env: Record<string, string>;
    let output = '';

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'custodian-serve-'));
      env = { CUSTODIAN_DATA_DIR: dataDir, CUSTODIAN_PORT: '0', CUSTODIAN_LOG_LEVEL: 'warn', CUSTODIAN_POLICY: '', CUSTODIAN_MASTER_KEY: '', CUSTODIAN_DATABASE_URL: '' };
      if (engine === 'postgres') {
        database = await createTestDatabase('postgres');
        env.CUSTODIAN_DATABASE_URL = (database.location as { url: string }).url;
      }
      server = spawn(process.execPath, [BIN, 'serve', '--demo'], { env: { ...process.env, ...env } });
      base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Custodian is running at (http:\/\/[\d.:]+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        server.stdout.on('data', onData);
        server.stderr.on('data', onData);
        server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
      });
    });

    after(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('prints where the API docs are and how to get a key', () => {
      assert.match(output, /API reference: +http:\/\/127\.0\.0\.1:\d+\/docs/);
      assert.match(output, /apikey create --name demo --scopes admin/);
    });

    it('serves /healthz, /readyz, /openapi.json and /docs', async () => {
      assert.equal((await json(await fetch(`${base}/healthz`))).status, 'ok');
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      assert.equal((await json(await fetch(`${base}/openapi.json`))).info.title, 'Custodian API');
      const docs = await fetch(`${base}/docs`);
      assert.equal(docs.status, 200);
    });

    it('walks the README: API key from the CLI while serving, subject, collect, read', async () => {
      const created = await runCli(['apikey', 'create', '--name', 'readme', '--scopes', 'admin'], env);
      assert.equal(created.code, 0, created.stderr);
      const key = created.stdout.trim().split('\n').at(-1)!;
      assert.match(key, /^cust_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

      assert.equal((await fetch(`${base}/v1/policy`)).status, 401);
      const policy = await json(await fetch(`${base}/v1/policy`, { headers }));
      assert.equal(policy.id, 'demo-shop');

      const subject = await fetch(`${base}/v1/subjects`, { method: 'POST', headers, body: JSON.stringify({ identifiers: [{ type: 'email', value: 'aigerim@example.kz' }] }) });
      assert.equal(subject.status, 201);
      const { id } = await json(subject);

      const collected = await fetch(`${base}/v1/subjects/${id}/data`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ items: [{ category: 'user.name', value: 'Aigerim Nurlanovna', purpose: 'orders', source: 'direct' }] }),
      });
      assert.equal(collected.status, 201);

      const read = await json(await fetch(`${base}/v1/subjects/${id}/data?purpose=orders`, { headers }));
      assert.equal(read.items[0].value, 'Aigerim Nurlanovna');

      const verify = await runCli(['journal', 'verify'], env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    });
  });
}
