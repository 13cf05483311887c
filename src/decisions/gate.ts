/**
 * The purpose gate: may purpose P perform operation O on categories C of subject S (and,
 * for a transfer, send them to recipient R)? The answer is allow or deny with every
 * reason, each with a stable code.
 *
 * `evaluate` is pure — policy + subject context in, decision out — so it is fast and
 * easy to test; `PurposeGate.decide` adds the cached context and metrics.
 *
 * @example
 *   const d = await custodian.gate.decide({ subjectId, purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] });
 *   if (!d.allow) console.log(d.reasons.map((r) => r.code)); // ['consent_withdrawn']
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { roleWidens, safeguardRank } from '../policy/diff.js';
import type { DataSource, GdprBasis, Jurisdiction, LegalBasis, Policy, PolicyIndex, ProcessingOperation, Purpose, Recipient } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import { type Law, LAW_NAME } from '../law/jurisdictions.js';
import { applicableLaws, LOCALISED_COUNTRIES } from '../law/index.js';
import { homeRegion, isCrossBorder } from '../law/transfers.js';
import type { Metrics } from '../reports/metrics.js';
import type { Database, SubjectRow } from '../store/tables.js';
import type { Reason } from './reasons.js';
import { type ConsentFacts, loadSubjectContext, type PreferencesLoader, retentionKey, type SubjectContext, SubjectContextCache, type SubjectFacts } from './subject-context.js';

export interface DecisionRequest {
  subjectId: string;
  purpose: string;
  operation: ProcessingOperation;
  categories: readonly string[];
  /** For `transfer`: the recipient id the data would go to. */
  recipient?: string;
  /** For `collection`: where the data comes from. */
  source?: DataSource;
}

export interface Decision {
  allow: boolean;
  reasons: Reason[];
  policyVersion: number;
}

/**
 * Operations still allowed on blocked data. 94-V art. 1 defines blocking as stopping
 * collection, change, use, dissemination, depersonalization and destruction: the data
 * stays stored, and that is all, until the block is lifted.
 */
const ALLOWED_WHILE_BLOCKED = new Set<ProcessingOperation>(['storage', 'blocking']);
/**
 * Operations that end processing: destroying, deleting or depersonalizing data is what the
 * law requires when consent is withdrawn or expires, the purpose is achieved or the term
 * runs out. No basis, consent, objection or opt-out stops them; a block does (94-V art. 1),
 * and later a legal hold.
 */
const END_OF_LIFE = new Set<ProcessingOperation>(['destruction', 'deletion', 'depersonalization']);
/** Operations not refused because older items passed their retention date. */
const RETENTION_EXEMPT = new Set<ProcessingOperation>(['collection', 'destruction', 'deletion', 'depersonalization', 'blocking']);
/** Operations that put data into a database, subject to localisation rules. */
const STORING = new Set<ProcessingOperation>(['collection', 'recording', 'systematization', 'accumulation', 'storage']);
/** Countries whose law requires their residents' data to be stored at home (94-V 12(2), 152-FZ 18(5)). */
const LOCALISED: ReadonlySet<string> = LOCALISED_COUNTRIES;

/** Laws that govern processing for this subject: the law module's `applicableLaws`. */
export { applicableLaws };

function basisFor(legalBasis: LegalBasis, law: Law): string | undefined {
  return legalBasis[law];
}

const BASIS_CODE: Partial<Record<GdprBasis | string, Reason['code']>> = {
  consent: 'basis_consent',
  contract: 'basis_contract',
  'legal-obligation': 'basis_legal_obligation',
  law: 'basis_legal_obligation',
  'vital-interests': 'basis_vital_interests',
  'public-task': 'basis_public_task',
  'legitimate-interests': 'basis_legitimate_interests',
};

/** The state of the consent itself: missing, refused, withdrawn, expired, or older than the last change that needs it whole again. */
function consentProblem(purpose: Purpose, consent: ConsentFacts | undefined, now: number, renewalFloor: number): Reason | undefined {
  if (!consent) return { code: 'consent_missing', message: `no consent recorded for purpose "${purpose.id}"` };
  switch (consent.state) {
    case 'refused':
      return { code: 'consent_refused', message: `consent to "${purpose.id}" was refused` };
    case 'withdrawn':
      return { code: 'consent_withdrawn', message: `consent to "${purpose.id}" was withdrawn` };
    case 'expired':
      return { code: 'consent_expired', message: `consent to "${purpose.id}" has expired` };
    case 'given':
    case 'renewal-needed':
      // A consent marked for renewal still covers what its notice said (see `coverageProblems`).
      if (consent.validUntil !== null && consent.validUntil <= now) return { code: 'consent_expired', message: `consent to "${purpose.id}" expired on ${new Date(consent.validUntil).toISOString().slice(0, 10)}` };
      if (consent.policyVersion < renewalFloor) {
        return { code: 'consent_renewal_needed', message: `the consent to "${purpose.id}" was given under version ${consent.policyVersion}; version ${renewalFloor} changed the purpose materially` };
      }
      return undefined;
  }
}

/**
 * What the request needs that the notice the consent was given under (`then`) did not say:
 * a category, operation or source added to the purpose since, a recipient added, or one
 * whose role, country or safeguard changed. A consent covers what its notice said; only
 * what a later version widened waits for a new consent.
 */
function coverageProblems(index: PolicyIndex, purpose: Purpose, request: DecisionRequest, consentVersion: number, then: PolicyIndex | undefined): Reason[] {
  const renewal = (what: string): Reason => ({ code: 'consent_renewal_needed', message: `${what} after the consent to "${purpose.id}" was given (version ${consentVersion}); it needs a new consent` });
  const before = then?.purpose(purpose.id);
  if (!before) return [{ code: 'consent_renewal_needed', message: `the notice the consent to "${purpose.id}" was given under is not known; it needs a new consent` }];
  const problems: Reason[] = [];
  for (const category of request.categories) {
    if (purpose.categories.includes(category) && !before.categories.includes(category)) problems.push(renewal(`"${category}" was added to the purpose`));
  }
  if (purpose.operations.includes(request.operation) && !before.operations.includes(request.operation)) problems.push(renewal(`${request.operation} was added to the purpose`));
  if (request.source && !(before.sources.includes(request.source) || (before.sources.length === 0 && purpose.sources.length === 0))) problems.push(renewal(`${request.source} sources were added to the purpose`));
  if (request.operation === 'transfer' && request.recipient !== undefined) {
    const now = index.recipient(request.recipient);
    const old = then!.recipient(request.recipient);
    if (now && (now.purposes.includes(purpose.id) || purpose.recipients.includes(now.id))) {
      if (!old || !(old.purposes.includes(purpose.id) || before.recipients.includes(old.id))) problems.push(renewal(`recipient "${now.id}" was added to the purpose`));
      else {
        const abroadNow = isCrossBorder(now.country, homeRegion(index.policy.operator));
        const abroadThen = isCrossBorder(old.country, homeRegion(then!.policy.operator));
        if (roleWidens(old.kind, now.kind)) problems.push(renewal(`recipient "${now.id}" became a ${now.kind}`));
        if (abroadNow && (!abroadThen || old.country !== now.country)) problems.push(renewal(`transfers to "${now.id}" in ${now.country} were added`));
        if (abroadNow && safeguardRank(now.safeguard) > safeguardRank(old.safeguard)) problems.push(renewal(`transfers to "${now.id}" now rest on a weaker safeguard`));
        for (const category of request.categories) {
          if (old.categories.length > 0 && !old.categories.includes(category) && (now.categories.length === 0 || now.categories.includes(category))) problems.push(renewal(`"${category}" was added to what "${now.id}" receives`));
        }
      }
    }
  }
  return problems;
}

/**
 * @param renewalFloor per purpose, the version a consent must have been given under at
 *   least (`PolicyVersions.renewalFloor`): older consents need renewal whole.
 * @param noticeOf the policy of a given version, to compare what a consent's notice said
 *   with what is asked now; by default every consent is taken to cover the current notice.
 */
export function evaluate(
  index: PolicyIndex,
  policyVersion: number,
  request: DecisionRequest,
  context: SubjectContext | undefined,
  now: number,
  renewalFloor: ReadonlyMap<string, number> = new Map(),
  noticeOf: (version: number) => PolicyIndex | undefined = () => index,
): Decision {
  const deny: Reason[] = [];
  const allow: Reason[] = [];
  const done = (): Decision => ({ allow: deny.length === 0, reasons: deny.length > 0 ? deny : allow, policyVersion });

  if (!context) {
    deny.push({ code: 'subject_not_found', message: 'no such subject' });
    return done();
  }
  if (context.state !== 'active') {
    deny.push({ code: 'subject_erased', message: `the subject's data has been ${context.state}` });
    return done();
  }
  const purpose = index.purpose(request.purpose);
  if (!purpose) {
    deny.push({ code: 'purpose_not_declared', message: `the purpose is not declared in policy version ${policyVersion}` });
    return done();
  }
  const policy = index.policy;
  const endOfLife = END_OF_LIFE.has(request.operation);
  if (!purpose.operations.includes(request.operation) && !endOfLife) deny.push({ code: 'operation_not_allowed', message: `purpose "${purpose.id}" does not allow ${request.operation}` });
  for (const category of request.categories) {
    // Only ids the policy declares are named back: an undeclared one may be a misplaced value.
    if (!purpose.categories.includes(category))
      deny.push({ code: 'category_not_declared_for_purpose', message: index.category(category) ? `category "${category}" is not declared for purpose "${purpose.id}"` : `a category not declared in the policy was asked for "${purpose.id}"` });
  }

  if (!ALLOWED_WHILE_BLOCKED.has(request.operation)) {
    if (context.blockedAll) deny.push({ code: 'subject_blocked', message: 'the subject’s data is blocked' });
    for (const category of request.categories) {
      if (context.blockedCategories.has(category)) deny.push({ code: 'category_blocked', message: `category "${category}" is blocked` });
    }
  }

  if (endOfLife) {
    // Ending processing is what the law requires once consent, purpose or term ends: no
    // basis, consent, objection or opt-out can stop it; only a block (above) holds it.
    if (deny.length === 0) allow.push({ code: 'obligation_to_erase', message: `${request.operation} ends the processing; it needs no legal basis of its own` });
    return done();
  }

  const laws = applicableLaws(policy, context.jurisdiction);
  const prefs = context.preferences;
  const consent = prefs.consents.get(purpose.id);
  let consentChecked = false;
  for (const law of laws) {
    const basis = basisFor(purpose.legalBasis, law);
    if (!basis) {
      deny.push({ code: 'no_legal_basis', message: `purpose "${purpose.id}" declares no legal basis under ${LAW_NAME[law]}` });
      continue;
    }
    if (basis === 'consent') {
      if (!consentChecked) {
        consentChecked = true;
        const problem = consentProblem(purpose, consent, now, renewalFloor.get(purpose.id) ?? 0);
        if (problem) deny.push(problem);
        else if (consent) {
          const then = consent.policyVersion === policyVersion ? index : noticeOf(consent.policyVersion);
          deny.push(...coverageProblems(index, purpose, request, consent.policyVersion, then));
          if (consent.categories.length > 0) {
            // A category added since the consent is a renewal, already reported; one the notice had but the consent left out is not covered.
            const newSince = (category: string) => !then?.purpose(purpose.id)?.categories.includes(category);
            for (const category of request.categories) {
              if (!consent.categories.includes(category) && purpose.categories.includes(category) && !newSince(category)) deny.push({ code: 'consent_category_not_covered', message: `the consent to "${purpose.id}" does not list "${category}"` });
            }
          }
        }
      }
    } else if (basis === 'legitimate-interests' && prefs.objections.has(purpose.id)) {
      deny.push({ code: 'objection_upheld', message: `the subject objected to "${purpose.id}" (legitimate interests)` });
    } else if (law === 'ccpa' && (basis === 'sale' || basis === 'sharing') && prefs.saleSharingOptOut) {
      deny.push({ code: 'opted_out_of_sale_or_sharing', message: `the subject opted out of the ${basis} of personal information` });
    }
    if (purpose.marketing && law === 'gdpr' && prefs.objections.has(purpose.id) && basis !== 'legitimate-interests') {
      // Art. 21(3): an objection to direct marketing is absolute, whatever the basis.
      deny.push({ code: 'objection_upheld', message: `the subject objected to direct marketing ("${purpose.id}")` });
    }
    allow.push({ code: BASIS_CODE[basis] ?? 'basis_other', message: `${LAW_NAME[law]}: ${basis}` });
  }

  // Old items past their date must be destroyed, not used; new data starts its own clock.
  if (!RETENTION_EXEMPT.has(request.operation)) {
    for (const category of request.categories) {
      const due = context.retentionDue.get(retentionKey(purpose.id, category));
      if (due !== undefined && due <= now) deny.push({ code: 'retention_expired', message: `"${category}" data for "${purpose.id}" passed its retention date ${new Date(due).toISOString().slice(0, 10)}` });
    }
  }

  const storageRegion = homeRegion(policy.operator);
  if (STORING.has(request.operation) && context.jurisdiction && LOCALISED.has(context.jurisdiction) && storageRegion && storageRegion !== context.jurisdiction) {
    deny.push({ code: 'residency_storage', message: `data of ${context.jurisdiction} residents must be stored in ${context.jurisdiction}, but the operator stores in ${storageRegion}` });
  }

  if (request.operation === 'transfer') {
    if (request.recipient === undefined) deny.push({ code: 'recipient_required', message: 'a transfer must name its recipient' });
    else checkTransfer(index, purpose, request, consent, laws, deny, allow);
  }
  return done();
}

function checkTransfer(index: PolicyIndex, purpose: Purpose, request: DecisionRequest, consent: ConsentFacts | undefined, laws: Law[], deny: Reason[], allow: Reason[]): void {
  const recipient: Recipient | undefined = index.recipient(request.recipient!);
  if (!recipient) {
    deny.push({ code: 'recipient_not_declared', message: 'the recipient is not declared in the policy' });
    return;
  }
  if (!recipient.purposes.includes(purpose.id) && !purpose.recipients.includes(recipient.id)) {
    deny.push({ code: 'recipient_not_declared_for_purpose', message: `recipient "${recipient.id}" is not declared for purpose "${purpose.id}"` });
  }
  for (const category of request.categories) {
    if (recipient.categories.length > 0 && !recipient.categories.includes(category))
      deny.push({ code: 'category_not_declared_for_recipient', message: index.category(category) ? `category "${category}" is not declared for recipient "${recipient.id}"` : `a category not declared in the policy was asked for recipient "${recipient.id}"` });
  }
  const crossBorder = isCrossBorder(recipient.country, homeRegion(index.policy.operator));
  const kz = laws.includes('kz');
  const consentBased = laws.some((law) => purpose.legalBasis[law] === 'consent');
  const thirdParty = recipient.kind === 'third-party' || recipient.kind === 'group-company';
  // 94-V art. 7(6), and a safeguard that is the person's consent, ask for a consent of its own.
  const separateCrossBorder = crossBorder && (recipient.safeguard === 'consent' || (kz && consentBased));
  const separateThirdParty = thirdParty && kz && consentBased;
  // Otherwise a consent-based transfer must still be within what the consent says.
  if (consentBased && consent?.state === 'given') {
    if (thirdParty && !separateThirdParty && !consent.scope.thirdParties) deny.push({ code: 'consent_scope_not_covered', message: `the consent to "${purpose.id}" does not cover transfers to third parties` });
    if (crossBorder && !separateCrossBorder && !consent.scope.crossBorder) deny.push({ code: 'consent_scope_not_covered', message: `the consent to "${purpose.id}" does not cover transfers abroad` });
  }
  if (crossBorder) {
    if (!recipient.safeguard || recipient.safeguard === 'none') {
      deny.push({ code: 'transfer_without_safeguard', message: `transfer to ${recipient.country} ("${recipient.id}") has no safeguard` });
    } else {
      allow.push({ code: 'safeguard', message: `cross-border transfer to ${recipient.country} under ${recipient.safeguard}` });
    }
    if (separateCrossBorder && !(consent?.state === 'given' && consent.separate.crossBorder)) {
      deny.push({ code: 'cross_border_consent_missing', message: `transfer to ${recipient.country} needs the subject's separate consent to cross-border transfer` });
    }
  }
  if (separateThirdParty && !(consent?.state === 'given' && consent.separate.thirdParties)) {
    deny.push({ code: 'third_party_consent_missing', message: `transfer to third party "${recipient.id}" needs the subject's separate consent (94-V art. 7(6))` });
  }
}

export class PurposeGate {
  private readonly cache: SubjectContextCache;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly policies: PolicyVersions,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly preferences: PreferencesLoader,
    options: { cacheTtlMs: number },
  ) {
    this.cache = new SubjectContextCache(options.cacheTtlMs);
  }

  /**
   * The subject's context, from cache or loaded with `db` — pass the open transaction when
   * deciding inside one (SQLite has a single connection: a query outside would wait on it).
   * With `lockedVersion` (the version of the subject row the caller holds locked) a cached
   * context of another version is not trusted: it predates a change, maybe another node's.
   */
  async context(subjectId: string, db: Kysely<Database> = this.db, lockedVersion?: number, locked?: SubjectFacts): Promise<SubjectContext | undefined> {
    const cached = this.cache.get(subjectId);
    if (cached !== null && (lockedVersion === undefined || cached?.version === lockedVersion)) return cached;
    const generation = this.cache.generation(subjectId);
    const loaded = await loadSubjectContext(db, subjectId, this.preferences, locked);
    this.cache.set(subjectId, loaded, generation);
    return loaded;
  }

  /**
   * New items only add retention dates; fold them into a cached context instead of
   * dropping it, so a busy collector does not reload the subject on every call.
   */
  noteRetention(subjectId: string, dues: readonly { purpose: string; category: string; due: number }[]): void {
    const cached = this.cache.get(subjectId);
    if (!cached) return;
    const retentionDue = new Map(cached.retentionDue);
    for (const { purpose, category, due } of dues) {
      const key = retentionKey(purpose, category);
      retentionDue.set(key, Math.min(due, retentionDue.get(key) ?? Infinity));
    }
    this.cache.replace(subjectId, { ...cached, retentionDue });
  }

  /** Forget what is cached about a subject (the `subject` change event, local or from another node). */
  invalidate(subjectId: string): void {
    this.cache.invalidate(subjectId);
  }

  /** Forget everything (after this node may have missed other nodes' change events). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * Decides. Inside a unit of work pass `within`: the transaction, and the subject row the
   * unit holds locked, whose version tells whether the cached context is current (and, when
   * it is the whole row, spares reading it again to load one).
   */
  async decide(request: DecisionRequest, within?: { trx: Kysely<Database>; subject?: { version: number } | SubjectRow }): Promise<Decision> {
    const active = this.policies.active();
    const subject = within?.subject;
    const locked = subject && 'state' in subject ? subject : undefined;
    const context = await this.context(request.subjectId, within?.trx, subject ? Number(subject.version) : undefined, locked);
    const decision = evaluate(active.index, active.number, request, context, this.clock.now(), this.policies.renewalFloor(active.number), (version) => this.policies.get(version)?.index);
    this.count(active.index, request, decision);
    return decision;
  }

  private count(index: PolicyIndex, request: DecisionRequest, decision: Decision): void {
    // Only declared purpose ids become labels: caller input never reaches the metrics.
    const purpose = index.purpose(request.purpose) ? request.purpose : '(undeclared)';
    this.metrics.decisions.inc({ purpose, operation: request.operation, outcome: decision.allow ? 'allow' : 'deny' });
    if (!decision.allow) for (const reason of decision.reasons) this.metrics.denials.inc({ code: reason.code });
  }
}
