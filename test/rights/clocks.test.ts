import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, engineSkip } from '../support/engines.js';
import { createMailingApp, lastMailTo, type MailingApp, requestCalls, requestEvents } from './support.js';

const DAY = 24 * 3600_000;

for (const engine of ENGINES) {
  describe(`rights requests: clocks (${engine})`, { skip: engineSkip(engine) }, () => {
    let m: MailingApp;
    let calls: ReturnType<typeof requestCalls>;
    let eu: string;
    let kz: string;

    before(async () => {
      m = await createMailingApp(engine);
      calls = requestCalls(m.app, m.headers);
      eu = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'lena@example.de' }], jurisdiction: 'EU' }, 'test')).id;
      kz = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'arman@example.kz' }], jurisdiction: 'KZ' }, 'test')).id;
    });
    after(async () => m.close());

    it('extends a GDPR term with a reason while the person can still be told in time, once', async () => {
      const filed = (await calls.file({ type: 'access', subjectId: eu })).json();
      const [due] = filed.deadlines;
      assert.deepEqual([due.law, due.article, due.extensionArticle], ['gdpr', '12(3)', '12(3)']);
      assert.ok(due.extendedDueAt && Date.parse(due.extendedDueAt) > Date.parse(due.dueAt));
      const res = await calls.act(filed.id, 'extend', { reason: 'complexity' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().extended, true);
      assert.equal(res.json().extensionReason, 'complexity');
      assert.equal(res.json().deadlines[0].dueAt, due.extendedDueAt);
      assert.equal((await calls.act(filed.id, 'extend', { reason: 'complexity' })).statusCode, 409);
      const event = (await requestEvents(m.custodian, filed.id)).find((e) => e.details.event === 'extended')!;
      assert.deepEqual([event.details.reason, event.details.articles], ['complexity', ['12(3)']]);
    });

    it('refuses an extension the law does not allow, and one whose notice would be late', async () => {
      const kzRequest = (await calls.file({ type: 'access', subjectId: kz })).json();
      const none = await calls.act(kzRequest.id, 'extend', { reason: 'complexity' });
      assert.equal(none.statusCode, 400, none.body);
      assert.match(none.json().error.message, /No law of this request allows/);

      const filed = (await calls.file({ type: 'rectification', subjectId: eu })).json();
      m.clock.set(Date.parse(filed.deadlines[0].extensionNoticeBy) + 1);
      const late = await calls.act(filed.id, 'extend', { reason: 'volume-of-data' });
      assert.equal(late.statusCode, 400, late.body);
      assert.match(late.json().error.message, /Too late to extend/);
      assert.equal((await calls.get(filed.id)).json().extended, false);
    });

    it('a staff pause stops only clocks the law lets stand still: the GDPR term runs on', async () => {
      const filed = (await calls.file({ type: 'erasure', subjectId: eu })).json();
      const paused = await calls.act(filed.id, 'pause');
      assert.equal(paused.statusCode, 200, paused.body);
      assert.equal(paused.json().paused, true);
      assert.equal((await calls.act(filed.id, 'pause')).statusCode, 409);
      m.clock.advance(5 * DAY);
      assert.equal((await calls.get(filed.id)).json().deadlines[0].dueAt, filed.deadlines[0].dueAt);
      const dueSoon = (await m.app.inject({ method: 'GET', url: `/v1/requests/due?kind=due-soon&withinHours=${24 * 40}`, headers: m.headers })).json().requests.map((r: { id: string }) => r.id);
      assert.ok(dueSoon.includes(filed.id), 'paused or not, a clock that runs on is listed when due');
      const resumed = await calls.act(filed.id, 'resume');
      assert.equal(resumed.json().paused, false);
      assert.equal(resumed.json().deadlines[0].dueAt, filed.deadlines[0].dueAt);
      assert.equal((await calls.act(filed.id, 'resume')).statusCode, 409);
    });

    it('lists requests due soon and overdue, and mails staff once before the term ends', async () => {
      const filed = (await calls.file({ type: 'restriction', subjectId: kz })).json();
      const due = Date.parse(filed.deadlines[0].dueAt);
      const list = async (q: string) => (await m.app.inject({ method: 'GET', url: `/v1/requests/due?${q}`, headers: m.headers })).json().requests.map((r: { id: string }) => r.id);
      assert.ok((await list('kind=due-soon')).includes(filed.id), 'one working day: due soon');
      assert.ok(!(await list('kind=overdue')).includes(filed.id));

      await m.custodian.jobs.enqueue({ kind: 'rights.remind-due' });
      await m.custodian.worker.runDue();
      const mail = lastMailTo(m.smtp, 'dpo@demo-shop.example');
      assert.ok(mail, 'the responsible person is reminded');
      assert.ok(mail.text?.includes(filed.id));
      assert.ok(!mail.text?.includes('arman'), 'no personal data in the reminder');
      const count = m.smtp.received.filter((r) => r.raw.toString().includes(filed.id)).length;
      await m.custodian.jobs.enqueue({ kind: 'rights.remind-due' });
      await m.custodian.worker.runDue();
      assert.equal(m.smtp.received.filter((r) => r.raw.toString().includes(filed.id)).length, count, 'once per request');

      m.clock.set(due + 1);
      assert.ok((await list('kind=overdue')).includes(filed.id));
      assert.ok(!(await list('kind=due-soon')).includes(filed.id));
    });
  });
}
