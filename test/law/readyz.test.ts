/**
 * /readyz warns — without turning unready — from one month before the last loaded
 * calendar year ends, so an operator adds next year's calendar before deadlines need it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

for (const engine of ENGINES) {
  describe(`/readyz calendar warnings (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    before(async () => {
      t = await createTestCustodian(engine, { now: '2027-06-01T00:00:00Z' });
      app = await buildApp(t.custodian, {});
    });
    after(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('has none while the calendars reach more than a month ahead', async () => {
      const r = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().warnings, undefined);
    });

    it('names each calendar a month before its horizon, still ready', async () => {
      t.clock.set(Date.parse('2027-12-05T00:00:00Z'));
      const r = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().status, 'ready');
      assert.deepEqual(r.json().warnings, ['calendar_horizon_near:kz:2027', 'calendar_horizon_near:ru:2027', 'calendar_horizon_near:us-ca:2027']);
      t.clock.set(Date.parse('2028-01-02T00:00:00Z'));
      assert.ok((await app.inject({ method: 'GET', url: '/readyz' })).json().warnings.includes('calendar_horizon_passed:ru:2027'));
    });
  });
}
