import assert from 'node:assert/strict';
import type { CustodianError } from '../../src/errors.js';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Consents } from '../../src/consent/consents.js';
import { buildApp } from '../../src/http/app.js';
import { createTestCustodian, DEMO_POLICY, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { FULL_NAME, fullSnapshot, kzConsent, newSubject } from './consent-fixtures.js';

/** A complete consent to the demo shop's newsletter (`marketing`: KZ and GDPR consent, P2Y). */
const marketing = (overrides: Record<string, unknown> = {}) => ({
  ...kzConsent('marketing', { validity: 'P2Y', notice: { policyVersion: 1, locale: 'ru', text: 'Согласен получать новости' } }),
  ...overrides,
});

for (const engine of ENGINES) {
  describe(`consent routes (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let writer: string;
    let reader: string;
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });

    before(async () => {
      t = await createTestCustodian(engine, { policy: DEMO_POLICY });
      app = await buildApp(t.custodian);
      writer = (await t.custodian.apiKeys.create('consent-writer', ['consents:write', 'consents:read'])).key;
      reader = (await t.custodian.apiKeys.create('consent-reader', ['consents:read'])).key;
    });
    after(async () => {
      await app.close();
      await t.dispose();
    });

    const give = (subjectId: string, payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: `/v1/subjects/${subjectId}/consents`, headers: { ...auth(writer), ...headers }, payload: payload as object });

    it('records, lists and withdraws a consent', async () => {
      const id = await newSubject(t.custodian, 'routes@example.kz', { locale: 'ru' });
      const res = await give(id, marketing());
      assert.equal(res.statusCode, 201, res.body);
      const record = res.json();
      assert.equal(record.state, 'given');
      assert.equal(record.purpose, 'marketing');
      assert.equal(record.topic, 'purpose');
      assert.equal(record.validUntil, '2028-11-22T09:00:00.000Z');
      assert.deepEqual(record.scope, { thirdParties: false, crossBorder: false, publicDissemination: false });
      assert.equal(record.subjectNameRecorded, true);
      assert.ok(!res.body.includes(FULL_NAME), 'the name is never echoed');

      const one = await app.inject({ method: 'GET', url: `/v1/consents/${record.id}`, headers: auth(reader) });
      assert.deepEqual(one.json(), record);

      const withdraw = await app.inject({ method: 'POST', url: `/v1/subjects/${id}/consents/marketing/withdraw`, headers: auth(writer), payload: { channel: 'web-form' } });
      assert.equal(withdraw.statusCode, 200, withdraw.body);
      assert.equal(withdraw.json().withdrawn[0].state, 'withdrawn');
      const again = await app.inject({ method: 'POST', url: `/v1/subjects/${id}/consents/marketing/withdraw`, headers: auth(writer), payload: { channel: 'web-form' } });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'conflict');

      const list = (await app.inject({ method: 'GET', url: `/v1/subjects/${id}/consents`, headers: auth(reader) })).json();
      assert.deepEqual(
        list.history.map((r: { event: string }) => r.event),
        ['given', 'withdrawn'],
      );
      assert.deepEqual(
        list.current.map((r: { state: string }) => r.state),
        ['withdrawn'],
      );
    });

    const badConsents: { name: string; status: number; code: string; paths: string[]; payload: Record<string, unknown> }[] = [
      { name: 'an unknown field', status: 400, code: 'validation_failed', paths: ['colour'], payload: marketing({ colour: 'red' }) },
      { name: 'an unknown scope flag', status: 400, code: 'validation_failed', paths: ['scope.sale'], payload: marketing({ scope: { thirdParties: false, crossBorder: false, publicDissemination: false, sale: true } }) },
      { name: 'a malformed validity', status: 400, code: 'validation_failed', paths: ['validity'], payload: marketing({ validity: 'two years' }) },
      { name: 'an unknown channel', status: 400, code: 'validation_failed', paths: ['channel'], payload: marketing({ channel: 'carrier-pigeon' }) },
      { name: 'a purpose not based on consent', status: 422, code: 'consent_not_applicable', paths: ['purpose'], payload: marketing({ purpose: 'orders' }) },
      {
        name: 'missing 94-V art. 8(4) content',
        status: 422,
        code: 'consent_incomplete',
        paths: ['subjectFullName', 'scope.thirdParties', 'scope.crossBorder', 'scope.publicDissemination'],
        payload: marketing({ subjectFullName: undefined, scope: undefined }),
      },
    ];

    for (const bad of badConsents) {
      it(`rejects ${bad.name} with ${bad.status} ${bad.code}, naming the field, and writes nothing`, async () => {
        const id = await newSubject(t.custodian, `bad-${bad.code}-${bad.paths[0]}@example.kz`);
        const before = await fullSnapshot(t.custodian);
        const res = await give(id, bad.payload);
        assert.equal(res.statusCode, bad.status, res.body);
        const body = res.json();
        assert.equal(body.error.code, bad.code);
        for (const path of bad.paths) assert.ok(body.error.details.some((d: { path: string }) => d.path === path), `names ${path}: ${res.body}`);
        assert.ok(!res.body.includes(FULL_NAME));
        assert.deepEqual(await fullSnapshot(t.custodian), before);
      });
    }

    it('requires a key with the consent scopes', async () => {
      const id = await newSubject(t.custodian, 'scopes@example.kz');
      assert.equal((await app.inject({ method: 'POST', url: `/v1/subjects/${id}/consents`, payload: marketing() })).statusCode, 401);
      const readOnly = await give(id, marketing(), auth(reader));
      assert.equal(readOnly.statusCode, 403);
      assert.equal(readOnly.json().error.code, 'forbidden');
      assert.equal((await app.inject({ method: 'GET', url: `/v1/subjects/${id}/consents`, headers: auth(reader) })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/v1/subjects/00000000-0000-4000-8000-000000000000/consents', headers: auth(reader) })).statusCode, 404);
    });

    it('records Sec-GPC: 1 on a consent request, and GPC and objections on their own routes', async () => {
      const id = await newSubject(t.custodian, 'gpc@example.kz', { jurisdiction: 'EU' });
      const res = await give(id, marketing(), { 'sec-gpc': '1' });
      assert.equal(res.statusCode, 201);
      const optOuts = (await app.inject({ method: 'GET', url: `/v1/subjects/${id}/opt-outs`, headers: auth(reader) })).json();
      assert.equal(optOuts.gpc.source, 'sec-gpc-header');
      assert.deepEqual(optOuts.purposes, [{ purpose: 'marketing', reason: 'gpc-objection' }]);
      const again = await app.inject({ method: 'POST', url: `/v1/subjects/${id}/gpc`, headers: auth(writer) });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().created, false);

      const other = await newSubject(t.custodian, 'gpc-api@example.kz');
      const created = await app.inject({ method: 'POST', url: `/v1/subjects/${other}/gpc`, headers: auth(writer) });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().gpc.source, 'api');

      const objection = await app.inject({ method: 'POST', url: `/v1/subjects/${id}/objections`, headers: auth(writer), payload: { purpose: 'marketing' } });
      assert.equal(objection.statusCode, 201, objection.body);
      assert.equal(objection.json().objection.purpose, 'marketing');
      const notOpen = await app.inject({ method: 'POST', url: `/v1/subjects/${id}/objections`, headers: auth(writer), payload: { purpose: 'orders' } });
      assert.equal(notOpen.statusCode, 422);
      assert.equal(notOpen.json().error.code, 'objection_not_applicable');
    });

    it('lists renewals after a material change', async () => {
      const id = await newSubject(t.custodian, 'renewal-route@example.kz');
      await give(id, marketing());
      const marking = await t.custodian.consents.markRenewalNeeded(1, 2, ['marketing']);
      assert.ok(marking.subjectIds.includes(id));
      const res = await app.inject({ method: 'GET', url: '/v1/consents/renewals?purpose=marketing', headers: auth(reader) });
      assert.equal(res.statusCode, 200, res.body);
      const item = res.json().items.find((i: { subjectId: string }) => i.subjectId === id);
      assert.deepEqual({ ...item, recordId: undefined }, { recordId: undefined, subjectId: id, purpose: 'marketing', topic: 'purpose', reason: 'policy-changed', since: '2026-11-22T09:00:00.000Z', policyVersion: 2 });
      assert.equal((await app.inject({ method: 'GET', url: '/v1/consents/renewals?colour=red', headers: auth(reader) })).statusCode, 400);
    });

    describe('one-click unsubscribe', () => {
      async function subscribed(email: string, locale: 'en' | 'ru' | 'kk'): Promise<{ id: string; url: string }> {
        const id = await newSubject(t.custodian, email, { locale });
        assert.equal((await give(id, marketing())).statusCode, 201);
        const link = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/unsubscribe-link?purpose=marketing`, headers: auth(writer) });
        assert.equal(link.statusCode, 200, link.body);
        assert.equal(link.json().headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
        // Absolute under CUSTODIAN_PUBLIC_URL; the test serves it in-process, by path.
        const absolute = new URL(link.json().url);
        assert.equal(absolute.origin, 'https://privacy.test');
        return { id, url: `${absolute.pathname}${absolute.search}` };
      }
      const state = async (id: string) => (await t.custodian.consents.subjectPreferences(t.custodian.store.db, id)).purposes.marketing.consent?.state;

      it('shows a localized confirmation without login, and withdraws only when the button is pressed', async () => {
        const { id, url } = await subscribed('unsub-kk@example.kz', 'kk');
        assert.match(url, /^\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        const token = new URL(url, 'http://x').searchParams.get('token')!;
        assert.ok(!Buffer.from(token.split('.')[0], 'base64url').toString().includes('@'), 'no e-mail address in the token');

        const page = await app.inject({ method: 'GET', url });
        assert.equal(page.statusCode, 200, page.body);
        assert.match(page.headers['content-type'] as string, /^text\/html/);
        assert.match(page.body, /<html lang="kk">/);
        assert.ok(page.body.includes('Электрондық пошта арқылы жаңалықтар мен ұсыныстар'), 'the purpose title, in Kazakh');
        assert.ok(page.body.includes('<form method="post">') && page.body.includes('Жазылымнан шығу'));
        assert.equal(await state(id), 'given', 'opening the link changes nothing');

        const done = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}` });
        assert.equal(done.statusCode, 200, done.body);
        assert.ok(done.body.includes('Сіз жазылымнан шықтыңыз'));
        assert.equal(await state(id), 'withdrawn');
        const history = await t.custodian.consents.history(id);
        assert.equal(history.at(-1)?.actor, 'subject');
        assert.equal(history.at(-1)?.channel, 'web-form');

        const twice = await app.inject({ method: 'POST', url: '/unsubscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}` });
        assert.equal(twice.statusCode, 200, 'a second click shows the same page');
      });

      it('takes an RFC 8058 one-click POST from a mail client', async () => {
        const { id, url } = await subscribed('unsub-oneclick@example.kz', 'ru');
        const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(res.body.includes('Вы отписаны'));
        assert.equal(await state(id), 'withdrawn');
        assert.equal((await t.custodian.consents.history(id)).at(-1)?.channel, 'email');
        const events = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', id).orderBy('seq').execute();
        const details = JSON.parse(events.at(-1)!.details);
        assert.equal(details.event, 'withdrawn');
        assert.equal(details.via, 'unsubscribe-link');
      });

      it('rejects forged, altered and missing tokens with 400 in the error shape', async () => {
        const { id, url } = await subscribed('unsub-forged@example.kz', 'en');
        const token = new URL(url, 'http://x').searchParams.get('token')!;
        const [payload, mac] = token.split('.');
        const other = Buffer.from(JSON.stringify({ v: 1, s: '00000000-0000-4000-8000-000000000000', p: 'marketing', iat: 1 })).toString('base64url');
        const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
        for (const forged of [`${other}.${mac}`, `${payload}.${flipped}`, payload, 'not-a-token', `${payload}.${mac}.x`]) {
          for (const method of ['GET', 'POST'] as const) {
            const res = await app.inject({ method, url: `/unsubscribe?token=${encodeURIComponent(forged)}`, ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' } : {}) });
            assert.equal(res.statusCode, 400, `${method} ${forged}: ${res.body}`);
            assert.equal(res.json().error.code, 'link_invalid');
            assert.equal(res.json().error.details[0].path, 'token');
          }
        }
        const missing = await app.inject({ method: 'POST', url: '/unsubscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
        assert.equal(missing.statusCode, 400);
        assert.equal(missing.json().error.code, 'link_invalid');
        assert.equal(await state(id), 'given', 'nothing was withdrawn');
      });

      it('makes absolute links under the configured public URL', async () => {
        const { store, work, subjects, keys, journal, policies, clock, ids } = t.custodian;
        const consents = new Consents({ store, work, subjects, keys, journal, policies, clock, ids, publicUrl: 'https://privacy.example/' });
        const id = await newSubject(t.custodian, 'unsub-public@example.kz');
        const link = await consents.unsubscribeLink(id, 'marketing');
        assert.match(link, /^https:\/\/privacy\.example\/unsubscribe\?token=[\w-]+\.[\w-]+$/);
        assert.deepEqual(await consents.unsubscribeHeaders(id, 'marketing'), { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
      });

      it('mints no link without a public URL, and none for a subject that does not exist', async () => {
        const { store, work, subjects, keys, journal, policies, clock, ids } = t.custodian;
        const unconfigured = new Consents({ store, work, subjects, keys, journal, policies, clock, ids });
        const id = await newSubject(t.custodian, 'unsub-relative@example.kz');
        const error = await unconfigured.unsubscribeLink(id, 'marketing').then(
          () => assert.fail('a relative link was minted'),
          (e: CustodianError) => e,
        );
        assert.deepEqual([error.code, error.details[0].path], ['public_url_missing', 'CUSTODIAN_PUBLIC_URL']);
        const unknown = await app.inject({ method: 'GET', url: '/v1/subjects/00000000-0000-4000-8000-000000000000/unsubscribe-link?purpose=marketing', headers: auth(writer) });
        assert.equal(unknown.statusCode, 404, unknown.body);
        assert.equal(unknown.json().error.code, 'not_found');
      });

      it('makes links only for marketing purposes based on consent', async () => {
        const id = await newSubject(t.custodian, 'unsub-orders@example.kz');
        const res = await app.inject({ method: 'GET', url: `/v1/subjects/${id}/unsubscribe-link?purpose=orders`, headers: auth(writer) });
        assert.equal(res.statusCode, 422);
        assert.equal(res.json().error.code, 'consent_not_applicable');
      });
    });

    it('documents the consent routes in OpenAPI', async () => {
      const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of ['/v1/subjects/{id}/consents', '/v1/subjects/{id}/consents/{purpose}/withdraw', '/v1/consents/{id}', '/v1/consents/{id}/receipt', '/v1/consents/renewals', '/v1/subjects/{id}/gpc', '/v1/subjects/{id}/objections', '/unsubscribe']) {
        assert.ok(openapi.paths[path], `OpenAPI documents ${path}`);
      }
    });
  });
}
