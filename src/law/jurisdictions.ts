/**
 * Jurisdictions Custodian has rule packs for, the law each one means, and which of them
 * govern one data subject. A law fact, so its home is here; `policy/model.ts` re-exports
 * the list for the policy language.
 */

export const JURISDICTIONS = ['KZ', 'RU', 'EU', 'UK', 'US-CA'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export type Law = 'gdpr' | 'kz' | 'ru' | 'ccpa';

/** `EU` and `UK` both mean the GDPR here (the UK GDPR keeps its text). */
export const LAW_OF: Readonly<Record<Jurisdiction, Law>> = { EU: 'gdpr', UK: 'gdpr', KZ: 'kz', RU: 'ru', 'US-CA': 'ccpa' };
export const LAW_NAME: Readonly<Record<Law, string>> = { gdpr: 'GDPR', kz: 'Kazakhstan 94-V', ru: 'Russia 152-FZ', ccpa: 'CCPA/CPRA' };

/**
 * The jurisdictions whose rules govern processing for one subject: the subject's own when
 * the operator declares it; otherwise — residence unknown, or somewhere the operator does
 * not declare — every jurisdiction the operator declares, each one's rules applying (the
 * strictest wins). So an operator that declares only California treats a subject of
 * unknown residence as Californian: a Global Privacy Control signal binds.
 *
 * @example governingJurisdictions(['US-CA'], null) // ['US-CA']
 * @example governingJurisdictions(['EU', 'US-CA'], 'EU') // ['EU']
 * @example governingJurisdictions(['EU', 'US-CA'], null) // ['EU', 'US-CA']
 */
export function governingJurisdictions(declared: readonly Jurisdiction[], subject: Jurisdiction | null): Jurisdiction[] {
  return subject && declared.includes(subject) ? [subject] : [...declared];
}

/** The laws behind `governingJurisdictions`, each once. */
export function governingLaws(declared: readonly Jurisdiction[], subject: Jurisdiction | null): Law[] {
  return [...new Set(governingJurisdictions(declared, subject).map((j) => LAW_OF[j]))];
}

export function isGdprJurisdiction(jurisdiction: Jurisdiction | null): boolean {
  return jurisdiction === 'EU' || jurisdiction === 'UK';
}
