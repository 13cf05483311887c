import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { checkPolicyFiles } from '../../src/cli/policy-commands.js';
import { compilePolicy, loadPolicyFile } from '../../src/policy/compile.js';
import { formatDiagnostic, PolicyError, type Diagnostic } from '../../src/policy/diagnostics.js';
import { indexPolicy, PROCESSING_OPERATIONS, VALUE_TYPES, type DataCategory, type Policy } from '../../src/policy/model.js';
import { policyJsonSchema } from '../../src/policy/schema.js';
import {
  BUILTIN_DATA_CATEGORIES,
  BUILTIN_DATA_SUBJECTS,
  builtinDataCategory,
  coversCategory,
} from '../../src/policy/taxonomy.js';

const FILE = 'shop.policy.yaml';

const MINIMAL = `language: custodian/v1
id: shop
operator:
  name: {en: Shop Ltd}
  jurisdictions: [UK]
  storageRegion: GB
categories:
  - user.contact.email
purposes:
  - id: orders
    title: {en: Order fulfilment}
    legalBasis: {gdpr: contract}
    categories: [user.contact.email]
    retention: {duration: P6Y}
`;

const FULL = `id: shop
version: "2026.1"
effectiveDate: 2026-01-15
defaultLocale: ru
locales: [ru, en]
operator:
  name: {ru: ТОО «Магазин», en: Shop LLP}
  registrations:
    - {scheme: BIN, value: "240540001232"}
  contacts: {email: privacy@shop.kz}
  jurisdictions: [KZ]
  storageRegion: KZ
categories:
  - user.contact.email
  - id: user.name
    title: {ru: ФИО покупателя, en: Buyer's name}
  - id: custom.loyalty_tier
    title: {ru: Уровень лояльности, en: Loyalty tier}
subjects:
  - customer
  - id: courier-staff
    title: {ru: Курьеры, en: Couriers}
purposes:
  - id: orders
    title: {ru: Заказы, en: Orders}
    legalBasis: {kz: contract}
    categories: [user.contact.email, user.name]
    subjects: [customer]
    retention: while-account-active
  - id: newsletter
    title: {ru: Рассылка, en: Newsletter}
    legalBasis: {kz: consent}
    categories: [user.contact.email, custom.loyalty_tier]
    subjects: [customer]
    operations: [collection, storage, use, transfer, destruction]
    marketing: true
    consent:
      separate: true
      validity: until-purpose-achieved
      thirdParties: false
      crossBorder: true
      publicDissemination: false
    retention: {duration: P1Y, from: consent-withdrawn}
    endAction: depersonalize
recipients:
  - id: mailer
    kind: processor
    name: {ru: Сервис рассылок, en: Mailing service}
    country: DE
    purposes: [newsletter]
    safeguard: consent
rightsChannels:
  - {kind: email, address: privacy@shop.kz, subjectMarker: Personal data}
`;

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${diagnostics.map(formatDiagnostic).join('\n')}`);
  return found[0]!;
}

/** 1-based line and column of the n-th occurrence of `needle`, computed from the text alone. */
function positionOf(text: string, needle: string, occurrence = 1): [number, number] {
  let index = -1;
  for (let n = 0; n < occurrence; n++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `"${needle}" not in the text`);
  const before = text.slice(0, index);
  return [before.split('\n').length, index - before.lastIndexOf('\n')];
}

function assertAt(d: Diagnostic, text: string, needle: string, occurrence = 1): void {
  assert.deepEqual([d.line, d.column], positionOf(text, needle, occurrence), formatDiagnostic(d));
}

describe('compilePolicy', () => {
  it('compiles a minimal policy and fills the defaults', () => {
    const { policy, diagnostics } = compilePolicy(MINIMAL, FILE);
    assert.deepEqual(diagnostics, []);
    assert.ok(policy);
    assert.equal(policy.defaultLocale, 'en');
    assert.deepEqual(policy.locales, ['en']);
    assert.equal(policy.operator.id, 'shop');
    assert.equal(policy.operator.role, 'operator');
    assert.deepEqual(policy.operator.registrations, []);
    const [purpose] = policy.purposes;
    assert.deepEqual(purpose!.retention, { kind: 'duration', duration: 'P6Y', from: 'collected' });
    assert.deepEqual(purpose!.operations, [...PROCESSING_OPERATIONS]);
    assert.deepEqual(purpose!.sources, ['direct']);
    assert.equal(purpose!.endAction, 'destroy');
    assert.equal(purpose!.consent, undefined);
    assert.deepEqual(policy.categories.map((c) => c.id), ['user.contact.email']);
    assert.deepEqual(policy.categories[0]!.title, builtinDataCategory('user.contact.email')!.title);
  });

  it('normalizes taxonomy ids, overrides, custom categories and recipient links', () => {
    const { policy, diagnostics } = compilePolicy(FULL, FILE);
    assert.deepEqual(codes(diagnostics), []);
    assert.ok(policy);
    assert.deepEqual(policy.categories.map((c) => c.id), ['user.contact.email', 'user.name', 'custom.loyalty_tier']);
    const name = policy.categories[1]!;
    assert.deepEqual(name.title, { ru: 'ФИО покупателя', en: "Buyer's name" });
    assert.equal(name.identifier, true, 'a built-in keeps its flags when only the title is overridden');
    assert.equal(name.custom, false);
    assert.equal(policy.categories[2]!.custom, true);
    assert.equal(policy.categories[2]!.special, false);
    assert.deepEqual(policy.subjects.map((s) => s.id), ['customer', 'courier-staff']);
    assert.equal(policy.subjects[0]!.title.kk, 'Клиенттер');

    const [orders, newsletter] = policy.purposes;
    assert.deepEqual(orders!.retention, { kind: 'while-account-active' });
    assert.deepEqual(newsletter!.consent, {
      separate: true,
      thirdParties: false,
      crossBorder: true,
      publicDissemination: false,
    });
    assert.deepEqual(newsletter!.recipients, ['mailer'], 'a link written on the recipient is visible on the purpose');
    assert.deepEqual(policy.recipients[0]!.categories, ['user.contact.email', 'custom.loyalty_tier']);
    assert.equal(newsletter!.endAction, 'depersonalize');
    assert.equal(policy.version, '2026.1');
    assert.deepEqual(policy.rightsChannels, [{ kind: 'email', address: 'privacy@shop.kz', subjectMarker: 'Personal data' }]);
  });

  it('gives every category a value type: the taxonomy default, text for a custom one, or what the policy declares', () => {
    const text = MINIMAL.replace(
      '  - user.contact.email\npurposes',
      [
        '  - user.contact.email',
        '  - user.name',
        '  - user.contact.address',
        '  - {id: user.government_id.passport, valueType: json}',
        '  - {id: shop.loyalty_tier, title: {en: Loyalty tier}}',
        '  - {id: shop.preferences, title: {en: Preferences}, valueType: json}',
        'purposes',
      ].join('\n'),
    );
    const { policy, diagnostics } = compilePolicy(text, FILE);
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
    assert.deepEqual(
      policy!.categories.map((c) => [c.id, c.valueType]),
      [
        ['user.contact.email', 'email'],
        ['user.name', 'text'],
        ['user.contact.address', 'json'],
        ['user.government_id.passport', 'json'],
        ['shop.loyalty_tier', 'text'],
        ['shop.preferences', 'json'],
      ],
    );
    assert.equal(policy!.categories[3]!.restricted, true, 'overriding the value type keeps the flags');
  });

  it('rejects a value type the vault does not know, listing the known ones', () => {
    const text = MINIMAL.replace('  - user.contact.email\npurposes', '  - {id: user.contact.email, valueType: e-mail}\npurposes');
    const d = only(compilePolicy(text, FILE).diagnostics, 'unknown-value-type');
    assertAt(d, text, 'e-mail}');
    assert.equal(d.path, 'categories[0].valueType');
    assert.match(d.message, /"e-mail" is not a value type; did you mean "email"\?; expected one of text, email, phone, date, number, document, json$/);
  });

  it('indexes a version compiled before value types with the types the compiler gives today', () => {
    const { policy } = compilePolicy(MINIMAL.replace('  - user.contact.email\npurposes', '  - user.contact.email\n  - {id: shop.tier, title: {en: Tier}}\npurposes'), FILE);
    const stored = JSON.parse(JSON.stringify(policy)) as Policy;
    for (const category of stored.categories) delete (category as Partial<DataCategory>).valueType;
    const index = indexPolicy(stored);
    assert.equal(index.category('user.contact.email')!.valueType, 'email');
    assert.equal(index.category('shop.tier')!.valueType, 'text');
    assert.deepEqual(index.policy.categories.map((c) => c.valueType), ['email', 'text']);
  });

  it('derives unstated consent scope from the recipients outside Kazakhstan', () => {
    const text = MINIMAL.replace('legalBasis: {gdpr: contract}', 'legalBasis: {gdpr: consent}\n    consent: {separate: true}\n    recipients: [crm]')
      + 'recipients:\n  - {id: crm, kind: third-party, name: {en: CRM Inc}, country: US, safeguard: scc}\n';
    const { policy, diagnostics } = compilePolicy(text, FILE);
    assert.deepEqual(codes(diagnostics), []);
    assert.deepEqual(policy!.purposes[0]!.consent, { separate: true, thirdParties: true, crossBorder: true, publicDissemination: false });
  });

  it('accepts JSON and compiles it to the same policy as the YAML', () => {
    const json = JSON.stringify(parseDocument(FULL).toJS(), null, 2);
    const fromJson = compilePolicy(json, 'shop.policy.json');
    assert.deepEqual(codes(fromJson.diagnostics), []);
    assert.deepEqual(fromJson.policy, compilePolicy(FULL, FILE).policy);
  });

  it('points JSON errors at their line and column', () => {
    const json = JSON.stringify({ ...parseDocument(MINIMAL).toJS(), polcyUrl: 'https://shop.example' }, null, 2);
    const d = only(compilePolicy(json, 'shop.policy.json').diagnostics, 'unknown-field');
    assertAt(d, json, '"polcyUrl"');
    assert.match(d.message, /did you mean "policyUrl"/);
  });

  it('reports YAML syntax errors with their position and stops there', () => {
    const text = 'id: shop\noperator:\n  name: {en: Shop\n  jurisdictions: [UK]\n';
    const { policy, diagnostics } = compilePolicy(text, FILE);
    assert.equal(policy, undefined);
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.code === 'yaml-syntax'));
    assert.ok(diagnostics[0]!.line >= 3);
  });

  it('reports an empty file as a missing policy at 1:1', () => {
    const d = compilePolicy('', FILE).diagnostics[0]!;
    assert.equal(d.code, 'invalid-type');
    assert.deepEqual([d.line, d.column], [1, 1]);
  });
});

describe('schema diagnostics', () => {
  it('flags an unknown key at the key, suggesting the intended one', () => {
    const text = MINIMAL.replace('  storageRegion: GB', '  storageRegion: GB\n  jurisdiction: [EU]');
    const d = only(compilePolicy(text, FILE).diagnostics, 'unknown-field');
    assertAt(d, text, 'jurisdiction: [EU]');
    assert.equal(d.path, 'operator.jurisdiction');
    assert.match(d.message, /did you mean "jurisdictions"/);
    assert.match(formatDiagnostic(d), /^shop\.policy\.yaml:7:3: error: operator: unknown field "jurisdiction"/);
  });

  it('flags a missing key at the map that should hold it', () => {
    const text = MINIMAL.replace("    title: {en: Order fulfilment}\n", '');
    const d = only(compilePolicy(text, FILE).diagnostics, 'missing-field');
    assert.equal(d.path, 'purposes[0].title');
    assertAt(d, text, 'id: orders');
    assert.match(d.message, /purposes\[0\]\.title is required/);
  });

  it('asks to quote a registration number YAML read as a number', () => {
    const text = MINIMAL.replace('  storageRegion: GB', '  storageRegion: GB\n  registrations:\n    - {scheme: CRN, value: 12345678}');
    const d = only(compilePolicy(text, FILE).diagnostics, 'invalid-type');
    assertAt(d, text, '12345678');
    assert.match(d.message, /quote it \("12345678"\)/);
  });

  it('rejects a processing operation outside the 94-V list', () => {
    const text = MINIMAL.replace('    retention:', '    operations: [collection, colection]\n    retention:');
    const d = only(compilePolicy(text, FILE).diagnostics, 'unknown-operation');
    assertAt(d, text, 'colection');
    assert.equal(d.path, 'purposes[0].operations[1]');
    assert.match(d.message, /did you mean "collection"/);
  });

  it('rejects an unknown taxonomy id with a suggestion', () => {
    const text = MINIMAL.replace('  - user.contact.email\npurposes', '  - user.contact.email\n  - user.contact.emial\npurposes');
    const d = only(compilePolicy(text, FILE).diagnostics, 'unknown-taxonomy-category');
    assertAt(d, text, 'user.contact.emial');
    assert.match(d.message, /did you mean "user.contact.email"/);
  });

  it('rejects an unknown built-in subject id', () => {
    const text = MINIMAL.replace('purposes:', 'subjects: [custmer]\npurposes:');
    const d = only(compilePolicy(text, FILE).diagnostics, 'unknown-subject-category');
    assertAt(d, text, 'custmer');
    assert.match(d.message, /did you mean "customer"/);
  });

  it('explains the allowed retention words and the duration format', () => {
    const word = MINIMAL.replace('retention: {duration: P6Y}', 'retention: forever');
    const wordError = only(compilePolicy(word, FILE).diagnostics, 'invalid-value');
    assertAt(wordError, word, 'forever');
    assert.match(wordError.message, /until-purpose-achieved, while-account-active, unlimited/);

    const duration = MINIMAL.replace('retention: {duration: P6Y}', 'retention: {duration: 6 years}');
    const durationError = only(compilePolicy(duration, FILE).diagnostics, 'invalid-format');
    assertAt(durationError, duration, '6 years');
    assert.match(durationError.message, /ISO 8601 duration \(e\.g\. P1Y/);
  });

  it('requires text in at least one locale', () => {
    const text = MINIMAL.replace('title: {en: Order fulfilment}', 'title: {}');
    const d = only(compilePolicy(text, FILE).diagnostics, 'empty-text');
    assertAt(d, text, '{}');
  });

  it('uses `kind` to pick the shape of a rights channel', () => {
    const text = `${MINIMAL}rightsChannels:\n  - {kind: email, url: https://shop.example/rights}\n  - {kind: fax, number: "123"}\n`;
    const diagnostics = compilePolicy(text, FILE).diagnostics;
    const unknown = only(diagnostics, 'unknown-field');
    assertAt(unknown, text, 'url:');
    assert.equal(only(diagnostics, 'missing-field').path, 'rightsChannels[0].address');
    const kind = only(diagnostics, 'invalid-value');
    assertAt(kind, text, 'fax');
    assert.match(kind.message, /"fax" is not one of self-service, email, post, phone, web-form/);
  });

  it('explains a comma that split a flow-map text into keys', () => {
    const text = MINIMAL.replace('title: {en: Order fulfilment}', 'title: {en: Orders, payments and delivery}');
    const [first] = compilePolicy(text, FILE).diagnostics;
    assert.equal(first!.code, 'unknown-field');
    assertAt(first!, text, 'payments and delivery');
    assert.match(first!.message, /a comma ends a value inside \{…\}; quote the text/);
  });
});

describe('loading files', () => {
  it('loadPolicyFile returns the policy or throws PolicyError with every diagnostic', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custodian-policy-'));
    try {
      const good = join(dir, 'good.policy.yaml');
      const bad = join(dir, 'bad.policy.yaml');
      await writeFile(good, MINIMAL);
      await writeFile(bad, MINIMAL.replace('    retention: {duration: P6Y}\n', ''));
      assert.equal((await loadPolicyFile(good)).id, 'shop');
      await assert.rejects(loadPolicyFile(bad), (error: unknown) => {
        assert.ok(error instanceof PolicyError);
        assert.deepEqual(codes(error.diagnostics), ['retention-missing']);
        assert.equal(error.code, 'policy_invalid');
        assert.match(error.message, /bad\.policy\.yaml: the policy has 1 error\(s\)$/);
        assert.equal(error.details.length, 1);
        assert.match(error.details[0]!.message, /bad\.policy\.yaml:10:5: error: purpose "orders" has no retention rule/);
        return true;
      });
      await assert.rejects(loadPolicyFile(join(dir, 'missing.yaml')), (error: unknown) => {
        assert.ok(error instanceof PolicyError);
        assert.deepEqual(codes(error.diagnostics), ['file-unreadable']);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('policy check command', () => {
  it('prints FILE:LINE:COL diagnostics and a summary, exiting 1 on errors only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custodian-check-'));
    try {
      const good = join(dir, 'good.policy.yaml');
      const warned = join(dir, 'warned.policy.yaml');
      const bad = join(dir, 'bad.policy.yaml');
      await writeFile(good, MINIMAL);
      await writeFile(warned, MINIMAL.replace('{duration: P6Y}', 'unlimited'));
      await writeFile(bad, MINIMAL.replace('[user.contact.email]', '[user.contact.phone_number]'));

      const passing = await checkPolicyFiles([good, warned]);
      assert.equal(passing.exitCode, 0);
      assert.deepEqual(passing.lines, [
        `${warned}:14:16: warning: purpose "orders" keeps data without limit; the GDPR's storage limitation (art. 5(1)(e)) requires a period or criteria [retention-unlimited-gdpr]`,
        '2 files checked: 0 errors, 1 warning',
      ]);

      const failing = await checkPolicyFiles([good, bad]);
      assert.equal(failing.exitCode, 1);
      assert.ok(
        failing.lines[0]!.startsWith(`${bad}:13:18: error: purposes[0].categories[0]: category "user.contact.phone_number" is not declared`),
        failing.lines[0],
      );
      assert.equal(failing.lines.at(-1), '2 files checked: 1 error, 0 warnings');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/policy-language.md', () => {
  it('its example policy compiles without diagnostics', async () => {
    const doc = await readFile(new URL('../../docs/policy-language.md', import.meta.url), 'utf8');
    const example = /## A small policy\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'the doc has a "A small policy" YAML block');
    const { policy, diagnostics } = compilePolicy(example, 'docs/policy-language.md');
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
    assert.equal(policy!.purposes[0]!.consent!.validity, undefined);
  });
});

describe('published JSON Schema', () => {
  it('schemas/policy.json is the generated schema (run scripts/gen-policy-schema.ts)', async () => {
    const committed = JSON.parse(await readFile(new URL('../../schemas/policy.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(committed, policyJsonSchema);
  });

  it('is strict and describes keys for editors', () => {
    const schema = policyJsonSchema as { $schema: string; additionalProperties: boolean; properties: Record<string, { description?: string; $ref?: string }>; $defs: Record<string, unknown> };
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.additionalProperties, false);
    assert.ok(schema.properties.categories!.description);
    assert.ok(schema.$defs.localizedText);
    assert.ok(!JSON.stringify(schema).includes('"anyOf":[{"const"'), 'string unions are published as enums');
  });
});

describe('taxonomy', () => {
  it('has a fideslang-style user.* tree with en/ru/kk titles and unique ids', () => {
    assert.ok(BUILTIN_DATA_CATEGORIES.length >= 60 && BUILTIN_DATA_CATEGORIES.length <= 95, String(BUILTIN_DATA_CATEGORIES.length));
    assert.equal(new Set(BUILTIN_DATA_CATEGORIES.map((c) => c.id)).size, BUILTIN_DATA_CATEGORIES.length);
    for (const category of BUILTIN_DATA_CATEGORIES) {
      assert.match(category.id, /^user\.[a-z_]+(\.[a-z_]+)*$/);
      assert.ok(category.title.en && category.title.ru && category.title.kk, category.id);
      const parent = category.id.split('.').slice(0, -1).join('.');
      if (parent !== 'user') assert.ok(builtinDataCategory(parent), `${category.id} has no parent ${parent}`);
    }
  });

  it('marks Kazakh and Russian identifiers as restricted identifiers', () => {
    for (const id of ['iin', 'bin', 'passport', 'id_card', 'snils', 'inn']) {
      const category = builtinDataCategory(`user.government_id.${id}`);
      assert.ok(category, id);
      assert.equal(category.identifier, true);
      assert.equal(category.restricted, true);
      assert.equal(category.special, false);
    }
    assert.equal(builtinDataCategory('user.government_id.iin')!.title.kk, 'Жеке сәйкестендіру нөмірі (ЖСН)');
  });

  it('marks special categories as restricted, and public-ish data as neither', () => {
    for (const id of ['user.health_and_medical', 'user.biometric', 'user.genetic', 'user.political_opinion', 'user.criminal_history']) {
      assert.equal(builtinDataCategory(id)!.special, true, id);
      assert.equal(builtinDataCategory(id)!.restricted, true, id);
    }
    assert.equal(builtinDataCategory('user.contact.email')!.restricted, false);
    assert.equal(builtinDataCategory('user.location.precise')!.special, false);
    assert.equal(builtinDataCategory('user.location.precise')!.ccpaSensitive, true);
  });

  it('gives each built-in category a value type, and the documentation lists the same', async () => {
    const doc = await readFile(new URL('../../docs/policy-language.md', import.meta.url), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `(user\.[a-z_.]+)` \| [^|]+ \| [^|]* \| `([a-z]+)` \|$/gm)].map((m) => [m[1]!, m[2]!]));
    for (const category of BUILTIN_DATA_CATEGORIES) {
      assert.ok((VALUE_TYPES as readonly string[]).includes(category.valueType), category.id);
      assert.equal(rows.get(category.id), category.valueType, `docs/policy-language.md: value type of ${category.id}`);
    }
    assert.equal(rows.size, BUILTIN_DATA_CATEGORIES.length);
    const types = (ids: string[]) => ids.map((id) => builtinDataCategory(id)!.valueType);
    assert.deepEqual(
      types(['user.name', 'user.contact.email', 'user.contact.phone_number', 'user.demographic.date_of_birth', 'user.government_id.iin', 'user.financial.income', 'user.contact.address']),
      ['text', 'email', 'phone', 'date', 'document', 'number', 'json'],
    );
  });

  it('lists the built-in data subjects and resolves the category tree', () => {
    assert.deepEqual(
      BUILTIN_DATA_SUBJECTS.map((s) => s.id),
      ['customer', 'prospect', 'user', 'employee', 'job-applicant', 'contractor', 'visitor', 'child', 'supplier-contact'],
    );
    assert.ok(coversCategory('user.contact', 'user.contact.email'));
    assert.ok(!coversCategory('user.contact', 'user.contactless'));
  });
});
