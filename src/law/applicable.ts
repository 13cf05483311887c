/**
 * Which laws apply: to one subject's processing (the gate, the rights clocks) and to the
 * notice as a whole. The one home of applicable-law resolution.
 */
import type { Policy } from '../policy/model.js';
import { governingJurisdictions, governingLaws, JURISDICTIONS, type Jurisdiction, type Law } from './jurisdictions.js';
import type { LawId } from './types.js';

/** Each jurisdiction's own rule pack: the UK has its own (UK GDPR), unlike `LAW_OF`. */
export const LAW_ID_OF: Readonly<Record<Jurisdiction, LawId>> = { EU: 'gdpr', UK: 'uk', KZ: 'kz', RU: 'ru', 'US-CA': 'ccpa' };

/**
 * Laws that govern processing for this subject, by legal-basis key (`gdpr` covers the UK):
 * the gate's question (see `governingJurisdictions`).
 */
export function applicableLaws(policy: Policy, subjectJurisdiction: Jurisdiction | null): Law[] {
  return governingLaws(policy.operator.jurisdictions, subjectJurisdiction);
}

/**
 * The rule packs that apply to a subject, each once, in the order of `declared`
 * (governing rule as `governingJurisdictions`).
 *
 * @example lawsFor(['EU', 'UK', 'US-CA'], null) // ['gdpr', 'uk', 'ccpa']
 * @example lawsFor(['EU', 'UK'], 'UK') // ['uk']
 */
export function lawsFor(declared: readonly Jurisdiction[], subject: Jurisdiction | null): LawId[] {
  return [...new Set(governingJurisdictions(declared, subject).map((j) => LAW_ID_OF[j]))];
}

/** The laws the notice speaks about: every jurisdiction of the operator and its group, in `JURISDICTIONS` order. */
export function noticeJurisdictions(policy: Pick<Policy, 'operator' | 'group'>): Jurisdiction[] {
  const declared = new Set([policy.operator, ...policy.group].flatMap((e) => e.jurisdictions));
  return JURISDICTIONS.filter((j) => declared.has(j));
}
