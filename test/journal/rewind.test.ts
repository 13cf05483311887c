/**
 * The journal cannot be quietly rewound: deleting the checkpoints, the newest events and
 * rewinding the stream heads must not pass `journal verify`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`journal rewind (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;

    before(async () => {
      // The test clock runs days behind the real one, so the CLI (on the system clock) sees these events as old.
      t = await createTestCustodian(engine, { now: '2026-01-15T09:00:00Z' });
    });
    after(async () => t.dispose());

    it('`journal verify` fails when the checkpoints were deleted, the newest events removed and the heads rewound', async () => {
      const { vault, store } = t.custodian;
      const { id } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'rewind@example.kz' }] }, 'test');
      await vault.collect(id, [{ category: 'user.name', value: 'A', purpose: 'orders', source: 'direct' }], 'test');
      await vault.collect(id, [{ category: 'user.contact.email', value: 'a@b.kz', purpose: 'orders', source: 'direct' }], 'test');
      await t.custodian.checkpoint();
      const env = cliEnv(t.database.location, t.config.keyringPath);
      assert.equal((await runCli(['journal', 'verify'], env)).code, 0);

      const rows = await store.db.selectFrom('journal_event').select(['stream', 'seq', 'hash']).where('subject_id', '=', id).orderBy('seq').execute();
      const { stream } = rows[0];
      const keep = rows[rows.length - 2];
      await store.db.deleteFrom('journal_checkpoint').execute();
      await store.db.deleteFrom('journal_event').where('stream', '=', stream).where('seq', '>', keep.seq).execute();
      await store.db.updateTable('journal_head').set({ seq: keep.seq, hash: keep.hash }).where('stream', '=', stream).execute();

      const rewound = await runCli(['journal', 'verify', '--json'], env);
      assert.equal(rewound.code, 1, rewound.stdout);
      const report = JSON.parse(rewound.stdout) as { ok: boolean; problems: { stream: string; problem: string }[] };
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => /no checkpoint covers/.test(p.problem)), rewound.stdout);
    });
  });
}
