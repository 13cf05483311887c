import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { createTestApp, EXAMPLES_DIR, TEST_PUBLIC_URL, type TestCustodian } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { verifyJournal } from '../../src/journal/verify.js';
import { requestCalls, requestEvents } from './support.js';

const DAY = 24 * 3600_000;
const NAME = 'Айгерим Нурлановна';

for (const engine of ENGINES) {
  describe(`rights requests: fulfilment in the vault (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let calls: ReturnType<typeof requestCalls>;
    let aigerim: string;
    let nameItem: string;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine));
      calls = requestCalls(app, headers);
      const { vault, disclosures } = t.custodian;
      aigerim = (await vault.upsertSubject({ identifiers: [{ type: 'email', value: 'aigerim@example.kz' }], jurisdiction: 'KZ', locale: 'kk' }, 'test')).id;
      [nameItem] = (
        await vault.collect(aigerim, [
          { category: 'user.name', value: NAME, purpose: 'orders', source: 'direct' },
          { category: 'user.contact.phone_number', value: '+77011234567', purpose: 'orders', source: 'direct' },
        ], 'test')
      ).ids;
      await disclosures.record({ subjectId: aigerim, recipient: 'courier', purpose: 'orders', categories: ['user.name'] }, 'test');
    });
    after(async () => close());

    async function verified(type: string, subjectId = aigerim) {
      const filed = (await calls.file({ type, subjectId })).json();
      const res = await calls.act(filed.id, 'verify', { method: 'staff' });
      assert.equal(res.statusCode, 200, res.body);
      return filed.id as string;
    }

    it('access: a package of the vault and what the law says to tell, in JSON, CSV and a Kazakh page, zipped and encrypted at rest', async () => {
      const id = await verified('access');
      const done = await calls.act(id, 'fulfil');
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'completed');
      assert.ok(done.json().outcome.packageId);

      const res = await app.inject({ method: 'GET', url: `/v1/requests/${id}/package?format=json`, headers });
      assert.equal(res.statusCode, 200, res.body);
      const pkg = res.json();
      assert.equal(pkg.subject.id, aigerim);
      assert.deepEqual(pkg.subject.identifiers, [{ type: 'email', value: 'aigerim@example.kz' }]);
      assert.deepEqual(pkg.vault.map((i: { category: string; value: string }) => [i.category, i.value]).sort(), [['user.contact.phone_number', '+77011234567'], ['user.name', NAME]]);
      assert.deepEqual(pkg.systems, []);
      const info = pkg.information;
      assert.deepEqual(info.purposes.map((p: { id: string }) => p.id), ['orders', 'marketing'], 'the purposes the data serves first');
      assert.equal(info.purposes[0].title, 'Тапсырыстарды рәсімдеу және жеткізу');
      assert.deepEqual(info.recipients.map((r: { id: string; received: boolean }) => [r.id, r.received]), [['courier', true]]);
      assert.deepEqual(info.sources, ['direct']);
      assert.deepEqual(info.retention.find((r: { purpose: string }) => r.purpose === 'orders'), { purpose: 'orders', rule: 'P3Y from collected' });
      assert.deepEqual(info.transfers, [], 'the courier is in Kazakhstan');
      assert.ok(info.rights.some((r: { law: string; type: string }) => r.law === 'kz' && r.type === 'access'));

      const zipRes = await app.inject({ method: 'GET', url: `/v1/requests/${id}/package?format=zip`, headers });
      assert.equal(zipRes.statusCode, 200);
      assert.equal(zipRes.headers['content-type'], 'application/zip');
      const files = unzipSync(new Uint8Array(zipRes.rawPayload));
      assert.deepEqual(Object.keys(files).sort(), ['data.csv', 'index.html', 'package.json']);
      assert.deepEqual(JSON.parse(strFromU8(files['package.json'])).vault, pkg.vault);
      const csv = strFromU8(files['data.csv']).split('\r\n');
      assert.equal(csv[0], 'category,value,purposes,source,collectedAt,retentionDueAt,state');
      assert.ok(csv.some((line) => line.startsWith(`user.name,${NAME},orders,direct,`)), csv.join('\n'));
      assert.ok(csv.some((line) => line.startsWith("user.contact.phone_number,'+77011234567,")), 'a cell a spreadsheet would run as a formula is defused');
      const html = strFromU8(files['index.html']);
      assert.match(html, /<html lang="kk">/);
      assert.ok(html.includes('Сіздің деректеріңіз'), 'headings in the person’s language');
      assert.ok(html.includes(NAME));

      const stored = await t.custodian.store.db.selectFrom('rights_package').selectAll().where('request_id', '=', id).execute();
      assert.equal(stored.length, 1);
      assert.ok(!JSON.stringify(stored).includes('aigerim@') && !JSON.stringify(stored).includes('77011234567'), 'sealed at rest');

      const releases = (await requestEvents(t.custodian, id)).filter((e) => e.operation === 'extraction');
      assert.deepEqual(releases.map((e) => e.details.output ?? 'made'), ['made', 'json', 'zip'], 'making the package and each release are journaled');
    });

    it('a signed download link gives the zip until it expires, and the package is deleted after its time by the job', async () => {
      const id = await verified('access');
      assert.equal((await calls.act(id, 'fulfil')).statusCode, 200);
      const link = await calls.act(id, 'package-link');
      assert.equal(link.statusCode, 200, link.body);
      const url = new URL(link.json().url);
      assert.equal(url.origin, TEST_PUBLIC_URL);
      const download = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      assert.equal(download.statusCode, 200, download.body);
      assert.ok(Object.keys(unzipSync(new Uint8Array(download.rawPayload))).includes('index.html'));
      const forged = url.search.replace(/.(?=$)/, (c) => (c === 'A' ? 'B' : 'A'));
      assert.equal((await app.inject({ method: 'GET', url: `${url.pathname}${forged}` })).statusCode, 400);

      t.clock.advance(7 * DAY + 1);
      assert.equal((await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` })).statusCode, 400, 'the link expired');
      t.clock.advance(23 * DAY);
      await t.custodian.jobs.enqueue({ kind: 'rights.delete-expired-packages' });
      await t.custodian.worker.runDue();
      assert.equal((await app.inject({ method: 'GET', url: `/v1/requests/${id}/package?format=json`, headers })).statusCode, 404);
      const row = await t.custodian.store.db.selectFrom('rights_package').selectAll().where('request_id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.content_enc, row.json_enc, row.content_key], [null, null, null]);
      assert.ok(row.deleted_at);
    });

    it('rectification through the vault’s path: the value changes, the journal keeps no value', async () => {
      const id = await verified('rectification');
      const res = await calls.act(id, 'fulfil', { corrections: [{ itemId: nameItem, value: 'Айгерім Нұрланқызы' }] });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().outcome.done, [{ category: 'user.name', items: 1 }]);
      const read = await t.custodian.vault.readForPurpose(aigerim, 'orders', 'test');
      assert.equal(read.items.find((i) => i.id === nameItem)?.value, 'Айгерім Нұрланқызы');
      const noCorrections = await calls.act(await verified('rectification'), 'fulfil', {});
      assert.equal(noCorrections.statusCode, 400);
      assert.equal(noCorrections.json().error.details[0].path, 'corrections');
    });

    it('withdrawal: every consent given is withdrawn, and the gate stops the purpose', async () => {
      await t.custodian.consents.record(aigerim, marketingConsent(t.custodian.policies.active().number), 'test');
      const id = await verified('withdrawal');
      const res = await calls.act(id, 'fulfil');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().outcome.purposes, ['marketing']);
      const decision = await t.custodian.gate.decide({ subjectId: aigerim, purpose: 'marketing', operation: 'use', categories: ['user.name'] });
      assert.equal(decision.allow, false);
    });

    it('restriction blocks the categories asked for through the existing blocks', async () => {
      const id = await verified('restriction');
      const res = await calls.act(id, 'fulfil', { categories: ['user.contact.phone_number'] });
      assert.equal(res.statusCode, 200, res.body);
      const blocks = await t.custodian.blocks.list(aigerim);
      assert.deepEqual(blocks.filter((b) => b.liftedAt === null).map((b) => [b.categories, b.reason]), [[['user.contact.phone_number'], 'subject-request']]);
    });

    it('a request for someone unknown completes as such: nothing held', async () => {
      const filed = (await calls.file({ type: 'access', identifiers: [{ type: 'email', value: 'nobody@example.kz' }] })).json();
      await calls.act(filed.id, 'verify', { method: 'staff' });
      const res = await calls.act(filed.id, 'fulfil');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([res.json().state, res.json().outcome], ['completed', { subjectFound: false }]);
    });

    it('only an in-progress request is fulfilled', async () => {
      const filed = (await calls.file({ type: 'access', identifiers: [{ type: 'email', value: 'later@example.kz' }] })).json();
      assert.equal((await calls.act(filed.id, 'fulfil')).statusCode, 409, 'identity first');
    });

    it('erasure: crypto-shredded through custodian.erasure, what is kept stated in the answer', async () => {
      const id = await verified('erasure');
      const res = await calls.act(id, 'fulfil');
      assert.equal(res.statusCode, 200, res.body);
      const outcome = res.json().outcome;
      assert.equal(res.json().state, 'completed');
      assert.deepEqual(outcome.done.map((d: { category: string }) => d.category).sort(), ['user.contact.email', 'user.contact.phone_number', 'user.name'], 'the items and the e-mail identifier');
      assert.deepEqual(outcome.kept, [], 'the demo policy has no legal obligation to keep');
      const subject = await t.custodian.store.db.selectFrom('subject').selectAll().where('id', '=', aigerim).executeTakeFirstOrThrow();
      assert.equal(subject.state, 'erased');
    });

    it('every request act above left the journal verifiable', async () => {
      await t.custodian.checkpoint();
      const report = await verifyJournal({ db: t.custodian.store.db, keys: t.custodian.keys, now: t.clock.now(), checkpointIntervalMs: 60_000 });
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
      const rows = await t.custodian.store.db.selectFrom('journal_event').select(['details']).execute();
      const text = rows.map((r) => r.details).join('\n');
      for (const value of [NAME, 'aigerim@example.kz', '+77011234567']) assert.ok(!text.includes(value), 'no value in the journal');
    });
  });

  describe(`rights requests: portability, opt-out and sensitive data (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let calls: ReturnType<typeof requestCalls>;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine, { policy: `${EXAMPLES_DIR}smart-communications.policy.yaml` }));
      calls = requestCalls(app, headers);
    });
    after(async () => close());

    it('portability: machine-readable, only what the person provided', async () => {
      const olivia = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'olivia@example.co.uk' }], jurisdiction: 'UK' }, 'test')).id;
      await t.custodian.vault.collect(olivia, [
        { category: 'user.name', value: 'Olivia Smith', purpose: 'relationship-management', source: 'direct' },
        { category: 'user.workplace', value: 'Acme Ltd', purpose: 'relationship-management', source: 'third-party' },
      ], 'test');
      const filed = (await calls.file({ type: 'portability', subjectId: olivia })).json();
      await calls.act(filed.id, 'verify', { method: 'staff' });
      assert.equal((await calls.act(filed.id, 'fulfil')).json().state, 'completed');
      const pkg = (await app.inject({ method: 'GET', url: `/v1/requests/${filed.id}/package?format=json`, headers })).json();
      assert.equal(pkg.kind, 'portability');
      assert.deepEqual(pkg.vault.map((i: { value: string }) => i.value), ['Olivia Smith']);
    });

    it('opt-out of sale and sharing, unverified, through the consent opt-outs', async () => {
      const sam = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'sam@example.com' }], jurisdiction: 'US-CA' }, 'test')).id;
      const filed = (await calls.file({ type: 'opt-out', subjectId: sam })).json();
      const res = await calls.act(filed.id, 'fulfil');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().state, 'completed');
      assert.equal((await t.custodian.consents.optOuts(sam)).saleSharingOptOut, true);
    });

    it('limit the use of sensitive data: the sensitive categories are blocked', async () => {
      const sam = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'kim@example.com' }], jurisdiction: 'US-CA' }, 'test')).id;
      const filed = (await calls.file({ type: 'limit-sensitive', subjectId: sam })).json();
      if (filed.state !== 'in-progress') await calls.act(filed.id, 'verify', { method: 'staff' });
      const res = await calls.act(filed.id, 'fulfil');
      assert.equal(res.statusCode, 200, res.body);
      const blocked = (await t.custodian.blocks.list(sam)).flatMap((b) => b.categories ?? []);
      assert.ok(blocked.includes('user.biometric.voice') && blocked.includes('user.financial.bank_account'), blocked.join());
      assert.deepEqual(res.json().outcome.done.map((d: { category: string }) => d.category).sort(), [...blocked].sort());
    });
  });

  describe(`rights requests: stopping processing under 152-FZ 21(5.1) (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let headers: Record<string, string>;
    let close: () => Promise<void>;
    let calls: ReturnType<typeof requestCalls>;

    before(async () => {
      ({ t, app, headers, close } = await createTestApp(engine, { policy: `${EXAMPLES_DIR}smartthings.policy.yaml` }));
      calls = requestCalls(app, headers);
    });
    after(async () => close());

    it('a Russian resident’s demand to stop processing blocks the whole subject, on the 10-working-day clock', async () => {
      const ivan = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'ivan@example.ru' }], jurisdiction: 'RU' }, 'test')).id;
      const filed = (await calls.file({ type: 'stop-processing', subjectId: ivan })).json();
      assert.deepEqual(filed.deadlines.map((d: { law: string; article: string }) => [d.law, d.article]), [['ru', '21(5.1)']]);
      assert.ok(filed.deadlines[0].dueAt.endsWith('+03:00'), 'Moscow time');
      await calls.act(filed.id, 'identity/document', { type: 'passport', series: '4510', number: '654321', issuedAt: '2016-03-01', issuer: 'ГУ МВД России' });
      await calls.act(filed.id, 'verify', { method: 'staff' });
      const res = await calls.act(filed.id, 'fulfil');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().state, 'completed');
      const blocks = await t.custodian.blocks.list(ivan);
      assert.deepEqual(blocks.map((b) => [b.categories, b.reason]), [[null, 'subject-request']], 'the whole subject');
    });
  });
}
