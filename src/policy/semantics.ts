/**
 * Meaning checks: what a schema cannot say. References must resolve, and the policy must
 * meet the laws its operator is subject to — KZ 94-V, RU 152-FZ, GDPR (EU/UK), CCPA —
 * before it can be published and enforced. Each check has a stable code (listed in
 * docs/policy-language.md) and reports the path of the node at fault.
 *
 * The checks read the validated source rather than the compiled model because some rules
 * are about what the author *wrote*: 94-V art. 8(4) wants the consent's scope stated, and a
 * default of `false` is not a statement.
 */
import type { TSchema } from '@sinclair/typebox';
import { declaredCategory, entryId, publishedLocales, purposeRecipientLinks } from './compile-declarations.js';
import { didYouMean } from './compile-suggestions.js';
import { homeRegion, isCrossBorder } from '../law/transfers.js';
import { LOCALISATION_RULES, LOCALISED_COUNTRIES } from '../law/localisation.js';
import { LAW_ID_OF } from '../law/applicable.js';
import { obligationRule, rightOf, termMayExceed, termText } from '../law/index.js';
import { isValidZone } from '../law/zone.js';
import { formatPath, type Finding, type PolicyPath, type Severity } from './diagnostics.js';
import type { DataCategory, Jurisdiction, LegalBasis, Locale } from './model.js';
import {
  isLocalizedTextSchema,
  PolicySourceSchema,
  UNTIL_PURPOSE_ACHIEVED,
  type EntitySource,
  type PolicySource,
  type PurposeSource,
  type RecipientSource,
} from './schema.js';
import { BUILTIN_DATA_CATEGORY_IDS, builtinDataCategory, builtinDataSubject, coversCategory } from './taxonomy.js';

/** The laws whose basis key each jurisdiction requires in `legalBasis`. */
const BASIS_KEY = { EU: 'gdpr', UK: 'gdpr', KZ: 'kz', RU: 'ru', 'US-CA': 'ccpa' } as const;
const LAW_NAME = {
  gdpr: 'the GDPR (EU/UK)',
  kz: "Kazakhstan's Law 94-V",
  ru: "Russia's Law 152-FZ",
  ccpa: 'the CCPA/CPRA (California)',
} as const;

/**
 * Jurisdictions a policy answers to: the operator's and every group entity's. Purposes do
 * not name the entity that runs them, so each purpose must satisfy all of them.
 */
export function applicableJurisdictions(source: PolicySource): Set<Jurisdiction> {
  return new Set([...source.operator.jurisdictions, ...(source.group ?? []).flatMap((g) => g.jurisdictions ?? [])]);
}

/** A purpose relies on consent when any law's basis for it is consent. */
export function isConsentBased(basis: Partial<LegalBasis> | undefined): boolean {
  if (!basis) return false;
  return basis.gdpr === 'consent' || basis.kz === 'consent' || basis.ru === 'consent' || basis.gdprArt9 === 'explicit-consent';
}

/**
 * 94-V identifiers (IIN and BIN) end in a check digit: weights 1..11 mod 11, or, when that
 * gives 10, weights 3..11,1,2; a second 10 means the number cannot be valid.
 */
export function isValidKzIdentifier(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const weighted = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * digits[i]!, 0) % 11;
  let check = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (check === 10) check = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return check !== 10 && check === digits[11];
}

interface Context {
  source: PolicySource;
  laws: Set<Jurisdiction>;
  gdpr: boolean;
  categories: Map<string, DataCategory>;
  subjects: Set<string>;
  recipients: Map<string, RecipientSource>;
  purposes: Set<string>;
  links: Map<string, string[]>;
  home: string | undefined;
  report(severity: Severity, code: string, path: PolicyPath, message: string): void;
}

/**
 * Runs every meaning check over a schema-valid source.
 *
 * @example
 * const findings = checkPolicySource(source);
 * findings.filter((f) => f.severity === 'error'); // block publishing on these
 */
export function checkPolicySource(source: PolicySource): Finding[] {
  const findings: Finding[] = [];
  const laws = applicableJurisdictions(source);
  const ctx: Context = {
    source,
    laws,
    gdpr: laws.has('EU') || laws.has('UK'),
    categories: new Map(source.categories.map((entry) => [entryId(entry), declaredCategory(entry)])),
    subjects: new Set((source.subjects ?? []).map(entryId)),
    recipients: new Map((source.recipients ?? []).map((r) => [r.id, r])),
    purposes: new Set(source.purposes.map((p) => p.id)),
    links: purposeRecipientLinks(source),
    home: homeRegion(source.operator),
    report: (severity, code, path, message) => findings.push({ severity, code, path, message }),
  };

  checkDuplicateIds(ctx);
  checkLocales(ctx);
  checkEntities(ctx);
  checkDeclarations(ctx);
  checkCountries(ctx);
  checkEffectiveDate(ctx);
  checkRightsHandling(ctx);
  source.purposes.forEach((purpose, i) => checkPurpose(ctx, purpose, ['purposes', i]));
  (source.recipients ?? []).forEach((recipient, i) => checkRecipient(ctx, recipient, ['recipients', i]));
  return findings;
}

function checkDuplicateIds(ctx: Context): void {
  const { source } = ctx;
  const lists: [string, { id: string }[]][] = [
    ['categories', source.categories.map((e) => ({ id: entryId(e) }))],
    ['subjects', (source.subjects ?? []).map((e) => ({ id: entryId(e) }))],
    ['purposes', source.purposes],
    ['recipients', source.recipients ?? []],
    ['group', source.group ?? []],
  ];
  for (const [list, items] of lists) {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) {
        const entry = list === 'categories' || list === 'subjects' ? [list, i] : [list, i, 'id'];
        ctx.report('error', 'duplicate-id', entry, `${list}[${i}]: "${item.id}" is declared twice in ${list}`);
      }
      seen.add(item.id);
    });
  }
}

function checkLocales(ctx: Context): void {
  const { source } = ctx;
  const { defaultLocale, locales } = publishedLocales(source);
  if (!locales.includes(defaultLocale)) {
    ctx.report(
      'error',
      'default-locale-not-listed',
      ['defaultLocale'],
      `defaultLocale "${defaultLocale}" is not among locales (${locales.join(', ')})`,
    );
  }
  forEachLocalizedText(PolicySourceSchema, source, [], (text, path) => {
    const missing = locales.filter((l) => !text[l]);
    if (missing.length > 0) {
      ctx.report(
        'warning',
        'translation-missing',
        path,
        `${formatPath(path)} has no ${missing.join(', ')} text; the notice is published in ${locales.join(', ')}`,
      );
    }
  });
}

/** Visits every localized-text value in a source, guided by the schema. */
function forEachLocalizedText(
  schema: TSchema,
  value: unknown,
  path: PolicyPath,
  visit: (text: Partial<Record<Locale, string>>, path: PolicyPath) => void,
): void {
  if (value === null || typeof value !== 'object') return;
  if (isLocalizedTextSchema(schema)) return visit(value as Partial<Record<Locale, string>>, path);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => forEachLocalizedText(schema.items as TSchema, item, [...path, i], visit));
    return;
  }
  if (schema.anyOf) {
    const variants = (schema.anyOf as TSchema[]).filter((v) => v.type === 'object');
    const kind = (value as Record<string, unknown>).kind;
    const variant = variants.find((v) => v.properties?.kind?.const === kind) ?? variants[0];
    if (variant) forEachLocalizedText(variant, value, path, visit);
    return;
  }
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  for (const [key, child] of Object.entries(value)) {
    if (properties[key]) forEachLocalizedText(properties[key], child, [...path, key], visit);
  }
}

/** Data localisation: where the law wants the databases, and why. */
const LOCALISATION = LOCALISATION_RULES.map((r) => [r.country, r.code, r.rule] as const);

function checkEntities(ctx: Context): void {
  const { source } = ctx;
  const entities = [
    { entity: source.operator as EntitySource, path: ['operator'], label: 'the operator', jurisdictions: source.operator.jurisdictions },
    ...(source.group ?? []).map((g, i) => ({
      entity: g as EntitySource,
      path: ['group', i],
      label: `group entity "${g.id}"`,
      jurisdictions: g.jurisdictions ?? source.operator.jurisdictions,
    })),
  ];
  for (const { entity, path, label, jurisdictions } of entities) {
    const laws = LOCALISATION.filter(([country]) => jurisdictions.includes(country));
    if (laws.length > 0 && entity.storageRegion === undefined) {
      ctx.report(
        'error',
        'storage-region-missing',
        [...path, 'storageRegion'],
        `${label} states no storageRegion; ${laws.map(([, , law]) => law).join('; ')}`,
      );
      continue;
    }
    for (const [country, code, law] of laws) {
      if (entity.storageRegion !== country) {
        // A foreign operator that names this law (seed 001: a Kazakh LLP citing 152-FZ) can
        // comply by not collecting that country's citizens' data, so it is a warning there.
        const foreign = entity.country !== undefined && entity.country !== country;
        ctx.report(
          foreign ? 'warning' : 'error',
          code,
          [...path, 'storageRegion'],
          foreign
            ? `${label} (established in ${entity.country}) stores data in ${entity.storageRegion}; ${law}, so it must not collect data of ${country} citizens into these databases`
            : `${label} stores data in ${entity.storageRegion}; ${law}`,
        );
      }
    }
  }

  if (source.operator.jurisdictions.includes('KZ')) checkKzRegistration(ctx);

  const localised = source.operator.jurisdictions.some((j) => LOCALISED_COUNTRIES.has(j));
  if (!localised && ctx.home === undefined && (source.recipients ?? []).length > 0) {
    ctx.report(
      'warning',
      'storage-region-missing',
      ['operator', 'storageRegion'],
      'the operator states neither storageRegion nor country, so cross-border transfers to recipients cannot be checked',
    );
  }
}

/** 94-V art. 8(4): the consent names the operator with its BIN (or IIN for a sole trader). */
function checkKzRegistration(ctx: Context): void {
  const registrations = ctx.source.operator.registrations ?? [];
  const index = registrations.findIndex((r) => /^(BIN|IIN|БИН|ИИН)$/i.test(r.scheme.trim()));
  if (index < 0) {
    // A warning, not an error: several real notices omit the BIN (seeds 000–002, 004), and
    // the example must keep the seed's meaning; consents record that it is missing.
    ctx.report(
      'warning',
      'kz-operator-bin',
      ['operator', 'registrations'],
      'operator.registrations has no BIN: 94-V art. 8(4) requires a consent to name the operator with its BIN or IIN; add {scheme: BIN, value: "…"}',
    );
    return;
  }
  const { scheme, value } = registrations[index]!;
  const path = ['operator', 'registrations', index, 'value'];
  if (!/^\d{12}$/.test(value)) {
    ctx.report('error', 'kz-operator-bin', path, `operator.registrations[${index}]: a ${scheme} has 12 digits, found "${value}"`);
  } else if (!isValidKzIdentifier(value)) {
    ctx.report('warning', 'kz-bin-checksum', path, `operator.registrations[${index}]: ${scheme} "${value}" fails the check digit; is it mistyped?`);
  }
}

function checkDeclarations(ctx: Context): void {
  ctx.source.categories.forEach((entry, i) => {
    if (typeof entry !== 'string' && !builtinDataCategory(entry.id) && !entry.title) {
      ctx.report(
        'error',
        'custom-category-untitled',
        ['categories', i, 'title'],
        // The suggestion is a built-in id it may have been meant as — never the entry itself.
        `categories[${i}]: custom category "${entry.id}" needs a title (it is not in the built-in taxonomy${didYouMean(entry.id, BUILTIN_DATA_CATEGORY_IDS)})`,
      );
    }
  });
  (ctx.source.subjects ?? []).forEach((entry, i) => {
    if (typeof entry !== 'string' && !builtinDataSubject(entry.id) && !entry.title) {
      ctx.report('error', 'custom-subject-untitled', ['subjects', i, 'title'], `subjects[${i}]: custom subject category "${entry.id}" needs a title`);
    }
  });
}

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Country codes decide cross-border transfers and are named in the notice, so each must be
 * a country: an ISO 3166-1 alpha-2 code (or `EU`, or `ZZ` for a country the operator does
 * not state). A retired or informal alias (`UK`, `SU`) would compare unequal to the code it
 * stands for (`GB`, `RU`) and turn a domestic transfer into a cross-border one.
 */
function checkCountries(ctx: Context): void {
  const { source } = ctx;
  const fields: [PolicyPath, string | undefined][] = [
    [['operator', 'country'], source.operator.country],
    [['operator', 'storageRegion'], source.operator.storageRegion],
    ...(source.group ?? []).flatMap((g, i): [PolicyPath, string | undefined][] => [
      [['group', i, 'country'], g.country],
      [['group', i, 'storageRegion'], g.storageRegion],
    ]),
    ...(source.recipients ?? []).map((r, i): [PolicyPath, string] => [['recipients', i, 'country'], r.country]),
  ];
  for (const [path, code] of fields) {
    if (code === undefined) continue;
    const canonical = Intl.getCanonicalLocales(`und-${code}`)[0]!.slice(4);
    if (canonical !== code) {
      ctx.report('error', 'unknown-country', path, `${formatPath(path)}: "${code}" is not an ISO 3166-1 alpha-2 country code; write "${canonical}"`);
    } else if (REGION_NAMES.of(code) === undefined) {
      ctx.report(
        'error',
        'unknown-country',
        path,
        `${formatPath(path)}: "${code}" is not an ISO 3166-1 alpha-2 country code (use EU for EU-wide, ZZ for a country not stated)`,
      );
    }
  }
}

/** The schema checks the shape YYYY-MM-DD; `2026-02-30` has it and would take effect on 2 March. */
function checkEffectiveDate(ctx: Context): void {
  const date = ctx.source.effectiveDate;
  if (date !== undefined && !isCalendarDate(date)) {
    ctx.report('error', 'invalid-date', ['effectiveDate'], `effectiveDate: ${date} is not a day of the calendar`);
  }
}

/** Whether a `YYYY-MM-DD` string names a day that exists. */
export function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

function checkReference(
  ctx: Context,
  kind: 'category' | 'subject' | 'recipient' | 'purpose',
  id: string,
  declared: Iterable<string>,
  path: PolicyPath,
): void {
  const ids = [...declared];
  if (ids.includes(id)) return;
  const list = { category: 'categories', subject: 'subjects', recipient: 'recipients', purpose: 'purposes' }[kind];
  const builtin = (kind === 'category' && builtinDataCategory(id)) || (kind === 'subject' && builtinDataSubject(id));
  const hint = builtin ? `; it is built in, so add "- ${id}" to ${list}` : didYouMean(id, ids);
  ctx.report('error', `undeclared-${kind}`, path, `${formatPath(path)}: ${kind} "${id}" is not declared in ${list}${hint}`);
}

function checkPurpose(ctx: Context, purpose: PurposeSource, path: PolicyPath): void {
  const label = `purpose "${purpose.id}"`;
  purpose.categories.forEach((id, j) => checkReference(ctx, 'category', id, ctx.categories.keys(), [...path, 'categories', j]));
  (purpose.subjects ?? []).forEach((id, j) => checkReference(ctx, 'subject', id, ctx.subjects, [...path, 'subjects', j]));
  (purpose.recipients ?? []).forEach((id, j) => checkReference(ctx, 'recipient', id, ctx.recipients.keys(), [...path, 'recipients', j]));

  checkLegalBasis(ctx, purpose, path, label);
  checkConsent(ctx, purpose, path, label);
  checkRetention(ctx, purpose, path, label);

  const recipients = (ctx.links.get(purpose.id) ?? []).filter((id) => ctx.recipients.has(id));
  if (recipients.length > 0 && purpose.operations && !purpose.operations.includes('transfer')) {
    ctx.report(
      'error',
      'transfer-not-allowed',
      [...path, 'operations'],
      `${label} has recipients (${recipients.join(', ')}) but its operations do not include "transfer"`,
    );
  }
}

function checkLegalBasis(ctx: Context, purpose: PurposeSource, path: PolicyPath, label: string): void {
  const basis = purpose.legalBasis ?? {};
  const required = new Set([...ctx.laws].map((j) => BASIS_KEY[j]));
  for (const key of required) {
    if (basis[key] === undefined) {
      ctx.report('error', 'legal-basis-missing', [...path, 'legalBasis', key], `${label} has no legal basis under ${LAW_NAME[key]}: add legalBasis.${key}`);
    }
  }
  if (ctx.gdpr && basis.gdprArt9 === undefined) {
    const special = purpose.categories.filter((id) => ctx.categories.get(id)?.special);
    if (special.length > 0) {
      ctx.report(
        'error',
        'gdpr-art9-condition-missing',
        [...path, 'legalBasis', 'gdprArt9'],
        `${label} processes special categories (${special.join(', ')}) under the GDPR without an art. 9(2) condition: add legalBasis.gdprArt9`,
      );
    }
  }
}

function checkConsent(ctx: Context, purpose: PurposeSource, path: PolicyPath, label: string): void {
  const consentPath = [...path, 'consent'];
  const consent = purpose.consent;
  const consentBased = isConsentBased(purpose.legalBasis);
  const kz = ctx.laws.has('KZ');

  if (purpose.marketing && kz && (purpose.legalBasis?.kz !== 'consent' || consent?.separate !== true)) {
    ctx.report(
      'warning',
      'kz-marketing-consent-not-separate',
      consent ? [...consentPath, 'separate'] : path,
      `${label} is marketing: under Kazakhstan law ask for it with a separate consent (legalBasis.kz: consent, consent.separate: true; 94-V art. 7(6))`,
    );
  }

  if (!consentBased) {
    if (consent) {
      ctx.report('warning', 'consent-without-consent-basis', consentPath, `${label} has a consent block but no legal basis is consent; the block is ignored`);
    }
    return;
  }
  if (!consent) {
    ctx.report(
      'error',
      'consent-missing',
      consentPath,
      `${label} relies on consent but has no consent block stating what the consent covers (separate, validity, thirdParties, crossBorder, publicDissemination)`,
    );
    return;
  }

  if (kz && purpose.legalBasis?.kz === 'consent') {
    const required: [keyof typeof consent, string][] = [
      ['validity', `how long it is valid (an ISO 8601 duration, or ${UNTIL_PURPOSE_ACHIEVED})`],
      ['thirdParties', 'whether data go to third parties (true or false)'],
      ['crossBorder', 'whether data go abroad (true or false)'],
      ['publicDissemination', 'whether data are made public (true or false)'],
    ];
    for (const [key, what] of required) {
      if (consent[key] === undefined) {
        ctx.report(
          'error',
          'kz-consent-content',
          [...consentPath, key],
          `${label}: a Kazakhstan consent must state ${what} (94-V art. 8(4)); add consent.${key}`,
        );
      }
    }
  }

  const recipients = (ctx.links.get(purpose.id) ?? []).flatMap((id) => ctx.recipients.get(id) ?? []);
  const abroad = recipients.filter((r) => isCrossBorder(r.country, ctx.home));
  if (consent.crossBorder === false && abroad.length > 0) {
    ctx.report(
      'error',
      'consent-cross-border-undeclared',
      [...consentPath, 'crossBorder'],
      `${label}: consent.crossBorder is false but recipients abroad receive its data (${abroad.map((r) => `${r.id} in ${r.country}`).join(', ')})`,
    );
  }
  const thirdParties = recipients.filter((r) => r.kind === 'third-party' || r.kind === 'group-company');
  if (consent.thirdParties === false && thirdParties.length > 0) {
    ctx.report(
      'error',
      'consent-third-parties-undeclared',
      [...consentPath, 'thirdParties'],
      `${label}: consent.thirdParties is false but third parties receive its data (${thirdParties.map((r) => r.id).join(', ')})`,
    );
  }
}

function checkRetention(ctx: Context, purpose: PurposeSource, path: PolicyPath, label: string): void {
  const retentionPath = [...path, 'retention'];
  if (purpose.retention === undefined) {
    ctx.report(
      'error',
      'retention-missing',
      retentionPath,
      `${label} has no retention rule: add retention (until-purpose-achieved, while-account-active, unlimited, or {duration, from})`,
    );
    return;
  }
  if (purpose.retention !== 'unlimited') return;
  if (ctx.gdpr) {
    ctx.report('warning', 'retention-unlimited-gdpr', retentionPath, `${label} keeps data without limit; the GDPR's storage limitation (art. 5(1)(e)) requires a period or criteria`);
  }
  if (ctx.laws.has('KZ')) {
    ctx.report('warning', 'retention-unlimited-kz', retentionPath, `${label} keeps data without limit; 94-V art. 12(2) allows storage no longer than the purpose requires`);
  }
  if (ctx.laws.has('RU')) {
    ctx.report('warning', 'retention-unlimited-ru', retentionPath, `${label} keeps data without limit; 152-FZ art. 5(7) allows storage no longer than the purpose requires`);
  }
}

/**
 * A recipient receives data only for its purposes (the gate allows no other transfer), so
 * each category it is said to receive must be one its purposes process; otherwise the
 * notice announces a disclosure that can never happen, or hides which purpose it serves.
 */
function checkRecipientCategories(ctx: Context, recipient: RecipientSource, path: PolicyPath): void {
  const purposes = ctx.source.purposes.filter((p) => ctx.links.get(p.id)?.includes(recipient.id));
  const processed = purposes.flatMap((p) => p.categories);
  (recipient.categories ?? []).forEach((id, j) => {
    if (!ctx.categories.has(id) || processed.some((listed) => coversCategory(listed, id))) return;
    const named = purposes.length > 0 ? `its purposes (${purposes.map((p) => p.id).join(', ')}) do not process it` : 'it serves no purpose';
    ctx.report(
      'error',
      'recipient-category-not-in-purposes',
      [...path, 'categories', j],
      `${formatPath([...path, 'categories', j])}: recipient "${recipient.id}" is said to receive "${id}", but ${named}`,
    );
  });
}

function checkRecipient(ctx: Context, recipient: RecipientSource, path: PolicyPath): void {
  (recipient.purposes ?? []).forEach((id, j) => checkReference(ctx, 'purpose', id, ctx.purposes, [...path, 'purposes', j]));
  (recipient.categories ?? []).forEach((id, j) => checkReference(ctx, 'category', id, ctx.categories.keys(), [...path, 'categories', j]));
  checkRecipientCategories(ctx, recipient, path);

  if (isCrossBorder(recipient.country, ctx.home) && (recipient.safeguard === undefined || recipient.safeguard === 'none')) {
    ctx.report(
      'error',
      'cross-border-safeguard-missing',
      [...path, 'safeguard'],
      `recipient "${recipient.id}" in ${recipient.country} receives data stored in ${ctx.home}: a cross-border transfer needs a safeguard (adequacy, scc, bcr, consent, treaty or law), found ${recipient.safeguard ?? 'none'}`,
    );
  }
}

/**
 * The rights-handling section: the operator's answer terms may be shorter than the law's,
 * never longer (`answer-term-too-long`), and only for a right the law grants; the
 * declarations the notice renders must be consistent (`none` alone, a fee when not free).
 */
function checkRightsHandling(ctx: Context): void {
  const rh = ctx.source.rightsHandling;
  if (!rh) return;
  const base = ['rightsHandling'];
  if (rh.timeZone !== undefined && !isValidZone(rh.timeZone)) {
    ctx.report('error', 'time-zone-unknown', [...base, 'timeZone'], `rightsHandling.timeZone: "${rh.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  }
  const declared = new Set([...ctx.laws].map((j) => LAW_ID_OF[j]));
  const seen = new Set<string>();
  (rh.answerTerms ?? []).forEach((t, i) => {
    const path = [...base, 'answerTerms', i];
    const at = `rightsHandling.answerTerms[${i}]`;
    const key = `${t.law}:${t.request}`;
    if (seen.has(key)) ctx.report('error', 'answer-term-duplicate', [...path, 'request'], `${at}: a term for ${t.request} under ${t.law} is already declared`);
    seen.add(key);
    if (!declared.has(t.law)) {
      ctx.report('warning', 'answer-term-law-not-declared', [...path, 'law'], `${at}.law: the policy declares no jurisdiction governed by ${t.law}, so this term never applies`);
    }
    const grant = rightOf(t.law, t.request);
    if (!grant) {
      ctx.report('error', 'answer-term-no-right', [...path, 'request'], `${at}.request: ${t.law} grants no ${t.request} request`);
      return;
    }
    const law = obligationRule(t.law, grant.obligation);
    if (termMayExceed(t.term, law.term)) {
      ctx.report(
        'error',
        'answer-term-too-long',
        [...path, 'term'],
        `${at}.term: ${termText(t.term)} may end later than the ${termText(law.term)} ${t.law} allows for ${t.request} (art. ${law.article}); a declared term may only be shorter`,
      );
    }
  });
  const methods = rh.verification?.methods ?? [];
  if (methods.includes('none') && methods.length > 1) {
    ctx.report('error', 'verification-none-with-methods', [...base, 'verification', 'methods'], 'rightsHandling.verification.methods: `none` means no proof is asked for, so it cannot be listed with other methods');
  }
  if (rh.free === false && rh.fee === undefined) {
    ctx.report('error', 'fee-undescribed', [...base, 'fee'], 'rightsHandling.fee: requests are declared not free (free: false), so the notice must say what the fee is');
  }
  if (rh.free === true && rh.fee !== undefined) {
    ctx.report('error', 'fee-contradiction', [...base, 'fee'], 'rightsHandling.fee: requests are declared free (free: true) but a fee is described');
  }
  (rh.regulators ?? []).forEach((r, i) => {
    if (!ctx.laws.has(r.jurisdiction)) {
      ctx.report('warning', 'regulator-jurisdiction-not-declared', [...base, 'regulators', i, 'jurisdiction'], `rightsHandling.regulators[${i}].jurisdiction: the policy does not declare ${r.jurisdiction}`);
    }
  });
}
