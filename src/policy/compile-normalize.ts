/**
 * Source → model. Runs only on a source that passed the schema and the meaning checks, so
 * every reference resolves; its job is the defaults the language promises
 * (docs/policy-language.md) and merging what the author may write in two places.
 */
import { declaredCategory, declaredSubject, publishedLocales, purposeRecipientLinks } from './compile-declarations.js';
import { homeRegion, isCrossBorder } from '../law/transfers.js';
import {
  PROCESSING_OPERATIONS,
  type ConsentRequirement,
  type Entity,
  type Jurisdiction,
  type Policy,
  type Purpose,
  type Recipient,
  type RetentionRule,
  type RightsHandling,
} from './model.js';
import {
  UNTIL_PURPOSE_ACHIEVED,
  type EntitySource,
  type PolicySource,
  type PurposeSource,
  type RecipientSource,
  type RetentionSource,
} from './schema.js';
import { isConsentBased } from './semantics.js';

/** Drops keys whose value is undefined, so compiled policies compare and hash by content. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function entity(source: EntitySource, id: string, role: Entity['role'], jurisdictions: Jurisdiction[]): Entity {
  return compact({
    id,
    name: source.name,
    registrations: source.registrations ?? [],
    address: source.address,
    contacts: source.contacts ?? {},
    responsiblePerson: source.responsiblePerson,
    dpo: source.dpo,
    jurisdictions,
    storageRegion: source.storageRegion,
    country: source.country,
    role,
  });
}

function retentionRule(source: RetentionSource): RetentionRule {
  if (typeof source === 'object') return { kind: 'duration', duration: source.duration, from: source.from ?? 'collected' };
  switch (source) {
    case 'until-purpose-achieved':
      return { kind: 'until-purpose-achieved' };
    case 'while-account-active':
      return { kind: 'while-account-active' };
    case 'unlimited':
      return { kind: 'unlimited' };
  }
}

/**
 * Unstated scope flags default to what the recipients imply, so a receipt never says
 * "no third parties" for a purpose that discloses to one. (Under KZ they must be stated.)
 */
function consentRequirement(purpose: PurposeSource, recipients: Recipient[], home: string | undefined): ConsentRequirement {
  const consent = purpose.consent ?? {};
  return compact({
    separate: consent.separate ?? false,
    validity: consent.validity === UNTIL_PURPOSE_ACHIEVED ? undefined : consent.validity,
    thirdParties: consent.thirdParties ?? recipients.some((r) => r.kind === 'third-party' || r.kind === 'group-company'),
    crossBorder: consent.crossBorder ?? recipients.some((r) => isCrossBorder(r.country, home)),
    publicDissemination: consent.publicDissemination ?? false,
  });
}

function recipient(source: RecipientSource, purposes: PurposeSource[]): Recipient {
  const categories = source.categories ?? [...new Set(purposes.flatMap((p) => p.categories))];
  return compact({
    id: source.id,
    kind: source.kind,
    name: source.name,
    country: source.country,
    purposes: purposes.map((p) => p.id),
    categories,
    safeguard: source.safeguard,
    description: source.description,
  });
}

/**
 * Builds the compiled policy from a checked source.
 *
 * @example
 * const policy = normalizePolicy(source); // source: PolicySource, no error findings
 * policy.purposes[0].operations; // the full 94-V list when the file listed none
 */
export function normalizePolicy(source: PolicySource): Policy {
  const { defaultLocale, locales } = publishedLocales(source);
  const operator = entity(source.operator, source.operator.id ?? source.id, source.operator.role ?? 'operator', source.operator.jurisdictions);
  const home = homeRegion(operator);
  const links = purposeRecipientLinks(source);

  const recipients = (source.recipients ?? []).map((r) =>
    recipient(r, source.purposes.filter((p) => links.get(p.id)?.includes(r.id))),
  );
  const recipientsById = new Map(recipients.map((r) => [r.id, r]));

  const purposes = source.purposes.map((p): Purpose => {
    const purposeRecipients = (links.get(p.id) ?? []).flatMap((id) => recipientsById.get(id) ?? []);
    return compact({
      id: p.id,
      title: p.title,
      description: p.description,
      legalBasis: p.legalBasis ?? {},
      categories: p.categories,
      subjects: p.subjects ?? [],
      operations: p.operations ?? [...PROCESSING_OPERATIONS],
      automated: p.automated ?? false,
      marketing: p.marketing ?? false,
      consent: isConsentBased(p.legalBasis) ? consentRequirement(p, purposeRecipients, home) : undefined,
      // Present after the checks: a purpose without retention is an error.
      retention: retentionRule(p.retention!),
      endAction: p.endAction ?? 'destroy',
      recipients: purposeRecipients.map((r) => r.id),
      sources: p.sources ?? ['direct'],
    });
  });

  return compact({
    id: source.id,
    version: source.version,
    effectiveDate: source.effectiveDate,
    defaultLocale,
    locales,
    operator,
    group: (source.group ?? []).map((g) => entity(g, g.id, g.role, g.jurisdictions ?? source.operator.jurisdictions)),
    categories: source.categories.map(declaredCategory),
    subjects: (source.subjects ?? []).map(declaredSubject),
    purposes,
    recipients,
    cookies: source.cookies ?? [],
    rightsChannels: source.rightsChannels ?? [],
    notice: source.notice ?? [],
    ...(source.rightsHandling ? { rightsHandling: normalizeRightsHandling(source.rightsHandling) } : {}),
    security: source.security,
    policyUrl: source.policyUrl,
  });
}

/** Rights handling with its lists present (empty when not declared). */
function normalizeRightsHandling(source: NonNullable<PolicySource['rightsHandling']>): RightsHandling {
  return {
    ...source,
    answerTerms: (source.answerTerms ?? []).map((t) => ({ law: t.law, request: t.request, term: { amount: t.term.amount, unit: t.term.unit } })),
    regulators: source.regulators ?? [],
    consequences: source.consequences ?? [],
  };
}
