/**
 * A rights request of a type each reference operator's notice promises, from intake to
 * proof over HTTP, on each law's clock: the request is taken in, its due moment is the
 * law's (with the article), identity is checked, the vault does what was asked, the
 * processing the person stopped is refused by the gate afterwards, and the journal and
 * the destruction act show it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, engineSkip } from '../support/engines.js';
import { api, close, type Harness, open } from './harness.js';

interface Deadline {
  law: string;
  obligation: string;
  dueAt: string;
  article: string;
}

/** Takes a request in, verifies it by staff, fulfils it; returns the intake and the completed request. */
async function throughRequest(h: Harness, body: object, fulfil: object = {}) {
  const a = api(h);
  const intake = await a.call('POST', '/v1/requests', body);
  assert.equal(intake.status, 201, intake.raw);
  const verified = await a.call('POST', `/v1/requests/${intake.body.id}/verify`, { method: 'staff', note: 'identity checked at the counter' });
  assert.equal(verified.status, 200, verified.raw);
  assert.equal(verified.body.state, 'in-progress', verified.raw);
  const done = await a.call('POST', `/v1/requests/${intake.body.id}/fulfil`, fulfil);
  assert.equal(done.status, 200, done.raw);
  const shown = await a.call('GET', `/v1/requests/${intake.body.id}`);
  assert.equal(shown.body.state, 'completed', shown.raw);
  return { intake: intake.body as { id: string; deadlines: Deadline[] }, request: shown.body };
}

async function journalOperations(h: Harness, subjectId: string): Promise<string[]> {
  const res = await api(h).call('GET', `/v1/subjects/${subjectId}/journal?limit=200`);
  assert.equal(res.status, 200, res.raw);
  return res.body.events.map((e: { operation: string }) => e.operation);
}

for (const engine of ENGINES) {
  describe(`rights requests of the reference operators (${engine})`, { skip: engineSkip(engine) }, () => {
    describe('Wadjet (seed 004, KZ): a withdrawal sent by e-mail stops feedback processing within the 94-V term', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'wadjet')));
      after(async () => close(h));

      it('clocks 15 working days under art. 8(7), withdraws the consent, and the gate refuses feedback afterwards', async () => {
        const a = api(h);
        const id = await a.subject('visitor@wadjet.test', { jurisdiction: 'KZ' });
        await a.consent(id, 'feedback');
        await a.collect(id, [{ category: 'user.name', value: 'Dana Sultanovna', purpose: 'feedback' }]);
        assert.equal((await a.decide(id, 'feedback', 'use', ['user.name'])).allow, true);
        const recordingsBefore = (await journalOperations(h, id)).filter((o) => o === 'recording').length;

        // Received on Friday 20 March 2026 in Almaty; Nauryz (23–25 March) is not counted.
        const { intake, request } = await throughRequest(h, { type: 'withdrawal', identifiers: [{ type: 'email', value: 'visitor@wadjet.test' }], receivedAt: '2026-03-20T10:00:00+05:00', channel: 'email' });
        assert.deepEqual(intake.deadlines.map((d) => [d.law, d.dueAt, d.article]), [['kz', '2026-04-15T23:59:59.999+05:00', '8(7)']]);
        assert.equal(request.subjectId, id, 'the e-mail address found the subject');
        assert.deepEqual(request.outcome.purposes, ['feedback']);

        assert.deepEqual(await a.decide(id, 'feedback', 'use', ['user.name']), { allow: false, codes: ['consent_withdrawn'] });
        assert.equal((await a.decide(id, 'legal-compliance', 'storage', ['user.name'])).allow, true, 'the statutory purpose stands');
        // The withdrawal is a recording (94-V's list of operations) in the subject's journal.
        assert.ok((await journalOperations(h, id)).filter((o) => o === 'recording').length > recordingsBefore);
      });
    });

    describe('Smart Communications (seed 003, US-CA): a California deletion, with what the law keeps stated', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smart-communications')));
      after(async () => close(h));

      it('answers within 45 calendar days (§7021(b)), erases the customer-support data, keeps what a legal obligation needs, and signs a destruction act', async () => {
        const a = api(h);
        const id = await a.subject('buyer@smartcomms.test', { jurisdiction: 'US-CA' });
        await a.collect(id, [
          { category: 'user.contact.phone_number', value: '+14155550100', purpose: 'customer-support' },
          { category: 'user.name', value: 'Jordan Avery', purpose: 'legal-compliance' },
        ]);
        const { intake, request } = await throughRequest(h, { type: 'erasure', subjectId: id, receivedAt: '2026-11-20T18:00:00Z' });
        const ccpa = intake.deadlines.find((d) => d.law === 'ccpa');
        assert.ok(ccpa, JSON.stringify(intake.deadlines));
        assert.equal(ccpa.dueAt.slice(0, 10), '2027-01-04');
        assert.match(ccpa.article, /7021/);

        const erased = request.outcome.done.map((d: { category: string }) => d.category);
        assert.ok(erased.includes('user.contact.phone_number') && !erased.includes('user.name'), JSON.stringify(request.outcome));
        assert.ok(request.outcome.kept.some((k: { category: string; reason: string }) => k.category === 'user.name' && k.reason === 'legal-obligation'), JSON.stringify(request.outcome.kept));
        const support = await a.call('GET', `/v1/subjects/${id}/data?purpose=customer-support`);
        assert.ok(support.status === 403 || support.body.items.length === 0, support.raw);

        const acts = await a.call('GET', `/v1/subjects/${id}/acts`);
        assert.equal(acts.status, 200, acts.raw);
        assert.equal(acts.body.acts.length, 1);
        const act = acts.body.acts[0];
        assert.equal(act.requestId, intake.id);
        assert.equal(act.signatureValid, true);
        assert.ok(act.categories.some((c: { category: string; items: number }) => c.category === 'user.contact.phone_number' && c.items === 1), JSON.stringify(act));
        assert.ok(!act.categories.some((c: { category: string }) => c.category === 'user.name'), 'what the law keeps is not in the act');
        assert.ok((await journalOperations(h, id)).includes('destruction'));
      });
    });

    describe('Smart Protect (seed 002, KZ): an access request answered with what is held and why', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smart-protect')));
      after(async () => close(h));

      it('clocks the 94-V term, and the package holds the items, the purposes and the recipients', async () => {
        const a = api(h);
        const id = await a.subject('client@smartprotect.test', { jurisdiction: 'KZ' });
        await a.consent(id, 'contract-performance');
        await a.collect(id, [{ category: 'user.name', value: 'Aigerim Bekova', purpose: 'contract-performance' }]);
        const { intake, request } = await throughRequest(h, { type: 'access', subjectId: id });
        assert.equal(intake.deadlines[0].law, 'kz');
        assert.match(intake.deadlines[0].article, /24/);
        assert.ok(request.outcome.packageId, JSON.stringify(request.outcome));

        const pkg = await a.call('GET', `/v1/requests/${intake.id}/package?format=json`);
        assert.equal(pkg.status, 200, pkg.raw);
        assert.deepEqual(Object.keys(pkg.body).filter((k) => ['subject', 'vault', 'systems', 'information'].includes(k)).sort(), ['information', 'subject', 'systems', 'vault']);
        assert.ok(pkg.body.vault.some((item: { category: string; value: unknown }) => item.category === 'user.name' && item.value === 'Aigerim Bekova'), pkg.raw);
        assert.ok(JSON.stringify(pkg.body.information).includes('contract-performance'), 'the purposes are stated');
      });
    });

    describe('Smartist (seed 000, KZ + EU): an objection to processing on legitimate interests', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smartist')));
      after(async () => close(h));

      it('clocks one month under GDPR art. 12(3), upholds the objection, and the gate refuses the purpose afterwards', async () => {
        const a = api(h);
        const id = await a.subject('candidate@smartist.test', { jurisdiction: 'EU' });
        await a.collect(id, [{ category: 'user.contact.email', value: 'candidate@smartist.test', purpose: 'communication' }]);
        assert.equal((await a.decide(id, 'communication', 'use', ['user.contact.email'])).allow, true);
        const { intake, request } = await throughRequest(h, { type: 'objection', subjectId: id, receivedAt: '2026-01-31T10:00:00Z' }, { purposes: ['communication'] });
        const gdpr = intake.deadlines.find((d) => d.law === 'gdpr');
        // One month from 31 January ends on 28 February, a Saturday: the next working day (Reg. 1182/71).
        assert.deepEqual([gdpr?.dueAt.slice(0, 10), gdpr?.article], ['2026-03-02', '12(3)']);
        assert.deepEqual(request.outcome.purposes, ['communication']);
        const after = await a.decide(id, 'communication', 'use', ['user.contact.email']);
        assert.equal(after.allow, false, JSON.stringify(after));
      });
    });

    describe('SmartThings (seed 001, KZ + RU): a Russian demand to stop processing', () => {
      let h: Harness;
      before(async () => (h = await open(engine, 'smartthings')));
      after(async () => close(h));

      it('clocks 10 working days under 152-FZ art. 21(5.1) across Unity Day (4 November), and blocks the subject', async () => {
        const a = api(h);
        const id = await a.subject('buyer@smartthings.test', { jurisdiction: 'RU' });
        await a.consent(id, 'order-clarification');
        assert.equal((await a.decide(id, 'order-clarification', 'use', ['user.contact.email'])).allow, true);
        const { intake } = await throughRequest(h, { type: 'stop-processing', subjectId: id, receivedAt: '2026-11-02T12:00:00+03:00' });
        const ru = intake.deadlines.find((d) => d.law === 'ru');
        assert.deepEqual([ru?.dueAt, ru?.article], ['2026-11-17T23:59:59.999+03:00', '21(5.1)']);
        const after = await a.decide(id, 'order-clarification', 'use', ['user.contact.email']);
        assert.deepEqual([after.allow, after.codes], [false, ['subject_blocked']]);
      });
    });
  });
}
