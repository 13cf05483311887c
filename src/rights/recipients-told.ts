/**
 * Telling recipients (GDPR art. 19, CCPA 1798.105(c)): an erasure, rectification or
 * restriction is passed on to every recipient the disclosure register shows received the
 * subject's data, by webhook or mail to the endpoint the operator set for that recipient.
 * A notice row per recipient is written with the request's completion, and a job delivers
 * it (retried until the recipient answers 2xx); the request records how many were told.
 *
 * What a recipient gets: the action, the request id, Custodian's subject id and the
 * categories it received — no values: it holds the data already, keyed by the same id.
 */
import type { Clock, IdSource } from '../clock.js';
import type { Disclosure } from '../disclosures/disclosures.js';
import { CustodianError } from '../errors.js';
import type { Mailer } from '../notify/mailer.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { JobHandler } from '../store/job-types.js';
import { PermanentJobError } from '../store/job-types.js';
import type { Store } from '../store/store.js';
import type { UnitOfWork, UnitOfWorkRunner } from '../store/unit-of-work.js';

export const NOTIFY_RECIPIENT_JOB = 'rights.notify-recipient';
/** Request types recipients are told of. */
export const TOLD_TYPES = ['erasure', 'rectification', 'restriction'] as const;

export interface RecipientEndpoint {
  recipient: string;
  webhook: string | null;
  email: string | null;
}

export interface RecipientNotice {
  id: string;
  recipient: string;
  channel: 'webhook' | 'mail';
  state: 'queued' | 'sent' | 'failed';
  categories: string[];
  sentAt: number | null;
  statusCode: number | null;
}

export interface RecipientsToldDeps {
  store: Store;
  work: UnitOfWorkRunner;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
}

export class RecipientsTold {
  constructor(private readonly deps: RecipientsToldDeps) {}

  async setEndpoint(recipientId: string, endpoint: { webhook?: string; email?: string }): Promise<RecipientEndpoint> {
    if (!this.deps.policies.active().index.recipient(recipientId)) throw new CustodianError('validation_failed', 'The recipient is not declared in the policy', [{ path: 'id', message: 'recipient is not declared' }]);
    if (!endpoint.webhook && !endpoint.email) throw new CustodianError('validation_failed', 'Give a webhook, an e-mail address or both', [{ path: 'webhook', message: 'webhook or email is required' }]);
    const row = { recipient_id: recipientId, webhook_url: endpoint.webhook ?? null, email: endpoint.email ?? null, updated_at: this.deps.clock.now() };
    await this.deps.work.run(async (uow) => {
      await uow.trx.deleteFrom('rights_recipient_endpoint').where('recipient_id', '=', recipientId).execute();
      await uow.trx.insertInto('rights_recipient_endpoint').values(row).execute();
    });
    return { recipient: recipientId, webhook: row.webhook_url, email: row.email };
  }

  /**
   * Writes a notice per recipient that received the subject's data (disclosures read before
   * the unit of work), and enqueues its delivery in the same commit. Recipients without an
   * endpoint get a `failed` notice at once: staff see who must be told by other means.
   */
  async queue(uow: UnitOfWork, requestId: string, disclosures: readonly Disclosure[]): Promise<number> {
    const byRecipient = new Map<string, Set<string>>();
    for (const d of disclosures) {
      const set = byRecipient.get(d.recipient) ?? new Set<string>();
      d.categories.forEach((c) => set.add(c));
      byRecipient.set(d.recipient, set);
    }
    if (byRecipient.size === 0) return 0;
    const endpoints = await uow.trx.selectFrom('rights_recipient_endpoint').selectAll().where('recipient_id', 'in', [...byRecipient.keys()]).execute();
    const now = this.deps.clock.now();
    for (const [recipient, categories] of byRecipient) {
      const endpoint = endpoints.find((e) => e.recipient_id === recipient);
      const channel = endpoint?.webhook_url ? 'webhook' : 'mail';
      const id = this.deps.ids.next();
      await uow.trx
        .insertInto('rights_recipient_notice')
        .values({ id, request_id: requestId, recipient_id: recipient, channel, state: endpoint ? 'queued' : 'failed', categories: JSON.stringify([...categories].sort()), created_at: now, sent_at: null, status_code: null })
        .execute();
      if (endpoint) await uow.enqueue({ kind: NOTIFY_RECIPIENT_JOB, payload: { notice: id }, idempotencyKey: `recipient-notice:${id}` });
    }
    return byRecipient.size;
  }

  async forRequest(requestId: string): Promise<RecipientNotice[]> {
    const rows = await this.deps.store.db.selectFrom('rights_recipient_notice').selectAll().where('request_id', '=', requestId).orderBy('recipient_id').execute();
    return rows.map((r) => ({
      id: r.id,
      recipient: r.recipient_id,
      channel: r.channel as RecipientNotice['channel'],
      state: r.state as RecipientNotice['state'],
      categories: JSON.parse(r.categories) as string[],
      sentAt: r.sent_at === null ? null : Number(r.sent_at),
      statusCode: r.status_code === null ? null : Number(r.status_code),
    }));
  }

  /** Delivers one notice. A webhook must answer 2xx; anything else is retried by the queue. */
  handler(mail: { mailer?: Mailer; from: string }): JobHandler {
    return async (job) => {
      const { store, work, clock } = this.deps;
      const noticeId = String(job.payload.notice ?? '');
      const notice = await store.db.selectFrom('rights_recipient_notice').selectAll().where('id', '=', noticeId).executeTakeFirst();
      if (!notice) throw new PermanentJobError('notice_unknown', 'No such recipient notice');
      if (notice.state === 'sent') return;
      const request = await store.db.selectFrom('rights_request').select(['id', 'type', 'subject_id']).where('id', '=', notice.request_id).executeTakeFirstOrThrow();
      const endpoint = await store.db.selectFrom('rights_recipient_endpoint').selectAll().where('recipient_id', '=', notice.recipient_id).executeTakeFirst();
      const body = { event: request.type, requestId: request.id, subjectId: request.subject_id, recipient: notice.recipient_id, categories: JSON.parse(notice.categories) as string[], at: new Date(clock.now()).toISOString() };
      let statusCode: number | null = null;
      if (notice.channel === 'webhook') {
        if (!endpoint?.webhook_url) throw new PermanentJobError('endpoint_missing', 'The recipient has no webhook any more');
        const response = await fetch(endpoint.webhook_url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'custodian' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
        statusCode = response.status;
        await response.body?.cancel();
        if (!response.ok) throw new Error(`webhook answered ${response.status}`);
      } else {
        if (!endpoint?.email || !mail.mailer) throw new PermanentJobError('endpoint_missing', 'The recipient has no e-mail address, or no mailer is configured');
        const text = `Personal data request ${request.id}: ${request.type} of the data of subject ${request.subject_id} you received (${body.categories.join(', ')}). Please apply it to your copies (GDPR art. 19, CCPA 1798.105(c)).`;
        await mail.mailer.send({ from: mail.from, to: endpoint.email, subject: `${request.type}: personal data request ${request.id}`, text, html: `<p>${text}</p>`, headers: { 'Auto-Submitted': 'auto-generated' } });
      }
      await work.run(async (uow) => uow.trx.updateTable('rights_recipient_notice').set({ state: 'sent', sent_at: clock.now(), status_code: statusCode }).where('id', '=', noticeId).execute());
    };
  }
}
