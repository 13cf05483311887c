/**
 * The surface of the policy language: what an operator writes in `*.policy.yaml`. It mirrors
 * the compiled model (`model.ts`) with conveniences — optional lists and flags, retention as
 * a word or a duration, categories by taxonomy id — that `compile.ts` normalizes away.
 *
 * The schema is strict (`additionalProperties: false` everywhere) because a misspelt key in
 * a privacy policy is a promise silently not made. The same schema is published as JSON
 * Schema (`schemas/policy.json`) so editors complete keys and flag mistakes while typing.
 */
import {
  Type,
  type ObjectOptions,
  type SchemaOptions,
  type Static,
  type TLiteral,
  type TProperties,
  type TSchema,
} from '@sinclair/typebox';
import {
  DATA_SOURCES,
  CCPA_BASES,
  GDPR_ART9_CONDITIONS,
  GDPR_BASES,
  KZ_BASES,
  RU_BASES,
  JURISDICTIONS,
  LOCALES,
  NOTICE_PLACEMENTS,
  PROCESSING_OPERATIONS,
  RECIPIENT_KINDS,
  SAFEGUARDS,
  VALUE_TYPES,
  VERIFICATION_METHODS,
} from './model.js';
import { LAW_IDS, REQUEST_TYPES, TERM_UNITS } from '../law/types.js';
import { BUILTIN_DATA_CATEGORY_IDS, BUILTIN_DATA_SUBJECT_IDS } from './taxonomy.js';

/**
 * Marks the localized-text schema. Object spread keeps symbol keys, so the mark survives
 * `Type.Optional`, and JSON serialization drops it, so it never reaches `policy.json`.
 */
export const LOCALIZED_TEXT = Symbol.for('custodian.policy.localized-text');

/** A diagnostic code for errors raised at this schema node, in place of the generic one. */
export const ERROR_CODE = Symbol.for('custodian.policy.error-code');

/** Publishes a schema once under `$defs` in `policy.json` instead of inlining every use. */
const JSON_DEF = Symbol.for('custodian.policy.json-def');

function oneOf<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Union(
    values.map((value) => Type.Literal(value)) as TLiteral<T[number]>[],
    options,
  );
}

function strictObject<T extends TProperties>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

// Scalars ------------------------------------------------------------------------------

export const IdSchema = Type.String({
  title: 'identifier',
  description: 'Letters, digits, `.`, `_` or `-`, starting with a letter or digit.',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  examples: ['marketing-emails', 'order_fulfilment'],
  [JSON_DEF]: 'id',
});

export const DurationSchema = Type.String({
  title: 'ISO 8601 duration',
  description: 'An ISO 8601 duration: P1Y (a year), P6M (six months), P30D, PT12H.',
  pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
  examples: ['P1Y', 'P6M', 'P30D'],
  [JSON_DEF]: 'duration',
});

const DateSchema = Type.String({
  title: 'ISO 8601 date',
  description: 'A calendar date, YYYY-MM-DD.',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
  examples: ['2026-01-15'],
});

const CountrySchema = Type.String({
  title: 'country code',
  description: 'ISO 3166-1 alpha-2 country code in capitals (KZ, RU, US, DE); `EU` for EU-wide.',
  pattern: '^[A-Z]{2}$',
  examples: ['KZ', 'RU', 'EU', 'US'],
  [JSON_DEF]: 'country',
});

const EmailSchema = Type.String({
  title: 'email address',
  pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  examples: ['privacy@example.kz'],
});

const UrlSchema = Type.String({
  title: 'URL',
  description: 'An absolute http(s) URL.',
  pattern: '^https?://\\S+$',
  examples: ['https://example.kz/privacy'],
});

const NonEmptyString = Type.String({ minLength: 1 });

export const LocalizedTextSchema = strictObject(
  {
    en: Type.Optional(Type.String({ minLength: 1, description: 'English' })),
    ru: Type.Optional(Type.String({ minLength: 1, description: 'Русский' })),
    kk: Type.Optional(Type.String({ minLength: 1, description: 'Қазақша' })),
  },
  {
    title: 'localized text',
    description: 'Text a person reads, per locale: `{en, ru, kk}`, at least one.',
    minProperties: 1,
    [LOCALIZED_TEXT]: true,
    [JSON_DEF]: 'localizedText',
  },
);

const LocaleSchema = oneOf(LOCALES, { title: 'locale', description: 'en, ru or kk.', [JSON_DEF]: 'locale' });

// Entities -----------------------------------------------------------------------------

const RegistrationSchema = strictObject(
  {
    scheme: Type.String({
      minLength: 1,
      description: 'Registry: BIN, IIN (Kazakhstan), OGRN, INN (Russia), CRN (UK Companies House), EIN…',
      examples: ['BIN', 'IIN', 'OGRN', 'INN', 'CRN', 'EIN'],
    }),
    value: Type.String({
      minLength: 1,
      description: 'The number as text; quote it in YAML so leading zeros survive ("050540001234").',
    }),
  },
  { title: 'registration', description: 'A registration number of the entity.' },
);

const ContactPointSchema = strictObject(
  {
    name: Type.Optional(LocalizedTextSchema),
    email: Type.Optional(EmailSchema),
    phone: Type.Optional(Type.String({ minLength: 3, examples: ['+7 727 000 00 00'] })),
    address: Type.Optional(LocalizedTextSchema),
    website: Type.Optional(UrlSchema),
  },
  { title: 'contact point', [JSON_DEF]: 'contactPoint' },
);

const JurisdictionSchema = oneOf(JURISDICTIONS, {
  [JSON_DEF]: 'jurisdiction',
  title: 'jurisdiction',
  description: 'KZ (94-V), RU (152-FZ), EU (GDPR), UK (UK GDPR), US-CA (CCPA/CPRA).',
});

const entityProperties = {
  name: LocalizedTextSchema,
  registrations: Type.Optional(Type.Array(RegistrationSchema, { description: 'Registration numbers (BIN, OGRN, CRN…).' })),
  address: Type.Optional(LocalizedTextSchema),
  contacts: Type.Optional(ContactPointSchema),
  responsiblePerson: Type.Optional(
    strictObject(ContactPointSchema.properties, {
      title: 'responsible person',
      description: 'Person responsible for organising personal-data processing (94-V art. 25, 152-FZ art. 22.1).',
    }),
  ),
  dpo: Type.Optional(
    strictObject(ContactPointSchema.properties, { title: 'data protection officer', description: 'GDPR art. 37.' }),
  ),
  storageRegion: Type.Optional(
    Type.String({
      ...CountrySchema,
      description: 'Country where the databases holding the personal data are located (94-V art. 12(2), 152-FZ art. 18(5)).',
    }),
  ),
  country: Type.Optional(Type.String({ ...CountrySchema, description: 'Country of establishment.' })),
};

const EntityRoleSchema = oneOf(['operator', 'controller', 'joint-controller', 'processor'] as const, {
  title: 'role',
});

const OperatorSchema = strictObject(
  {
    id: Type.Optional(IdSchema),
    ...entityProperties,
    jurisdictions: Type.Array(JurisdictionSchema, {
      minItems: 1,
      description: 'Laws the operator is subject to; they decide which checks apply.',
    }),
    role: Type.Optional(EntityRoleSchema),
  },
  { title: 'operator', description: 'The personal-data operator (controller) publishing the policy.' },
);

const GroupEntitySchema = strictObject(
  {
    id: IdSchema,
    ...entityProperties,
    jurisdictions: Type.Optional(
      Type.Array(JurisdictionSchema, { minItems: 1, description: "Defaults to the operator's jurisdictions." }),
    ),
    role: EntityRoleSchema,
  },
  { title: 'group entity', description: 'A group company acting as controller, joint controller or processor.' },
);

// Categories and subjects --------------------------------------------------------------

const TaxonomyCategoryIdSchema = oneOf(BUILTIN_DATA_CATEGORY_IDS as readonly string[], {
  title: 'built-in data category',
  description: 'A category of the built-in taxonomy (docs/policy-language.md lists them).',
  [ERROR_CODE]: 'unknown-taxonomy-category',
  [JSON_DEF]: 'builtinDataCategory',
});

const CategoryDeclarationSchema = strictObject(
  {
    id: IdSchema,
    title: Type.Optional(LocalizedTextSchema),
    description: Type.Optional(LocalizedTextSchema),
    identifier: Type.Optional(Type.Boolean({ description: 'Directly identifies a person.' })),
    special: Type.Optional(Type.Boolean({ description: 'GDPR art. 9/10 or 152-FZ art. 10/11 special category.' })),
    restricted: Type.Optional(Type.Boolean({ description: 'Restricted-access data under 94-V.' })),
    ccpaSensitive: Type.Optional(Type.Boolean({ description: 'CCPA sensitive personal information.' })),
    valueType: Type.Optional(
      oneOf(VALUE_TYPES, {
        title: 'value type',
        description:
          'What a value must look like: text, email, phone, date, number, document or json. Default: the taxonomy\'s type for a built-in category, text for a custom one.',
        [ERROR_CODE]: 'unknown-value-type',
      }),
    ),
  },
  {
    title: 'data category declaration',
    description: 'A custom category (title required) or a built-in one with its title, flags or value type overridden.',
  },
);

const CategoryEntrySchema = Type.Union([TaxonomyCategoryIdSchema, CategoryDeclarationSchema], {
  title: 'data category',
  description: 'A built-in taxonomy id (`user.contact.email`) or a declaration `{id, title, …}`.',
});

const BuiltinSubjectIdSchema = oneOf(BUILTIN_DATA_SUBJECT_IDS as readonly string[], {
  title: 'built-in data subject category',
  [ERROR_CODE]: 'unknown-subject-category',
});

const SubjectDeclarationSchema = strictObject(
  {
    id: IdSchema,
    title: Type.Optional(LocalizedTextSchema),
    description: Type.Optional(LocalizedTextSchema),
  },
  { title: 'data subject category declaration' },
);

const SubjectEntrySchema = Type.Union([BuiltinSubjectIdSchema, SubjectDeclarationSchema], {
  title: 'data subject category',
  description: 'A built-in id (`customer`, `employee`…) or a declaration `{id, title}`.',
});

// Purposes -----------------------------------------------------------------------------


const LegalBasisSchema = strictObject(
  {
    gdpr: Type.Optional(oneOf(GDPR_BASES, { title: 'GDPR basis', description: 'GDPR art. 6(1) basis (EU and UK).' })),
    gdprArt9: Type.Optional(
      oneOf(GDPR_ART9_CONDITIONS, {
        title: 'GDPR art. 9(2) condition',
        description: 'Required when the purpose touches special categories and GDPR applies.',
      }),
    ),
    kz: Type.Optional(oneOf(KZ_BASES, { title: '94-V condition', description: 'Kazakhstan 94-V art. 7/9 condition.' })),
    ru: Type.Optional(oneOf(RU_BASES, { title: '152-FZ condition', description: 'Russia 152-FZ art. 6(1) condition.' })),
    ccpa: Type.Optional(
      oneOf(CCPA_BASES, { title: 'CCPA purpose', description: 'CCPA business purpose, or `sale` / `sharing`.' }),
    ),
    explanation: Type.Optional(LocalizedTextSchema),
  },
  { title: 'legal basis', description: 'One entry per law that applies to the operator.' },
);

export const UNTIL_PURPOSE_ACHIEVED = 'until-purpose-achieved';

const ConsentSchema = strictObject(
  {
    separate: Type.Optional(
      Type.Boolean({ description: 'Asked for separately from other terms (94-V art. 7(6), marketing). Default false.' }),
    ),
    validity: Type.Optional(
      Type.Union([DurationSchema, Type.Literal(UNTIL_PURPOSE_ACHIEVED)], {
        title: 'consent validity',
        description: 'How long the consent lasts: an ISO 8601 duration, or `until-purpose-achieved`.',
      }),
    ),
    thirdParties: Type.Optional(Type.Boolean({ description: 'Whether data go to third parties (94-V art. 8(4)).' })),
    crossBorder: Type.Optional(Type.Boolean({ description: 'Whether data go abroad (94-V art. 8(4)).' })),
    publicDissemination: Type.Optional(
      Type.Boolean({ description: 'Whether data are disseminated publicly (94-V art. 8(4)).' }),
    ),
  },
  {
    title: 'consent',
    description:
      'What the consent form states. Under KZ every key but `separate` must be written out (94-V art. 8(4)).',
  },
);

const RetentionEventSchema = oneOf(
  ['collected', 'last-activity', 'account-closed', 'contract-ended', 'consent-withdrawn'] as const,
  { title: 'retention start event' },
);

const RetentionSchema = Type.Union(
  [
    oneOf(['until-purpose-achieved', 'while-account-active', 'unlimited'] as const, { title: 'retention keyword' }),
    strictObject(
      {
        duration: DurationSchema,
        from: Type.Optional(RetentionEventSchema),
      },
      { title: 'retention period', description: '`{duration: P1Y, from: collected}`; `from` defaults to `collected`.' },
    ),
  ],
  {
    title: 'retention rule',
    description: '`until-purpose-achieved`, `while-account-active`, `unlimited`, or `{duration, from}`.',
  },
);

const ProcessingOperationSchema = oneOf(PROCESSING_OPERATIONS, {
  title: 'processing operation',
  description: 'An operation of the 94-V list (collection … destruction).',
  [ERROR_CODE]: 'unknown-operation',
  [JSON_DEF]: 'processingOperation',
});

const PurposeSchema = strictObject(
  {
    id: IdSchema,
    title: LocalizedTextSchema,
    description: Type.Optional(LocalizedTextSchema),
    legalBasis: Type.Optional(LegalBasisSchema),
    categories: Type.Array(IdSchema, { minItems: 1, description: 'Ids of data categories declared under `categories`.' }),
    subjects: Type.Optional(Type.Array(IdSchema, { description: 'Ids of data subject categories declared under `subjects`.' })),
    operations: Type.Optional(
      Type.Array(ProcessingOperationSchema, { minItems: 1, description: 'Allowed operations; default: the whole 94-V list.' }),
    ),
    automated: Type.Optional(Type.Boolean({ description: 'Automated decision-making with legal effect. Default false.' })),
    marketing: Type.Optional(Type.Boolean({ description: 'Direct marketing. Default false.' })),
    consent: Type.Optional(ConsentSchema),
    retention: Type.Optional(RetentionSchema),
    endAction: Type.Optional(
      oneOf(['destroy', 'depersonalize'] as const, { title: 'end action', description: 'At the end of retention. Default destroy.' }),
    ),
    recipients: Type.Optional(Type.Array(IdSchema, { description: 'Ids of recipients that may receive data for this purpose.' })),
    sources: Type.Optional(
      Type.Array(oneOf(DATA_SOURCES, { title: 'data source' }), { minItems: 1, description: 'Default: [direct].' }),
    ),
  },
  { title: 'purpose', description: 'A purpose of processing.' },
);

// Recipients, cookies, rights channels, notice -----------------------------------------

const RecipientSchema = strictObject(
  {
    id: IdSchema,
    kind: oneOf(RECIPIENT_KINDS, { title: 'recipient kind' }),
    name: LocalizedTextSchema,
    country: CountrySchema,
    purposes: Type.Optional(Type.Array(IdSchema, { description: 'Purposes for which it receives data (merged with purposes[].recipients).' })),
    categories: Type.Optional(
      Type.Array(IdSchema, { description: 'Categories it receives; default: all categories of its purposes.' }),
    ),
    safeguard: Type.Optional(
      oneOf(SAFEGUARDS, {
        title: 'transfer safeguard',
        description: 'Required when the country differs from the operator storage region.',
      }),
    ),
    description: Type.Optional(LocalizedTextSchema),
  },
  { title: 'recipient', description: 'A processor, third party, group company or authority receiving data.' },
);

const CookieSchema = strictObject(
  {
    name: NonEmptyString,
    provider: NonEmptyString,
    category: oneOf(['necessary', 'functional', 'analytics', 'marketing'] as const, { title: 'cookie category' }),
    duration: Type.Union([DurationSchema, Type.Literal('session')], {
      title: 'cookie duration',
      description: 'ISO 8601 duration or `session`.',
    }),
    purpose: Type.Optional(LocalizedTextSchema),
  },
  { title: 'cookie' },
);

const channel = <K extends string, T extends TProperties>(kind: K, properties: T) =>
  strictObject(
    { kind: Type.Literal(kind), ...properties, description: Type.Optional(LocalizedTextSchema) },
    { title: `${kind} channel` },
  );

const RightsChannelSchema = Type.Union(
  [
    channel('self-service', { url: UrlSchema }),
    channel('email', {
      address: EmailSchema,
      subjectMarker: Type.Optional(Type.String({ minLength: 1, description: 'What the subject line must say.' })),
    }),
    channel('post', { address: LocalizedTextSchema }),
    channel('phone', { number: Type.String({ minLength: 3 }) }),
    channel('web-form', { url: UrlSchema }),
  ],
  { title: 'rights channel', description: 'How data subjects exercise their rights; `kind` selects the shape.' },
);

const NoticeSectionSchema = strictObject(
  {
    after: oneOf(NOTICE_PLACEMENTS, {
      title: 'notice section',
      description: 'The built-in notice section it follows, or `end`.',
      [ERROR_CODE]: 'unknown-notice-section',
    }),
    title: Type.Optional(LocalizedTextSchema),
    text: LocalizedTextSchema,
  },
  { title: 'notice section', description: 'Extra text for the rendered notice.' },
);

// Rights handling ------------------------------------------------------------------------

const RequestTypeSchema = oneOf(REQUEST_TYPES, { title: 'request type', description: 'A kind of rights request, e.g. access, erasure, opt-out.' });

const AnswerTermSchema = strictObject(
  {
    law: oneOf(LAW_IDS, { title: 'law', description: 'kz, ru, gdpr, uk or ccpa.' }),
    request: RequestTypeSchema,
    term: strictObject(
      {
        amount: Type.Integer({ minimum: 1, maximum: 1000 }),
        unit: oneOf(TERM_UNITS, { title: 'term unit', description: 'working-days, business-days, calendar-days, months or hours.' }),
      },
      { title: 'term' },
    ),
  },
  { title: 'answer term', description: "A term the operator promises for one law's request type; it may not be longer than the law's." },
);

const RightsHandlingSchema = strictObject(
  {
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone in which GDPR, UK GDPR and CCPA terms are counted; default UTC.' })),
    answerTerms: Type.Optional(Type.Array(AnswerTermSchema, { description: "The operator's own answer terms, shorter than the law's." })),
    verification: Type.Optional(
      strictObject(
        {
          methods: Type.Array(oneOf(VERIFICATION_METHODS, { title: 'verification method' }), { minItems: 1, description: '`none` alone when the operator asks for no proof.' }),
          description: Type.Optional(LocalizedTextSchema),
        },
        { title: 'identity verification' },
      ),
    ),
    authorizedAgents: Type.Optional(strictObject({ accepted: Type.Boolean(), proof: Type.Optional(LocalizedTextSchema) }, { title: 'authorized agents' })),
    appeal: Type.Optional(strictObject({ process: LocalizedTextSchema, contact: Type.Optional(NonEmptyString) }, { title: 'appeal', description: 'How a person appeals a refusal to the operator.' })),
    regulators: Type.Optional(
      Type.Array(strictObject({ jurisdiction: JurisdictionSchema, name: LocalizedTextSchema, url: Type.Optional(UrlSchema) }, { title: 'regulator' }), {
        description: 'The supervisory authorities a person may complain to.',
      }),
    ),
    free: Type.Optional(Type.Boolean({ description: 'Requests are free of charge; false needs `fee`.' })),
    fee: Type.Optional(LocalizedTextSchema),
    consequences: Type.Optional(
      Type.Array(strictObject({ request: RequestTypeSchema, text: LocalizedTextSchema }, { title: 'consequence' }), {
        description: 'What exercising a right costs the person, e.g. loyalty points lost on deletion.',
      }),
    ),
  },
  { title: 'rights handling', description: 'How the operator handles rights requests: its answer terms, identity checks, agents, appeals, regulators, fees.' },
);

// The policy ---------------------------------------------------------------------------

export const PolicySourceSchema = strictObject(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors; ignored.' })),
    language: Type.Optional(Type.Literal('custodian/v1', { description: 'Language version.' })),
    id: IdSchema,
    version: Type.Optional(Type.String({ minLength: 1, description: "The operator's version label; quote numbers." })),
    effectiveDate: Type.Optional(DateSchema),
    defaultLocale: Type.Optional(LocaleSchema),
    locales: Type.Optional(
      Type.Array(LocaleSchema, { minItems: 1, description: 'Locales the notice is published in; default: [defaultLocale].' }),
    ),
    operator: OperatorSchema,
    group: Type.Optional(Type.Array(GroupEntitySchema)),
    categories: Type.Array(CategoryEntrySchema, { minItems: 1, description: 'The data categories the policy uses.' }),
    subjects: Type.Optional(Type.Array(SubjectEntrySchema)),
    purposes: Type.Array(PurposeSchema, { minItems: 1 }),
    recipients: Type.Optional(Type.Array(RecipientSchema)),
    cookies: Type.Optional(Type.Array(CookieSchema)),
    rightsChannels: Type.Optional(Type.Array(RightsChannelSchema)),
    notice: Type.Optional(Type.Array(NoticeSectionSchema)),
    rightsHandling: Type.Optional(RightsHandlingSchema),
    security: Type.Optional(LocalizedTextSchema),
    policyUrl: Type.Optional(UrlSchema),
  },
  {
    title: 'Custodian policy',
    description: 'A personal-data processing policy in the Custodian policy language (docs/policy-language.md).',
  },
);

/** A policy file after schema validation, before normalization. */
export type PolicySource = Static<typeof PolicySourceSchema>;
export type PurposeSource = PolicySource['purposes'][number];
export type RecipientSource = NonNullable<PolicySource['recipients']>[number];
export type CategoryEntrySource = PolicySource['categories'][number];
export type SubjectEntrySource = NonNullable<PolicySource['subjects']>[number];
export type EntitySource = PolicySource['operator'] | NonNullable<PolicySource['group']>[number];
export type LegalBasisSource = NonNullable<PurposeSource['legalBasis']>;
export type RetentionSource = NonNullable<PurposeSource['retention']>;

/**
 * The policy language as JSON Schema (draft 2020-12), for editors and for the HTTP layer to
 * serve at `/schemas/policy.json`. `scripts/gen-policy-schema.ts` writes it to disk.
 */
export const policyJsonSchema: Record<string, unknown> = toJsonSchema(PolicySourceSchema);

type JsonObject = Record<string, unknown>;

/**
 * TypeBox schemas are JSON Schema already; this only makes the published file readable:
 * shared pieces go to `$defs`, and unions of string literals become `enum`s.
 */
function toJsonSchema(root: TSchema): JsonObject {
  const defs: JsonObject = {};
  const marked = (schema: TSchema) => (schema as unknown as Record<symbol, unknown>)[JSON_DEF] as string | undefined;

  const convert = (schema: TSchema, inline = false): JsonObject => {
    const name = marked(schema);
    if (name && !inline) {
      if (!(name in defs)) {
        defs[name] = {};
        defs[name] = convert(schema, true);
      }
      const shared = defs[name] as JsonObject;
      return schema.description && schema.description !== shared.description
        ? { $ref: `#/$defs/${name}`, description: schema.description }
        : { $ref: `#/$defs/${name}` };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties') {
        out.properties = Object.fromEntries(Object.entries(value as Record<string, TSchema>).map(([k, v]) => [k, convert(v)]));
      } else if (key === 'items') {
        out.items = convert(value as TSchema);
      } else if (key === 'anyOf') {
        const variants = value as TSchema[];
        if (variants.every((v) => typeof v.const === 'string')) {
          out.type = 'string';
          out.enum = variants.map((v) => v.const);
        } else {
          out.anyOf = variants.map((v) => convert(v));
        }
      } else {
        out[key] = value;
      }
    }
    return out;
  };

  const body = convert(root);
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...body, $defs: defs };
}

/** True for schemas marked as localized text (see `LOCALIZED_TEXT`). */
export function isLocalizedTextSchema(schema: TSchema): boolean {
  return (schema as unknown as Record<symbol, unknown>)[LOCALIZED_TEXT] === true;
}
