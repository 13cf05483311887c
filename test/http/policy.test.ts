import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { cliEnv, runCli } from '../support/cli.js';
import { createTestApp, DEMO_POLICY, EXAMPLES_DIR, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { marketingConsent } from '../support/consents.js';
import { storeSnapshot } from '../support/snapshot.js';

const demo = readFileSync(DEMO_POLICY, 'utf8');

for (const engine of ENGINES) {
  describe(`policy versions and the notice (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine));
    });
    after(async () => close());

    it('publishing the same policy again is a no-op; a changed one becomes the next version', async () => {
      const same = await app.inject({ method: 'POST', url: '/v1/policy/versions', headers: { ...headers, 'content-type': 'application/yaml' }, payload: demo });
      assert.equal(same.statusCode, 200, same.body);
      assert.deepEqual([same.json().created, same.json().version.number], [false, 1]);

      t.clock.advance(1000);
      const changed = demo.replace('version: "2026.1"', 'version: "2026.2"');
      const next = await app.inject({ method: 'POST', url: '/v1/policy/versions', headers, payload: { source: changed } });
      assert.equal(next.statusCode, 201, next.body);
      assert.deepEqual([next.json().created, next.json().version.number, next.json().version.label, next.json().version.active], [true, 2, '2026.2', true]);

      const list = (await app.inject({ method: 'GET', url: '/v1/policy/versions', headers })).json().versions;
      assert.deepEqual(list.map((v: { number: number; active: boolean }) => [v.number, v.active]), [[1, false], [2, true]]);
      const one = (await app.inject({ method: 'GET', url: '/v1/policy/versions/1', headers })).json();
      assert.equal(one.source, demo);
      assert.equal(one.policy.id, 'demo-shop');
      assert.equal((await app.inject({ method: 'GET', url: '/v1/policy/versions/9', headers })).statusCode, 404);

      // Each publication is an event of the journal's system stream carrying the version's hash.
      const published = await t.custodian.store.db.selectFrom('journal_event').selectAll().where('operation', '=', 'publication').orderBy('seq').execute();
      const hashes = await t.custodian.store.db.selectFrom('policy_version').select(['number', 'hash']).orderBy('number').execute();
      assert.deepEqual(
        published.map((e) => [e.stream, e.subject_id, JSON.parse(e.details).policyVersion, JSON.parse(e.details).sha256]),
        hashes.map((v) => ['system', null, Number(v.number), v.hash]),
      );
      assert.match(published[1].actor, /^apikey:[0-9a-f]{16}$/, 'the publisher is named');
    });

    it('refuses an invalid policy with every diagnostic and FILE:LINE:COL, publishing nothing', async () => {
      const before = await storeSnapshot(t.custodian);
      const broken = demo.replace('categories: [user.name, user.contact.email]', 'categories: [user.name, user.contact.fax]');
      const res = await app.inject({ method: 'POST', url: '/v1/policy/versions', headers: { ...headers, 'content-type': 'text/plain' }, payload: broken });
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, 'policy_invalid');
      assert.ok(res.json().error.details.some((d: { message: string }) => /^request body:\d+:\d+: error: .*user\.contact\.fax/.test(d.message)), res.body);
      assert.deepEqual(await storeSnapshot(t.custodian), before);
    });

    it('serves the notice in each language, negotiated or asked for, as HTML or Markdown', async () => {
      const kk = await app.inject({ method: 'GET', url: '/privacy/notice?lang=kk' });
      assert.equal(kk.statusCode, 200);
      assert.match(kk.headers['content-type'] as string, /text\/html/);
      assert.match(kk.body, /<html lang="kk">/);
      assert.match(kk.body, /«Demo Shop» ЖШС/);
      const ru = await app.inject({ method: 'GET', url: '/privacy/notice', headers: { 'accept-language': 'de-DE,ru;q=0.8,en;q=0.5' } });
      assert.equal(ru.headers['content-language'], 'ru');
      assert.match(ru.body, /ТОО «Demo Shop»/);
      const md = await app.inject({ method: 'GET', url: '/privacy/notice?lang=en&format=md&version=1' });
      assert.match(md.headers['content-type'] as string, /text\/markdown/);
      assert.match(md.body, /^# /m);
      assert.match(md.body, /Demo Shop LLP/);
      assert.equal((await app.inject({ method: 'GET', url: '/privacy/notice?lang=de' })).statusCode, 400);
    });

    it('a material change asks for consent again; an editorial one does not', async () => {
      const { id } = await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'renew@example.kz' }] }, 'test');
      const active = t.custodian.policies.active();
      const given = await app.inject({
        method: 'POST',
        url: `/v1/subjects/${id}/consents`,
        headers,
        payload: marketingConsent(active.number, { subjectFullName: 'Renewal Person' }),
      });
      assert.equal(given.statusCode, 201, given.body);
      const decide = async (categories = ['user.contact.email']) => (await app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: { subjectId: id, purpose: 'marketing', operation: 'use', categories } })).json();
      assert.equal((await decide()).allow, true);

      const current = (await app.inject({ method: 'GET', url: `/v1/policy/versions/${active.number}`, headers })).json().source as string;
      t.clock.advance(1000);
      const editorial = current.replace('News and offers by e-mail', 'News and special offers by e-mail');
      const first = await app.inject({ method: 'POST', url: '/v1/policy/versions', headers, payload: { source: editorial } });
      assert.equal(first.statusCode, 201, first.body);
      assert.deepEqual([first.json().changes.every((c: { kind: string }) => c.kind === 'editorial'), first.json().renewalsMarked], [true, 0]);
      assert.equal((await decide()).allow, true);

      t.clock.advance(1000);
      const material = editorial.replace('categories: [user.name, user.contact.email]', 'categories: [user.name, user.contact.email, user.contact.phone_number]');
      const second = await app.inject({ method: 'POST', url: '/v1/policy/versions', headers, payload: { source: material } });
      assert.equal(second.statusCode, 201, second.body);
      const change = second.json().changes.find((c: { kind: string }) => c.kind === 'material');
      assert.deepEqual([change.purposes, change.affectsConsents, second.json().renewalsMarked, second.json().renewalMarking], [['marketing'], true, 1, 'done']);
      // The consent covers what its notice said: e-mail, not the phone number added since.
      assert.equal((await decide()).allow, true);
      assert.deepEqual((await decide(['user.contact.phone_number'])).reasons.map((r: { code: string }) => r.code), ['consent_renewal_needed']);
      const renewals = (await app.inject({ method: 'GET', url: '/v1/consents/renewals?purpose=marketing', headers })).json();
      assert.ok(JSON.stringify(renewals).includes(id), JSON.stringify(renewals));

      // Keeping the data longer changes what was agreed to as a whole: nothing goes on until renewed.
      t.clock.advance(1000);
      const longer = material.replace('duration: P30D\n      from: consent-withdrawn', 'duration: P60D\n      from: consent-withdrawn');
      assert.notEqual(longer, material, 'the demo policy changed: update the edit');
      const third = await app.inject({ method: 'POST', url: '/v1/policy/versions', headers, payload: { source: longer } });
      assert.equal(third.statusCode, 201, third.body);
      assert.ok(third.json().changes.some((c: { code: string }) => c.code === 'retention-extended'), third.body);
      assert.deepEqual((await decide()).reasons.map((r: { code: string }) => r.code), ['consent_renewal_needed']);
    });

    it('declares Global Privacy Control support at /.well-known/gpc.json', async () => {
      const res = await app.inject({ method: 'GET', url: '/.well-known/gpc.json' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { gpc: true, lastUpdate: new Date(t.custodian.policies.active().publishedAt).toISOString().slice(0, 10) });
    });

    it('publishes the JSON Schema of the language', async () => {
      const res = await app.inject({ method: 'GET', url: '/schemas/policy.json' });
      assert.equal(res.statusCode, 200);
      const schema = res.json();
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.deepEqual(schema, JSON.parse(readFileSync(new URL('../../schemas/policy.json', import.meta.url), 'utf8')));
    });

    it('`custodian policy publish`, `versions` and `render` work from the command line', async () => {
      const env = cliEnv(t.database.location, t.config.keyringPath);
      const published = await runCli(['policy', 'publish', join(EXAMPLES_DIR, 'wadjet.policy.yaml')], env);
      assert.equal(published.code, 0, published.stderr);
      assert.match(published.stdout, /Published version \d+ of policy "wadjet"/);
      const versions = await runCli(['policy', 'versions'], env);
      assert.match(versions.stdout, /\d+ +wadjet .*\(active\)/);
      const rendered = await runCli(['policy', 'render', join(EXAMPLES_DIR, 'wadjet.policy.yaml'), '--lang', 'ru', '--format', 'html'], env);
      assert.equal(rendered.code, 0, rendered.stderr);
      assert.match(rendered.stdout, /^<!DOCTYPE html>/);
      assert.match(rendered.stdout, /<html lang="ru">/);
    });
  });
}
