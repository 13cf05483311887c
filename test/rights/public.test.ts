import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, engineSkip } from '../support/engines.js';
import { createMailingApp, lastMailTo, type MailingApp, requestCalls } from './support.js';

const DAY = 24 * 3600_000;

for (const engine of ENGINES) {
  describe(`rights requests: the public intake and the yearly report (${engine})`, { skip: engineSkip(engine) }, () => {
    let m: MailingApp;
    let calls: ReturnType<typeof requestCalls>;

    before(async () => {
      m = await createMailingApp(engine);
      calls = requestCalls(m.app, m.headers);
      await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'asel@example.kz' }], jurisdiction: 'KZ', locale: 'ru' }, 'test');
    });
    after(async () => m.close());

    const file = (payload: object, ip = '203.0.113.7') => m.app.inject({ method: 'POST', url: '/privacy/requests', payload, remoteAddress: ip });
    const check = (id: string, code: string) => m.app.inject({ method: 'POST', url: `/privacy/requests/${id}/verify`, payload: { code }, remoteAddress: '203.0.113.7' });

    it('a known person gets a code in their language and confirms with it; the answer is the one a stranger gets', async () => {
      const known = await file({ type: 'access', email: 'asel@example.kz', locale: 'ru' });
      const stranger = await file({ type: 'access', email: 'stranger@example.kz', locale: 'ru' });
      assert.equal(known.statusCode, 202, known.body);
      assert.equal(stranger.statusCode, 202, stranger.body);
      const [a, b] = [known.json(), stranger.json()];
      assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
      assert.deepEqual([a.state, a.message], [b.state, b.message], 'nothing tells the two apart');
      assert.match(a.message, /код подтверждения/);

      await m.custodian.worker.runDue();
      assert.equal(m.smtp.received.length, 1, 'a code only to the address Custodian holds');
      const code = /\b(\d{6})\b/.exec(lastMailTo(m.smtp, 'asel@example.kz')!.text ?? '')![1];
      const wrong = code === '000000' ? '111111' : '000000';
      const [wrongKnown, wrongStranger] = [await check(a.id, wrong), await check(b.id, wrong)];
      assert.equal(wrongKnown.statusCode, 400);
      assert.equal(wrongKnown.body, wrongStranger.body, 'a wrong code and a never-sent one answer alike');

      const ok = await check(a.id, code);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().state, 'in-progress');
      assert.equal((await calls.get(a.id)).json().channel, 'web-form');
    });

    it('refuses, by field, a type no law of the operator grants anyone, and bad input', async () => {
      const res = await file({ type: 'opt-out', email: 'asel@example.kz' }, '198.51.100.1');
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json().error.details.map((d: { path: string }) => d.path), ['type']);
      const bad = await file({ type: 'access', email: 'asel@example.kz', name: 'Asel' }, '198.51.100.1');
      assert.equal(bad.statusCode, 400);
      assert.ok(!bad.body.includes('asel@'), 'no value echoed');
    });

    it('a type the operator’s laws grant but the person’s own do not is recorded without the subject, answered alike', async () => {
      // Asel lives in Kazakhstan: 94-V grants no portability, the GDPR (also declared) does.
      const res = await file({ type: 'portability', email: 'asel@example.kz' }, '198.51.100.2');
      const stranger = await file({ type: 'portability', email: 'nobody-here@example.kz' }, '198.51.100.2');
      assert.equal(res.statusCode, 202, res.body);
      assert.deepEqual([res.json().state, res.json().message], [stranger.json().state, stranger.json().message]);
      assert.equal((await calls.get(res.json().id)).json().subjectId, null);
    });

    it('limits how many requests one client address files', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await file({ type: 'erasure', email: `flood${i}@example.kz` }, '192.0.2.9')).statusCode);
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429]);
      const limited = await file({ type: 'erasure', email: 'flood9@example.kz' }, '192.0.2.9');
      assert.equal(limited.json().error.code, 'rate_limited');
      assert.equal((await file({ type: 'erasure', email: 'other@example.kz' }, '192.0.2.10')).statusCode, 202, 'another address is not held back');
      m.clock.advance(15 * 60_000);
      assert.equal((await file({ type: 'erasure', email: 'flood9@example.kz' }, '192.0.2.9')).statusCode, 202, 'the window passes');
    });

    it('reports a year’s requests per type: received, completed, refused and the median days to answer', async () => {
      const subject = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'report@example.de' }], jurisdiction: 'EU' }, 'test')).id;
      const before = (await m.app.inject({ method: 'GET', url: '/v1/reports/requests?year=2026', headers: m.headers })).json();
      const objection = (await calls.file({ type: 'objection', subjectId: subject })).json();
      const rectification = (await calls.file({ type: 'rectification', subjectId: subject })).json();
      m.clock.advance(1 * DAY);
      await calls.act(rectification.id, 'refuse', { code: 'manifestly-unfounded' });
      m.clock.advance(2 * DAY);
      await calls.act(objection.id, 'verify', { method: 'staff' });
      assert.equal((await calls.act(objection.id, 'fulfil', { purposes: ['marketing'] })).json().state, 'completed');

      const res = await m.app.inject({ method: 'GET', url: '/v1/reports/requests?year=2026', headers: m.headers });
      assert.equal(res.statusCode, 200, res.body);
      const line = (r: typeof before, type: string) => r.types.find((l: { type: string }) => l.type === type);
      assert.deepEqual(line(res.json(), 'objection'), { type: 'objection', received: 1, completed: 1, refused: 0, withdrawn: 0, open: 0, medianDaysToAnswer: 3 });
      assert.deepEqual(line(res.json(), 'rectification'), { type: 'rectification', received: 1, completed: 0, refused: 1, withdrawn: 0, open: 0, medianDaysToAnswer: 1 });
      assert.equal(res.json().total.received, before.total.received + 2);
      assert.equal((await m.app.inject({ method: 'GET', url: '/v1/reports/requests?year=2025', headers: m.headers })).json().total.received, 0);
      assert.equal((await m.app.inject({ method: 'GET', url: '/v1/reports/requests?year=26', headers: m.headers })).statusCode, 400);
    });
  });
}
