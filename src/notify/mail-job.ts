/**
 * Sending mail is a job (`mail.send`), never part of a request: the request enqueues the
 * job in its own transaction and the worker sends it. The payload names the subject, the
 * template and non-personal parameters; the address is decrypted only when the job runs
 * (through the vault, which journals the extraction), so it is in no job row, retry or
 * dead letter. Logs about mail carry the job id, the template id and the message id only.
 */
import type { Locale } from '../policy/model.js';
import { type JobHandler, type JobInput, type JsonValue, PermanentJobError } from '../store/job-types.js';
import { type Mailer, MailDeliveryError } from './mailer.js';
import { type ParamKind, TEMPLATE_PARAMS, type TemplateId, type TemplateParams } from './templates/catalog.js';
import { mailLocale, renderMail } from './templates/render.js';

export const MAIL_JOB = 'mail.send';

export type MailJobPayload = {
  template: TemplateId;
  to: { subjectId: string };
  /** The purpose the mail serves (it is journaled with the address's extraction); null for service mail. */
  purpose: string | null;
  params: Record<string, string | number>;
};

export interface MailLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MailJobDeps {
  mailer: Mailer;
  /** The subject's address and language, or undefined when there is none (erased, unknown, no e-mail). In production `vault.mailRecipient`. */
  recipient(subjectId: string, use: { purpose: string | null; reason: string }): Promise<{ address: string; locale: Locale | null } | undefined>;
  /** The operator's name as the policy gives it in a language. */
  operatorName(locale: Locale): string;
  /** The policy's default language, for people whose own is not known. */
  defaultLocale(): Locale;
  /**
   * A purpose's title in a language, for `purpose-title` parameters the payload leaves out —
   * so the title is in the recipient's language, which is only known when the job runs.
   */
  purposeTitle?(purposeId: string, locale: Locale): string | undefined;
  from: string;
  log: MailLog;
}

/** Parameters as a job carries them: a `purpose-title` may be left for the handler to look up. */
export type MailJobParams<T extends TemplateId> = {
  [P in keyof TemplateParams<T> as (typeof TEMPLATE_PARAMS)[T][P] extends 'purpose-title' ? never : P]: TemplateParams<T>[P];
} & {
  [P in keyof TemplateParams<T> as (typeof TEMPLATE_PARAMS)[T][P] extends 'purpose-title' ? P : never]?: string;
};

/**
 * A type-checked `mail.send` job, for `jobs.enqueue` inside the unit of work that causes it.
 *
 * @example
 * await jobs.enqueue(trx, mailJob({ template: 'consent-renewal', to: { subjectId }, purpose: 'marketing', params: { renewUrl } }, { idempotencyKey: `renewal:${consentId}` }));
 */
export function mailJob<T extends TemplateId>(
  payload: { template: T; to: { subjectId: string }; purpose: string | null; params: MailJobParams<T> },
  options: Omit<JobInput, 'kind' | 'payload'> = {},
): JobInput & { payload: MailJobPayload } {
  const params = Object.fromEntries(Object.entries(payload.params).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
  return { ...options, kind: MAIL_JOB, payload: { template: payload.template, to: { subjectId: payload.to.subjectId }, purpose: payload.purpose, params } };
}

/**
 * Runs `mail.send` jobs. A recipient who is gone (erased, depersonalized, unknown, no
 * e-mail) or a payload that cannot render fails the job for good (`PermanentJobError`); a
 * transport failure throws `MailDeliveryError`, which the queue retries.
 *
 * @example worker.register(MAIL_JOB, mailJobHandler({ mailer, recipient: (id, use) => vault.mailRecipient(id, use, 'system:mail'), … }));
 */
export function mailJobHandler(deps: MailJobDeps): JobHandler {
  return async (job) => {
    const payload = readPayload(job.payload);
    const context = { jobId: job.id, template: payload.template };
    const spec: Readonly<Record<string, ParamKind>> = TEMPLATE_PARAMS[payload.template];
    const given = checkParams(spec, payload.params);

    const recipient = await deps.recipient(payload.to.subjectId, { purpose: payload.purpose, reason: payload.template });
    if (!recipient) {
      deps.log.warn(context, 'mail not sent: the recipient has no active e-mail address');
      throw new PermanentJobError('mail_recipient_unavailable', 'The subject has no active e-mail address (erased, depersonalized, unknown or without one)');
    }
    const locale = mailLocale(recipient.locale, deps.defaultLocale());
    const params: Record<string, string | number> = { ...given, operatorName: deps.operatorName(locale) };
    for (const [name, kind] of Object.entries(spec)) {
      if (kind !== 'purpose-title' || name in given) continue;
      const title = payload.purpose === null ? undefined : deps.purposeTitle?.(payload.purpose, locale);
      if (!title) throw new PermanentJobError('mail_params_invalid', `params.${name}: not given, and no title of the job's purpose is known`);
      params[name] = title;
    }
    // `params` was checked against the template's own parameter list above.
    const mail = renderMail(payload.template, locale, params as unknown as Parameters<typeof renderMail>[2]);

    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send({
        from: deps.from,
        to: recipient.address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'Content-Language': locale, 'Auto-Submitted': 'auto-generated' },
      }));
    } catch (error) {
      const failure = MailDeliveryError.from(error);
      deps.log.warn({ ...context, code: failure.code }, 'mail not sent: the transport failed; the job will be retried');
      throw failure;
    }
    deps.log.info({ ...context, messageId }, 'mail sent');
  };
}

function readPayload(payload: Record<string, JsonValue>): MailJobPayload {
  const { template, to, purpose, params } = payload;
  const invalid = (path: string, message: string) => new PermanentJobError('mail_payload_invalid', `${path}: ${message}`);
  if (typeof template !== 'string' || !Object.hasOwn(TEMPLATE_PARAMS, template)) throw invalid('template', `must be one of ${Object.keys(TEMPLATE_PARAMS).join(', ')}`);
  if (typeof to !== 'object' || to === null || Array.isArray(to) || typeof (to as { subjectId?: unknown }).subjectId !== 'string') throw invalid('to.subjectId', 'must be a subject id');
  if (purpose !== null && typeof purpose !== 'string') throw invalid('purpose', 'must be a purpose id or null');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalid('params', 'must be an object');
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`params.${name}`, 'must be a string or a number');
  }
  return { template: template as TemplateId, to: { subjectId: (to as { subjectId: string }).subjectId }, purpose, params: params as Record<string, string | number> };
}

/**
 * Checks the parameters a payload carries against the template's and returns them with
 * links in their canonical form; messages name the parameter, never its value.
 */
function checkParams(spec: Readonly<Record<string, ParamKind>>, params: Record<string, string | number>): Record<string, string | number> {
  const invalid = (name: string, message: string) => new PermanentJobError('mail_params_invalid', `params.${name}: ${message}`);
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(spec, name)) throw invalid(name, `not a parameter of this template (it takes ${Object.keys(spec).join(', ')})`);
  }
  for (const [name, kind] of Object.entries(spec)) {
    const value = params[name];
    if (value === undefined) {
      if (kind === 'purpose-title') continue;
      throw invalid(name, 'is required');
    }
    const problem = PARAM_CHECKS[kind](value);
    if (problem) throw invalid(name, problem);
  }
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, spec[name] === 'url' ? new URL(value as string).href : value]));
}

const oneLine = (value: string | number): string | undefined =>
  typeof value !== 'string' || value.trim() === '' || value.length > 300 || /[\u0000-\u001f\u007f]/.test(value) ? 'must be one line of text, at most 300 characters' : undefined;

const PARAM_CHECKS: Record<ParamKind, (value: string | number) => string | undefined> = {
  text: oneLine,
  'purpose-title': oneLine,
  url: (value) => {
    if (typeof value !== 'string' || value.length > 2000) return 'must be an http(s) URL';
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol) ? undefined : 'must be an http(s) URL';
    } catch {
      return 'must be an http(s) URL';
    }
  },
  code: (value) => (typeof value === 'string' && /^[A-Za-z0-9-]{4,32}$/.test(value) ? undefined : 'must be 4–32 letters, digits or hyphens'),
  time: (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be a time in epoch milliseconds'),
  count: (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? undefined : 'must be a positive whole number'),
};
