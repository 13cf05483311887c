/**
 * What the purpose gate needs to know about one subject's choices, as plain data it can
 * cache, and the pure rules that read it. The snapshot itself holds no policy: the rules
 * take the policy the gate is enforcing, so a cached snapshot stays right when a new
 * policy version is published (only consent changes invalidate it, via `onChange`).
 */
import { governingJurisdictions, isGdprJurisdiction, type Jurisdiction } from '../law/jurisdictions.js';
import type { Purpose } from '../policy/model.js';
import type { ConsentChannel, ConsentEvent, ConsentScope, ConsentState, ScopeName } from './model.js';

/** The newest act for one purpose (or one separate scope of it). */
export interface ConsentStatus {
  recordId: string;
  event: ConsentEvent;
  /** The state as of `SubjectPreferences.asOf`; use `isConsentValid` for another moment. */
  state: ConsentState;
  at: number;
  /** Notice version the person saw; for `renewal-needed`, the version that needs a new consent. */
  policyVersion: number;
  /** The notice version whose content the consent covers: the one the person saw, also for a marking (null on markings from before this was kept). */
  coveredVersion: number | null;
  /** End of validity; null = until the purpose is achieved (or not applicable). */
  validUntil: number | null;
  /** For a purpose consent: what it says about third parties, transfers abroad and public dissemination. */
  scope: ConsentScope;
  categories: string[];
  channel: ConsentChannel | null;
}

export interface PurposeConsents {
  /** The consent to the purpose itself; null when only separate-scope acts exist. */
  consent: ConsentStatus | null;
  /** Separate consents (94-V art. 7(6)) for scopes of this purpose, by scope. */
  separate: Partial<Record<ScopeName, ConsentStatus>>;
}

export interface Objection {
  recordId: string;
  purpose: string;
  at: number;
}

export interface GpcSignal {
  recordId: string;
  at: number;
  source: 'sec-gpc-header' | 'api';
}

export interface SubjectPreferences {
  subjectId: string;
  /** The subject's residence, which decides what a GPC signal means. */
  jurisdiction: Jurisdiction | null;
  /** When the snapshot was read. */
  asOf: number;
  /** By purpose id; purposes the subject never acted on are absent. */
  purposes: Record<string, PurposeConsents>;
  /** Objections by purpose id. All are upheld (see `Consents.object`). */
  objections: Record<string, Objection>;
  gpc: GpcSignal | null;
}

/** A given consent whose validity has not ended. `renewal-needed` is not valid: the notice changed materially. */
export function isConsentValid(status: ConsentStatus | null | undefined, now: number): boolean {
  return status?.event === 'given' && (status.validUntil === null || status.validUntil > now);
}

/** 94-V's consent rules bind a KZ operator's purpose unless it names another Kazakh basis. */
export function kzConsentApplies(purpose: Purpose): boolean {
  return (purpose.legalBasis.kz ?? 'consent') === 'consent' && purpose.consent !== undefined;
}

export type OptOutReason =
  /** The subject objected to this purpose (GDPR art. 21). */
  | 'objection'
  /** GPC binds as an opt-out of sale or sharing (CCPA 1798.120, 1798.135). */
  | 'gpc-sale-sharing'
  /** GPC read as an objection / refusal under the GDPR for sale, sharing or marketing. */
  | 'gpc-objection';

const SALE_OR_SHARING = new Set(['sale', 'sharing']);

/**
 * What a GPC signal binds for this subject, read against the jurisdictions the operator
 * declares (`declared`): the subject's own when declared, otherwise all of them
 * (`governingJurisdictions` — an operator that declares only California treats a subject of
 * unknown residence as Californian). Under the CCPA it is an opt-out of sale and sharing
 * (1798.120, 1798.135); under the GDPR it is taken as an objection to selling, sharing and
 * marketing; elsewhere (KZ, RU) it is recorded but has no effect of its own, since those
 * laws work by consent and its withdrawal.
 */
export function gpcEffect(prefs: Pick<SubjectPreferences, 'gpc' | 'jurisdiction'>, declared: readonly Jurisdiction[]): { saleSharingOptOut: boolean; objection: boolean } {
  if (!prefs.gpc) return { saleSharingOptOut: false, objection: false };
  const governing = governingJurisdictions(declared, prefs.jurisdiction);
  return { saleSharingOptOut: governing.includes('US-CA'), objection: governing.some(isGdprJurisdiction) };
}

/** Why the subject has opted out of this purpose, or undefined (see `gpcEffect` for GPC). */
export function optOutReason(prefs: SubjectPreferences, purpose: Purpose, declared: readonly Jurisdiction[]): OptOutReason | undefined {
  if (prefs.objections[purpose.id]) return 'objection';
  const gpc = gpcEffect(prefs, declared);
  const saleOrSharing = SALE_OR_SHARING.has(purpose.legalBasis.ccpa ?? '');
  if (gpc.saleSharingOptOut && saleOrSharing) return 'gpc-sale-sharing';
  if (gpc.objection && (saleOrSharing || purpose.marketing)) return 'gpc-objection';
  return undefined;
}
