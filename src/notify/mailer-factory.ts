import type { Config } from '../config.js';
import type { Mailer } from './mailer.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/**
 * The mailer the configuration asks for: SMTP when `CUSTODIAN_SMTP_URL` is set, otherwise
 * the file outbox in the data directory.
 *
 * @example const mailer = mailerFor(loadConfig());
 */
export function mailerFor(config: Pick<Config, 'mail'>): Mailer {
  return config.mail.transport === 'smtp' ? new SmtpMailer(config.mail.url) : new OutboxMailer(config.mail.dir);
}
