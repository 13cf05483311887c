/**
 * Mail through the queue, end to end: a unit of work enqueues a `mail.send` job, the
 * worker delivers it over real SMTP in the person's language, and when the SMTP server is
 * down the job waits out its backoff and goes out once the server is back.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Custodian, openCustodian, publishPolicyFile } from '../../src/custodian.js';
import { ManualClock } from '../../src/clock.js';
import { MAIL_JOB, mailJob } from '../../src/notify/mail-job.js';
import { SmtpMailer } from '../../src/notify/smtp-mailer.js';
import { DEMO_POLICY } from '../support/custodian.js';
import { createTestDatabase, ENGINES, engineSkip, type TestDatabase } from '../support/engines.js';
import { parseMail } from './mime.js';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.js';

const WITHDRAWN_AT = Date.parse('2026-11-22T09:05:00Z');
const KAZAKH_SUBJECT = '«Demo Shop» ЖШС: «Электрондық пошта арқылы жаңалықтар мен ұсыныстар» бойынша келісіміңіз кері қайтарып алынды';

/**
 * The relay the mailer talks to: a fixed port that forwards to the SMTP server while up
 * and refuses connections while down, so "the server is back" is the same address again.
 */
async function relay(target: number): Promise<{ url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    const next = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  const down = async () => {
    const current = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await up();
  return { url: `smtp://127.0.0.1:${port}`, up, down, close: down };
}

for (const engine of ENGINES) {
  describe(`mail through the job queue (${engine})`, { skip: engineSkip(engine) }, () => {
    let database: TestDatabase;
    let custodian: Custodian;
    let smtp: TestSmtpServer;
    let link: Awaited<ReturnType<typeof relay>>;
    const clock = new ManualClock(Date.parse('2026-11-22T09:06:00Z'));

    before(async () => {
      database = await createTestDatabase(engine);
      smtp = await startSmtpServer();
      link = await relay(Number(new URL(smtp.url).port));
      custodian = await openCustodian({ database: database.location, keyringPath: `${database.dir}/keyring.json` }, { clock, mailer: new SmtpMailer(link.url) });
      await publishPolicyFile(custodian, DEMO_POLICY);
    });
    after(async () => {
      await custodian.close();
      await link.close();
      await smtp.close();
      await database.drop();
    });

    async function kazakhSpeaker(address: string): Promise<string> {
      return (await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: address }], locale: 'kk' }, 'test')).id;
    }

    /** What a withdrawal does besides recording it: confirm it by mail, in the same commit. */
    function confirmWithdrawal(subjectId: string): Promise<string> {
      return custodian.work.run(async (uow) => {
        await custodian.subjects.lock(uow, subjectId);
        return uow.enqueue(
          mailJob(
            { template: 'consent-withdrawn', to: { subjectId }, purpose: 'marketing', params: { withdrawnAt: WITHDRAWN_AT, consentUrl: 'https://privacy.demo-shop.example/consents?purpose=marketing' } },
            { idempotencyKey: `withdrawn:${subjectId}` },
          ),
        );
      });
    }

    it('a mail job enqueued by a unit of work is delivered by the worker, in Kazakh', async () => {
      const subjectId = await kazakhSpeaker('aigerim.queue@example.kz');
      const jobId = await confirmWithdrawal(subjectId);
      const queued = (await custodian.jobs.get(jobId))!;
      assert.equal(queued.kind, MAIL_JOB);
      assert.ok(!JSON.stringify(queued.payload).includes('aigerim'), 'the job carries the subject id, not the address');
      assert.equal(smtp.received.length, 0, 'nothing is sent before the worker runs');

      assert.equal(await custodian.worker.runDue(), 1);
      assert.equal(smtp.received.length, 1);
      const { to, raw } = smtp.received[0];
      assert.deepEqual(to, ['aigerim.queue@example.kz']);
      const mail = parseMail(raw);
      assert.equal(mail.subject, KAZAKH_SUBJECT);
      assert.equal(mail.header('content-language'), 'kk');
      assert.ok(mail.text?.startsWith('Сәлеметсіз бе!'), mail.text);
      assert.match(mail.text!, /Кері қайтарып алу уақыты: 2026 ж\. 22 қараша, 09:05 UTC\./);
      const done = (await custodian.jobs.get(jobId))!;
      assert.deepEqual([done.state, done.attempts], ['done', 1]);
    });

    it('while the SMTP server is down the job waits out its backoff, then is delivered once it is back', async () => {
      const subjectId = await kazakhSpeaker('dana.retry@example.kz');
      const before = smtp.received.length;
      await link.down();
      const jobId = await confirmWithdrawal(subjectId);

      assert.equal(await custodian.worker.runDue(), 1);
      const waiting = (await custodian.jobs.get(jobId))!;
      assert.deepEqual([waiting.state, waiting.attempts], ['pending', 1]);
      assert.ok(waiting.runAt > clock.now(), `retried later, not now: runAt ${waiting.runAt - clock.now()} ms ahead`);
      assert.match(waiting.lastError ?? '', /^MailDeliveryError /);
      assert.ok(!waiting.lastError!.includes('dana'), waiting.lastError!);
      assert.equal(smtp.received.length, before);

      // Back up, but the backoff has not passed: nothing is sent yet.
      await link.up();
      assert.equal(await custodian.worker.runDue(), 0);
      assert.equal(smtp.received.length, before);

      clock.set(waiting.runAt);
      assert.equal(await custodian.worker.runDue(), 1);
      assert.equal(smtp.received.length, before + 1);
      const { to, raw } = smtp.received.at(-1)!;
      assert.deepEqual(to, ['dana.retry@example.kz']);
      assert.equal(parseMail(raw).subject, KAZAKH_SUBJECT);
      const delivered = (await custodian.jobs.get(jobId))!;
      assert.deepEqual([delivered.state, delivered.attempts, delivered.lastError], ['done', 2, null]);
    });
  });
}
