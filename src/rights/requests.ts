/**
 * Rights requests: intake, the state machine, and the clocks. Every change is a unit of
 * work that journals what happened to the request — its id, type, states, reason codes;
 * never who the person is or what they wrote.
 *
 * @example
 * const { request } = await requests.intake({ type: 'access', identifiers: [{ type: 'email', value: 'a@b.kz' }] }, 'apikey:0123');
 * await requests.verify(request.id, { method: 'staff' }, 'apikey:0123');
 */
import type { Clock, IdSource } from '../clock.js';
import type { KeyService } from '../crypto/keys.js';
import { CustodianError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { identityRule, type LawId, lawsFor, refusalReasons, type RequestType } from '../law/index.js';
import type { Jurisdiction } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { UnitOfWork, UnitOfWorkRunner } from '../store/unit-of-work.js';
import { type IdentifierType, normalizeIdentifier } from '../vault/identifiers.js';
import { requestClocks } from './deadlines.js';
import {
  canMove,
  type IdentityState,
  OPEN_STATES,
  type PauseReason,
  type RequestChannel,
  type RequestOutcome,
  type RequestState,
  type RightsRequest,
  type VerificationMethod,
} from './model.js';
import type { RightsRequestTable } from './tables.js';

export interface IntakeInput {
  type: RequestType;
  subjectId?: string;
  identifiers?: { type: IdentifierType; value: string }[];
  receivedAt?: number;
  channel?: RequestChannel;
  locale?: string;
}

export interface RightsRequestsDeps {
  store: Store;
  work: UnitOfWorkRunner;
  keys: KeyService;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  ids: IdSource;
}

/** Extension reasons staff may give; the law decides whether an extension is allowed at all. */
export const EXTENSION_REASONS = ['complexity', 'number-of-requests', 'volume-of-data', 'systems-to-search'] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];

export class RightsRequests {
  constructor(private readonly deps: RightsRequestsDeps) {}

  /**
   * Records a request. Identifiers find the subject by blind index; none matching is no
   * error (the request is recorded with no subject, and answered as such). A second open
   * request of the same type for the same subject is not a second case: the first is
   * returned, `linked`, and the repeat journaled on it.
   */
  async intake(input: IntakeInput, actor: string): Promise<{ request: RightsRequest; linked: boolean }> {
    const { clock, ids, journal, policies } = this.deps;
    const now = clock.now();
    const receivedAt = input.receivedAt ?? now;
    if (receivedAt > now) throw new CustodianError('validation_failed', 'A request cannot be received in the future', [{ path: 'receivedAt', message: 'must not be later than now' }]);
    const blindIndexes = this.identifierIndexes(input.identifiers ?? []);
    const policy = policies.active().index.policy;

    return this.deps.work.run(async (uow) => {
      const subject = await this.findSubject(uow, input.subjectId, blindIndexes);
      const laws = lawsFor(policy.operator.jurisdictions, (subject?.jurisdiction as Jurisdiction | null) ?? null);
      const clocks = requestClocks(policy, laws, input.type, { receivedAt, pausedMs: 0, pausedAt: null, pauseReason: null, extended: false }, now);
      if (clocks.length === 0) {
        throw new CustodianError('validation_failed', 'No law that applies to this person grants this kind of request', [
          { path: 'type', message: `"${input.type}" is not a right under ${laws.join(', ') || 'any declared law'}` },
        ]);
      }
      const grantingLaws = clocks.map((c) => c.law);
      if (subject) {
        const first = await uow.trx
          .selectFrom('rights_request')
          .selectAll()
          .where('subject_id', '=', subject.id)
          .where('type', '=', input.type)
          .where('state', 'in', [...OPEN_STATES])
          .where('duplicate_of', 'is', null)
          .orderBy('received_at')
          .orderBy('id')
          .executeTakeFirst();
        if (first) {
          await journal.append(uow.trx, [
            { actor, operation: 'recording', subjectId: subject.id, details: { record: 'rights-request', request: first.id, type: input.type, event: 'repeated', channel: input.channel ?? 'api' } },
          ]);
          return { request: this.view(first, now), linked: true };
        }
      }
      // 'reasonable-doubt' (GDPR art. 12(6)) still waits for a verification; a staff member who has no doubt says so with `verify`.
      const identity: IdentityState = grantingLaws.every((law) => identityRule(law, input.type).verify === 'none') ? 'not-required' : 'unverified';
      // Where a law stops its clock until identity is known (UK art. 12A), it stands still from receipt.
      const waits = identity === 'unverified' && grantingLaws.some((law) => identityRule(law, input.type).pausesClock);
      const row: RightsRequestTable = {
        id: ids.next(),
        type: input.type,
        subject_id: subject?.id ?? null,
        state: identity === 'not-required' ? 'in-progress' : 'received',
        laws: JSON.stringify(grantingLaws),
        deadlines: JSON.stringify(clocks),
        received_at: receivedAt,
        channel: input.channel ?? 'api',
        locale: input.locale ?? subject?.locale ?? null,
        duplicate_of: null,
        identity,
        verification_method: null,
        verified_at: null,
        paused_at: waits ? receivedAt : null,
        pause_reason: waits ? 'identity' : null,
        paused_ms: 0,
        extended: 0,
        extension_reason: null,
        refusal_code: null,
        refusal_article: null,
        outcome: null,
        agent: null,
        document_enc: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
        reminded_at: null,
      };
      await uow.trx.insertInto('rights_request').values(row).execute();
      await journal.append(uow.trx, [
        {
          actor,
          operation: 'recording',
          subjectId: row.subject_id,
          details: { record: 'rights-request', request: row.id, type: row.type, event: 'received', state: row.state, laws: grantingLaws, subjectFound: subject !== undefined, channel: row.channel },
        },
      ]);
      return { request: this.view(row, now), linked: false };
    });
  }

  async get(id: string): Promise<RightsRequest> {
    return this.view(await this.row(this.deps.store.db, id), this.deps.clock.now());
  }

  /** Requests, newest first, optionally of one state or subject. */
  async list(filter: { state?: RequestState; subjectId?: string; limit?: number } = {}): Promise<RightsRequest[]> {
    let query = this.deps.store.db.selectFrom('rights_request').selectAll();
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
    const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    const now = this.deps.clock.now();
    return rows.map((r) => this.view(r, now));
  }

  /**
   * Open requests whose earliest clock runs out within `withinMs` from now (not yet
   * overdue), or — `overdue` — that already ran out; earliest due first.
   */
  async due(kind: 'due-soon' | 'overdue', withinMs = 3 * 24 * 3600_000): Promise<RightsRequest[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.store.db.selectFrom('rights_request').selectAll().where('state', 'in', [...OPEN_STATES]).where('duplicate_of', 'is', null).execute();
    return rows
      .map((r) => this.view(r, now))
      .filter((r) => {
        // A clock standing still has its due moment moving with it (see `view`), so a paused request is judged like any other.
        const first = r.deadlines[0];
        if (!first) return false;
        return kind === 'overdue' ? first.dueAt < now : first.dueAt >= now && first.dueAt <= now + withinMs;
      })
      .sort((a, b) => a.deadlines[0].dueAt - b.deadlines[0].dueAt);
  }

  /** Identity established (by staff, a code, a link, data points or a document): work starts, a clock waiting for it runs again. */
  async verify(id: string, input: { method: VerificationMethod; note?: string }, actor: string, within?: UnitOfWork): Promise<RightsRequest> {
    const run = async (uow: UnitOfWork) => {
      const row = await this.lockRow(uow, id);
      if (row.identity === 'verified') throw new CustodianError('conflict', 'Identity is already verified', [{ path: 'id', message: 'request is already verified' }]);
      if (row.state !== 'received' && row.state !== 'verifying') throw this.wrongState(row, 'verified');
      const now = this.deps.clock.now();
      const resumed = row.pause_reason === 'identity' ? this.resumed(row, now) : {};
      return this.move(uow, row, 'in-progress', actor, { identity: 'verified', verification_method: input.method, verified_at: now, ...resumed }, { method: input.method, noted: input.note !== undefined && input.note.length > 0 });
    };
    return within ? run(within) : this.deps.work.run(run);
  }

  /** The person was asked to prove who they are (a code sent, a link handed over). */
  async startVerifying(uow: UnitOfWork, id: string, method: VerificationMethod, actor: string): Promise<RightsRequestTable> {
    const row = await this.lockRow(uow, id);
    if (row.state === 'verifying') return row;
    if (row.state !== 'received') throw this.wrongState(row, 'verified');
    await this.move(uow, row, 'verifying', actor, {}, { method });
    return { ...row, state: 'verifying' };
  }

  /** A refusal needs a reason one of the request's laws gives, and carries its article. */
  async refuse(id: string, input: { code: string }, actor: string): Promise<RightsRequest> {
    return this.deps.work.run(async (uow) => {
      const row = await this.lockRow(uow, id);
      const laws = JSON.parse(row.laws) as LawId[];
      const reason = laws.flatMap((law) => refusalReasons(law)).find((r) => r.code === input.code);
      if (!reason) {
        const known = [...new Set(laws.flatMap((law) => refusalReasons(law).map((r) => r.code)))];
        throw new CustodianError('validation_failed', 'Not a reason for refusal under the laws of this request', [{ path: 'code', message: `must be one of ${known.join(', ')}` }]);
      }
      return this.move(uow, row, 'refused', actor, { refusal_code: reason.code, refusal_article: reason.article, ...this.resumed(row, this.deps.clock.now()) }, { reason: reason.code, article: reason.article });
    });
  }

  /** The person took the request back. */
  async withdraw(id: string, actor: string): Promise<RightsRequest> {
    return this.deps.work.run(async (uow) => {
      const row = await this.lockRow(uow, id);
      return this.move(uow, row, 'withdrawn', actor, this.resumed(row, this.deps.clock.now()), {});
    });
  }

  /** Fulfilment finished: the outcome (counts and categories only) is kept on the request. */
  async complete(uow: UnitOfWork, id: string, outcome: RequestOutcome, actor: string): Promise<RightsRequest> {
    const row = await this.lockRow(uow, id);
    return this.move(uow, row, 'completed', actor, { outcome: JSON.stringify(outcome) }, { subjectFound: outcome.subjectFound, kept: (outcome.kept ?? []).map((k) => k.category) });
  }

  /** Reads a request under the subject's lock for fulfilment; only in-progress ones are fulfilled. */
  async forFulfilment(uow: UnitOfWork, id: string): Promise<RightsRequestTable> {
    const row = await this.lockRow(uow, id);
    if (row.state !== 'in-progress') throw this.wrongState(row, 'fulfilled');
    return row;
  }

  /**
   * Extends the clocks. Refused when none of the request's laws allows an extension, or
   * when the notice to the person would be late (past `extension.noticeBy`).
   */
  async extend(id: string, input: { reason: ExtensionReason }, actor: string): Promise<RightsRequest> {
    return this.deps.work.run(async (uow) => {
      const row = await this.lockRow(uow, id);
      if (!OPEN_STATES.includes(row.state as RequestState)) throw this.wrongState(row, 'extended');
      if (row.extended) throw new CustodianError('conflict', 'The request is already extended', [{ path: 'id', message: 'already extended' }]);
      const now = this.deps.clock.now();
      const current = this.view(row, now).deadlines;
      const extensible = current.filter((d) => d.extension);
      if (extensible.length === 0) throw new CustodianError('validation_failed', 'No law of this request allows its term to be extended', [{ path: 'reason', message: `no extension under ${current.map((d) => d.law).join(', ')}` }]);
      const late = extensible.filter((d) => now > d.extension!.noticeBy);
      if (late.length === extensible.length) {
        throw new CustodianError('validation_failed', 'Too late to extend: the person had to be told of the extension by then', [
          { path: 'id', message: `notice due by ${late.map((d) => `${new Date(d.extension!.noticeBy).toISOString()} (${d.law}, ${d.extension!.article})`).join(', ')}` },
        ]);
      }
      return this.move(uow, row, row.state as RequestState, actor, { extended: 1, extension_reason: input.reason }, { event: 'extended', reason: input.reason, articles: extensible.map((d) => d.extension!.article) });
    });
  }

  /** Staff stop the clock (waiting for a clarification from the person); only laws whose clock may stand still are affected. */
  async pause(id: string, actor: string): Promise<RightsRequest> {
    return this.deps.work.run(async (uow) => {
      const row = await this.lockRow(uow, id);
      if (!OPEN_STATES.includes(row.state as RequestState)) throw this.wrongState(row, 'paused');
      if (row.paused_at !== null) throw new CustodianError('conflict', 'The clock is already paused', [{ path: 'id', message: `paused (${row.pause_reason})` }]);
      const now = this.deps.clock.now();
      return this.move(uow, row, row.state as RequestState, actor, { paused_at: now, pause_reason: 'staff' satisfies PauseReason }, { event: 'paused' });
    });
  }

  async resume(id: string, actor: string): Promise<RightsRequest> {
    return this.deps.work.run(async (uow) => {
      const row = await this.lockRow(uow, id);
      if (row.paused_at === null || row.pause_reason !== 'staff') throw new CustodianError('conflict', 'The clock is not paused by staff', [{ path: 'id', message: row.paused_at === null ? 'not paused' : 'waiting for identity' }]);
      return this.move(uow, row, row.state as RequestState, actor, this.resumed(row, this.deps.clock.now()), { event: 'resumed' });
    });
  }

  /**
   * Closes requests still waiting for identity after `maxWaitMs` since receipt, refused
   * with the law's reason for an unverified identity (the first of its laws that has one).
   */
  async closeUnverified(maxWaitMs: number, actor: string): Promise<number> {
    const cutoff = this.deps.clock.now() - maxWaitMs;
    const stale = await this.deps.store.db.selectFrom('rights_request').select('id').where('state', 'in', ['received', 'verifying']).where('identity', '=', 'unverified').where('received_at', '<', cutoff).execute();
    let closed = 0;
    for (const { id } of stale) {
      await this.deps.work.run(async (uow) => {
        const row = await this.lockRow(uow, id);
        if (row.identity !== 'unverified' || (row.state !== 'received' && row.state !== 'verifying')) return;
        const laws = JSON.parse(row.laws) as LawId[];
        const reason = identityRefusal(laws);
        await this.move(uow, row, 'refused', actor, { refusal_code: reason.code, refusal_article: reason.article, ...this.resumed(row, this.deps.clock.now()) }, { reason: reason.code, article: reason.article, event: 'identity-never-verified' });
        closed++;
      });
    }
    return closed;
  }

  /** Locks the request row (and its subject, so fulfilment and intake serialize per person). */
  async lockRow(uow: UnitOfWork, id: string): Promise<RightsRequestTable> {
    const peek = await uow.trx.selectFrom('rights_request').select('subject_id').where('id', '=', id).executeTakeFirst();
    if (!peek) throw notFound('Request', 'id');
    if (peek.subject_id) await uow.lockSubject(peek.subject_id);
    return this.row(uow.trx, id);
  }

  view(row: RightsRequestTable, now: number): RightsRequest {
    const laws = JSON.parse(row.laws) as LawId[];
    const open = OPEN_STATES.includes(row.state as RequestState);
    const deadlines = open
      ? requestClocks(this.deps.policies.active().index.policy, laws, row.type as RequestType, clockState(row), now)
      : (JSON.parse(row.deadlines) as RightsRequest['deadlines']);
    return {
      id: row.id,
      type: row.type as RequestType,
      subjectId: row.subject_id,
      state: row.state as RequestState,
      laws,
      deadlines,
      receivedAt: Number(row.received_at),
      channel: row.channel as RequestChannel,
      locale: row.locale,
      duplicateOf: row.duplicate_of,
      identity: row.identity as IdentityState,
      verificationMethod: row.verification_method as VerificationMethod | null,
      verifiedAt: row.verified_at === null ? null : Number(row.verified_at),
      pausedAt: row.paused_at === null ? null : Number(row.paused_at),
      pauseReason: row.pause_reason as PauseReason | null,
      pausedMs: Number(row.paused_ms),
      extended: Number(row.extended) === 1,
      extensionReason: row.extension_reason,
      refusal: row.refusal_code ? { code: row.refusal_code, article: row.refusal_article ?? '' } : null,
      outcome: row.outcome ? (JSON.parse(row.outcome) as RequestOutcome) : null,
      agent: row.agent ? (({ kind, proof, proofReference }) => ({ kind, proof, proofReference }))(JSON.parse(row.agent) as { kind: string; proof: string; proofReference: string }) : null,
      documentCaptured: row.document_enc !== null,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      closedAt: row.closed_at === null ? null : Number(row.closed_at),
    };
  }

  private async move(uow: UnitOfWork, row: RightsRequestTable, to: RequestState, actor: string, changes: Partial<RightsRequestTable>, details: Record<string, string | number | boolean | readonly string[]>): Promise<RightsRequest> {
    const from = row.state as RequestState;
    // Staying put (an extension, a pause) is only for open requests; a closed one stays as it closed.
    if (from === to ? !OPEN_STATES.includes(from) : !canMove(from, to)) throw this.wrongState(row, to);
    const now = this.deps.clock.now();
    const closing = from !== to && !OPEN_STATES.includes(to);
    const next: RightsRequestTable = { ...row, ...changes, state: to, updated_at: now, ...(closing ? { closed_at: now } : {}) };
    // A closed request keeps the clocks it closed on: later calendar or policy changes do not rewrite history.
    if (closing) next.deadlines = JSON.stringify(this.view({ ...next, state: from }, now).deadlines);
    const { id: _id, ...set } = next;
    await uow.trx.updateTable('rights_request').set(set).where('id', '=', row.id).execute();
    await this.deps.journal.append(uow.trx, [
      { actor, operation: 'decision', subjectId: row.subject_id, details: { record: 'rights-request', request: row.id, type: row.type, from, to, ...details } },
    ]);
    return this.view(next, now);
  }

  private resumed(row: RightsRequestTable, now: number): Partial<RightsRequestTable> {
    if (row.paused_at === null) return {};
    return { paused_at: null, pause_reason: null, paused_ms: Number(row.paused_ms) + Math.max(0, now - Number(row.paused_at)) };
  }

  private wrongState(row: RightsRequestTable, wanted: string): CustodianError {
    return new CustodianError('conflict', `A request that is ${row.state} cannot be ${wanted}`, [{ path: 'id', message: `request is ${row.state}` }]);
  }

  private async row(db: Pick<Store['db'], 'selectFrom'>, id: string): Promise<RightsRequestTable> {
    const row = await db.selectFrom('rights_request').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Request', 'id');
    return row;
  }

  private identifierIndexes(identifiers: readonly { type: IdentifierType; value: string }[]): { type: IdentifierType; blindIndex: string }[] {
    const problems: { path: string; message: string }[] = [];
    const out: { type: IdentifierType; blindIndex: string }[] = [];
    identifiers.forEach((identifier, i) => {
      const normalized = normalizeIdentifier(identifier.type, identifier.value);
      if (!normalized.ok) problems.push({ path: `identifiers[${i}].value`, message: `${identifier.type} ${normalized.message}` });
      else out.push({ type: identifier.type, blindIndex: this.deps.keys.blindIndex(identifier.type, normalized.value) });
    });
    if (problems.length > 0) throw new CustodianError('validation_failed', 'Invalid identifier', problems);
    return out;
  }

  private async findSubject(uow: UnitOfWork, subjectId: string | undefined, indexes: { type: IdentifierType; blindIndex: string }[]) {
    if (subjectId) {
      const subject = await uow.lockSubject(subjectId);
      if (!subject) throw notFound('Subject', 'subjectId');
      return subject;
    }
    const matches = new Set<string>();
    for (const { type, blindIndex } of indexes) {
      const hit = await uow.trx.selectFrom('subject_identifier').select('subject_id').where('type', '=', type).where('blind_index', '=', blindIndex).executeTakeFirst();
      if (hit) matches.add(hit.subject_id);
    }
    if (matches.size > 1) throw new CustodianError('conflict', 'The identifiers belong to different subjects', [{ path: 'identifiers', message: 'identifiers match more than one subject' }]);
    const [id] = matches;
    return id ? uow.lockSubject(id) : undefined;
  }
}

function clockState(row: RightsRequestTable) {
  return {
    receivedAt: Number(row.received_at),
    pausedMs: Number(row.paused_ms),
    pausedAt: row.paused_at === null ? null : Number(row.paused_at),
    pauseReason: row.pause_reason as PauseReason | null,
    extended: Number(row.extended) === 1,
  };
}

/** The reason a law gives for refusing a request whose identity was never established. */
function identityRefusal(laws: readonly LawId[]): { code: string; article: string } {
  const all = laws.flatMap((law) => refusalReasons(law));
  return all.find((r) => /ident|verif/.test(r.code)) ?? all[0] ?? { code: 'identity-not-verified', article: '' };
}
