import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requestDeadlines } from '../../src/law/index.js';
import { EXAMPLES_DIR, TEST_PUBLIC_URL } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { createMailingApp, lastMailTo, type MailingApp, requestCalls, requestEvents } from './support.js';

const SMART_COMMUNICATIONS = `${EXAMPLES_DIR}smart-communications.policy.yaml`;
const DAY = 24 * 3600_000;

for (const engine of ENGINES) {
  describe(`rights requests: identity (${engine})`, { skip: engineSkip(engine) }, () => {
    let m: MailingApp;
    let calls: ReturnType<typeof requestCalls>;
    let dana: string;

    before(async () => {
      m = await createMailingApp(engine);
      calls = requestCalls(m.app, m.headers);
      dana = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'dana@example.kz' }], jurisdiction: 'KZ', locale: 'ru' }, 'test')).id;
    });
    after(async () => m.close());

    async function codeFromMail(address: string): Promise<string> {
      await m.custodian.worker.runDue();
      const mail = lastMailTo(m.smtp, address);
      assert.ok(mail, `a mail to ${address}`);
      const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
      assert.ok(code, mail.text);
      return code;
    }

    it('mails a one-time code in the person’s language; the right code verifies, and only a hash of it is kept', async () => {
      const filed = (await calls.file({ type: 'access', subjectId: dana })).json();
      const sent = await calls.act(filed.id, 'verification-code');
      assert.equal(sent.statusCode, 200, sent.body);
      assert.equal(sent.json().sent, true);
      assert.equal((await calls.get(filed.id)).json().state, 'verifying');
      const code = await codeFromMail('dana@example.kz');
      const mail = lastMailTo(m.smtp, 'dana@example.kz')!;
      assert.equal(mail.subject, 'ТОО «Demo Shop»: код подтверждения');
      assert.equal(mail.header('content-language'), 'ru');

      const stored = await m.custodian.store.db.selectFrom('rights_verification').selectAll().where('request_id', '=', filed.id).execute();
      assert.equal(stored.length, 1);
      assert.ok(!JSON.stringify(stored).includes(code), 'the code itself is not stored');
      const jobs = await m.custodian.store.db.selectFrom('job').select(['kind', 'state', 'payload']).where('kind', '=', 'mail.send').execute();
      assert.ok(jobs.length > 0 && jobs.every((j) => j.state === 'done'), JSON.stringify(jobs.map((j) => j.state)));
      assert.ok(!jobs.some((j) => j.payload.includes(code)), 'the sent mail job no longer carries the code');

      const ok = await calls.act(filed.id, 'verification-code/check', { code });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual([ok.json().state, ok.json().identity, ok.json().verificationMethod], ['in-progress', 'verified', 'email-code']);
      const reuse = await calls.act(filed.id, 'verification-code/check', { code });
      assert.equal(reuse.statusCode, 400, 'a code works once');
      const transitions = (await requestEvents(m.custodian, filed.id)).filter((e) => e.operation === 'decision').map((e) => `${e.details.from}→${e.details.to}`);
      assert.deepEqual(transitions, ['received→verifying', 'verifying→in-progress']);
    });

    it('counts wrong codes: after five, even the right one is refused until a new code is sent', async () => {
      const filed = (await calls.file({ type: 'rectification', subjectId: dana })).json();
      await calls.act(filed.id, 'verification-code');
      const code = await codeFromMail('dana@example.kz');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 1; i <= 5; i++) {
        const res = await calls.act(filed.id, 'verification-code/check', { code: wrong });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(res.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code]), [['code', 'code_wrong']]);
      }
      const locked = await calls.act(filed.id, 'verification-code/check', { code });
      assert.equal(locked.json().error.details[0].code, 'code_attempts_exhausted');
      assert.equal((await calls.get(filed.id)).json().state, 'verifying');

      await calls.act(filed.id, 'verification-code');
      const fresh = await codeFromMail('dana@example.kz');
      assert.equal((await calls.act(filed.id, 'verification-code/check', { code: fresh })).json().state, 'in-progress');
    });

    it('a code expires after 15 minutes', async () => {
      const filed = (await calls.file({ type: 'restriction', subjectId: dana })).json();
      await calls.act(filed.id, 'verification-code');
      const code = await codeFromMail('dana@example.kz');
      m.clock.advance(15 * 60_000 + 1);
      const late = await calls.act(filed.id, 'verification-code/check', { code });
      assert.equal(late.statusCode, 400);
      assert.equal(late.json().error.details[0].code, 'code_expired');
    });

    it('no mail for a request that matched nobody, and no way to tell from the code answer to the person', async () => {
      const before = m.smtp.received.length;
      const filed = (await calls.file({ type: 'access', identifiers: [{ type: 'email', value: 'ghost@example.kz' }] })).json();
      const res = await calls.act(filed.id, 'verification-code');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().sent, false);
      await m.custodian.worker.runDue();
      assert.equal(m.smtp.received.length, before);
    });

    it('a signed link verifies a known subject once, and not after it expires or when altered', async () => {
      const filed = (await calls.file({ type: 'erasure', subjectId: dana })).json();
      const link = await calls.act(filed.id, 'verification-link');
      assert.equal(link.statusCode, 200, link.body);
      const url = new URL(link.json().url);
      assert.equal(url.origin, TEST_PUBLIC_URL);
      const token = url.searchParams.get('token')!;
      const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      assert.equal((await m.app.inject({ method: 'GET', url: `/privacy/requests/confirm?token=${tampered}` })).statusCode, 400);
      const res = await m.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().state, 'in-progress');
      assert.equal((await calls.get(filed.id)).json().verificationMethod, 'link');
      assert.equal((await m.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` })).statusCode, 400, 'once');

      const other = (await calls.file({ type: 'objection', subjectId: dana })).json();
      const expiring = new URL((await calls.act(other.id, 'verification-link')).json().url);
      m.clock.advance(DAY + 1);
      assert.equal((await m.app.inject({ method: 'GET', url: `${expiring.pathname}${expiring.search}` })).statusCode, 400);
    });

    it('a request never verified closes, refused with the law’s reason, by the scheduled job', async () => {
      const filed = (await calls.file({ type: 'access', identifiers: [{ type: 'email', value: 'never@example.kz' }] })).json();
      m.clock.advance(29 * DAY);
      await m.custodian.rights.requests.closeUnverified(30 * DAY, 'test');
      assert.equal((await calls.get(filed.id)).json().state, 'received', 'not yet: 29 days');
      m.clock.advance(2 * DAY);
      await m.custodian.jobs.enqueue({ kind: 'rights.close-unverified' });
      await m.custodian.worker.runDue();
      const closed = (await calls.get(filed.id)).json();
      assert.equal(closed.state, 'refused');
      assert.deepEqual(closed.refusal, { code: 'identity-not-confirmed', article: closed.laws.includes('kz') ? '10(2)' : '12(6)' });
    });
  });

  describe(`rights requests: identity under UK GDPR and CCPA (${engine})`, { skip: engineSkip(engine) }, () => {
    let m: MailingApp;
    let calls: ReturnType<typeof requestCalls>;

    before(async () => {
      m = await createMailingApp(engine, { policy: SMART_COMMUNICATIONS });
      calls = requestCalls(m.app, m.headers);
    });
    after(async () => m.close());

    it('an opt-out of sale needs no verification: it goes to work at once', async () => {
      const ca = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'sam@example.com' }], jurisdiction: 'US-CA' }, 'test')).id;
      const res = await calls.file({ type: 'opt-out', subjectId: ca });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual([res.json().state, res.json().identity, res.json().laws], ['in-progress', 'not-required', ['ccpa']]);
    });

    it('waiting for identity stops the UK clock (art. 12A) until verified, then it runs from where it stood', async () => {
      const uk = (await m.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'olivia@example.co.uk' }], jurisdiction: 'UK' }, 'test')).id;
      const receivedAt = m.clock.now();
      const filed = (await calls.file({ type: 'access', subjectId: uk })).json();
      assert.deepEqual(filed.laws, ['uk']);
      assert.equal(filed.paused, true);
      const policy = m.custodian.policies.active().index.policy;
      const unpaused = requestDeadlines(policy, ['uk'], 'access', receivedAt)[0];
      assert.equal(filed.deadlines[0].dueAt, unpaused.dueAtIso);

      m.clock.advance(10 * DAY);
      const verified = (await calls.act(filed.id, 'verify', { method: 'staff' })).json();
      assert.equal(verified.paused, false);
      const due = Date.parse(verified.deadlines[0].dueAt);
      assert.equal(verified.deadlines[0].dueAt, requestDeadlines(policy, ['uk'], 'access', receivedAt, { pausedMs: 10 * DAY })[0].dueAtIso);
      assert.ok(due - unpaused.dueAt >= 9 * DAY, `ten days waiting for identity move the due moment: ${unpaused.dueAtIso} → ${verified.deadlines[0].dueAt}`);

      m.clock.advance(5 * DAY);
      assert.equal((await calls.get(filed.id)).json().deadlines[0].dueAt, verified.deadlines[0].dueAt, 'after verification the clock runs');
    });
  });
}
