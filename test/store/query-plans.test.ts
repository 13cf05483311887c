/**
 * A subject's cost must not grow with everyone else's data (issue 16). Every statement the
 * subject-scoped paths run — collect, read, rectify, consents, the gate's context load,
 * disclosures, blocks, depersonalization, lookup, the journal append and the subject's
 * journal page — must reach subject-scoped tables through an index led by the subject's id
 * (or a unique-key lookup), on a database big enough for the planners to choose: as seeded,
 * and again after the statistics refresh production runs. The statements are the real
 * ones, captured from the drivers while the services run (see statement-capture.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import type { StoreLocation } from '../../src/store/store.js';
import { refreshStatistics } from '../../src/store/statistics.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { bulkSeed } from './bulk-seed.js';
import { describeAccesses, describeProblem, openPlanInspector, type PlanReport, SUBJECT_KEY, subjectScopedStatements, subjectTableIndexes, withProblems } from './plan-check.js';
import type { CapturedStatement } from './statement-capture.js';
import { captureContextLoad, captureSubjectPaths } from './subject-paths.js';

const SUBJECTS = 2000;

async function inspectAll(location: StoreLocation, statements: readonly CapturedStatement[]): Promise<PlanReport[]> {
  const inspector = await openPlanInspector(location);
  try {
    const reports: PlanReport[] = [];
    for (const statement of subjectScopedStatements(statements)) reports.push(...(await inspector.inspect(statement)));
    return reports;
  } finally {
    await inspector.close();
  }
}

async function seed(t: TestCustodian, subjects: number): Promise<void> {
  await bulkSeed(t.database.location, { subjects, itemsPerSubject: 5, eventsPerItem: 3, now: t.clock.now(), policyVersion: t.custodian.policies.active().number });
}

for (const engine of ENGINES) {
  describe(`subject-scoped query plans (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let statements: CapturedStatement[];

    before(async () => {
      t = await createTestCustodian(engine);
      await seed(t, SUBJECTS);
      statements = await captureSubjectPaths(t.custodian);
    });
    after(async () => t.dispose());

    async function check(context: TestContext): Promise<void> {
      const reports = await inspectAll(t.database.location, statements);
      for (const report of reports) for (const line of describeAccesses(report)) context.diagnostic(line);
      // A capture that missed a table would pass without looking at it.
      const reached = new Set(reports.flatMap((r) => r.accesses.map((a) => a.table)));
      assert.deepEqual(
        Object.keys(SUBJECT_KEY).filter((table) => !reached.has(table)),
        [],
        'every subject-scoped table is reached by a checked statement',
      );
      const problems = withProblems(reports);
      assert.equal(problems.length, 0, `${problems.length} plans do not go through the subject:\n\n${problems.map(describeProblem).join('\n\n')}`);
    }

    it('as seeded, before any statistics refresh, every access goes through the subject', async (context) => {
      await check(context);
    });

    it('after the statistics refresh production runs, every access still goes through the subject', async (context) => {
      await refreshStatistics(t.custodian.store, { kind: 'periodic' });
      await refreshStatistics(t.custodian.store, { kind: 'bulk' });
      await check(context);
    });
  });

  describe(`the plan check itself (${engine})`, { skip: engineSkip(engine) }, () => {
    it('reports the gate context load once data_item has no index led by subject_id', async () => {
      const scratch = await createTestCustodian(engine);
      try {
        await seed(scratch, 300);
        const { vault, store } = scratch.custodian;
        const { id } = await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'dropped-index@example.kz' }] }, 'test');
        await vault.collect(id, [{ category: 'user.name', value: 'Dropped Index', purpose: 'orders', source: 'direct' }], 'test');
        const dropped = [...(await subjectTableIndexes(scratch.database.location))].filter(([, index]) => index.table === 'data_item' && index.columns[0] === 'subject_id').map(([name]) => name);
        assert.ok(dropped.length > 0, 'data_item has an index led by subject_id to drop');
        for (const name of dropped) await sql.raw(`drop index "${name}"`).execute(store.db);
        await refreshStatistics(store, { kind: 'bulk' });

        const reports = await inspectAll(scratch.database.location, await captureContextLoad(scratch.custodian, id));
        const reported = withProblems(reports).flatMap((r) => r.accesses.filter((a) => a.problem && a.table === 'data_item'));
        assert.ok(reported.length > 0, `dropping ${dropped.join(', ')} is reported:\n${reports.flatMap(describeAccesses).join('\n')}`);
      } finally {
        await scratch.dispose();
      }
    });
  });
}
