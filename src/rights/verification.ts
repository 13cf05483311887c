/**
 * Proving who is asking. Three ways besides a staff member's word:
 *
 * - a one-time code by e-mail to the subject's own address (the `mail.send` job looks the
 *   address up when it runs, so no address is in a job row). Only a keyed hash of the code
 *   is stored; it expires after `CODE_TTL_MS` and allows `CODE_ATTEMPTS` tries;
 * - a signed, expiring link for a subject already known (the operator hands it to the
 *   person where they are already signed in); it carries the request id and its expiry,
 *   signed with the link key, and works once — the request leaves `verifying` when used;
 * - CCPA data points and a signed declaration, and RU document details (see `identity-proof.ts`).
 *
 * Wrong codes count against the limit even though the answer is an error: the attempt is
 * the one thing such a request must change.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock, IdSource } from '../clock.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError } from '../errors.js';
import { mailJob } from '../notify/mail-job.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { RightsRequest } from './model.js';
import type { RightsRequests } from './requests.js';

export const CODE_TTL_MS = 15 * 60_000;
export const CODE_ATTEMPTS = 5;
export const LINK_TTL_MS = 24 * 3600_000;

export interface VerificationDeps {
  work: UnitOfWorkRunner;
  keys: KeyService;
  clock: Clock;
  ids: IdSource;
  requests: RightsRequests;
  /** Where people reach Custodian (for links); links cannot be made without it. */
  publicUrl?: string;
}

export class Verification {
  constructor(private readonly deps: VerificationDeps) {}

  /**
   * Mails a fresh code to the subject's address (an earlier code stops working). A request
   * without a subject gets no mail — and the caller's answer is the same, so it does not
   * reveal who is known (`sent: false` is for staff only).
   */
  async sendCode(requestId: string, actor: string): Promise<{ sent: boolean; expiresAt: number }> {
    const { work, clock, ids, requests } = this.deps;
    const now = clock.now();
    const expiresAt = now + CODE_TTL_MS;
    return work.run(async (uow) => {
      const row = await requests.startVerifying(uow, requestId, 'email-code', actor);
      await uow.trx.updateTable('rights_verification').set({ used_at: now }).where('request_id', '=', requestId).where('method', '=', 'email-code').where('used_at', 'is', null).execute();
      if (!row.subject_id) return { sent: false, expiresAt };
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await uow.trx
        .insertInto('rights_verification')
        .values({ id: ids.next(), request_id: requestId, method: 'email-code', secret_hash: this.codeHash(requestId, code), expires_at: expiresAt, attempts: 0, max_attempts: CODE_ATTEMPTS, used_at: null, created_at: now })
        .execute();
      await uow.enqueue(mailJob({ template: 'verification-code', to: { subjectId: row.subject_id }, purpose: null, params: { code, expiresInMinutes: Math.round(CODE_TTL_MS / 60_000) } }));
      return { sent: true, expiresAt };
    });
  }

  /** Checks a code: right and in time verifies the request; wrong counts an attempt. */
  async checkCode(requestId: string, code: string, actor: string): Promise<RightsRequest> {
    const { work, clock, requests } = this.deps;
    const outcome = await work.run(async (uow) => {
      await requests.lockRow(uow, requestId);
      const now = clock.now();
      const live = await uow.trx
        .selectFrom('rights_verification')
        .selectAll()
        .where('request_id', '=', requestId)
        .where('method', '=', 'email-code')
        .where('used_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      if (!live || Number(live.expires_at) <= now) return { error: codeError('code_expired', 'The code has expired or none was sent; ask for a new one') };
      if (Number(live.attempts) >= Number(live.max_attempts)) return { error: codeError('code_attempts_exhausted', 'Too many wrong codes; ask for a new one') };
      if (!sameHash(live.secret_hash, this.codeHash(requestId, code))) {
        const attempts = Number(live.attempts) + 1;
        await uow.trx.updateTable('rights_verification').set({ attempts }).where('id', '=', live.id).execute();
        return { error: codeError('code_wrong', `The code is not right (${Math.max(0, Number(live.max_attempts) - attempts)} attempts left)`) };
      }
      await uow.trx.updateTable('rights_verification').set({ used_at: now }).where('id', '=', live.id).execute();
      return { request: await requests.verify(requestId, { method: 'email-code' }, actor, uow) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.request;
  }

  /** A signed link the operator gives a known, signed-in person to confirm the request. */
  async link(requestId: string, actor: string): Promise<{ url: string; expiresAt: number }> {
    const { work, clock, requests, publicUrl } = this.deps;
    if (!publicUrl) throw new CustodianError('public_url_missing', 'Links need the public address Custodian is reached at (CUSTODIAN_PUBLIC_URL)');
    return work.run(async (uow) => {
      const row = await requests.lockRow(uow, requestId);
      if (!row.subject_id) throw new CustodianError('conflict', 'A link confirms a known person; no subject matched this request', [{ path: 'id', message: 'request has no subject' }]);
      await requests.startVerifying(uow, requestId, 'link', actor);
      const expiresAt = clock.now() + LINK_TTL_MS;
      const token = `${requestId}.${expiresAt.toString(36)}.${this.linkSignature(requestId, expiresAt)}`;
      const url = new URL('/privacy/requests/confirm', publicUrl);
      url.searchParams.set('token', token);
      return { url: url.href, expiresAt };
    });
  }

  /** Follows a link: valid, unexpired and unused verifies the request. */
  async confirmLink(token: string, actor: string): Promise<RightsRequest> {
    const [requestId, expires36, signature] = token.split('.');
    const expiresAt = Number.parseInt(expires36 ?? '', 36);
    const invalid = new CustodianError('link_invalid', 'The link is not valid or has expired', [{ path: 'token', message: 'invalid or expired' }]);
    if (!requestId || !signature || !Number.isSafeInteger(expiresAt) || !sameHash(signature, this.linkSignature(requestId, expiresAt))) throw invalid;
    if (expiresAt <= this.deps.clock.now()) throw invalid;
    const request = await this.deps.requests.get(requestId);
    if (request.state !== 'verifying' || request.identity !== 'unverified') throw invalid;
    return this.deps.requests.verify(requestId, { method: 'link' }, actor);
  }

  private codeHash(requestId: string, code: string): string {
    return this.deps.keys.linkMac(`rights-code\u0000${requestId}\u0000${code}`);
  }

  private linkSignature(requestId: string, expiresAt: number): string {
    return this.deps.keys.linkMac(`rights-link\u0000${requestId}\u0000${expiresAt}`);
  }
}

function codeError(code: string, message: string): CustodianError {
  return new CustodianError('validation_failed', message, [{ path: 'code', message, code }]);
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
