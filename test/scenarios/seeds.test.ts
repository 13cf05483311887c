/**
 * Each reference operator's policy, run through the vault end to end over HTTP: what the
 * seed promises is what the gate enforces.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate } from '../../src/decisions/gate.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { indexPolicy } from '../../src/policy/model.js';
import { EXAMPLES_DIR } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { api, close, type Harness, open } from './harness.js';

for (const engine of ENGINES) {
  describe(`seed scenarios (${engine})`, { skip: engineSkip(engine) }, () => {
    describe('Smart Protect (seed 002): a transfer abroad waits for the separate cross-border consent', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smart-protect')));
      after(async () => close(h));

      it('refuses the transfer until the cross-border and third-party consents are given separately', async () => {
        const a = api(h);
        const id = await a.subject('client@smartprotect.test', { jurisdiction: 'KZ' });
        // Consent comes first: without it the gate refuses even the collection.
        const early = await a.call('POST', `/v1/subjects/${id}/data`, { items: [{ category: 'user.name', value: 'Aigerim Bekova', purpose: 'contract-performance', source: 'direct' }] });
        assert.equal(early.status, 403);
        await a.consent(id, 'contract-performance');
        await a.collect(id, [{ category: 'user.name', value: 'Aigerim Bekova', purpose: 'contract-performance' }]);

        const first = await a.disclose(id, 'contract-third-parties', 'contract-performance', ['user.name']);
        assert.equal(first.status, 403, first.raw);
        const codes = first.body.error.details.map((d: { code: string }) => d.code);
        assert.ok(codes.includes('cross_border_consent_missing'), first.raw);

        await a.consent(id, 'contract-performance', { separateScope: 'crossBorder' });
        await a.consent(id, 'contract-performance', { separateScope: 'thirdParties' });
        const second = await a.disclose(id, 'contract-third-parties', 'contract-performance', ['user.name']);
        assert.equal(second.status, 201, second.raw);
        assert.equal(second.body.crossBorder, true);
        assert.equal(second.body.safeguard, 'consent');

        // Data is kept one year from provision (seed §6): the item says so.
        const read = await a.call('GET', `/v1/subjects/${id}/data?purpose=contract-performance`);
        assert.equal(read.body.items[0].retentionDueAt, '2027-11-22T09:00:00.000Z');
      });
    });

    describe('SmartThings (seed 001): the unsubscribe link stops marketing, not order clarification', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smartthings')));
      after(async () => close(h));

      it('withdraws the marketing consent at once without login', async () => {
        const a = api(h);
        const id = await a.subject('buyer@smartthings.test');
        await a.consent(id, 'order-clarification');
        await a.consent(id, 'marketing-notifications');
        const categories = ['user.contact.email'];
        assert.equal((await a.decide(id, 'marketing-notifications', 'use', categories)).allow, true);

        const link = await a.call('GET', `/v1/subjects/${id}/unsubscribe-link?purpose=marketing-notifications`);
        assert.equal(link.status, 200, link.raw);
        const token = new URL(link.body.url, 'http://x').searchParams.get('token')!;
        const click = await h.app.inject({ method: 'POST', url: `/unsubscribe?token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
        assert.equal(click.statusCode, 200, click.body);

        const marketing = await a.decide(id, 'marketing-notifications', 'use', categories);
        assert.deepEqual([marketing.allow, marketing.codes], [false, ['consent_withdrawn']]);
        const order = await a.decide(id, 'order-clarification', 'use', categories);
        assert.equal(order.allow, true);
      });
    });

    describe('Wadjet (seed 004): after withdrawal, feedback processing stops', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'wadjet')));
      after(async () => close(h));

      it('denies the feedback purpose once consent is withdrawn, while the legal-compliance purpose stands', async () => {
        const a = api(h);
        const id = await a.subject('visitor@wadjet.test', { jurisdiction: 'KZ' });
        await a.consent(id, 'feedback');
        await a.collect(id, [{ category: 'user.name', value: 'Dana Sultanovna', purpose: 'feedback' }]);
        assert.equal((await a.decide(id, 'feedback', 'use', ['user.name'])).allow, true);

        const withdrawn = await a.call('POST', `/v1/subjects/${id}/consents/feedback/withdraw`, { channel: 'email' });
        assert.ok(withdrawn.status === 200 || withdrawn.status === 201, withdrawn.raw);

        const after = await a.decide(id, 'feedback', 'use', ['user.name']);
        assert.deepEqual([after.allow, after.codes], [false, ['consent_withdrawn']]);
        const read = await a.call('GET', `/v1/subjects/${id}/data?purpose=feedback`);
        assert.equal(read.status, 403);
        assert.equal((await a.decide(id, 'legal-compliance', 'storage', ['user.name'])).allow, true);
      });
    });

    describe('Smartist (seed 000): a blocked subject’s data is kept but cannot be used', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smartist')));
      after(async () => close(h));

      it('keeps the data, refuses every use and disclosure, and resumes after unblocking', async () => {
        const a = api(h);
        const id = await a.subject('candidate@smartist.test', { jurisdiction: 'EU' });
        await a.collect(id, [
          { category: 'user.name', value: 'Erlan Kasymov', purpose: 'contract-management' },
          { category: 'user.contact.email', value: 'candidate@smartist.test', purpose: 'contract-management' },
        ]);
        assert.equal((await a.decide(id, 'contract-management', 'use', ['user.name'])).allow, true);
        const block = await a.call('POST', `/v1/subjects/${id}/blocks`, { reason: 'accuracy-disputed' });
        assert.equal(block.status, 201, block.raw);

        assert.deepEqual(await a.decide(id, 'contract-management', 'use', ['user.name']), { allow: false, codes: ['subject_blocked'] });
        assert.equal((await a.disclose(id, 'service-providers', 'contract-management', ['user.name'])).status, 403);
        assert.equal((await a.call('GET', `/v1/subjects/${id}/data?purpose=contract-management`)).status, 403);
        const stored = await h.t.custodian.store.db.selectFrom('data_item').select(['state', 'value_enc']).where('subject_id', '=', id).execute();
        assert.deepEqual(stored.map((r) => r.state), ['active', 'active']);
        assert.ok(stored.every((r) => r.value_enc.startsWith('v1.')));

        await a.call('DELETE', `/v1/subjects/${id}/blocks/${block.body.id}`);
        assert.equal((await a.decide(id, 'contract-management', 'use', ['user.name'])).allow, true);
      });
    });

    describe('Smart Communications (seed 003): a transfer to the US group company rests on the declared SCCs', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smart-communications')));
      after(async () => close(h));

      it('allows the transfer to SmartComms LLC (US) under SCCs, and nothing without them', async () => {
        const a = api(h);
        const id = await a.subject('customer@smartcomms.test', { jurisdiction: 'UK' });
        await a.collect(id, [{ category: 'user.name', value: 'Jane Smith', purpose: 'relationship-management' }]);
        const allowed = await a.disclose(id, 'smartcomms-llc', 'relationship-management', ['user.name']);
        assert.equal(allowed.status, 201, allowed.raw);
        assert.deepEqual([allowed.body.country, allowed.body.recipientKind, allowed.body.safeguard, allowed.body.crossBorder], ['US', 'group-company', 'scc', true]);

        // Without the safeguard the policy does not compile, and the gate refuses the transfer.
        const source = readFileSync(join(EXAMPLES_DIR, 'smart-communications.policy.yaml'), 'utf8');
        const compiled = compilePolicy(source, 'smart-communications.policy.yaml');
        const stripped = structuredClone(compiled.policy!);
        stripped.recipients.find((r) => r.id === 'smartcomms-llc')!.safeguard = undefined;
        const context = await h.t.custodian.gate.context(id);
        const decision = evaluate(indexPolicy(stripped), 1, { subjectId: id, purpose: 'relationship-management', operation: 'transfer', categories: ['user.name'], recipient: 'smartcomms-llc' }, context, h.t.clock.now());
        assert.deepEqual(decision.reasons.map((r) => r.code), ['transfer_without_safeguard']);
        const withoutSafeguard = source.replace(/(id: smartcomms-llc[\s\S]*?)\n\s+safeguard: scc/, '$1');
        assert.notEqual(withoutSafeguard, source);
        const broken = compilePolicy(withoutSafeguard, 'no-scc.yaml');
        assert.ok(broken.diagnostics.some((d) => d.severity === 'error' && d.code === 'cross-border-safeguard-missing'));
      });
    });
  });
}
