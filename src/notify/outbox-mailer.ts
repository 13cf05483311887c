/**
 * The mailer for demos and tests: each message becomes one `.eml` file in a directory
 * (`<data dir>/outbox/`), readable by any mail client. The files hold personal data, so
 * the directory is 0700 and each file 0600, and a file appears whole or not at all: it is
 * written under a temporary name, flushed, then renamed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { type Mailer, MailDeliveryError, type MailMessage } from './mailer.js';

export class OutboxMailer implements Mailer {
  // nodemailer composes the MIME message exactly as SMTP would send it; loaded with the first message, so an idle node does not hold it.
  private composer?: Promise<Transporter>;

  /** @example const mailer = new OutboxMailer('./data/outbox'); */
  constructor(readonly dir: string) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    try {
      this.composer ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }));
      const { messageId, message: raw } = (await (await this.composer).sendMail({ ...message, headers: { ...message.headers } })) as { messageId: string; message: Buffer };
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID()}`;
      const temporary = join(this.dir, `.${name}.tmp`);
      const file = await open(temporary, 'wx', 0o600);
      try {
        await file.writeFile(raw);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, join(this.dir, `${name}.eml`)).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        throw error;
      });
      return { messageId };
    } catch (error) {
      throw MailDeliveryError.from(error);
    }
  }

  async close(): Promise<void> {}
}
