/**
 * `custodian requests list|show|extend|complete|refuse`, run as staff run them — the real
 * binary in a child process — against a database this test fills through Custodian.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`custodian requests (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let env: Record<string, string>;
    const ids = { access: '', erasure: '', unknown: '' };

    before(async () => {
      // The CLI runs on the real clock, so this side starts from it too.
      t = await createTestCustodian(engine, { now: new Date().toISOString() });
      env = cliEnv(t.database.location, t.config.keyringPath);
      const { vault, rights } = t.custodian;
      const lena = (await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'lena@example.de' }], jurisdiction: 'EU' }, 'test')).id;
      ids.access = (await rights.requests.intake({ type: 'access', subjectId: lena }, 'test')).request.id;
      ids.erasure = (await rights.requests.intake({ type: 'erasure', subjectId: lena }, 'test')).request.id;
      await rights.requests.verify(ids.erasure, { method: 'staff' }, 'test');
      ids.unknown = (await rights.requests.intake({ type: 'access', identifiers: [{ type: 'email', value: 'who@example.de' }] }, 'test')).request.id;
      await t.custodian.close();
    });
    after(async () => t.database.drop());

    it('lists requests with their earliest due moment, and shows one as JSON without personal data', async () => {
      const list = await runCli(['requests', 'list'], env);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, new RegExp(`${ids.access}  access +received +due \\S+ \\(gdpr 12\\(3\\)\\)`));
      const shown = await runCli(['requests', 'show', ids.access, '--json'], env);
      assert.equal(shown.code, 0, shown.stderr);
      const view = JSON.parse(shown.stdout);
      assert.deepEqual([view.id, view.type, view.state, view.laws], [ids.access, 'access', 'received', ['gdpr']]);
      assert.ok(!shown.stdout.includes('lena@'));
      const json = JSON.parse((await runCli(['requests', 'list', '--state', 'in-progress', '--json'], env)).stdout);
      assert.deepEqual(json.map((r: { id: string }) => r.id), [ids.erasure]);
    });

    it('extends with a reason, refuses with a law’s reason code, and completes an erasure', async () => {
      const extended = await runCli(['requests', 'extend', ids.access, '--reason', 'complexity', '--json'], env);
      assert.equal(extended.code, 0, extended.stderr);
      assert.equal(JSON.parse(extended.stdout).extended, true);

      const badCode = await runCli(['requests', 'refuse', ids.unknown, '--code', 'because'], env);
      assert.equal(badCode.code, 1);
      assert.match(badCode.stderr, /Error \(validation_failed\).*\n {2}code: must be one of/);
      const refused = await runCli(['requests', 'refuse', ids.unknown, '--code', 'no-data-held', '--json'], env);
      assert.equal(refused.code, 0, refused.stderr);
      // Residence unknown: 94-V and the GDPR both apply; the article is that of the law whose term ends first (94-V's 3 working days).
      assert.deepEqual(JSON.parse(refused.stdout).refusal, { code: 'no-data-held', article: '24(1)' });

      const done = await runCli(['requests', 'complete', ids.erasure, '--json'], env);
      assert.equal(done.code, 0, done.stderr);
      const outcome = JSON.parse(done.stdout);
      assert.equal(outcome.state, 'completed');
      assert.ok(outcome.outcome.done.some((d: { category: string }) => d.category === 'user.contact.email'));

      const again = await runCli(['requests', 'complete', ids.erasure], env);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Error \(conflict\): A request that is completed cannot be fulfilled/);
    });
  });
}
