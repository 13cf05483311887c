import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy } from '../../src/policy/compile.js';
import { formatDiagnostic, type Diagnostic } from '../../src/policy/diagnostics.js';
import { isValidKzIdentifier } from '../../src/policy/semantics.js';

/** A valid Kazakhstan shop: every check below breaks one thing in it. */
const BASE = `id: shop
defaultLocale: ru
locales: [ru, en]
operator:
  name: {ru: ТОО «Магазин», en: Shop LLP}
  registrations:
    - {scheme: BIN, value: "240540001232"}
  contacts: {email: privacy@shop.kz}
  jurisdictions: [KZ]
  country: KZ
  storageRegion: KZ
categories:
  - user.contact.email
  - user.name
  - user.health_and_medical
subjects: [customer]
purposes:
  - id: orders
    title: {ru: Заказы, en: Orders}
    legalBasis: {kz: contract}
    categories: [user.contact.email, user.name]
    subjects: [customer]
    retention: {duration: P3Y, from: contract-ended}
    recipients: [courier]
  - id: newsletter
    title: {ru: Рассылка, en: Newsletter}
    legalBasis: {kz: consent}
    categories: [user.contact.email]
    subjects: [customer]
    marketing: true
    consent:
      separate: true
      validity: P1Y
      thirdParties: false
      crossBorder: true
      publicDissemination: false
    retention: {duration: P1Y, from: consent-withdrawn}
    recipients: [mailer]
recipients:
  - id: courier
    kind: processor
    name: {ru: Курьерская служба, en: Courier}
    country: KZ
  - id: mailer
    kind: processor
    name: {ru: Сервис рассылок, en: Mailing service}
    country: DE
    safeguard: consent
`;

const FILE = 'shop.policy.yaml';

function replace(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `"${from}" not in the policy`);
  return text.replace(from, to);
}

function positionOf(text: string, needle: string, occurrence = 1): [number, number] {
  let index = -1;
  for (let n = 0; n < occurrence; n++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `"${needle}" not in the text`);
  const before = text.slice(0, index);
  return [before.split('\n').length, index - before.lastIndexOf('\n')];
}

/**
 * Compiles `text`, expects exactly one diagnostic with `code`, and that it sits at the
 * `occurrence`-th `needle` (plus `offset` columns, to point past a key at its value).
 */
function expectAt(text: string, code: string, needle: string, options: { occurrence?: number; offset?: number } = {}): Diagnostic {
  const { diagnostics } = compilePolicy(text, FILE);
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  const d = found[0]!;
  const [line, column] = positionOf(text, needle, options.occurrence);
  assert.deepEqual([d.line, d.column], [line, column + (options.offset ?? 0)], formatDiagnostic(d));
  return d;
}

describe('the base policy', () => {
  it('compiles without diagnostics', () => {
    const { policy, diagnostics } = compilePolicy(BASE, FILE);
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
    assert.ok(policy);
  });
});

describe('references', () => {
  it('duplicate-id: the second declaration of an id', () => {
    const text = replace(BASE, 'recipients:\n  - id: courier', 'recipients:\n  - id: courier\n    kind: processor\n    name: {en: Courier two}\n    country: KZ\n  - id: courier');
    const d = expectAt(text, 'duplicate-id', 'courier', { occurrence: 3 });
    assert.equal(d.path, 'recipients[1].id');
  });

  it('duplicate-id: a category listed twice', () => {
    const text = replace(BASE, '  - user.name\n', '  - user.name\n  - user.name\n');
    assert.equal(expectAt(text, 'duplicate-id', '- user.name', { occurrence: 2, offset: 2 }).path, 'categories[2]');
  });

  it('undeclared-category: a built-in id the policy does not list', () => {
    const text = replace(BASE, '[user.contact.email, user.name]', '[user.contact.email, user.contact.phone_number]');
    const d = expectAt(text, 'undeclared-category', 'user.contact.phone_number');
    assert.equal(d.path, 'purposes[0].categories[1]');
    assert.match(d.message, /add "- user\.contact\.phone_number" to categories/);
  });

  it('undeclared-category: on a recipient, with a suggestion', () => {
    const text = replace(BASE, '    country: DE\n', '    country: DE\n    categories: [user.contact.emails]\n');
    const d = expectAt(text, 'undeclared-category', 'user.contact.emails');
    assert.equal(d.path, 'recipients[1].categories[0]');
    assert.match(d.message, /did you mean "user\.contact\.email"/);
  });

  it('undeclared-subject', () => {
    const text = replace(BASE, '    subjects: [customer]\n    retention: {duration: P3Y', '    subjects: [employee]\n    retention: {duration: P3Y');
    const d = expectAt(text, 'undeclared-subject', 'employee');
    assert.equal(d.path, 'purposes[0].subjects[0]');
  });

  it('undeclared-recipient', () => {
    const text = replace(BASE, 'recipients: [courier]', 'recipients: [courier, warehouse]');
    assert.equal(expectAt(text, 'undeclared-recipient', 'warehouse').path, 'purposes[0].recipients[1]');
  });

  it('undeclared-purpose: a recipient naming a purpose that does not exist', () => {
    const text = replace(BASE, '    country: KZ\n  - id: mailer', '    country: KZ\n    purposes: [billing]\n  - id: mailer');
    assert.equal(expectAt(text, 'undeclared-purpose', 'billing').path, 'recipients[0].purposes[0]');
  });

  it('custom-category-untitled: a category outside the taxonomy needs a title', () => {
    const text = replace(BASE, '  - user.health_and_medical\n', '  - user.health_and_medical\n  - id: loyalty_tier\n    special: false\n');
    expectAt(text, 'custom-category-untitled', 'id: loyalty_tier');
  });

  it('unknown-notice-section: an extra notice section placed after a section the notice does not have', () => {
    const text = `${BASE}notice:\n  - after: preamble\n    text: {ru: Текст, en: Text}\n`;
    const d = expectAt(text, 'unknown-notice-section', 'preamble');
    assert.equal(d.path, 'notice[0].after');
    assert.match(d.message, /^notice\[0\]\.after: "preamble" is not a notice section; expected one of operator, definitions, data, purposes, legal-bases, recipients, retention, rights, cookies, security, contacts, changes, end$/);
    assert.match(expectAt(replace(text, 'preamble', 'retension'), 'unknown-notice-section', 'retension').message, /did you mean "retention"/);
  });

  it('unknown-country: a country code that names no country, and an alias of one', () => {
    const unknown = expectAt(replace(BASE, 'country: DE', 'country: XX'), 'unknown-country', 'XX');
    assert.equal(unknown.path, 'recipients[1].country');
    assert.match(unknown.message, /"XX" is not an ISO 3166-1 alpha-2 country code/);
    const uk = expectAt(replace(replace(BASE, 'jurisdictions: [KZ]', 'jurisdictions: [UK]'), 'country: DE', 'country: UK'), 'unknown-country', 'UK\n');
    assert.match(uk.message, /write "GB"/);
    assert.equal(expectAt(replace(BASE, 'storageRegion: KZ', 'storageRegion: SU'), 'unknown-country', 'SU').path, 'operator.storageRegion');
    const { diagnostics } = compilePolicy(replace(BASE, 'country: DE\n    safeguard: consent', 'country: EU\n    safeguard: consent'), FILE);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'unknown-country'), [], 'EU is allowed');
  });

  it('recipient-category-not-in-purposes: a recipient said to receive data none of its purposes processes', () => {
    const text = replace(BASE, '    country: KZ\n  - id: mailer', '    country: KZ\n    categories: [user.name, user.health_and_medical]\n  - id: mailer');
    const d = expectAt(text, 'recipient-category-not-in-purposes', 'user.health_and_medical]');
    assert.equal(d.path, 'recipients[0].categories[1]');
    assert.match(d.message, /orders/);
    const covered = replace(replace(BASE, '  - user.name\n', '  - user.name\n  - user.contact\n'), '[user.contact.email, user.name]', '[user.contact, user.name]');
    const { diagnostics } = compilePolicy(replace(covered, '    country: KZ\n  - id: mailer', '    country: KZ\n    categories: [user.contact.email]\n  - id: mailer'), FILE);
    assert.deepEqual(diagnostics.map(formatDiagnostic), [], 'a purpose listing a parent covers its children');
  });

  it('invalid-date: an effective date that does not exist', () => {
    const d = expectAt(replace(BASE, 'defaultLocale: ru', 'effectiveDate: 2026-02-30\ndefaultLocale: ru'), 'invalid-date', '2026-02-30');
    assert.equal(d.path, 'effectiveDate');
  });

  it('custom-subject-untitled', () => {
    const text = replace(BASE, 'subjects: [customer]\npurposes', 'subjects: [customer, {id: courier-staff}]\npurposes');
    expectAt(text, 'custom-subject-untitled', '{id: courier-staff}');
  });
});

describe('Kazakhstan 94-V', () => {
  it('kz-consent-content: the validity of a consent is not stated', () => {
    const text = replace(BASE, '      validity: P1Y\n', '');
    const d = expectAt(text, 'kz-consent-content', 'separate: true');
    assert.equal(d.path, 'purposes[1].consent.validity');
    assert.match(d.message, /94-V art\. 8\(4\)/);
  });

  it('kz-consent-content: one diagnostic per unstated item', () => {
    const text = replace(BASE, '      thirdParties: false\n      crossBorder: true\n      publicDissemination: false\n', '');
    const found = compilePolicy(text, FILE).diagnostics.filter((d) => d.code === 'kz-consent-content');
    assert.deepEqual(found.map((d) => d.path), [
      'purposes[1].consent.thirdParties',
      'purposes[1].consent.crossBorder',
      'purposes[1].consent.publicDissemination',
    ]);
    for (const d of found) assert.deepEqual([d.line, d.column], positionOf(text, 'separate: true'));
  });

  it('accepts `validity: until-purpose-achieved` as a stated validity', () => {
    const text = replace(BASE, 'validity: P1Y', 'validity: until-purpose-achieved');
    const { policy, diagnostics } = compilePolicy(text, FILE);
    assert.deepEqual(diagnostics, []);
    assert.equal(policy!.purposes[1]!.consent!.validity, undefined);
  });

  it('kz-operator-bin: no BIN among the registrations', () => {
    const text = replace(BASE, '  registrations:\n    - {scheme: BIN, value: "240540001232"}\n', '');
    const d = expectAt(text, 'kz-operator-bin', 'name: {ru: ТОО');
    assert.equal(d.path, 'operator.registrations');
  });

  it('kz-operator-bin: a BIN that is not 12 digits', () => {
    const text = replace(BASE, '"240540001232"', '"2405400012"');
    expectAt(text, 'kz-operator-bin', '"2405400012"');
  });

  it('kz-bin-checksum: a mistyped BIN is a warning', () => {
    const text = replace(BASE, '"240540001232"', '"240540001233"');
    const d = expectAt(text, 'kz-bin-checksum', '"240540001233"');
    assert.equal(d.severity, 'warning');
    assert.ok(compilePolicy(text, FILE).policy, 'warnings do not fail the compile');
    assert.equal(isValidKzIdentifier('240540001232'), true);
    assert.equal(isValidKzIdentifier('240540001233'), false);
  });

  it('kz-storage-region: data stored outside Kazakhstan', () => {
    const text = replace(BASE, '  storageRegion: KZ', '  storageRegion: DE');
    const d = expectAt(text, 'kz-storage-region', 'DE');
    assert.match(d.message, /94-V art\. 12\(2\)/);
  });

  it('storage-region-missing: a Kazakhstan operator must say where data are stored', () => {
    const text = replace(BASE, '  storageRegion: KZ\n', '');
    const d = expectAt(text, 'storage-region-missing', 'name: {ru: ТОО');
    assert.equal(d.severity, 'error');
  });

  it('kz-marketing-consent-not-separate: a warning naming the separate flag', () => {
    const text = replace(BASE, 'separate: true', 'separate: false');
    const d = expectAt(text, 'kz-marketing-consent-not-separate', 'separate: false', { offset: 'separate: '.length });
    assert.equal(d.severity, 'warning');
  });

  it('retention-unlimited-kz: a warning naming 94-V art. 12(2)', () => {
    const text = replace(BASE, '{duration: P3Y, from: contract-ended}', 'unlimited');
    const d = expectAt(text, 'retention-unlimited-kz', 'unlimited');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /94-V art\. 12\(2\)/);
  });
});

describe('Russia 152-FZ', () => {
  const russian = replace(
    replace(replace(BASE, 'jurisdictions: [KZ]', 'jurisdictions: [KZ, RU]'), 'legalBasis: {kz: contract}', 'legalBasis: {kz: contract, ru: contract}'),
    'legalBasis: {kz: consent}',
    'legalBasis: {kz: consent, ru: consent}',
  );

  it('ru-storage-region: data of a Russian-law operator stored outside Russia', () => {
    const d = expectAt(russian, 'ru-storage-region', 'storageRegion: KZ', { offset: 'storageRegion: '.length });
    assert.equal(d.path, 'operator.storageRegion');
    assert.match(d.message, /152-FZ art\. 18\(5\)/);
  });

  it('retention-unlimited-ru: a warning naming 152-FZ art. 5(7)', () => {
    const text = replace(russian, '{duration: P1Y, from: consent-withdrawn}', 'unlimited');
    const d = expectAt(text, 'retention-unlimited-ru', 'unlimited');
    assert.match(d.message, /152-FZ art\. 5\(7\)/);
  });
});

describe('GDPR', () => {
  const european = replace(
    replace(replace(BASE, 'jurisdictions: [KZ]', 'jurisdictions: [KZ, EU]'), 'legalBasis: {kz: contract}', 'legalBasis: {kz: contract, gdpr: contract}'),
    'legalBasis: {kz: consent}',
    'legalBasis: {kz: consent, gdpr: consent}',
  );

  it('compiles when every purpose has a GDPR basis', () => {
    assert.deepEqual(compilePolicy(european, FILE).diagnostics.map(formatDiagnostic), []);
  });

  it('gdpr-art9-condition-missing: special categories without an art. 9(2) condition', () => {
    const text = replace(european, '[user.contact.email, user.name]', '[user.contact.email, user.health_and_medical]');
    const d = expectAt(text, 'gdpr-art9-condition-missing', '{kz: contract, gdpr: contract}');
    assert.equal(d.path, 'purposes[0].legalBasis.gdprArt9');
    assert.match(d.message, /user\.health_and_medical/);
    const fixed = replace(text, '{kz: contract, gdpr: contract}', '{kz: contract, gdpr: contract, gdprArt9: health-care}');
    assert.ok(compilePolicy(fixed, FILE).policy);
  });

  it('retention-unlimited-gdpr: a warning', () => {
    const text = replace(european, '{duration: P3Y, from: contract-ended}', 'unlimited');
    const d = expectAt(text, 'retention-unlimited-gdpr', 'unlimited');
    assert.equal(d.severity, 'warning');
  });
});

describe('legal basis and consent', () => {
  it('legal-basis-missing: one per applicable law without a basis', () => {
    const text = replace(BASE, 'jurisdictions: [KZ]', 'jurisdictions: [KZ, US-CA]');
    const found = compilePolicy(text, FILE).diagnostics.filter((d) => d.code === 'legal-basis-missing');
    assert.deepEqual(found.map((d) => d.path), ['purposes[0].legalBasis.ccpa', 'purposes[1].legalBasis.ccpa']);
    assert.deepEqual([found[0]!.line, found[0]!.column], positionOf(text, '{kz: contract}'));
    assert.match(found[0]!.message, /CCPA/);
  });

  it('legal-basis-missing: a purpose without legalBasis points at the purpose', () => {
    const text = replace(BASE, '    legalBasis: {kz: contract}\n', '');
    expectAt(text, 'legal-basis-missing', 'id: orders');
  });

  it('consent-missing: a consent purpose without a consent block', () => {
    const text = replace(BASE, '    consent:\n      separate: true\n      validity: P1Y\n      thirdParties: false\n      crossBorder: true\n      publicDissemination: false\n', '');
    expectAt(text, 'consent-missing', 'id: newsletter');
  });

  it('consent-without-consent-basis: a warning, and the block is dropped', () => {
    const text = replace(BASE, '    recipients: [courier]\n', '    recipients: [courier]\n    consent: {separate: true}\n');
    const d = expectAt(text, 'consent-without-consent-basis', '{separate: true}');
    assert.equal(d.severity, 'warning');
    assert.equal(compilePolicy(text, FILE).policy!.purposes[0]!.consent, undefined);
  });

  it('consent-cross-border-undeclared: consent says "not abroad" but a recipient is abroad', () => {
    const text = replace(BASE, 'crossBorder: true', 'crossBorder: false');
    const d = expectAt(text, 'consent-cross-border-undeclared', 'crossBorder: false', { offset: 'crossBorder: '.length });
    assert.match(d.message, /mailer in DE/);
  });

  it('consent-third-parties-undeclared: consent says "no third parties" but one receives data', () => {
    const text = replace(BASE, '  - id: mailer\n    kind: processor', '  - id: mailer\n    kind: third-party');
    const d = expectAt(text, 'consent-third-parties-undeclared', 'thirdParties: false', { offset: 'thirdParties: '.length });
    assert.match(d.message, /mailer/);
  });
});

describe('retention and transfers', () => {
  it('retention-missing: at the purpose', () => {
    const text = replace(BASE, '    retention: {duration: P3Y, from: contract-ended}\n', '');
    const d = expectAt(text, 'retention-missing', 'id: orders');
    assert.equal(d.path, 'purposes[0].retention');
    assert.equal(compilePolicy(text, FILE).policy, undefined);
  });

  it('cross-border-safeguard-missing: a foreign recipient without a safeguard', () => {
    const text = replace(BASE, '    safeguard: consent\n', '');
    const d = expectAt(text, 'cross-border-safeguard-missing', 'id: mailer');
    assert.equal(d.path, 'recipients[1].safeguard');
  });

  it('cross-border-safeguard-missing: `none` is no safeguard', () => {
    const text = replace(BASE, 'safeguard: consent', 'safeguard: none');
    expectAt(text, 'cross-border-safeguard-missing', 'none');
  });

  it('treats the EEA as one region', () => {
    const text = [
      ['jurisdictions: [KZ]', 'jurisdictions: [EU]'],
      ['  storageRegion: KZ', '  storageRegion: FR'],
      ['    country: KZ\n  - id: mailer', '    country: IT\n  - id: mailer'],
      ['    safeguard: consent\n', ''],
    ].reduce((policy, [from, to]) => replace(policy, from!, to!), BASE);
    const gdpr = text.replaceAll('{kz: contract}', '{gdpr: contract}').replaceAll('{kz: consent}', '{gdpr: consent}');
    assert.deepEqual(compilePolicy(gdpr, FILE).diagnostics.map((d) => d.code), []);
  });

  it('transfer-not-allowed: recipients but no transfer operation', () => {
    const text = replace(BASE, '    recipients: [courier]\n', '    recipients: [courier]\n    operations: [collection, storage, use]\n');
    expectAt(text, 'transfer-not-allowed', '[collection, storage, use]');
  });
});

describe('locales', () => {
  it('default-locale-not-listed', () => {
    const text = replace(BASE, 'defaultLocale: ru', 'defaultLocale: kk');
    expectAt(text, 'default-locale-not-listed', 'kk');
  });

  it('translation-missing: a warning for each text without a published locale', () => {
    const text = replace(BASE, '{ru: Рассылка, en: Newsletter}', '{ru: Рассылка}');
    const d = expectAt(text, 'translation-missing', '{ru: Рассылка}');
    assert.equal(d.severity, 'warning');
    assert.equal(d.path, 'purposes[1].title');
    assert.match(d.message, /no en text/);
  });
});
