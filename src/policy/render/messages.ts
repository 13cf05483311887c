/**
 * Every fixed string of the notice, per locale. The catalogs in `messages/` are typed
 * against {@link Messages}, so a key missing from the Russian or Kazakh catalog fails
 * the typecheck; `test/policy/render.test.ts` also walks them at run time, because an
 * empty string or a placeholder dropped in translation still typechecks.
 *
 * Templates use `{name}` placeholders, filled by `fillTemplate` (plain text) or by
 * `phrase` in `document.ts` (text with links). Messages hold no markup: escaping belongs
 * to the output format, not to the translator.
 */
import type { DataSource, Jurisdiction, Locale, NoticeSectionId, ProcessingOperation, RecipientKind, RetentionEvent, Safeguard } from '../model.js';
import type { CcpaPurpose, GdprArt9Condition, ProcessingCondition } from './legal-bases.js';
import type { DeadlineSentence } from './deadlines.js';
import type { SubjectRight } from './rights.js';
import type { RequestType } from '../../law/types.js';
import type { VerificationMethod } from '../model.js';
import { en } from './messages/en.js';
import { kk } from './messages/kk.js';
import { ru } from './messages/ru.js';

/**
 * Word forms for a counted noun, chosen by `Intl.PluralRules` of the locale. Every
 * locale needs `one` and `other`; Russian also `few` (2–4) and `many` (5–20).
 */
export interface PluralForms {
  one: string;
  other: string;
  few?: string;
  many?: string;
}

/** Russian counts need all four CLDR forms: 1 год, 2 года, 5 лет, 1,5 года. */
export interface RussianPluralForms extends PluralForms {
  few: string;
  many: string;
}

export const DURATION_UNITS = [
  'year',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'workingDay',
  'businessDay',
  'calendarDay',
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** The built-in sections are part of the language (`notice[].after` names them), so `model.ts` lists them. */
export { NOTICE_SECTION_IDS, type NoticeSectionId } from '../model.js';

/** Term sets of the definitions section: one per law, EU and UK sharing the GDPR's. */
export const DEFINITION_SETS = ['kz', 'ru', 'gdpr', 'ccpa'] as const;
export type DefinitionSet = (typeof DEFINITION_SETS)[number];

export interface Definition {
  term: string;
  definition: string;
}

export interface Messages<P extends PluralForms = PluralForms> {
  document: {
    /** The h1 and the `<title>`. */
    title: string;
    /** Placeholders: {title}, {operator}. */
    htmlTitle: string;
    tableOfContents: string;
    /** Placeholder: {number}. */
    version: string;
    draft: string;
    /** Placeholder: {date}. */
    published: string;
    /** Placeholder: {date}. */
    effective: string;
    /** Placeholder: {label} — the operator's own revision label. */
    revision: string;
  };
  sections: Record<NoticeSectionId, string>;
  /** Full title and short name of each law, and how to cite an article of it. */
  laws: Record<Jurisdiction, { title: string; short: string; /** {article} */ cite: string }>;
  /** Placeholder: {section}. Cites the CCPA regulations (Cal. Code Regs. tit. 11). */
  ccpaRegulationCite: string;
  general: {
    /** Placeholder: {operator}. Followed by the list of laws. */
    intro: string;
    /** Placeholder: {url}. */
    publishedAt: string;
    operatorTitle: string;
    groupTitle: string;
    /** Placeholder: {operator}. */
    groupIntro: string;
    groupCaption: string;
    labels: {
      name: string;
      registrations: string;
      address: string;
      email: string;
      contacts: string;
      phone: string;
      website: string;
      country: string;
      role: string;
      responsiblePerson: string;
      dpo: string;
      storage: string;
    };
    /** Placeholder: {country}. */
    storage: string;
    /** Shown for the country code `ZZ`, which a policy uses when the seed names no country. */
    unspecifiedCountry: string;
    roles: Record<'operator' | 'controller' | 'joint-controller' | 'processor', string>;
    /** Names of registration schemes a reader may not know; others are shown as written. */
    registrationSchemes: Record<'BIN' | 'IIN' | 'OGRN' | 'INN' | 'CRN' | 'EIN' | 'ICO', string>;
  };
  definitions: {
    intro: string;
    /** Placeholder: {law} — the short names of the laws the set applies under. */
    setTitle: string;
    sets: Record<DefinitionSet, readonly Definition[]>;
  };
  data: {
    subjectsTitle: string;
    subjectsIntro: string;
    categoriesTitle: string;
    categoriesCaption: string;
    columns: { category: string; description: string; notes: string };
    flags: { identifier: string; special: string; restricted: string };
    sourcesTitle: string;
    sourcesIntro: string;
    sources: Record<DataSource, string>;
    /** Placeholders: {source}, {purposes}. */
    sourceForPurposes: string;
  };
  purposes: {
    intro: string;
    caption: string;
    columns: { purpose: string; data: string; grounds: string; processing: string };
    /** Placeholder: {subjects}. */
    subjects: string;
    marketing: string;
    /** Shown for a purpose that takes decisions solely by automated means (`Purpose.automated`). */
    automated: string;
    operations: Record<ProcessingOperation, string>;
  };
  legalBases: {
    intro: string;
    /** Placeholder: {purposes}. */
    usedFor: string;
    conditions: Record<ProcessingCondition, { title: string; explanation: string }>;
    /** GDPR art. 6(1) points, keyed like `GdprBasis`. */
    gdpr: Record<'consent' | 'contract' | 'legal-obligation' | 'vital-interests' | 'public-task' | 'legitimate-interests', { title: string; explanation: string }>;
    /** Placeholder: {condition} — the art. 9(2) condition in words with its citation. */
    gdprArt9: string;
    gdprArt9Conditions: Record<GdprArt9Condition, string>;
    ccpaIntro: string;
    ccpa: Record<CcpaPurpose, string>;
    consentTitle: string;
    consentIntro: string;
    consentCaption: string;
    consentColumns: {
      purpose: string;
      separate: string;
      validity: string;
      thirdParties: string;
      crossBorder: string;
      publicDissemination: string;
    };
    /** Placeholder: {section} — the number of the rights section. */
    consentWithdrawal: string;
    untilPurposeAchieved: string;
    yes: string;
    no: string;
  };
  recipients: {
    intro: string;
    none: string;
    caption: string;
    columns: { recipient: string; kind: string; country: string; purposes: string; data: string; safeguard: string };
    kinds: Record<RecipientKind, string>;
    safeguards: Record<Safeguard, string>;
    domestic: string;
    crossBorderTitle: string;
    crossBorderIntro: string;
    /** Placeholders: {country}, {recipients}, {safeguard}. */
    crossBorderItem: string;
    noCrossBorder: string;
    /**
     * Transfer rules of each law, shown when a cross-border transfer exists and the law
     * applies. The GDPR one has a {section} placeholder: the contacts section.
     */
    crossBorderRules: Record<'KZ' | 'RU' | 'GDPR', string>;
  };
  retention: {
    intro: string;
    caption: string;
    columns: { purpose: string; period: string; end: string };
    /** Each contains {duration}. */
    from: Record<RetentionEvent, string>;
    untilPurposeAchieved: string;
    whileAccountActive: string;
    unlimited: string;
    endActions: Record<'destroy' | 'depersonalize', string>;
    earlyEnd: string;
    /** Extra retention rules per law, shown when the law applies. */
    lawRules: Record<'KZ' | 'RU' | 'GDPR' | 'US-CA', string>;
  };
  rights: {
    intro: string;
    caption: string;
    columns: { right: string; meaning: string; law: string };
    titles: Record<SubjectRight, { title: string; description: string }>;
    exerciseTitle: string;
    exerciseIntro: string;
    /** Placeholder: {url}. */
    selfService: string;
    /** Placeholder: {address}. */
    email: string;
    /** Placeholders: {address}, {marker}. */
    emailWithMarker: string;
    /** Placeholder: {address}. */
    post: string;
    /** Placeholder: {number}. */
    phone: string;
    /** Placeholder: {url}. */
    webForm: string;
    /** Placeholder: {section} — the contacts section. */
    noChannels: string;
    /** Placeholder: {methods} — the declared verification methods. */
    identityMethods: string;
    identityNone: string;
    verificationMethods: Record<Exclude<VerificationMethod, 'none'>, string>;
    agentsAccepted: string;
    agentsRefused: string;
    free: string;
    /** Placeholder: {fee} — the operator's description. */
    fee: string;
    consequencesIntro: string;
    /** Placeholders: {request}, {text}. */
    consequence: string;
    requestNames: Record<RequestType, string>;
    operatorTermsIntro: string;
    /** Placeholders: {law}, {request}, {term}, {lawTerm}. */
    operatorTerm: string;
    /** Placeholder: {process}. */
    appeal: string;
    /** Placeholder: {contact}. */
    appealContact: string;
    /** Placeholders: {law}, {name}. */
    regulator: string;
    deadlinesTitle: string;
    deadlinesIntro: string;
    /** Placeholder: {law}. */
    deadlinesCaption: string;
    deadlineColumns: { request: string; deadline: string };
    deadlines: Record<DeadlineSentence, string>;
    complaintsTitle: string;
    complaints: Record<Jurisdiction, string>;
  };
  cookies: {
    intro: string;
    caption: string;
    columns: { name: string; provider: string; category: string; duration: string; purpose: string };
    categories: Record<'necessary' | 'functional' | 'analytics' | 'marketing', string>;
    session: string;
  };
  security: {
    /** Measures Custodian itself enforces, true of every operator that runs it. */
    system: string;
  };
  contacts: {
    intro: string;
    /** Placeholder: {section} — the rights section. */
    rightsPointer: string;
  };
  changes: {
    intro: string;
    material: string;
    versionTitle: string;
    labels: { version: string; revision: string; effective: string; published: string };
  };
  duration: {
    units: Record<DurationUnit, P>;
  };
  /** Joins the parts of a compound value (several categories in a table cell). */
  listSeparator: string;
}

export const MESSAGE_CATALOGS: Readonly<Record<Locale, Messages>> = { en, ru, kk };

export function messagesFor(locale: Locale): Messages {
  return MESSAGE_CATALOGS[locale];
}

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** The placeholder names a template uses, for catalog checks. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).sort();
}

/**
 * Fills `{name}` placeholders with plain values. A placeholder without a value is a
 * programming error (a catalog and its caller disagree), so it throws.
 *
 * @example fillTemplate('Version {number}', { number: 3 }) // 'Version 3'
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Message template needs a value for {${name}}: ${template}`);
    return String(value);
  });
}
