/**
 * The mailer seam: how a rendered message leaves Custodian. Two implementations — SMTP
 * (`smtp-mailer.ts`) and a file outbox (`outbox-mailer.ts`); `mailerFor` picks one from
 * the configuration. A mailer knows nothing of subjects or templates: it gets a finished
 * message and returns the id the message went out with.
 */

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. `Content-Language` or RFC 8058's `List-Unsubscribe`. */
  headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Sends one message; throws `MailDeliveryError` when the transport refuses or fails. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/**
 * A message that did not go out. Its text names the failure (an error code, the SMTP reply
 * code and the command that got it) and never the address: transport errors quote the
 * envelope, and this text ends up in job records and logs.
 */
export class MailDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }

  /** Keeps what is safe to repeat from a transport's error: its code, reply code and command. */
  static from(error: unknown): MailDeliveryError {
    if (error instanceof MailDeliveryError) return error;
    const { code, responseCode, command } = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
    const name = typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'EMAIL';
    const reply = typeof responseCode === 'number' ? ` (${responseCode}${typeof command === 'string' && /^[A-Z ]{1,20}$/.test(command) ? ` at ${command}` : ''})` : '';
    return new MailDeliveryError(name, `Mail was not delivered: ${name}${reply}`);
  }
}
