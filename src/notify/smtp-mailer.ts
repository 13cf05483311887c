/** The mailer for production: SMTP through nodemailer, one transport reused for every message. */
import nodemailer, { type Transporter } from 'nodemailer';
import { type Mailer, MailDeliveryError, type MailMessage } from './mailer.js';

/** Short enough that a dead server fails a job quickly (the queue retries), long enough for a slow one. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  /**
   * @param url `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
   *   `smtps://user:pass@host:465`; nodemailer's URL options (`?pool=true`, timeouts) apply.
   * @example const mailer = new SmtpMailer('smtp://relay.internal:25');
   */
  constructor(url: string) {
    this.transport = nodemailer.createTransport({ url, ...TIMEOUTS, logger: false, debug: false });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail({ ...message, headers: { ...message.headers } });
      return { messageId: info.messageId };
    } catch (error) {
      throw MailDeliveryError.from(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
