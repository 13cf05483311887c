/**
 * Publishing a policy version over HTTP and what it does to consents: the version commits
 * first and the gate enforces it at once; renewal marking follows in batches, finished by a
 * queued job if the publisher is cut short; a marked consent is renewed only under the new
 * notice, and the renewal list names only people who can still be asked.
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
    const consent = (subjectId: string, policyVersion: number, categories = ['user.name', 'user.contact.email']) =>
      app.inject({
        method: 'POST',
        url: `/v1/subjects/${subjectId}/consents`,
        headers,
        payload: marketingConsent(policyVersion, { subjectFullName: 'Renewal Person', categories }),
      });
    /** The phone number is what the widened version added to marketing. */
    const decide = async (subjectId: string, categories = ['user.contact.phone_number']) =>
      (await app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: { subjectId, purpose: 'marketing', operation: 'use', categories } })).json() as {
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

    it('publishes the version at once; a renewal marking cut short is finished by the queued job', async () => {
      const { consents, jobs, worker } = t.custodian;
      const mark = consents.markRenewalNeeded;
      consents.markRenewalNeeded = async () => {
        throw new Error('connection lost while marking');
      };
      let published;
      try {
        t.clock.advance(1000);
        published = await publish(widened);
      } finally {
        consents.markRenewalNeeded = mark;
      }
      assert.equal(published.statusCode, 201, published.body);
      assert.deepEqual([published.json().version.number, published.json().renewalsMarked, published.json().renewalMarking], [2, 0, 'queued']);
      // The gate does not wait for the marking: what version 2 added needs a new consent now…
      assert.deepEqual((await decide(renewing)).reasons.map((r) => r.code), ['consent_renewal_needed']);
      // …and what version 1's notice said goes on.
      assert.equal((await decide(renewing, ['user.contact.email'])).allow, true);
      const listed = async () => ((await app.inject({ method: 'GET', url: '/v1/consents/renewals?purpose=marketing', headers })).json().items as { subjectId: string }[]).map((i) => i.subjectId).sort();
      assert.deepEqual(await listed(), [], 'nobody marked yet');

      const [job] = await jobs.list({ kind: 'consent.mark-renewals' });
      assert.equal(job.state, 'pending');
      assert.equal(await worker.runDue(), 0, 'the safety net waits for the publisher first');
      t.clock.advance(61_000);
      assert.equal(await worker.runDue(), 1);
      assert.equal((await jobs.get(job.id))?.state, 'done');
      assert.deepEqual(await listed(), [renewing, leaving].sort());

      const again = await publish(widened);
      assert.deepEqual([again.statusCode, again.json().created, again.json().renewalsMarked], [200, false, 0]);
    });

    it('marking again finds nothing left to mark: markers replace what they mark', async () => {
      const { consents } = t.custodian;
      // Marking again after the job finished finds nothing: markers replace what they mark.
      assert.deepEqual(await consents.markRenewalNeeded(1, 2, ['marketing']), { marked: 0, subjectIds: [] });
    });

    it('renews a marked consent only under the notice now in effect', async () => {
      const before = await fullSnapshot(t.custodian);
      const stale = await consent(renewing, 1);
      assert.equal(stale.statusCode, 400, stale.body);
      assert.equal(stale.json().error.code, 'validation_failed');
      assert.deepEqual(stale.json().error.details.map((d: { path: string }) => d.path), ['notice.policyVersion']);
      assert.deepEqual(await fullSnapshot(t.custodian), before, 'nothing was written');
      assert.deepEqual((await decide(renewing)).reasons.map((r) => r.code), ['consent_renewal_needed']);

      const renewed = await consent(renewing, 2, ['user.name', 'user.contact.email', 'user.contact.phone_number']);
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
        const decide = async (category: string) => (await app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: { subjectId: id, purpose: 'marketing', operation: 'use', categories: [category] } })).json();
        assert.equal((await decide('user.contact.email')).allow, true);
        // …and covers only what that notice said once version 2 applies: not the phone number it adds.
        t.clock.advance(31 * 86_400_000);
        t.custodian.gate.invalidate(id);
        assert.deepEqual((await decide('user.contact.phone_number')).reasons.map((r: { code: string }) => r.code), ['consent_renewal_needed']);
        assert.equal((await decide('user.contact.email')).allow, true);
      } finally {
        await close();
      }
    });
  });
}
