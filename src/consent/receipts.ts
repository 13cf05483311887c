/**
 * Machine-readable receipts for a consent act: a Kantara Consent Receipt 1.1 (what the
 * person can keep and show) and an ISO/IEC TS 27560 consent record in W3C DPV JSON-LD
 * (what an auditor's tools read). Both are built from the act and the policy version the
 * person saw, never from the newest policy, so a receipt says what was agreed then.
 */
import { type DataCategory, localize, type Locale, type Policy, type Purpose } from '../policy/model.js';
import { CONSENT_MESSAGES } from './messages.js';
import type { ConsentRecord, ConsentState } from './model.js';
import { operatorRegistration } from './requirements.js';

/** Everything a receipt is made of. */
export interface ReceiptSource {
  record: ConsentRecord;
  policy: Policy;
  /** The purpose as declared in `policy` (the version the act was given under). */
  purpose: Purpose;
  locale: Locale;
}

export interface KantaraController {
  piiController: string;
  onBehalf: boolean;
  contact: string;
  address: string;
  email: string;
  phone: string;
  piiControllerUrl?: string;
}

export interface KantaraPurpose {
  purpose: string;
  purposeCategory: string[];
  consentType: string;
  piiCategory: string[];
  primaryPurpose: boolean;
  termination: string;
  thirdPartyDisclosure: boolean;
  thirdPartyName?: string;
}

export interface KantaraReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: KantaraController[];
  policyUrl: string;
  services: { service: string; purposes: KantaraPurpose[] }[];
  sensitive: boolean;
  spiCat: string[];
}

/**
 * A Kantara Consent Receipt 1.1 for a given consent. `thirdPartyName` is present exactly
 * when `thirdPartyDisclosure` is true; `spiCat` lists the sensitive categories the consent
 * covers and is non-empty exactly when `sensitive` is true.
 *
 * @example const receipt = kantaraReceipt({ record, policy, purpose, locale: 'ru' });
 */
export function kantaraReceipt(source: ReceiptSource): KantaraReceipt {
  const { record, policy, purpose, locale } = source;
  const operator = policy.operator;
  const contact = operator.responsiblePerson ?? operator.dpo;
  const text = (value: Parameters<typeof localize>[0]) => localize(value, locale, policy.defaultLocale);
  const sensitive = sensitiveCategories(policy, record.categories);
  const disclosure = record.scope.thirdParties;
  const messages = CONSENT_MESSAGES[locale];
  const kantaraPurpose: KantaraPurpose = {
    purpose: record.topic === 'purpose' ? text(purpose.title) : `${text(purpose.title)} — ${messages.separateConsentTo[record.topic]}`,
    purposeCategory: purposeCategories(purpose, disclosure),
    consentType: 'EXPLICIT',
    piiCategory: record.categories.map((id) => text(policy.categories.find((c) => c.id === id)?.title) || id),
    primaryPurpose: record.topic === 'purpose',
    termination: messages.termination(record.validUntil === null ? null : new Date(record.validUntil).toISOString()),
    thirdPartyDisclosure: disclosure,
    ...(disclosure ? { thirdPartyName: thirdPartyNames(policy, purpose, locale).join('; ') } : {}),
  };
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: operator.jurisdictions.join(' '),
    consentTimestamp: Math.floor(record.at / 1000),
    collectionMethod: record.channel ?? 'api',
    consentReceiptID: record.id,
    language: locale,
    piiPrincipalId: record.subjectId,
    piiControllers: [
      {
        piiController: text(operator.name),
        onBehalf: false,
        contact: text(contact?.name) || text(operator.name),
        address: text(operator.address),
        email: contact?.email ?? operator.contacts.email ?? '',
        phone: contact?.phone ?? operator.contacts.phone ?? '',
        ...(operator.contacts.website ? { piiControllerUrl: operator.contacts.website } : {}),
      },
    ],
    policyUrl: policyUrl(policy, record.policyVersion),
    services: [{ service: text(purpose.title), purposes: [kantaraPurpose] }],
    sensitive: sensitive.length > 0,
    spiCat: sensitive.map((c) => c.id),
  };
}

/**
 * Sensitive categories under the operator's laws: GDPR / 152-FZ special categories always,
 * and CCPA "sensitive personal information" where the operator answers to California.
 */
export function sensitiveCategories(policy: Policy, categoryIds: readonly string[]): DataCategory[] {
  const ccpa = policy.operator.jurisdictions.includes('US-CA') || policy.group.some((g) => g.jurisdictions.includes('US-CA'));
  return categoryIds.flatMap((id) => {
    const category = policy.categories.find((c) => c.id === id);
    return category && (category.special || (ccpa && category.ccpaSensitive === true)) ? [category] : [];
  });
}

/** Kantara's purpose categories (CR 1.1 appendix), as far as the policy tells them apart. */
function purposeCategories(purpose: Purpose, thirdParties: boolean): string[] {
  const categories: string[] = [];
  if (purpose.marketing) categories.push(thirdParties ? 'Marketing Third Parties' : 'Marketing');
  if (purpose.automated) categories.push('Profiling');
  if (categories.length === 0) categories.push('Core Function');
  return categories;
}

/**
 * Who receives the data as a third party: the purpose's third-party and group recipients,
 * or — when the policy classes them all otherwise but the consent still says third
 * parties — every non-authority recipient, so the receipt never names no one.
 */
export function thirdPartyNames(policy: Policy, purpose: Purpose, locale: Locale): string[] {
  const recipients = purpose.recipients.flatMap((id) => policy.recipients.find((r) => r.id === id) ?? []);
  const thirdParties = recipients.filter((r) => r.kind === 'third-party' || r.kind === 'group-company');
  const named = (thirdParties.length > 0 ? thirdParties : recipients.filter((r) => r.kind !== 'authority')).map((r) => localize(r.name, locale, policy.defaultLocale));
  return named.length > 0 ? named : [UNNAMED_THIRD_PARTIES[locale]];
}

const UNNAMED_THIRD_PARTIES: Record<Locale, string> = {
  en: 'Third parties not named in the policy',
  ru: 'Третьи лица, не названные в политике',
  kk: 'Саясатта аталмаған үшінші тұлғалар',
};

/** The policy's published URL; failing that, a URN naming the exact version, which is still a stable reference. */
export function policyUrl(policy: Policy, version: number): string {
  return policy.policyUrl ?? policy.operator.contacts.website ?? `urn:custodian:policy:${encodeURIComponent(policy.id)}:v${version}`;
}

const DPV_STATUS: Record<ConsentState, string> = {
  given: 'dpv:ConsentGiven',
  refused: 'dpv:ConsentRefused',
  withdrawn: 'dpv:ConsentWithdrawn',
  expired: 'dpv:ConsentExpired',
  // A material change of the notice invalidates the consent until it is given again.
  'renewal-needed': 'dpv:ConsentInvalidated',
};

export type DpvConsentRecord = Record<string, unknown> & { '@context': Record<string, string>; '@id': string; '@type': string };

/**
 * An ISO/IEC TS 27560 consent record in DPV terms. The status is the act's own (given,
 * refused, withdrawn), or expired once a given consent's validity has passed.
 *
 * @example dpvRecord(source)['dpv:hasConsentStatus']; // { '@id': 'dpv:ConsentGiven' }
 */
export function dpvRecord(source: ReceiptSource): DpvConsentRecord {
  const { record, policy, purpose, locale } = source;
  const operator = policy.operator;
  const registration = operatorRegistration(policy);
  const policyIri = `urn:custodian:policy:${encodeURIComponent(policy.id)}`;
  return {
    '@context': {
      dpv: 'https://w3id.org/dpv#',
      dct: 'http://purl.org/dc/terms/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      // Custodian's own terms, for what DPV has no property for (the 94-V scope statements).
      cst: 'urn:custodian:terms#',
    },
    '@id': `urn:uuid:${record.id}`,
    '@type': 'dpv:ConsentRecord',
    'dct:identifier': record.id,
    'dpv:hasDataSubject': { '@id': `urn:uuid:${record.subjectId}`, '@type': 'dpv:DataSubject' },
    'dpv:hasConsentStatus': { '@id': DPV_STATUS[record.state] },
    'dpv:isIndicatedAtTime': { '@value': new Date(record.at).toISOString(), '@type': 'xsd:dateTime' },
    'dpv:hasIndicationMethod': { '@value': record.channel ?? 'api' },
    'dpv:hasPurpose': {
      '@id': `${policyIri}:purpose:${encodeURIComponent(purpose.id)}`,
      '@type': purpose.marketing ? ['dpv:Purpose', 'dpv:Marketing'] : 'dpv:Purpose',
      'dct:identifier': purpose.id,
      'dct:title': localize(purpose.title, locale, policy.defaultLocale),
    },
    'dpv:hasPersonalData': record.categories.map((id) => ({
      '@id': `${policyIri}:category:${encodeURIComponent(id)}`,
      '@type': policy.categories.find((c) => c.id === id)?.special ? 'dpv:SpecialCategoryPersonalData' : 'dpv:PersonalData',
      'dct:identifier': id,
    })),
    'dpv:hasDataController': {
      '@type': 'dpv:DataController',
      'dpv:hasName': localize(operator.name, locale, policy.defaultLocale),
      ...(registration ? { 'dct:identifier': `${registration.scheme}:${registration.value}` } : {}),
      ...(operator.contacts.website ? { 'dpv:hasContact': operator.contacts.website } : {}),
    },
    'dpv:hasJurisdiction': operator.jurisdictions,
    'dpv:hasNotice': {
      '@id': `${policyIri}:v${record.policyVersion}`,
      '@type': 'dpv:PrivacyNotice',
      'dct:identifier': `${policy.id} v${record.policyVersion}`,
      'dct:hasVersion': String(record.policyVersion),
      ...(record.notice ? { 'cst:textSha256': record.notice.sha256 } : {}),
    },
    ...(record.validUntil !== null ? { 'dpv:hasExpiryTime': { '@value': new Date(record.validUntil).toISOString(), '@type': 'xsd:dateTime' } } : {}),
    'cst:topic': record.topic,
    'cst:thirdParties': record.scope.thirdParties,
    'cst:crossBorder': record.scope.crossBorder,
    'cst:publicDissemination': record.scope.publicDissemination,
  };
}
