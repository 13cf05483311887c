/**
 * Identity proofs the laws name besides a code or a staff member's word:
 *
 * - CCPA §7062: data points the person gives must match what the business holds — two for
 *   categories, three and a signed declaration under penalty of perjury for specific
 *   pieces (`identityRule('ccpa', type)` says how many). The answer never says which
 *   point failed.
 * - 152-FZ art. 14(3): the request carries the identity document's number, date of issue
 *   and issuer (and the relationship with the operator). They are sealed under the
 *   subject's own key — erased with the person — and staff then verify.
 * - Authorized agents (CCPA §7063, a parent, a guardian, an attorney): who acts and the
 *   kind and reference of their proof, unless the policy declares that agents are not
 *   accepted.
 */
import type { Clock } from '../clock.js';
import { open, seal, valueContext } from '../crypto/envelope.js';
import { CustodianError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { identityRule, type LawId, type RequestType } from '../law/index.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import { IDENTIFIER_CATEGORY, type IdentifierType } from '../vault/identifiers.js';
import type { Subjects } from '../vault/subjects.js';
import type { RightsRequest } from './model.js';
import type { RightsRequests } from './requests.js';

export const AGENT_KINDS = ['authorized-agent', 'parent', 'guardian', 'attorney'] as const;
export const AGENT_PROOFS = ['signed-permission', 'power-of-attorney', 'court-order', 'parental-authority'] as const;
export interface AgentInput {
  kind: (typeof AGENT_KINDS)[number];
  proof: (typeof AGENT_PROOFS)[number];
  /** Where the proof is kept (a document id in the operator's files), not the proof itself. */
  proofReference: string;
}

export interface IdentityDocument {
  type: 'passport' | 'id-card' | 'other';
  series?: string;
  number: string;
  issuedAt: string;
  issuer: string;
  relationship?: string;
}

export interface IdentityProofDeps {
  work: UnitOfWorkRunner;
  subjects: Subjects;
  journal: Journal;
  policies: PolicyVersions;
  clock: Clock;
  requests: RightsRequests;
}

const documentContext = (subjectId: string, requestId: string) => valueContext(subjectId, requestId, 'rights:identity-document');

export class IdentityProof {
  constructor(private readonly deps: IdentityProofDeps) {}

  /** CCPA data points (and, where asked, the signed declaration): enough matches verify the request. */
  async dataPoints(requestId: string, input: { points: { category: string; value: string }[]; declaration?: { signed: true } }, actor: string): Promise<RightsRequest> {
    const { work, subjects, requests } = this.deps;
    const outcome = await work.run(async (uow) => {
      const row = await requests.lockRow(uow, requestId);
      const laws = JSON.parse(row.laws) as LawId[];
      if (!laws.includes('ccpa')) throw new CustodianError('validation_failed', 'Data points verify requests under the CCPA only', [{ path: 'method', message: 'not a CCPA request' }]);
      const rule = identityRule('ccpa', row.type as RequestType);
      const needed = rule.dataPoints ?? 2;
      if (rule.document && !input.declaration?.signed) throw new CustodianError('validation_failed', `This request needs a declaration signed under penalty of perjury (CCPA §${rule.article})`, [{ path: 'declaration', message: 'a signed declaration is required' }]);
      if (new Set(input.points.map((p) => p.category)).size < needed) throw new CustodianError('validation_failed', `${needed} data points of different categories are needed (CCPA §${rule.article})`, [{ path: 'points', message: `at least ${needed} categories` }]);
      let matched = 0;
      if (row.subject_id) {
        const subject = await subjects.lock(uow, row.subject_id, { mode: 'share' });
        const key = subjects.key(subject);
        const items = await uow.trx.selectFrom('data_item').selectAll().where('subject_id', '=', row.subject_id).where('state', '=', 'active').execute();
        const identifiers = await uow.trx.selectFrom('subject_identifier').selectAll().where('subject_id', '=', row.subject_id).execute();
        const held = new Map<string, Set<string>>();
        const add = (category: string, value: unknown) => held.set(category, (held.get(category) ?? new Set()).add(comparable(value)));
        for (const i of items) add(i.category, JSON.parse(open(key, i.value_enc, valueContext(row.subject_id, i.id, i.category)).toString('utf8')));
        for (const i of identifiers) add(IDENTIFIER_CATEGORY[i.type as IdentifierType] ?? i.type, open(key, i.value_enc, valueContext(row.subject_id, i.id, `identifier:${i.type}`)).toString('utf8'));
        const categories = new Set(input.points.filter((p) => held.get(p.category)?.has(comparable(p.value))).map((p) => p.category));
        matched = categories.size;
      }
      await this.deps.journal.append(uow.trx, [
        { actor, operation: 'view', subjectId: row.subject_id, categories: [...new Set(input.points.map((p) => p.category))], details: { record: 'rights-request', request: row.id, event: 'data-points-checked', given: input.points.length, needed, matched: matched >= needed, declaration: input.declaration?.signed === true } },
      ]);
      if (matched < needed) return { error: new CustodianError('validation_failed', 'The details given do not match what we hold', [{ path: 'points', message: 'not enough details match', code: 'data_points_not_matched' }]) };
      return { request: await requests.verify(requestId, { method: 'data-points' }, actor, uow) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.request;
  }

  /** RU 152-FZ 14(3) document details, sealed under the subject's key; staff verify after. */
  async captureDocument(requestId: string, document: IdentityDocument, actor: string): Promise<RightsRequest> {
    const { work, subjects, requests, journal, clock } = this.deps;
    return work.run(async (uow) => {
      const row = await requests.lockRow(uow, requestId);
      if (!row.subject_id) throw new CustodianError('conflict', 'Document details are kept under the subject’s key; no subject matched this request', [{ path: 'id', message: 'request has no subject' }]);
      if (row.state !== 'received' && row.state !== 'verifying') throw new CustodianError('conflict', `A request that is ${row.state} takes no identity document`, [{ path: 'id', message: `request is ${row.state}` }]);
      const subject = await subjects.lock(uow, row.subject_id);
      const sealed = seal(subjects.key(subject), Buffer.from(JSON.stringify(document)), documentContext(row.subject_id, row.id));
      await uow.trx.updateTable('rights_request').set({ document_enc: sealed, updated_at: clock.now() }).where('id', '=', row.id).execute();
      await journal.append(uow.trx, [{ actor, operation: 'recording', subjectId: row.subject_id, categories: ['user.government_id'], details: { record: 'rights-request', request: row.id, event: 'identity-document', documentType: document.type, relationship: document.relationship !== undefined } }]);
      return requests.view({ ...row, document_enc: sealed }, clock.now());
    });
  }

  /** The document details, for the staff member who checks them (journaled as a view). */
  async document(requestId: string, actor: string): Promise<IdentityDocument | null> {
    const { work, subjects, requests, journal } = this.deps;
    return work.run(async (uow) => {
      const row = await requests.lockRow(uow, requestId);
      if (!row.document_enc || !row.subject_id) return null;
      const subject = await subjects.lock(uow, row.subject_id, { mode: 'share' });
      const document = JSON.parse(open(subjects.key(subject), row.document_enc, documentContext(row.subject_id, row.id)).toString('utf8')) as IdentityDocument;
      await journal.append(uow.trx, [{ actor, operation: 'view', subjectId: row.subject_id, categories: ['user.government_id'], details: { record: 'rights-request', request: row.id, event: 'identity-document-viewed' } }]);
      return document;
    });
  }

  /** Someone acts for the person: recorded with their proof, unless the policy says agents are not accepted. */
  async authorizeAgent(requestId: string, agent: AgentInput, actor: string): Promise<RightsRequest> {
    const { work, requests, journal, clock, policies } = this.deps;
    if (policies.active().index.policy.rightsHandling?.authorizedAgents?.accepted === false) {
      throw new CustodianError('validation_failed', 'The operator’s policy does not accept requests made through an agent', [{ path: 'kind', message: 'agents are not accepted' }]);
    }
    return work.run(async (uow) => {
      const row = await requests.lockRow(uow, requestId);
      if (row.state !== 'received' && row.state !== 'verifying') throw new CustodianError('conflict', `A request that is ${row.state} takes no agent`, [{ path: 'id', message: `request is ${row.state}` }]);
      const stored = JSON.stringify({ kind: agent.kind, proof: agent.proof, proofReference: agent.proofReference, at: clock.now() });
      await uow.trx.updateTable('rights_request').set({ agent: stored, updated_at: clock.now() }).where('id', '=', row.id).execute();
      await journal.append(uow.trx, [{ actor, operation: 'recording', subjectId: row.subject_id, details: { record: 'rights-request', request: row.id, event: 'agent', kind: agent.kind, proof: agent.proof } }]);
      return requests.view({ ...row, agent: stored }, clock.now());
    });
  }
}

/** Values as a person types them: case, outer spaces and inner runs of spaces do not matter. */
function comparable(value: unknown): string {
  return (typeof value === 'string' ? value : JSON.stringify(value)).normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
