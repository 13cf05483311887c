import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_MAIL_FROM, loadConfig } from '../../src/config.js';
import { mailerFor } from '../../src/notify/mailer-factory.js';
import { OutboxMailer } from '../../src/notify/outbox-mailer.js';
import { parseMail } from './mime.js';
import { startSmtpServer } from './smtp-server.js';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/custodian');

function rejects(env: Record<string, string>, variable: string, secret?: string): void {
  assert.throws(
    () => load(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.ok(error.message.startsWith(`${variable}: `), error.message);
      if (secret) assert.ok(!error.message.includes(secret), `the message repeats the secret: ${error.message}`);
      return true;
    },
  );
}

describe('mail configuration', () => {
  it('without CUSTODIAN_SMTP_URL mail goes to the outbox in the data dir, from the documented default sender', () => {
    assert.deepEqual(load({ CUSTODIAN_DATA_DIR: 'state' }).mail, { transport: 'outbox', dir: '/srv/custodian/state/outbox', from: DEFAULT_MAIL_FROM });
    assert.equal(DEFAULT_MAIL_FROM, 'Custodian <no-reply@localhost>');
    const mailer = mailerFor(load({}));
    assert.ok(mailer instanceof OutboxMailer);
    assert.equal(mailer.dir, '/srv/custodian/data/outbox');
  });

  it('takes smtp:// and smtps:// URLs and a sender', () => {
    assert.deepEqual(load({ CUSTODIAN_SMTP_URL: 'smtp://user:pass@mail.example:587', CUSTODIAN_MAIL_FROM: 'Demo Shop <privacy@demo-shop.example>' }).mail, {
      transport: 'smtp',
      url: 'smtp://user:pass@mail.example:587',
      from: 'Demo Shop <privacy@demo-shop.example>',
    });
    assert.equal(load({ CUSTODIAN_SMTP_URL: 'smtps://relay.example' }).mail.transport, 'smtp');
    assert.equal(load({ CUSTODIAN_MAIL_FROM: 'privacy@demo-shop.example' }).mail.from, 'privacy@demo-shop.example');
  });

  it('rejects a bad SMTP URL, naming the variable and not the password', () => {
    rejects({ CUSTODIAN_SMTP_URL: 'https://user:s3cret@mail.example' }, 'CUSTODIAN_SMTP_URL', 's3cret');
    rejects({ CUSTODIAN_SMTP_URL: 'mail.example:587' }, 'CUSTODIAN_SMTP_URL');
    rejects({ CUSTODIAN_SMTP_URL: 'smtp://user:s3cret@mail.example:99999' }, 'CUSTODIAN_SMTP_URL', 's3cret');
    rejects({ CUSTODIAN_SMTP_URL: 'smtp://user:s3cret@' }, 'CUSTODIAN_SMTP_URL', 's3cret');
    rejects({ CUSTODIAN_SMTP_URL: 'smtp://mail.example?logger=true' }, 'CUSTODIAN_SMTP_URL');
  });

  it('rejects a sender that is not one address on one line', () => {
    rejects({ CUSTODIAN_MAIL_FROM: 'no-reply' }, 'CUSTODIAN_MAIL_FROM');
    rejects({ CUSTODIAN_MAIL_FROM: 'Shop <no-reply@shop.example>\r\nBcc: x@y.example' }, 'CUSTODIAN_MAIL_FROM');
    rejects({ CUSTODIAN_MAIL_FROM: 'a@x.example, b@y.example' }, 'CUSTODIAN_MAIL_FROM');
  });

  it('with CUSTODIAN_SMTP_URL the mailer delivers over SMTP with the URL’s credentials', async () => {
    const server = await startSmtpServer({ auth: { user: 'custodian', pass: 'pa:ss' } });
    const mailer = mailerFor(load({ CUSTODIAN_SMTP_URL: server.url }));
    try {
      const { messageId } = await mailer.send({ from: DEFAULT_MAIL_FROM, to: 'person@example.kz', subject: 'Проверка', text: 'text', html: '<p>html</p>' });
      assert.equal(server.received.length, 1);
      const mail = parseMail(server.received[0].raw);
      assert.equal(mail.header('message-id'), messageId);
      assert.equal(mail.subject, 'Проверка');
      assert.equal(mail.text?.trim(), 'text');
      assert.equal(mail.html?.trim(), '<p>html</p>');
    } finally {
      await mailer.close();
      await server.close();
    }
  });
});
