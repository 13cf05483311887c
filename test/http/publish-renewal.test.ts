/**
 * Publishing a policy version over HTTP and what it does to consents: the version and its
 * renewal markings commit together, a marked consent is renewed only under the new notice,
 * and the renewal list names only people who can still be asked.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fullSnapshot } from '../consent/consent-fixtures.js';
import { createTestApp, DEMO_POLICY, type TestCustodian } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const demo = readFileSync(DEMO_POLICY, 'utf8');
/** Marketing now also processes phone numbers: a material change under a consent purpose. */
const widened = demo.replace('categories: [user.name, user.contact.email]\n    subjects: [customer]\n    operations', 'categories: [user.name, user.contact.email, user.contact.phone_number]\n    subjects: [customer]\n    operations');

for (const engine of ENGINES) {
  describe(`publishing and consent renewal (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let renewing: string;
    let leaving: string;

    const subject = async (email: string) => {
      const res = await app.inject({ method: 'POST', url: '/v1/subjects', headers, payload: { identifiers: [{ type: 'email', value: email }] } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };
    const consent = (subjectId: string, policyVersion: number) =>
      app.inject({
        method: 'POST',
        url: `/v1/subjects/${subjectId}/consents`,
        headers,
        payload: marketingConsent(policyVersion, { subjectFullName: 'Renewal Person' }),
      });
    const decide = async (subjectId: string) =>
      (await app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: { subjectId, purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] } })).json() as {
        allow: boolean;
        reasons: { code: string }[];
      };
    const publish = (source: string) => app.inject({ method: 'POST', url: '/v1/policy/versions', headers, payload: { source } });

    before(async () => {
      assert.notEqual(widened, demo, 'the demo policy changed: update the edit');
      ({ t, app, headers, close } = await createTestApp(engine));
      renewing = await subject('renewing@example.kz');
      leaving = await subject('leaving@example.kz');
      for (const id of [renewing, leaving]) assert.equal((await consent(id, 1)).statusCode, 201);
    });
    after(() => close());

    it('publishes a version and its renewal markings together, or neither', async () => {
      const { consents, policies, store } = t.custodian;
      const mark = consents.markRenewalNeeded;
      consents.markRenewalNeeded = async () => {
        throw new Error('connection lost while marking');
      };
      let failed;
      try {
        t.clock.advance(1000);
        failed = await publish(widened);
      } finally {
        consents.markRenewalNeeded = mark;
      }
      assert.equal(failed.statusCode, 500, failed.body);
      const stored = await store.db.selectFrom('policy_version').select('number').execute();
      assert.deepEqual(stored.map((v) => Number(v.number)), [1], 'the version was not published without its markings');
      assert.deepEqual(policies.list().map((v) => v.number), [1]);
      assert.equal((await decide(renewing)).allow, true, 'version 1 and its consents still hold');

      const retried = await publish(widened);
      assert.equal(retried.statusCode, 201, retried.body);
      assert.deepEqual([retried.json().created, retried.json().version.number, retried.json().renewalsMarked], [true, 2, 2]);
      assert.deepEqual((await decide(renewing)).reasons.map((r) => r.code), ['consent_renewal_needed'], 'the gate was told after the commit');

      const again = await publish(widened);
      assert.deepEqual([again.statusCode, again.json().created, again.json().renewalsMarked], [200, false, 0]);
    });

    it('renews a marked consent only under the notice now in effect', async () => {
      const before = await fullSnapshot(t.custodian);
      const stale = await consent(renewing, 1);
      assert.equal(stale.statusCode, 400, stale.body);
      assert.equal(stale.json().error.code, 'validation_failed');
      assert.deepEqual(stale.json().error.details.map((d: { path: string }) => d.path), ['notice.policyVersion']);
      assert.deepEqual(await fullSnapshot(t.custodian), before, 'nothing was written');
      assert.deepEqual((await decide(renewing)).reasons.map((r) => r.code), ['consent_renewal_needed']);

      const renewed = await consent(renewing, 2);
      assert.equal(renewed.statusCode, 201, renewed.body);
      assert.equal((await decide(renewing)).allow, true);
    });

    it('lists for renewal only people who can still be asked', async () => {
      const listed = async () => ((await app.inject({ method: 'GET', url: '/v1/consents/renewals?purpose=marketing', headers })).json().items as { subjectId: string }[]).map((i) => i.subjectId);
      assert.deepEqual(await listed(), [leaving]);
      const depersonalized = await app.inject({ method: 'POST', url: `/v1/subjects/${leaving}/depersonalize`, headers, payload: {} });
      assert.equal(depersonalized.statusCode, 200, depersonalized.body);
      assert.deepEqual(await listed(), [], 'a depersonalized subject can no longer be identified, let alone asked');
    });
  });

  describe(`a material change that takes effect later (${engine})`, { skip: engineSkip(engine) }, () => {
    it('a consent given under the old notice before the new version applies needs renewal once it does', async () => {
      const { t, app, headers, close } = await createTestApp(engine);
      try {
        const id = (await app.inject({ method: 'POST', url: '/v1/subjects', headers, payload: { identifiers: [{ type: 'email', value: 'late@example.kz' }] } })).json().id as string;
        const effective = new Date(t.clock.now() + 30 * 86_400_000).toISOString().slice(0, 10);
        const later = widened.replace('effectiveDate: "2026-01-15"', `effectiveDate: "${effective}"`);
        assert.notEqual(later, widened);
        assert.equal((await app.inject({ method: 'POST', url: '/v1/policy/versions', headers, payload: { source: later } })).statusCode, 201);
        // Version 1 is still the one in effect: a consent to its notice is accepted today…
        const given = await app.inject({
          method: 'POST',
          url: `/v1/subjects/${id}/consents`,
          headers,
          payload: marketingConsent(1, { subjectFullName: 'Late Person' }),
        });
        assert.equal(given.statusCode, 201, given.body);
        const decide = async () => (await app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: { subjectId: id, purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] } })).json();
        assert.equal((await decide()).allow, true);
        // …and stops counting the day version 2 applies.
        t.clock.advance(31 * 86_400_000);
        t.custodian.gate.invalidate(id);
        assert.deepEqual((await decide()).reasons.map((r: { code: string }) => r.code), ['consent_renewal_needed']);
      } finally {
        await close();
      }
    });
  });
}
