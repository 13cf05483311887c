/**
 * What a consent act must carry before it is written. Everything is checked against the
 * policy version whose notice the person saw, and every problem is reported at once,
 * naming the field, so a form can be fixed in one round trip.
 */
import { createHash } from 'node:crypto';
import { CustodianError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { addDuration, approximateDays, parseDuration } from '../law/duration.js';
import { localize, type Locale, type Policy, type Purpose } from '../policy/model.js';
import type { PublishedPolicy } from '../policy/versions.js';
import { type ConsentChannel, type ConsentScope, type ConsentTopic, SCOPE_NAMES, type ScopeName, UNTIL_PURPOSE_ACHIEVED } from './model.js';
import { kzConsentApplies } from './preferences.js';

export interface NoticeEvidence {
  /** The published policy version whose notice was shown. */
  policyVersion: number;
  locale: Locale;
  /** The text shown; hashed here. Give this or `textSha256`. */
  text?: string;
  /** SHA-256 (hex) of the text shown, when the caller hashed it. */
  textSha256?: string;
  /** Keep the text itself as evidence (it is the operator's text, not personal data). */
  keepText?: boolean;
}

/** A give or refuse act as a form or an API caller submits it. */
export interface ConsentActInput {
  purpose: string;
  decision: 'give' | 'refuse';
  /** Record the separate consent for this scope of the purpose (94-V art. 7(6)) rather than the purpose consent. */
  separateScope?: ScopeName;
  /** What the consent says about third parties, transfers abroad and public dissemination. */
  scope?: Partial<ConsentScope>;
  /** The list of data the consent covers; defaults to the purpose's categories. */
  categories?: string[];
  /** ISO 8601 duration, or `until-purpose-achieved`; defaults to the policy's validity. */
  validity?: string;
  /**
   * The person's full name as written on the consent: required for a Kazakhstan consent
   * (94-V art. 8(4)); a refusal keeps no name, since nothing it records needs one.
   */
  subjectFullName?: string;
  notice: NoticeEvidence;
  channel: ConsentChannel;
}

/** A checked act, ready to store. */
export interface CheckedAct {
  purpose: Purpose;
  topic: ConsentTopic;
  event: 'given' | 'refused';
  policyVersion: number;
  scope: ConsentScope;
  categories: string[];
  validity: string | null;
  validUntil: number | null;
  noticeSha256: string;
  noticeText: string | null;
  subjectFullName: string | null;
  channel: ConsentChannel;
  locale: Locale;
}

interface Problem extends ErrorDetail {
  code: ErrorCode;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Checks an act against the policy version it was given under and resolves the defaults.
 * Throws a `CustodianError` listing every problem; the first one's code is the error's.
 *
 * A consent is *given* under the notice in effect (`inEffect`) or a newer published one
 * not yet in effect (a renewal can be asked ahead of the change): a notice the policy has
 * since replaced does not describe what will be done, and accepting it would let a consent
 * marked for renewal be given again without the person ever seeing the change. A refusal
 * only narrows what may be done, so it is taken under any published version.
 *
 * @example
 * checkConsentAct({ ...input, notice: { policyVersion: 1, locale: 'en', text } }, v1, 2, now);
 * // throws validation_failed at notice.policyVersion: version 2 is in effect
 */
export function checkConsentAct(input: ConsentActInput, version: PublishedPolicy | undefined, inEffect: number, now: number): CheckedAct {
  if (!version) {
    throw new CustodianError('validation_failed', `Policy version ${input.notice.policyVersion} is not published`, [
      { path: 'notice.policyVersion', message: 'is not a published policy version' },
    ]);
  }
  if (input.decision === 'give' && version.number < inEffect) throw staleNotice(version.number, inEffect);
  const policy = version.index.policy;
  const purpose = version.index.purpose(input.purpose);
  if (!purpose) {
    throw new CustodianError('purpose_not_declared', `The purpose is not declared in policy version ${version.number}`, [
      { path: 'purpose', message: 'purpose is not declared' },
    ]);
  }
  if (!purpose.consent) throw notConsentBased(purpose);

  const problems: Problem[] = [];
  const giving = input.decision === 'give';
  const kz = giving && policy.operator.jurisdictions.includes('KZ') && kzConsentApplies(purpose);
  const topic: ConsentTopic = input.separateScope ?? 'purpose';

  const scope = resolveScope(input, purpose, kz, problems);
  const categories = resolveCategories(input, purpose, kz, problems);
  const validity = giving ? resolveValidity(input, purpose, kz, problems) : null;
  const notice = resolveNotice(input.notice, problems);
  const subjectFullName = giving ? input.subjectFullName?.trim() || null : null;
  if (kz) {
    if (!subjectFullName) problems.push(incomplete('subjectFullName', "the subject's full name"));
    problems.push(...operatorProblems(policy, input.notice.locale));
  }

  if (problems.length > 0) {
    const first = problems[0];
    throw new CustodianError(first.code, first.code === 'consent_incomplete' ? 'The consent lacks content 94-V art. 8(4) requires' : 'The consent is invalid', problems.map(({ path, message }) => ({ path, message })));
  }
  return {
    purpose,
    topic,
    event: giving ? 'given' : 'refused',
    policyVersion: version.number,
    scope,
    categories,
    validity,
    validUntil: validity ? addDuration(now, validity) : null,
    noticeSha256: notice.sha256,
    noticeText: notice.text,
    subjectFullName,
    channel: input.channel,
    locale: input.notice.locale,
  };
}

/** A consent given under a notice older than the one it must be given under. */
export function staleNotice(shown: number, required: number): CustodianError {
  return new CustodianError('validation_failed', `Consent must be given under policy version ${required} or later; the notice shown was version ${shown}`, [
    { path: 'notice.policyVersion', message: `must be policy version ${required} or later: show the person the current notice and ask again` },
  ]);
}

export function notConsentBased(purpose: Purpose): CustodianError {
  return new CustodianError('consent_not_applicable', `Purpose "${purpose.id}" is not based on consent`, [
    { path: 'purpose', message: 'none of legalBasis.gdpr, legalBasis.kz, legalBasis.ru is "consent", so there is no consent to record' },
  ]);
}

/**
 * A purpose consent states each scope flag (under KZ it must: 94-V art. 8(4)); unstated
 * flags default to what the policy declares. A separate act covers exactly its one scope.
 * No act may claim a scope the policy does not declare for the purpose: the notice the
 * person saw could not have offered it.
 */
function resolveScope(input: ConsentActInput, purpose: Purpose, kz: boolean, problems: Problem[]): ConsentScope {
  const declared = purpose.consent!;
  const stated = input.scope ?? {};
  if (input.separateScope) {
    const only = input.separateScope;
    if (!declared[only]) {
      problems.push({ code: 'consent_not_applicable', path: 'separateScope', message: `purpose "${purpose.id}" does not declare ${SCOPE_WORDS[only]}, so there is no separate consent to record for it` });
    }
    for (const name of SCOPE_NAMES) {
      const value = stated[name];
      if (value !== undefined && value !== (name === only)) {
        problems.push({ code: 'validation_failed', path: `scope.${name}`, message: `a separate consent for ${SCOPE_WORDS[only]} covers that scope only` });
      }
    }
    return { thirdParties: only === 'thirdParties', crossBorder: only === 'crossBorder', publicDissemination: only === 'publicDissemination' };
  }
  const scope = {} as ConsentScope;
  for (const name of SCOPE_NAMES) {
    const value = stated[name];
    if (value === undefined && kz) problems.push(incomplete(`scope.${name}`, `whether ${SCOPE_WORDS[name]} takes place`));
    if (value === true && !declared[name]) {
      problems.push({ code: 'validation_failed', path: `scope.${name}`, message: `purpose "${purpose.id}" does not declare ${SCOPE_WORDS[name]}` });
    }
    scope[name] = value ?? declared[name];
  }
  return scope;
}

const SCOPE_WORDS: Record<ScopeName, string> = {
  thirdParties: 'transfer to third parties',
  crossBorder: 'cross-border transfer',
  publicDissemination: 'public dissemination',
};

function resolveCategories(input: ConsentActInput, purpose: Purpose, kz: boolean, problems: Problem[]): string[] {
  if (input.categories === undefined) {
    if (kz) problems.push(incomplete('categories', 'the list of personal data'));
    return [...purpose.categories];
  }
  input.categories.forEach((category, i) => {
    if (!purpose.categories.includes(category)) {
      problems.push({ code: 'category_not_allowed_for_purpose', path: `categories[${i}]`, message: `the category is not declared for purpose "${purpose.id}"` });
    }
  });
  return [...new Set(input.categories)];
}

/** 94-V: a consent's term may not outlast the purpose's; no term means until the purpose is achieved. */
function resolveValidity(input: ConsentActInput, purpose: Purpose, kz: boolean, problems: Problem[]): string | null {
  const policyValidity = purpose.consent!.validity ?? null;
  if (input.validity === undefined) {
    if (kz) problems.push(incomplete('validity', 'the validity period'));
    return policyValidity;
  }
  const stated = input.validity === UNTIL_PURPOSE_ACHIEVED ? null : input.validity;
  if (stated !== null && !parseDuration(stated)) {
    problems.push({ code: 'validation_failed', path: 'validity', message: `must be an ISO 8601 duration (e.g. P1Y) or "${UNTIL_PURPOSE_ACHIEVED}"` });
    return null;
  }
  if (policyValidity !== null && (stated === null || approximateDays(stated) > approximateDays(policyValidity))) {
    problems.push({ code: 'validation_failed', path: 'validity', message: `exceeds the validity the policy sets for purpose "${purpose.id}" (${policyValidity})` });
  }
  return stated;
}

function resolveNotice(notice: NoticeEvidence, problems: Problem[]): { sha256: string; text: string | null } {
  const computed = notice.text === undefined ? undefined : sha256Hex(notice.text);
  if (notice.textSha256 !== undefined && !SHA256_HEX.test(notice.textSha256)) {
    problems.push({ code: 'validation_failed', path: 'notice.textSha256', message: 'must be a SHA-256 digest in lowercase hex' });
  } else if (computed && notice.textSha256 && computed !== notice.textSha256) {
    problems.push({ code: 'validation_failed', path: 'notice.textSha256', message: 'does not match the SHA-256 of notice.text' });
  }
  if (computed === undefined && notice.textSha256 === undefined) {
    problems.push({ code: 'validation_failed', path: 'notice.text', message: 'give the notice text shown, or its SHA-256 as notice.textSha256' });
  }
  if (notice.keepText && notice.text === undefined) {
    problems.push({ code: 'validation_failed', path: 'notice.keepText', message: 'needs notice.text' });
  }
  return { sha256: computed ?? notice.textSha256 ?? '', text: notice.keepText ? (notice.text ?? null) : null };
}

/** 94-V art. 8(4): the consent names the operator and its BIN (or IIN for a sole trader). */
function operatorProblems(policy: Policy, locale: Locale): Problem[] {
  const problems: Problem[] = [];
  if (!localize(policy.operator.name, locale, policy.defaultLocale)) problems.push(incomplete('policy.operator.name', "the operator's name"));
  if (!operatorRegistration(policy)) problems.push(incomplete('policy.operator.registrations', "the operator's BIN or IIN"));
  return problems;
}

export function operatorRegistration(policy: Policy): { scheme: 'BIN' | 'IIN'; value: string } | undefined {
  for (const scheme of ['BIN', 'IIN'] as const) {
    const registration = policy.operator.registrations.find((r) => r.scheme === scheme);
    if (registration) return { scheme, value: registration.value };
  }
  return undefined;
}

function incomplete(path: string, what: string): Problem {
  return { code: 'consent_incomplete', path, message: `a Kazakhstan consent must state ${what} (94-V art. 8(4))` };
}
