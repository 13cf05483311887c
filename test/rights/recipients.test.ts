import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ENGINES, engineSkip } from '../support/engines.js';
import { createMailingApp, lastMailTo, type MailingApp, requestCalls } from './support.js';

for (const engine of ENGINES) {
  describe(`rights requests: recipients told (${engine})`, { skip: engineSkip(engine) }, () => {
    let m: MailingApp;
    let calls: ReturnType<typeof requestCalls>;
    let server: Server;
    let hookUrl: string;
    const received: Record<string, unknown>[] = [];
    let answer = 200;

    before(async () => {
      m = await createMailingApp(engine);
      calls = requestCalls(m.app, m.headers);
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ path: req.url, ...JSON.parse(body) });
          res.statusCode = answer;
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/erasures`;
    });
    after(async () => {
      await m.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function customerWithDelivery(address: string) {
      const id = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }], jurisdiction: 'KZ' }, 'test')).id;
      await m.custodian.vault.collect(id, [{ category: 'user.name', value: 'Ерлан', purpose: 'orders', source: 'direct' }, { category: 'user.contact.address', value: 'Алматы, Абая 1', purpose: 'orders', source: 'direct' }], 'test');
      await m.custodian.disclosures.record({ subjectId: id, recipient: 'courier', purpose: 'orders', categories: ['user.name', 'user.contact.address'] }, 'test');
      return id;
    }

    async function fulfilled(type: string, subjectId: string, body: object = {}) {
      const filed = (await calls.file({ type, subjectId })).json();
      await calls.act(filed.id, 'verify', { method: 'staff' });
      const res = await calls.act(filed.id, 'fulfil', body);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    }

    const notices = async (id: string) => (await m.app.inject({ method: 'GET', url: `/v1/requests/${id}/recipients`, headers: m.headers })).json().recipients;

    it('a recipient with no endpoint set is recorded as not told, for staff to tell another way', async () => {
      const subject = await customerWithDelivery('erlan@example.kz');
      const done = await fulfilled('restriction', subject);
      assert.equal(done.outcome.recipientsTold, 1);
      assert.deepEqual((await notices(done.id)).map((n: { recipient: string; state: string }) => [n.recipient, n.state]), [['courier', 'failed']]);
    });

    it('an erasure is passed to every recipient that received the data, by webhook over real HTTP, and recorded on the request', async () => {
      const set = await m.app.inject({ method: 'PUT', url: '/v1/recipients/courier/endpoint', headers: m.headers, payload: { webhook: hookUrl } });
      assert.equal(set.statusCode, 200, set.body);
      const subject = await customerWithDelivery('dias@example.kz');
      const done = await fulfilled('erasure', subject);
      assert.equal(done.outcome.recipientsTold, 1);
      assert.equal((await notices(done.id))[0].state, 'queued');
      await m.custodian.worker.runDue();
      const hook = received.find((r) => r.requestId === done.id)!;
      assert.deepEqual({ ...hook, at: undefined }, { path: '/erasures', event: 'erasure', requestId: done.id, subjectId: subject, recipient: 'courier', categories: ['user.contact.address', 'user.name'], at: undefined });
      assert.ok(!JSON.stringify(received).includes('Ерлан') && !JSON.stringify(received).includes('dias@'), 'no values: the recipient holds them already');
      const [notice] = await notices(done.id);
      assert.deepEqual([notice.state, notice.statusCode, notice.channel], ['sent', 200, 'webhook']);
    });

    it('a recipient that does not answer 2xx is asked again later, until it does', async () => {
      const subject = await customerWithDelivery('saule@example.kz');
      const items = (await m.custodian.store.db.selectFrom('data_item').select('id').where('subject_id', '=', subject).where('category', '=', 'user.name').execute()).map((r) => r.id);
      answer = 503;
      const done = await fulfilled('rectification', subject, { corrections: [{ itemId: items[0], value: 'Сауле' }] });
      await m.custodian.worker.runDue();
      assert.equal((await notices(done.id))[0].state, 'queued');
      answer = 200;
      const job = (await m.custodian.jobs.list({ kind: 'rights.notify-recipient', state: 'pending' })).find((j) => j.payload.notice !== undefined)!;
      m.clock.set(job.runAt);
      await m.custodian.worker.runDue();
      assert.deepEqual([(await notices(done.id))[0].state, received.filter((r) => r.requestId === done.id).length], ['sent', 2]);
    });

    it('a recipient reached by mail gets the request, the subject id and the categories, no values', async () => {
      assert.equal((await m.app.inject({ method: 'PUT', url: '/v1/recipients/courier/endpoint', headers: m.headers, payload: { email: 'privacy@courier.example' } })).statusCode, 200);
      const subject = await customerWithDelivery('marat@example.kz');
      const done = await fulfilled('erasure', subject);
      await m.custodian.worker.runDue();
      const mail = lastMailTo(m.smtp, 'privacy@courier.example');
      assert.ok(mail, 'mailed');
      assert.ok(mail.text?.includes(done.id) && mail.text.includes(subject) && mail.text.includes('user.contact.address'), mail.text);
      assert.ok(!mail.text?.includes('Ерлан') && !mail.text?.includes('marat@'));
      assert.deepEqual((await notices(done.id)).map((n: { channel: string; state: string }) => [n.channel, n.state]), [['mail', 'sent']]);
    });

    it('refuses an endpoint for an undeclared recipient, or with neither webhook nor address', async () => {
      assert.equal((await m.app.inject({ method: 'PUT', url: '/v1/recipients/nobody/endpoint', headers: m.headers, payload: { webhook: hookUrl } })).statusCode, 400);
      assert.equal((await m.app.inject({ method: 'PUT', url: '/v1/recipients/courier/endpoint', headers: m.headers, payload: {} })).statusCode, 400);
      assert.equal((await m.app.inject({ method: 'PUT', url: '/v1/recipients/courier/endpoint', headers: m.headers, payload: { webhook: 'ftp://x.example' } })).statusCode, 400);
    });
  });
}
