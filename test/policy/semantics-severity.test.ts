/**
 * Which meaning checks stop a policy from being published and which only warn: every
 * error must leave the compiler without a policy (so `publish` refuses it), every warning
 * must leave one, and each finding says what is wrong in words a policy author can act on.
 * The policy is written as JSON (the compiler reads YAML, JSON included) so each case is
 * an edit of the object.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compilePolicy } from '../../src/policy/compile.js';
import { applicableJurisdictions, isCalendarDate, isConsentBased, isValidKzIdentifier } from '../../src/policy/semantics.js';
import { CustodianError } from '../../src/errors.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';

type Source = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid Kazakhstan shop with a courier at home and a mailer abroad under consent. */
function base(): Source {
  return {
    id: 'shop',
    defaultLocale: 'ru',
    locales: ['ru', 'en'],
    operator: {
      name: { ru: 'ТОО «Магазин»', en: 'Shop LLP' },
      registrations: [{ scheme: 'BIN', value: '240540001232' }],
      contacts: { email: 'privacy@shop.kz' },
      jurisdictions: ['KZ'],
      country: 'KZ',
      storageRegion: 'KZ',
    },
    categories: ['user.contact.email', 'user.name', 'user.health_and_medical'],
    subjects: ['customer'],
    purposes: [
      {
        id: 'orders',
        title: { ru: 'Заказы', en: 'Orders' },
        legalBasis: { kz: 'contract' },
        categories: ['user.contact.email', 'user.name'],
        subjects: ['customer'],
        retention: { duration: 'P3Y', from: 'contract-ended' },
        recipients: ['courier'],
      },
      {
        id: 'newsletter',
        title: { ru: 'Рассылка', en: 'Newsletter' },
        legalBasis: { kz: 'consent' },
        categories: ['user.contact.email'],
        subjects: ['customer'],
        marketing: true,
        consent: { separate: true, validity: 'P1Y', thirdParties: false, crossBorder: true, publicDissemination: false },
        retention: { duration: 'P1Y', from: 'consent-withdrawn' },
        recipients: ['mailer'],
      },
    ],
    recipients: [
      { id: 'courier', kind: 'processor', name: { ru: 'Курьерская служба', en: 'Courier' }, country: 'KZ' },
      { id: 'mailer', kind: 'processor', name: { ru: 'Сервис рассылок', en: 'Mailing service' }, country: 'DE', safeguard: 'consent' },
    ],
  };
}

/** The base made subject to the GDPR as well (an EU group company), purposes with a GDPR basis. */
function withGdpr(source: Source = base()): Source {
  source.operator.jurisdictions = ['KZ', 'EU'];
  source.purposes[0].legalBasis.gdpr = 'contract';
  source.purposes[1].legalBasis.gdpr = 'consent';
  return source;
}

function compile(edit: (s: Source) => void | Source) {
  const source = base();
  const edited = edit(source) ?? source;
  return compilePolicy(JSON.stringify(edited), 'shop.policy.json');
}
const found = (edit: (s: Source) => void | Source) => compile(edit).diagnostics.map((d) => ({ severity: d.severity, code: d.code, path: d.path, message: d.message }));

/** Exactly these findings, and a policy only when none of them is an error. */
function expectFindings(edit: (s: Source) => void | Source, expected: { severity: 'error' | 'warning'; code: string; path?: string; message: string }[]): void {
  const result = compile(edit);
  const actual = result.diagnostics.map((d) => ({ severity: d.severity, code: d.code, ...(expected.some((e) => e.path !== undefined) ? { path: d.path } : {}), message: d.message }));
  assert.deepEqual(actual, expected);
  const blocking = expected.some((e) => e.severity === 'error');
  assert.equal(result.policy === undefined, blocking, blocking ? 'an error stops publication' : 'a warning does not');
}

describe('the base policy', () => {
  it('compiles without findings', () => {
    expectFindings(() => {}, []);
    expectFindings(withGdpr, []);
  });
});

describe('errors stop publication', () => {
  it('duplicate-id in each list', () => {
    expectFindings((s) => void s.purposes.push({ ...s.purposes[0] }), [{ severity: 'error', code: 'duplicate-id', message: 'purposes[2]: "orders" is declared twice in purposes' }]);
    expectFindings((s) => void s.categories.push('user.name'), [{ severity: 'error', code: 'duplicate-id', message: 'categories[3]: "user.name" is declared twice in categories' }]);
    expectFindings((s) => void s.subjects.push('customer'), [{ severity: 'error', code: 'duplicate-id', message: 'subjects[1]: "customer" is declared twice in subjects' }]);
    expectFindings((s) => void s.recipients.push({ ...s.recipients[0] }), [{ severity: 'error', code: 'duplicate-id', message: 'recipients[2]: "courier" is declared twice in recipients' }]);
  });

  it('default-locale-not-listed', () => {
    expectFindings((s) => void (s.defaultLocale = 'kk'), [{ severity: 'error', code: 'default-locale-not-listed', message: 'defaultLocale "kk" is not among locales (ru, en)' }]);
  });

  it('storage-region-missing for a Kazakh or Russian operator, naming each law', () => {
    expectFindings((s) => void delete s.operator.storageRegion, [
      { severity: 'error', code: 'storage-region-missing', message: "the operator states no storageRegion; 94-V art. 12(2) requires Kazakhstan's operators to keep personal data in databases located in Kazakhstan" },
    ]);
    const both = found((s) => {
      delete s.operator.storageRegion;
      s.operator.jurisdictions = ['KZ', 'RU'];
      for (const p of s.purposes) p.legalBasis.ru = p.legalBasis.kz;
    });
    assert.deepEqual(both.filter((f) => f.code === 'storage-region-missing').map((f) => [f.severity, f.message]), [
      ['error', "the operator states no storageRegion; 94-V art. 12(2) requires Kazakhstan's operators to keep personal data in databases located in Kazakhstan; 152-FZ art. 18(5) requires databases located in Russia when collecting data of Russian citizens"],
    ]);
  });

  it('kz-storage-region for a Kazakh operator storing abroad; a foreign operator naming 94-V is only warned', () => {
    const storedInGermany = (s: Source) => {
      s.operator.storageRegion = 'DE';
      s.recipients[0].country = 'DE';
    };
    expectFindings(storedInGermany, [
      { severity: 'error', code: 'kz-storage-region', message: "the operator stores data in DE; 94-V art. 12(2) requires Kazakhstan's operators to keep personal data in databases located in Kazakhstan" },
    ]);
    expectFindings(
      (s) => {
        storedInGermany(s);
        s.operator.country = 'DE';
      },
      [{ severity: 'warning', code: 'kz-storage-region', message: "the operator (established in DE) stores data in DE; 94-V art. 12(2) requires Kazakhstan's operators to keep personal data in databases located in Kazakhstan, so it must not collect data of KZ citizens into these databases" }],
    );
  });

  it('ru-storage-region for a Russian operator storing abroad; a Kazakh one naming 152-FZ is only warned', () => {
    const kzAndRu = (s: Source) => {
      s.operator.jurisdictions = ['KZ', 'RU'];
      for (const p of s.purposes) p.legalBasis.ru = p.legalBasis.kz;
    };
    expectFindings(kzAndRu, [
      { severity: 'warning', code: 'ru-storage-region', message: 'the operator (established in KZ) stores data in KZ; 152-FZ art. 18(5) requires databases located in Russia when collecting data of Russian citizens, so it must not collect data of RU citizens into these databases' },
    ]);
    expectFindings(
      (s) => {
        kzAndRu(s);
        s.operator.country = 'RU';
      },
      [{ severity: 'error', code: 'ru-storage-region', message: 'the operator stores data in KZ; 152-FZ art. 18(5) requires databases located in Russia when collecting data of Russian citizens' }],
    );
    expectFindings(
      (s) => {
        kzAndRu(s);
        delete s.operator.country;
      },
      [{ severity: 'error', code: 'ru-storage-region', message: 'the operator stores data in KZ; 152-FZ art. 18(5) requires databases located in Russia when collecting data of Russian citizens' }],
    );
  });

  it('storage rules for a group entity follow its own jurisdictions, else the operator’s', () => {
    expectFindings(
      (s) => void (s.group = [{ id: 'kz-branch', role: 'processor', name: { ru: 'Филиал', en: 'Branch' }, country: 'KZ' }]),
      [{ severity: 'error', code: 'storage-region-missing', message: "group entity \"kz-branch\" states no storageRegion; 94-V art. 12(2) requires Kazakhstan's operators to keep personal data in databases located in Kazakhstan" }],
    );
    const eu = found((s) => void (s.group = [{ id: 'eu-branch', role: 'processor', name: { ru: 'Филиал', en: 'Branch' }, country: 'DE', jurisdictions: ['EU'] }]));
    assert.deepEqual(eu.filter((f) => f.code.includes('storage')), [], 'an EU entity has no localisation rule');
  });

  it('kz-operator-bin when the BIN is not 12 digits; a missing one is a warning, a mistyped one too', () => {
    expectFindings((s) => void (s.operator.registrations[0].value = '24054000123'), [{ severity: 'error', code: 'kz-operator-bin', message: 'operator.registrations[0]: a BIN has 12 digits, found "24054000123"' }]);
    expectFindings((s) => void (s.operator.registrations = []), [
      { severity: 'warning', code: 'kz-operator-bin', message: 'operator.registrations has no BIN: 94-V art. 8(4) requires a consent to name the operator with its BIN or IIN; add {scheme: BIN, value: "…"}' },
    ]);
    expectFindings((s) => void (s.operator.registrations[0].value = '240540001233'), [{ severity: 'warning', code: 'kz-bin-checksum', message: 'operator.registrations[0]: BIN "240540001233" fails the check digit; is it mistyped?' }]);
    for (const scheme of ['IIN', 'БИН', 'иин', ' bin ']) {
      assert.deepEqual(found((s) => void (s.operator.registrations = [{ scheme, value: '240540001232' }])).filter((f) => f.code.startsWith('kz-')), [], scheme);
    }
    expectFindings((s) => void (s.operator.registrations = [{ scheme: 'VAT', value: 'X' }, { scheme: 'BIN', value: '1' }]), [{ severity: 'error', code: 'kz-operator-bin', message: 'operator.registrations[1]: a BIN has 12 digits, found "1"' }]);
    assert.deepEqual(found((s) => {
      s.operator.jurisdictions = ['EU'];
      s.operator.registrations = [];
      s.operator.storageRegion = 'DE';
      s.operator.country = 'DE';
      for (const p of s.purposes) p.legalBasis = { gdpr: p.legalBasis.kz };
    }).filter((f) => f.code.startsWith('kz-')), [], 'no BIN is asked of an operator outside Kazakhstan');
  });

  it(
    'custom-category-untitled suggests a built-in id, never the untitled category itself',
    () => {
      const [finding] = found((s) => void s.categories.push({ id: 'user.shoe_size' }));
      assert.ok(!finding.message.includes('did you mean "user.shoe_size"'), finding.message);
    },
  );

  it('custom-category-untitled and custom-subject-untitled', () => {
    const untitled = found((s) => void s.categories.push({ id: 'user.shoe_size' }));
    assert.deepEqual(untitled.map((f) => [f.severity, f.code]), [['error', 'custom-category-untitled']]);
    assert.ok(untitled[0].message.startsWith('categories[3]: custom category "user.shoe_size" needs a title (it is not in the built-in taxonomy'), untitled[0].message);
    assert.equal(compile((s) => void s.categories.push({ id: 'user.shoe_size' })).policy, undefined);
    expectFindings((s) => void s.subjects.push({ id: 'supplier-rep' }), [{ severity: 'error', code: 'custom-subject-untitled', message: 'subjects[1]: custom subject category "supplier-rep" needs a title' }]);
    assert.deepEqual(found((s) => void s.categories.push({ id: 'user.shoe_size', title: { ru: 'Размер', en: 'Size' } })), []);
    assert.deepEqual(found((s) => void s.subjects.push({ id: 'supplier-rep', title: { ru: 'Представитель', en: 'Representative' } })), []);
    assert.deepEqual(found((s) => void (s.categories[1] = { id: 'user.name' })), [], 'a built-in category needs no title');
  });

  it('unknown-country for a code that names no country, and for an alias', () => {
    expectFindings((s) => void (s.recipients[0].country = 'XX'), [
      { severity: 'error', code: 'cross-border-safeguard-missing', message: 'recipient "courier" in XX receives data stored in KZ: a cross-border transfer needs a safeguard (adequacy, scc, bcr, consent, treaty or law), found none' },
      { severity: 'error', code: 'unknown-country', message: 'recipients[0].country: "XX" is not an ISO 3166-1 alpha-2 country code (use EU for EU-wide, ZZ for a country not stated)' },
    ]);
    expectFindings((s) => void (s.recipients[0].country = 'UK'), [
      { severity: 'error', code: 'cross-border-safeguard-missing', message: 'recipient "courier" in UK receives data stored in KZ: a cross-border transfer needs a safeguard (adequacy, scc, bcr, consent, treaty or law), found none' },
      { severity: 'error', code: 'unknown-country', message: 'recipients[0].country: "UK" is not an ISO 3166-1 alpha-2 country code; write "GB"' },
    ]);
    assert.deepEqual(found((s) => void (s.group = [{ id: 'g', role: 'processor', name: { ru: 'Г', en: 'G' }, country: 'QQ', storageRegion: 'KZ' }])).map((f) => f.path), ['group[0].country']);
    assert.deepEqual(found((s) => void (s.operator.country = 'QQ')).map((f) => [f.code, f.path]), [['unknown-country', 'operator.country']]);
  });

  it('invalid-date for a day that does not exist', () => {
    expectFindings((s) => void (s.effectiveDate = '2026-02-30'), [{ severity: 'error', code: 'invalid-date', message: 'effectiveDate: 2026-02-30 is not a day of the calendar' }]);
    assert.deepEqual(found((s) => void (s.effectiveDate = '2028-02-29')), []);
    assert.equal(isCalendarDate('2026-02-29'), false);
    assert.equal(isCalendarDate('2028-02-29'), true);
    assert.equal(isCalendarDate('2026-13-01'), false);
  });

  it('undeclared references, with the fix', () => {
    expectFindings((s) => void s.purposes[0].categories.push('user.contact.phone_number'), [
      { severity: 'error', code: 'undeclared-category', message: 'purposes[0].categories[2]: category "user.contact.phone_number" is not declared in categories; it is built in, so add "- user.contact.phone_number" to categories' },
    ]);
    expectFindings((s) => void s.purposes[0].subjects.push('employee'), [
      { severity: 'error', code: 'undeclared-subject', message: 'purposes[0].subjects[1]: subject "employee" is not declared in subjects; it is built in, so add "- employee" to subjects' },
    ]);
    expectFindings((s) => void s.purposes[0].recipients.push('couriers'), [
      { severity: 'error', code: 'undeclared-recipient', message: 'purposes[0].recipients[1]: recipient "couriers" is not declared in recipients; did you mean "courier"?' },
    ]);
    expectFindings((s) => void (s.recipients[0].purposes = ['orderz']), [
      { severity: 'error', code: 'undeclared-purpose', message: 'recipients[0].purposes[0]: purpose "orderz" is not declared in purposes; did you mean "orders"?' },
    ]);
  });

  it('transfer-not-allowed when a purpose with recipients does not transfer', () => {
    expectFindings((s) => void (s.purposes[0].operations = ['collection', 'storage', 'use']), [
      { severity: 'error', code: 'transfer-not-allowed', message: 'purpose "orders" has recipients (courier) but its operations do not include "transfer"' },
    ]);
    assert.deepEqual(found((s) => void (s.purposes[0].operations = ['collection', 'transfer'])), []);
  });

  it('legal-basis-missing under each law that applies', () => {
    expectFindings((s) => void delete s.purposes[0].legalBasis.kz, [{ severity: 'error', code: 'legal-basis-missing', message: "purpose \"orders\" has no legal basis under Kazakhstan's Law 94-V: add legalBasis.kz" }]);
    const laws = found((s) => {
      withGdpr(s);
      s.operator.jurisdictions = ['KZ', 'EU', 'RU', 'US-CA'];
      s.purposes[0].legalBasis = {};
    }).filter((f) => f.code === 'legal-basis-missing' && f.path.startsWith('purposes[0]'));
    assert.deepEqual(laws.map((f) => f.message), [
      "purpose \"orders\" has no legal basis under Kazakhstan's Law 94-V: add legalBasis.kz",
      'purpose "orders" has no legal basis under the GDPR (EU/UK): add legalBasis.gdpr',
      "purpose \"orders\" has no legal basis under Russia's Law 152-FZ: add legalBasis.ru",
      'purpose "orders" has no legal basis under the CCPA/CPRA (California): add legalBasis.ccpa',
    ]);
    const uk = found((s) => {
      s.operator.jurisdictions = ['KZ', 'UK'];
    }).filter((f) => f.code === 'legal-basis-missing');
    assert.equal(uk.length, 2, 'the UK GDPR asks for a gdpr basis too');
    const grouped = found((s) => void (s.group = [{ id: 'eu', role: 'controller', name: { ru: 'ЕС', en: 'EU' }, country: 'DE', jurisdictions: ['EU'] }])).filter((f) => f.code === 'legal-basis-missing');
    assert.equal(grouped.length, 2, 'a group entity’s law applies to every purpose');
  });

  it('gdpr-art9-condition-missing for special categories under the GDPR only', () => {
    expectFindings(
      (s) => {
        withGdpr(s);
        s.purposes[0].categories.push('user.health_and_medical');
      },
      [{ severity: 'error', code: 'gdpr-art9-condition-missing', message: 'purpose "orders" processes special categories (user.health_and_medical) under the GDPR without an art. 9(2) condition: add legalBasis.gdprArt9' }],
    );
    assert.deepEqual(found((s) => {
      withGdpr(s);
      s.purposes[0].categories.push('user.health_and_medical');
      s.purposes[0].legalBasis.gdprArt9 = 'explicit-consent';
      s.purposes[0].consent = { separate: true, validity: 'P1Y', thirdParties: false, crossBorder: false, publicDissemination: false };
    }).filter((f) => f.code === 'gdpr-art9-condition-missing'), []);
    assert.deepEqual(found((s) => void s.purposes[0].categories.push('user.health_and_medical')), [], '94-V alone asks no art. 9 condition');
  });

  it('consent-missing, and kz-consent-content for each item 94-V art. 8(4) wants stated', () => {
    expectFindings((s) => void delete s.purposes[1].consent, [
      { severity: 'warning', code: 'kz-marketing-consent-not-separate', message: 'purpose "newsletter" is marketing: under Kazakhstan law ask for it with a separate consent (legalBasis.kz: consent, consent.separate: true; 94-V art. 7(6))' },
      { severity: 'error', code: 'consent-missing', message: 'purpose "newsletter" relies on consent but has no consent block stating what the consent covers (separate, validity, thirdParties, crossBorder, publicDissemination)' },
    ]);
    const items: [string, string][] = [
      ['validity', 'how long it is valid (an ISO 8601 duration, or until-purpose-achieved)'],
      ['thirdParties', 'whether data go to third parties (true or false)'],
      ['crossBorder', 'whether data go abroad (true or false)'],
      ['publicDissemination', 'whether data are made public (true or false)'],
    ];
    for (const [key, what] of items) {
      const result = found((s) => void delete s.purposes[1].consent[key]);
      const content = result.filter((f) => f.code === 'kz-consent-content');
      assert.deepEqual(content.map((f) => [f.severity, f.path, f.message]), [['error', `purposes[1].consent.${key}`, `purpose "newsletter": a Kazakhstan consent must state ${what} (94-V art. 8(4)); add consent.${key}`]], key);
      assert.equal(compile((s) => void delete s.purposes[1].consent[key]).policy, undefined);
    }
    const gdprOnly = found((s) => {
      withGdpr(s);
      s.purposes[1].legalBasis.kz = 'public-task';
      delete s.purposes[1].consent.validity;
    });
    assert.deepEqual(gdprOnly.filter((f) => f.code === 'kz-consent-content'), [], 'no 94-V content where 94-V does not rest on consent');
  });

  it('consent-cross-border-undeclared and consent-third-parties-undeclared', () => {
    expectFindings((s) => void (s.purposes[1].consent.crossBorder = false), [
      { severity: 'error', code: 'consent-cross-border-undeclared', message: 'purpose "newsletter": consent.crossBorder is false but recipients abroad receive its data (mailer in DE)' },
    ]);
    expectFindings(
      (s) => {
        s.recipients[1].kind = 'third-party';
      },
      [{ severity: 'error', code: 'consent-third-parties-undeclared', message: 'purpose "newsletter": consent.thirdParties is false but third parties receive its data (mailer)' }],
    );
    expectFindings(
      (s) => {
        s.recipients[1].kind = 'group-company';
      },
      [{ severity: 'error', code: 'consent-third-parties-undeclared', message: 'purpose "newsletter": consent.thirdParties is false but third parties receive its data (mailer)' }],
    );
    assert.deepEqual(found((s) => {
      s.recipients[1].kind = 'third-party';
      s.purposes[1].consent.thirdParties = true;
    }), []);
    assert.deepEqual(found((s) => {
      s.recipients[1].country = 'KZ';
      s.purposes[1].consent.crossBorder = false;
    }), [], 'a recipient at home is not abroad');
  });

  it('retention-missing', () => {
    expectFindings((s) => void delete s.purposes[0].retention, [
      { severity: 'error', code: 'retention-missing', message: 'purpose "orders" has no retention rule: add retention (until-purpose-achieved, while-account-active, unlimited, or {duration, from})' },
    ]);
  });

  it('recipient-category-not-in-purposes', () => {
    expectFindings((s) => void (s.recipients[0].categories = ['user.health_and_medical']), [
      { severity: 'error', code: 'recipient-category-not-in-purposes', message: 'recipients[0].categories[0]: recipient "courier" is said to receive "user.health_and_medical", but its purposes (orders) do not process it' },
    ]);
    expectFindings(
      (s) => {
        s.recipients.push({ id: 'idle', kind: 'processor', name: { ru: 'Никто', en: 'Nobody' }, country: 'KZ', categories: ['user.name'] });
      },
      [{ severity: 'error', code: 'recipient-category-not-in-purposes', message: 'recipients[2].categories[0]: recipient "idle" is said to receive "user.name", but it serves no purpose' }],
    );
    assert.deepEqual(found((s) => void (s.recipients[0].categories = ['user.name'])), []);
  });

  it('cross-border-safeguard-missing, for none and for `none`', () => {
    expectFindings((s) => void delete s.recipients[1].safeguard, [
      { severity: 'error', code: 'cross-border-safeguard-missing', message: 'recipient "mailer" in DE receives data stored in KZ: a cross-border transfer needs a safeguard (adequacy, scc, bcr, consent, treaty or law), found none' },
    ]);
    expectFindings((s) => void (s.recipients[1].safeguard = 'none'), [
      { severity: 'error', code: 'cross-border-safeguard-missing', message: 'recipient "mailer" in DE receives data stored in KZ: a cross-border transfer needs a safeguard (adequacy, scc, bcr, consent, treaty or law), found none' },
    ]);
  });
});

describe('warnings leave the policy publishable', () => {
  it('translation-missing', () => {
    expectFindings((s) => void delete s.purposes[0].title.en, [{ severity: 'warning', code: 'translation-missing', message: 'purposes[0].title has no en text; the notice is published in ru, en' }]);
  });

  it('storage-region-missing for an operator outside KZ and RU that states neither region nor country', () => {
    expectFindings(
      (s) => {
        s.operator.jurisdictions = ['EU'];
        delete s.operator.storageRegion;
        delete s.operator.country;
        s.operator.registrations = [];
        for (const p of s.purposes) p.legalBasis = { gdpr: p.legalBasis.kz };
      },
      [{ severity: 'warning', code: 'storage-region-missing', message: 'the operator states neither storageRegion nor country, so cross-border transfers to recipients cannot be checked' }],
    );
  });

  it('kz-marketing-consent-not-separate, for a consent that is not separate and for another basis', () => {
    expectFindings((s) => void (s.purposes[1].consent.separate = false), [
      { severity: 'warning', code: 'kz-marketing-consent-not-separate', message: 'purpose "newsletter" is marketing: under Kazakhstan law ask for it with a separate consent (legalBasis.kz: consent, consent.separate: true; 94-V art. 7(6))' },
    ]);
    const other = found((s) => {
      s.purposes[1].legalBasis.kz = 'public-task';
      delete s.purposes[1].consent;
    });
    assert.deepEqual(other.map((f) => [f.severity, f.code, f.path]), [['warning', 'kz-marketing-consent-not-separate', 'purposes[1]']]);
  });

  it('consent-without-consent-basis', () => {
    expectFindings(
      (s) => {
        s.purposes[0].consent = { separate: false, validity: 'P1Y', thirdParties: false, crossBorder: false, publicDissemination: false };
      },
      [{ severity: 'warning', code: 'consent-without-consent-basis', message: 'purpose "orders" has a consent block but no legal basis is consent; the block is ignored' }],
    );
  });

  it('retention-unlimited under each law that limits storage', () => {
    expectFindings((s) => void (s.purposes[0].retention = 'unlimited'), [
      { severity: 'warning', code: 'retention-unlimited-kz', message: 'purpose "orders" keeps data without limit; 94-V art. 12(2) allows storage no longer than the purpose requires' },
    ]);
    const all = found((s) => {
      withGdpr(s);
      s.operator.jurisdictions = ['KZ', 'EU', 'RU'];
      for (const p of s.purposes) p.legalBasis.ru = p.legalBasis.kz;
      s.purposes[0].retention = 'unlimited';
    }).filter((f) => f.code.startsWith('retention-'));
    assert.deepEqual(all.map((f) => [f.severity, f.code, f.message]), [
      ['warning', 'retention-unlimited-gdpr', "purpose \"orders\" keeps data without limit; the GDPR's storage limitation (art. 5(1)(e)) requires a period or criteria"],
      ['warning', 'retention-unlimited-kz', 'purpose "orders" keeps data without limit; 94-V art. 12(2) allows storage no longer than the purpose requires'],
      ['warning', 'retention-unlimited-ru', 'purpose "orders" keeps data without limit; 152-FZ art. 5(7) allows storage no longer than the purpose requires'],
    ]);
    assert.deepEqual(found((s) => void (s.purposes[0].retention = 'until-purpose-achieved')), []);
  });
});

describe('helpers the compiler and the consent rules share', () => {
  it('a purpose rests on consent when any law’s basis for it is consent, or art. 9 explicit consent', () => {
    assert.equal(isConsentBased(undefined), false);
    assert.equal(isConsentBased({}), false);
    for (const key of ['gdpr', 'kz', 'ru'] as const) assert.equal(isConsentBased({ [key]: 'consent' }), true, key);
    assert.equal(isConsentBased({ gdprArt9: 'explicit-consent' }), true);
    assert.equal(isConsentBased({ gdpr: 'contract', kz: 'contract', ru: 'contract', gdprArt9: 'employment' } as never), false);
    assert.equal(isConsentBased({ ccpa: 'consent' } as never), false, 'the CCPA has no consent basis of this kind');
  });

  it('the jurisdictions a policy answers to are the operator’s and every group entity’s', () => {
    const source = base();
    source.group = [{ id: 'eu', name: { ru: 'ЕС', en: 'EU' }, jurisdictions: ['EU'] }, { id: 'x', name: { ru: 'Х', en: 'X' } }];
    assert.deepEqual([...applicableJurisdictions(source as never)], ['KZ', 'EU']);
  });

  it('a BIN or IIN check digit: weights 1..11, then 3..11,1,2', () => {
    assert.equal(isValidKzIdentifier('240540001232'), true);
    assert.equal(isValidKzIdentifier('240540001233'), false);
    assert.equal(isValidKzIdentifier('24054000123'), false);
    assert.equal(isValidKzIdentifier('24054000123a'), false);
    assert.equal(isValidKzIdentifier('880101300123'), true);
  });
});

for (const engine of ENGINES) {
  describe(`publication follows severity (${engine})`, { skip: engineSkip(engine) }, () => {
    let t: TestCustodian;
    before(async () => {
      t = await createTestCustodian(engine, { policy: null });
    });
    after(async () => t?.dispose());

    it('refuses a policy with an error and writes no version; publishes one with warnings only', async () => {
      const erring = base();
      erring.operator.storageRegion = 'DE';
      await assert.rejects(t.custodian.policies.publish(JSON.stringify(erring), 'shop.policy.json'), (e: unknown) => e instanceof CustodianError && e.code === 'policy_invalid' && e.details.some((d) => d.message.includes('kz-storage-region')));
      assert.equal((await t.custodian.store.db.selectFrom('policy_version').select('number').execute()).length, 0);
      const warned = base();
      warned.purposes[0].retention = 'unlimited';
      const { version } = await t.custodian.policies.publish(JSON.stringify(warned), 'shop.policy.json');
      assert.equal(version.number, 1);
    });
  });
}
