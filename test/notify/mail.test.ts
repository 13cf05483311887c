import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { MAIL_JOB, type MailJobDeps, type MailJobPayload, mailJob, mailJobHandler } from '../../src/notify/mail-job.js';
import { MailDeliveryError, type Mailer } from '../../src/notify/mailer.js';
import { OutboxMailer } from '../../src/notify/outbox-mailer.js';
import { SmtpMailer } from '../../src/notify/smtp-mailer.js';
import { localize, type Locale } from '../../src/policy/model.js';
import { type Job, PermanentJobError } from '../../src/store/job-types.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { parseMail } from './mime.js';
import { closedPort, startSmtpServer, type TestSmtpServer } from './smtp-server.js';

const FROM = 'Demo Shop <privacy@demo-shop.example>';
const WITHDRAWN_AT = Date.parse('2026-11-22T09:05:00Z');

function job(payload: MailJobPayload): Job {
  const now = Date.now();
  return { id: randomUUID(), kind: MAIL_JOB, payload, state: 'running', runAt: now, attempts: 1, maxAttempts: 8, lastError: null, idempotencyKey: null, createdAt: now, updatedAt: now, finishedAt: null };
}

interface LogLine {
  level: 'info' | 'warn';
  obj: object;
  msg: string;
}

for (const engine of ENGINES) {
  describe(`mail jobs (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    let smtp: TestSmtpServer;
    let mailer: SmtpMailer;
    const logs: LogLine[] = [];
    const addresses: string[] = [];
    const cleanups: (() => Promise<void> | void)[] = [];

    function deps(overrides: Partial<MailJobDeps> = {}): MailJobDeps {
      const active = () => t.custodian.policies.active();
      return {
        mailer,
        recipient: (id, use) => t.custodian.vault.mailRecipient(id, use, 'system:mail'),
        operatorName: (locale) => localize(active().index.policy.operator.name, locale, active().index.policy.defaultLocale),
        defaultLocale: () => active().index.policy.defaultLocale,
        purposeTitle: (id, locale) => {
          const purpose = active().index.purpose(id);
          return purpose && localize(purpose.title, locale, active().index.policy.defaultLocale);
        },
        from: FROM,
        log: { info: (obj, msg) => logs.push({ level: 'info', obj, msg }), warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }) },
        ...overrides,
      };
    }

    async function subject(address: string, locale?: Locale): Promise<string> {
      addresses.push(address);
      return (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }], locale }, 'test')).id;
    }

    before(async () => {
      t = await createTestCustodian(engine);
      smtp = await startSmtpServer({ auth: { user: 'relay', pass: 'p@ss word' } });
      mailer = new SmtpMailer(smtp.url);
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });
    after(async () => {
      await mailer.close();
      await smtp.close();
      await t.dispose();
    });

    it('asks a Russian-speaking person to renew consent, in Russian, over authenticated SMTP', async () => {
      const id = await subject('olga@example.ru', 'ru');
      const sent = smtp.received.length;
      const run = job(mailJob({ template: 'consent-renewal', to: { subjectId: id }, purpose: 'marketing', params: { renewUrl: 'https://privacy.demo-shop.example/consents?purpose=marketing&from=mail' } }).payload);
      await mailJobHandler(deps())(run);

      assert.equal(smtp.received.length, sent + 1);
      const { to, from, raw } = smtp.received.at(-1)!;
      assert.deepEqual(to, ['olga@example.ru']);
      assert.equal(from, 'privacy@demo-shop.example');
      const mail = parseMail(raw);
      assert.equal(mail.subject, 'ТОО «Demo Shop»: просим Вас повторно дать согласие — «Новости и предложения по электронной почте»');
      assert.equal(mail.header('content-language'), 'ru');
      assert.equal(mail.header('auto-submitted'), 'auto-generated');
      assert.ok(mail.text?.startsWith('Здравствуйте!'), mail.text);
      assert.match(mail.text!, /обработка, основанная на новых положениях политики, не осуществляется/);
      assert.match(mail.text!, /https:\/\/privacy\.demo-shop\.example\/consents\?purpose=marketing&from=mail/);
      assert.match(mail.text!, /С уважением,\nТОО «Demo Shop»/);
      assert.match(mail.html!, /<html lang="ru">/);
      assert.match(mail.html!, /href="https:\/\/privacy\.demo-shop\.example\/consents\?purpose=marketing&#38;from=mail"/);
      assert.match(mail.html!, /Вы получили это письмо, так как ранее дали ТОО «Demo Shop» согласие/);

      // The address was decrypted for this mail, and the journal says so (without it).
      const events = await t.custodian.store.db.selectFrom('journal_event').select(['operation', 'actor', 'purpose', 'details']).where('subject_id', '=', id).where('operation', '=', 'extraction').execute();
      assert.equal(events.length, 1);
      assert.equal(events[0].actor, 'system:mail');
      assert.equal(events[0].purpose, 'marketing');
      assert.equal(JSON.parse(events[0].details).reason, 'consent-renewal');
      assert.doesNotMatch(events[0].details, /olga/);
    });

    it('confirms a withdrawal in Kazakh, every parameter escaped in the HTML part', async () => {
      const id = await subject('aigerim@example.kz', 'kk');
      const title = 'Жеңілдіктер <script>alert(1)</script> & «жаңалықтар»';
      await mailJobHandler(deps())(job(mailJob({ template: 'consent-withdrawn', to: { subjectId: id }, purpose: 'marketing', params: { purposeTitle: title, withdrawnAt: WITHDRAWN_AT, consentUrl: 'https://privacy.demo-shop.example/consents?a=1&b="2"' } }).payload));

      const { to, raw } = smtp.received.at(-1)!;
      assert.deepEqual(to, ['aigerim@example.kz']);
      const mail = parseMail(raw);
      assert.equal(mail.subject, `«Demo Shop» ЖШС: «${title}» бойынша келісіміңіз кері қайтарып алынды`);
      assert.equal(mail.header('content-language'), 'kk');
      assert.ok(mail.text?.startsWith('Сәлеметсіз бе!'));
      assert.match(mail.text!, /Кері қайтарып алу уақыты: 2026 ж\. 22 қараша, 09:05 UTC\./);
      assert.ok(mail.text!.includes(`«${title}» мақсатында`), 'the text part carries the title as written');
      assert.match(mail.text!, /Келісімді қайта беру:\nhttps:\/\/privacy\.demo-shop\.example\/consents\?a=1&b=%222%22/);
      assert.ok(!mail.html!.includes('<script>'), 'no markup from a parameter reaches the HTML');
      assert.ok(mail.html!.includes('Жеңілдіктер &#60;script&#62;alert(1)&#60;/script&#62; &#38; «жаңалықтар»'));
      assert.match(mail.html!, /<title>«Demo Shop» ЖШС: «Жеңілдіктер &#60;script&#62;/);
      assert.match(mail.html!, /Бұл хат Сізге «Demo Shop» ЖШС атынан жіберілді/);
    });

    it('sends a verification code in English, with no purpose', async () => {
      const id = await subject('sam@example.co.uk', 'en');
      await mailJobHandler(deps())(job(mailJob({ template: 'verification-code', to: { subjectId: id }, purpose: null, params: { code: '482913', expiresInMinutes: 15 } }).payload));

      const mail = parseMail(smtp.received.at(-1)!.raw);
      assert.deepEqual(smtp.received.at(-1)!.to, ['sam@example.co.uk']);
      assert.equal(mail.subject, 'Demo Shop LLP: your confirmation code');
      assert.match(mail.text!, /^Hello,\n\nTo confirm your request to Demo Shop LLP, enter this code:\n\n {4}482913\n\nThe code is valid for 15 minutes\./);
      assert.match(mail.text!, /-- \nYou are receiving this message because this e-mail address was given in a request to Demo Shop LLP about personal data\./);
      assert.match(mail.html!, />482913<\/p>/);
      assert.match(mail.html!, /<html lang="en">/);
    });

    it('writes to a person whose language is unknown in the policy’s default language', async () => {
      const id = await subject('nolocale@example.kz');
      await mailJobHandler(deps({ defaultLocale: () => 'ru' }))(job(mailJob({ template: 'verification-code', to: { subjectId: id }, purpose: null, params: { code: 'A1B2-C3', expiresInMinutes: 21 } }).payload));
      const mail = parseMail(smtp.received.at(-1)!.raw);
      assert.equal(mail.subject, 'ТОО «Demo Shop»: код подтверждения');
      assert.match(mail.text!, /Код действует 21 минуту\./);
    });

    it('writes each message to the outbox as its own .eml, mode 0600, whole and parseable', async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'custodian-outbox-')), 'outbox');
      cleanups.push(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
      const outbox = new OutboxMailer(dir);
      const ru = await subject('outbox-ru@example.kz', 'ru');
      const kk = await subject('outbox-kk@example.kz', 'kk');
      const before = logs.length;
      await mailJobHandler(deps({ mailer: outbox }))(job(mailJob({ template: 'verification-code', to: { subjectId: ru }, purpose: null, params: { code: '111111', expiresInMinutes: 10 } }).payload));
      await mailJobHandler(deps({ mailer: outbox }))(job(mailJob({ template: 'consent-renewal', to: { subjectId: kk }, purpose: 'marketing', params: { renewUrl: 'https://privacy.demo-shop.example/r' } }).payload));

      const files = readdirSync(dir).sort();
      assert.equal(files.length, 2, `only finished messages, no temporary files: ${files.join(', ')}`);
      assert.ok(files.every((f) => f.endsWith('.eml')));
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const mails = files.map((f) => {
        assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
        return parseMail(readFileSync(join(dir, f)));
      });
      const byTo = new Map(mails.map((m) => [m.header('to'), m]));
      assert.equal(byTo.get('outbox-ru@example.kz')?.subject, 'ТОО «Demo Shop»: код подтверждения');
      assert.match(byTo.get('outbox-ru@example.kz')!.text!, /Код действует 10 минут\./);
      const renewal = byTo.get('outbox-kk@example.kz')!;
      assert.equal(renewal.subject, '«Demo Shop» ЖШС: «Электрондық пошта арқылы жаңалықтар мен ұсыныстар» бойынша келісіміңізді қайта беруіңізді сұраймыз');
      assert.match(renewal.html!, /href="https:\/\/privacy\.demo-shop\.example\/r"/);
      assert.equal(renewal.header('from'), FROM);
      // The id the log names is the message's own Message-ID.
      const sentIds = logs.slice(before).map((l) => (l.obj as { messageId?: string }).messageId);
      assert.deepEqual(new Set(sentIds), new Set(mails.map((m) => m.header('message-id'))));
    });

    it('a server that rejects the recipient makes the job fail retryably, naming no address', async () => {
      const rejecting = await startSmtpServer({ rejectRecipients: true });
      const rejectingMailer = new SmtpMailer(rejecting.url);
      cleanups.push(async () => {
        await rejectingMailer.close();
        await rejecting.close();
      });
      const id = await subject('bounce@example.kz', 'ru');
      const run = job(mailJob({ template: 'verification-code', to: { subjectId: id }, purpose: null, params: { code: '222222', expiresInMinutes: 10 } }).payload);
      const error = await mailJobHandler(deps({ mailer: rejectingMailer }))(run).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof MailDeliveryError, String(error));
      assert.ok(!(error instanceof PermanentJobError));
      assert.equal(error.code, 'EENVELOPE');
      assert.match(error.message, /550 at RCPT TO/);
      assert.ok(!error.message.includes('bounce'), error.message);
      assert.equal(rejecting.received.length, 0);
      const warning = logs.find((l) => (l.obj as { jobId?: string }).jobId === run.id);
      assert.deepEqual(warning?.obj, { jobId: run.id, template: 'verification-code', code: 'EENVELOPE' });
    });

    it('a closed port makes the job fail retryably', async () => {
      const down = new SmtpMailer(`smtp://127.0.0.1:${await closedPort()}`);
      cleanups.push(() => down.close());
      const id = await subject('down@example.kz', 'en');
      await assert.rejects(mailJobHandler(deps({ mailer: down }))(job(mailJob({ template: 'verification-code', to: { subjectId: id }, purpose: null, params: { code: '333333', expiresInMinutes: 10 } }).payload)), (error: unknown) => {
        assert.ok(error instanceof MailDeliveryError && !(error instanceof PermanentJobError), String(error));
        assert.ok(!error.message.includes('down@'), error.message);
        return true;
      });
    });

    it('a subject that is gone — depersonalized, unknown, without an e-mail — fails the job for good and sends nothing', async () => {
      const erased = await subject('erased@example.kz', 'kk');
      await t.custodian.depersonalizer.depersonalize(erased, {}, 'test');
      const phoneOnly = (await t.custodian.vault.upsertSubject({ identifiers: [{ type: 'phone', value: '+77011234567' }], locale: 'ru' }, 'test')).id;
      const sent = smtp.received.length;
      for (const subjectId of [erased, phoneOnly, randomUUID()]) {
        await assert.rejects(
          mailJobHandler(deps())(job(mailJob({ template: 'consent-renewal', to: { subjectId }, purpose: 'marketing', params: { renewUrl: 'https://privacy.demo-shop.example/r' } }).payload)),
          (error: unknown) => error instanceof PermanentJobError && error.code === 'mail_recipient_unavailable',
        );
      }
      assert.equal(smtp.received.length, sent);
    });

    it('a payload that cannot render fails for good before the address is decrypted', async () => {
      const id = await subject('params@example.kz', 'ru');
      const cases: MailJobPayload[] = [
        { template: 'consent-renewal', to: { subjectId: id }, purpose: 'marketing', params: { renewUrl: 'javascript:alert(1)' } },
        { template: 'consent-renewal', to: { subjectId: id }, purpose: 'marketing', params: { renewUrl: 'https://x.example', email: 'params@example.kz' } },
        { template: 'verification-code', to: { subjectId: id }, purpose: null, params: { code: '12 34', expiresInMinutes: 10 } },
        { template: 'verification-code', to: { subjectId: id }, purpose: null, params: { code: '1234' } },
        { template: 'no-such-template' as never, to: { subjectId: id }, purpose: null, params: {} },
      ];
      for (const payload of cases) {
        await assert.rejects(mailJobHandler(deps())(job(payload)), (error: unknown) => {
          assert.ok(error instanceof PermanentJobError, String(error));
          assert.match(error.code, /^mail_(params|payload)_invalid$/);
          assert.ok(!error.message.includes('params@'), error.message);
          return true;
        });
      }
      // A purpose title the job leaves out and nothing can look up: still no extraction.
      await assert.rejects(
        mailJobHandler(deps({ purposeTitle: undefined }))(job(mailJob({ template: 'consent-renewal', to: { subjectId: id }, purpose: 'marketing', params: { renewUrl: 'https://x.example' } }).payload)),
        (error: unknown) => error instanceof PermanentJobError && /params\.purposeTitle/.test(error.message),
      );
      const extractions = await t.custodian.store.db.selectFrom('journal_event').select('id').where('subject_id', '=', id).where('operation', '=', 'extraction').execute();
      assert.equal(extractions.length, 1, 'only the last case got as far as the recipient');
    });

    it('logs carry the job id, the template id and the message id — no address, subject line or body', () => {
      assert.ok(logs.some((l) => l.level === 'info' && l.msg === 'mail sent'));
      assert.ok(logs.some((l) => l.level === 'warn'));
      const allowed = new Set(['jobId', 'template', 'messageId', 'code']);
      for (const line of logs) {
        assert.deepEqual(Object.keys(line.obj).filter((k) => !allowed.has(k)), [], JSON.stringify(line));
        const text = JSON.stringify(line);
        for (const address of addresses) assert.ok(!text.includes(address) && !text.includes(address.split('@')[0]), `log line names ${address}: ${text}`);
        assert.doesNotMatch(text, /Demo Shop|Здравствуйте|Сәлеметсіз|Hello|482913/);
      }
    });
  });
}

describe('mailers without a database', () => {
  it('a mailer that throws something else still fails with a MailDeliveryError that repeats no address', async () => {
    const broken: Mailer = {
      send: async (m) => {
        throw Object.assign(new Error(`cannot deliver to ${m.to}`), { code: 'EPROTOCOL' });
      },
      close: async () => {},
    };
    const logs: object[] = [];
    const handler = mailJobHandler({
      mailer: broken,
      recipient: async () => ({ address: 'someone@example.kz', locale: 'kk' }),
      operatorName: () => 'Operator',
      defaultLocale: () => 'en',
      from: FROM,
      log: { info: (o) => logs.push(o), warn: (o) => logs.push(o) },
    });
    await assert.rejects(handler(job({ template: 'verification-code', to: { subjectId: randomUUID() }, purpose: null, params: { code: '4444', expiresInMinutes: 5 } })), (error: unknown) => {
      assert.ok(error instanceof MailDeliveryError);
      assert.equal(error.message, 'Mail was not delivered: EPROTOCOL');
      return true;
    });
    assert.ok(!JSON.stringify(logs).includes('someone'));
  });
});
