/**
 * The compiled policy: what the rest of Custodian reads. The YAML language (see
 * `schema.ts`) is parsed, validated and normalized into these types by `compile.ts`;
 * nothing outside `src/policy/` looks at raw YAML.
 */

export const LOCALES = ['en', 'ru', 'kk'] as const;
export type Locale = (typeof LOCALES)[number];

/** Text a person reads; at least one locale present, rendering falls back in order. */
export type LocalizedText = Partial<Record<Locale, string>>;

/** Jurisdictions Custodian has rule packs for. `EU` and `UK` share the GDPR basis list. */
export { JURISDICTIONS, type Jurisdiction } from '../law/jurisdictions.js';
import type { Jurisdiction } from '../law/jurisdictions.js';

export { JOURNAL_OPERATIONS, type JournalOperation, PROCESSING_OPERATIONS, type ProcessingOperation } from '../law/operations.js';
import type { ProcessingOperation } from '../law/operations.js';
import type { LawId, RequestType, Term } from '../law/types.js';
import { defaultValueType } from './taxonomy.js';

export const DATA_SOURCES = ['direct', 'third-party', 'public'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

export interface Registration {
  /** e.g. BIN, IIN, OGRN, INN, CRN (UK Companies House), EIN */
  scheme: string;
  value: string;
}

export interface ContactPoint {
  name?: LocalizedText;
  email?: string;
  phone?: string;
  address?: LocalizedText;
  website?: string;
}

export interface Entity {
  id: string;
  name: LocalizedText;
  registrations: Registration[];
  address?: LocalizedText;
  contacts: ContactPoint;
  /** Responsible person for personal-data processing (94-V art. 25) or DPO (GDPR art. 37). */
  responsiblePerson?: ContactPoint;
  dpo?: ContactPoint;
  jurisdictions: Jurisdiction[];
  /** ISO 3166-1 alpha-2 country where the operator's databases are located. */
  storageRegion?: string;
  /** ISO 3166-1 alpha-2 country of establishment. */
  country?: string;
  /** Role inside a group: the operator itself, or a group company acting as controller / processor. */
  role: 'operator' | 'controller' | 'joint-controller' | 'processor';
}

/**
 * What a value of a data category must look like before the vault encrypts it (rules and
 * normalization in `src/vault/values.ts`): `text` (a non-empty string), `email`, `phone`
 * (E.164, `+` and digits), `date` (`YYYY-MM-DD`), `number` (finite, within ±1e15),
 * `document` (a document or registration number) and `json` (any JSON value, within limits).
 */
export const VALUE_TYPES = ['text', 'email', 'phone', 'date', 'number', 'document', 'json'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface DataCategory {
  /** Dotted taxonomy id, e.g. `user.contact.email`, `user.government_id.iin`. */
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  /** Directly identifies a person (email, phone, IIN, passport…). */
  identifier: boolean;
  /** GDPR art. 9/10 special category, 152-FZ art. 10/11 (CCPA sensitive PI: see `ccpaSensitive`). */
  special: boolean;
  /** Restricted-access personal data under 94-V (not publicly available). */
  restricted: boolean;
  /**
   * CCPA/CPRA sensitive personal information (1798.140(ae)), wider than `special`: it adds
   * government ids, credentials, financial accounts, precise geolocation, message contents.
   * Drives the "Limit the Use of My Sensitive Personal Information" right.
   */
  ccpaSensitive?: boolean;
  /** The shape of its values: the taxonomy's default, or what the policy declares. */
  valueType: ValueType;
  /** True when declared by the policy rather than the built-in taxonomy. */
  custom: boolean;
}

export interface DataSubjectCategory {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
}

/** GDPR art. 6(1) bases. */
export const GDPR_BASES = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
] as const;
export type GdprBasis = (typeof GDPR_BASES)[number];

/** GDPR art. 9(2) conditions for special categories, (a)–(j), named as the language names them. */
export const GDPR_ART9_CONDITIONS = [
  'explicit-consent',
  'employment',
  'vital-interests',
  'not-for-profit',
  'made-public',
  'legal-claims',
  'substantial-public-interest',
  'health-care',
  'public-health',
  'archiving-research',
] as const;
export type GdprArt9Condition = (typeof GDPR_ART9_CONDITIONS)[number];

/** 94-V art. 7/9 processing conditions. */
export const KZ_BASES = ['consent', 'contract', 'law', 'court', 'public-task', 'vital-interests', 'statistics', 'journalism', 'public-data'] as const;
/** 152-FZ art. 6(1) conditions: the Kazakh list plus legitimate interests. */
export const RU_BASES = [...KZ_BASES, 'legitimate-interests'] as const;
export type ProcessingCondition = (typeof RU_BASES)[number];

/**
 * CCPA business purposes (1798.140(e)), the exemptions of 1798.145(a) that let a business
 * keep or use data regardless of a request (legal compliance, legal claims), a merger or
 * acquisition (not a sale, 1798.140(ad)(2)(C)), and the two activities consumers can opt
 * out of (1798.120).
 */
export const CCPA_BASES = [
  'auditing',
  'security',
  'debugging',
  'short-term-use',
  'performing-services',
  'advertising-services',
  'internal-research',
  'quality-safety',
  'legal-compliance',
  'legal-claims',
  'merger-acquisition',
  'sale',
  'sharing',
] as const;
export type CcpaPurpose = (typeof CCPA_BASES)[number];

/**
 * Legal basis per law. `kz` and `ru` use the processing conditions of 94-V art. 7 / 152-FZ
 * art. 6 (consent, contract, law, vital interests, public data, statistics…); `ccpa` names
 * business purposes (1798.140(e)) or `sale` / `sharing`.
 */
export interface LegalBasis {
  gdpr?: GdprBasis;
  /** GDPR art. 9(2) condition, required when the purpose touches special categories. */
  gdprArt9?: string;
  kz?: string;
  ru?: string;
  ccpa?: string;
  /** Human explanation, e.g. the legitimate interest pursued. */
  explanation?: LocalizedText;
}

export type RetentionEvent = 'collected' | 'last-activity' | 'account-closed' | 'contract-ended' | 'consent-withdrawn';

export type RetentionRule =
  | { kind: 'duration'; /** ISO 8601 duration, e.g. P1Y, P30D */ duration: string; from: RetentionEvent }
  | { kind: 'until-purpose-achieved' }
  | { kind: 'while-account-active' }
  | { kind: 'unlimited' };

export type EndOfRetentionAction = 'destroy' | 'depersonalize';

export interface ConsentRequirement {
  /** A separate consent (not bundled with other terms): 94-V art. 7(6), marketing mailings. */
  separate: boolean;
  /** ISO 8601 duration the consent is valid for; absent = until the purpose is achieved. */
  validity?: string;
  /** What the consent form must state (94-V art. 8(4)); true when the policy declares it. */
  thirdParties: boolean;
  crossBorder: boolean;
  publicDissemination: boolean;
}

export interface Purpose {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  legalBasis: LegalBasis;
  categories: string[];
  subjects: string[];
  operations: ProcessingOperation[];
  /**
   * Decisions are made by automated means with legal or similarly significant effect on
   * the person (GDPR art. 22, 94-V art. 19-1): the notice says so and names the right to object.
   */
  automated: boolean;
  marketing: boolean;
  /** Present when any applicable basis is consent. */
  consent?: ConsentRequirement;
  retention: RetentionRule;
  endAction: EndOfRetentionAction;
  /** Recipient ids that may receive data for this purpose. */
  recipients: string[];
  sources: DataSource[];
}

export const RECIPIENT_KINDS = ['processor', 'third-party', 'group-company', 'authority'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export const SAFEGUARDS = ['adequacy', 'scc', 'bcr', 'consent', 'treaty', 'law', 'none'] as const;
export type Safeguard = (typeof SAFEGUARDS)[number];

export interface Recipient {
  id: string;
  kind: RecipientKind;
  name: LocalizedText;
  /** ISO 3166-1 alpha-2; `EU` allowed for EU-wide processors. */
  country: string;
  purposes: string[];
  categories: string[];
  /** Required when the recipient's country differs from the operator's storage region. */
  safeguard?: Safeguard;
  description?: LocalizedText;
}

export interface Cookie {
  name: string;
  provider: string;
  category: 'necessary' | 'functional' | 'analytics' | 'marketing';
  /** ISO 8601 duration or `session`. */
  duration: string;
  purpose?: LocalizedText;
}

export type RightsChannel =
  | { kind: 'self-service'; url: string; description?: LocalizedText }
  | { kind: 'email'; address: string; subjectMarker?: string; description?: LocalizedText }
  | { kind: 'post'; address: LocalizedText; description?: LocalizedText }
  | { kind: 'phone'; number: string; description?: LocalizedText }
  | { kind: 'web-form'; url: string; description?: LocalizedText };

/** Ways the operator confirms who is asking (`none`: it asks for nothing). */
export const VERIFICATION_METHODS = ['none', 'account-login', 'email-code', 'signed-link', 'data-points', 'identity-document', 'signed-declaration'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** A term the operator promises, shorter than (or as long as) the law's for that request. */
export interface AnswerTerm {
  law: LawId;
  request: RequestType;
  term: Term;
}

export interface RightsHandling {
  /** IANA zone in which GDPR, UK GDPR and CCPA terms are counted (default UTC). */
  timeZone?: string;
  answerTerms: AnswerTerm[];
  /** How identity is confirmed; absent: the notice says nothing about it. */
  verification?: { methods: VerificationMethod[]; description?: LocalizedText };
  /** Whether someone may ask on a person's behalf, and with what proof. */
  authorizedAgents?: { accepted: boolean; proof?: LocalizedText };
  /** How to appeal a refusal to the operator. */
  appeal?: { process: LocalizedText; contact?: string };
  /** The supervisory authorities a person may complain to. */
  regulators: { jurisdiction: Jurisdiction; name: LocalizedText; url?: string }[];
  /** Whether requests are free; `fee` describes when one is charged. */
  free?: boolean;
  fee?: LocalizedText;
  /** What exercising a right costs the person (e.g. loyalty points lost on deletion). */
  consequences: { request: RequestType; text: LocalizedText }[];
}

/** Sections the notice always has, in order; `NoticeSection.after` names one of them or `end`. */
export const NOTICE_SECTION_IDS = [
  'operator',
  'definitions',
  'data',
  'purposes',
  'legal-bases',
  'recipients',
  'retention',
  'rights',
  'cookies',
  'security',
  'contacts',
  'changes',
] as const;
export type NoticeSectionId = (typeof NOTICE_SECTION_IDS)[number];

/** Where an extra notice section may go: after a built-in section, or at the end. */
export const NOTICE_PLACEMENTS = [...NOTICE_SECTION_IDS, 'end'] as const;
export type NoticePlacement = (typeof NOTICE_PLACEMENTS)[number];

export interface NoticeSection {
  /** Where the text goes: after the named built-in section, or `end`. */
  after: NoticePlacement;
  title?: LocalizedText;
  text: LocalizedText;
}

export interface Policy {
  /** Stable id of the policy (usually the operator slug). */
  id: string;
  /** Operator's own version label; published versions also get a number from the store. */
  version?: string;
  effectiveDate?: string;
  defaultLocale: Locale;
  locales: Locale[];
  operator: Entity;
  group: Entity[];
  categories: DataCategory[];
  subjects: DataSubjectCategory[];
  purposes: Purpose[];
  recipients: Recipient[];
  cookies: Cookie[];
  rightsChannels: RightsChannel[];
  notice: NoticeSection[];
  /** How the operator handles rights requests; absent, the notice says only what the law says. */
  rightsHandling?: RightsHandling;
  /** Security measures stated in the notice. */
  security?: LocalizedText;
  policyUrl?: string;
}

/** Lookup helpers shared by enforcement code; built once per compiled policy. */
export interface PolicyIndex {
  policy: Policy;
  purpose(id: string): Purpose | undefined;
  category(id: string): DataCategory | undefined;
  recipient(id: string): Recipient | undefined;
}

export function indexPolicy(compiled: Policy): PolicyIndex {
  const policy = withValueTypes(compiled);
  const purposes = new Map(policy.purposes.map((p) => [p.id, p]));
  const categories = new Map(policy.categories.map((c) => [c.id, c]));
  const recipients = new Map(policy.recipients.map((r) => [r.id, r]));
  return {
    policy,
    purpose: (id) => purposes.get(id),
    category: (id) => categories.get(id),
    recipient: (id) => recipients.get(id),
  };
}

/**
 * Versions compiled before categories had value types are stored without them; they get
 * the types the compiler gives today, so every indexed category has one.
 */
function withValueTypes(policy: Policy): Policy {
  if (policy.categories.every((c) => c.valueType !== undefined)) return policy;
  return { ...policy, categories: policy.categories.map((c) => (c.valueType !== undefined ? c : { ...c, valueType: defaultValueType(c.id) })) };
}

/** Pick the best text for a locale: the locale, then the policy default, then any. */
export function localize(text: LocalizedText | undefined, locale: Locale, fallback: Locale = 'en'): string {
  if (!text) return '';
  return text[locale] ?? text[fallback] ?? text.en ?? text.ru ?? text.kk ?? '';
}
