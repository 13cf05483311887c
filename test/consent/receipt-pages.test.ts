/**
 * What a person reads about their consent, built without a database: the readable copy row
 * by row, the unsubscribe pages, the fixed texts in every language, and the machine
 * receipts (Kantara 1.1, DPV JSON-LD) in the cases that change what they say.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONSENT_MESSAGES, formatTime } from '../../src/consent/messages.js';
import type { ConsentRecord } from '../../src/consent/model.js';
import { escapeHtml, readableCopyPage, unsubscribeConfirmPage, unsubscribedPage } from '../../src/consent/pages.js';
import { dpvRecord, kantaraReceipt, policyUrl, sensitiveCategories, thirdPartyNames, type ReceiptSource } from '../../src/consent/receipts.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { LOCALES, type Locale, type Policy } from '../../src/policy/model.js';
import { GLOBAL_POLICY, KZ_POLICY } from './consent-fixtures.js';

const load = (path: string): Policy => compilePolicy(readFileSync(path, 'utf8'), path).policy!;
const KZ = load(KZ_POLICY);
const GLOBAL = load(GLOBAL_POLICY);
const AT = Date.parse('2026-11-22T09:00:00Z');
const UNTIL = Date.parse('2027-11-22T09:00:00Z');
const NO_SCOPE = { thirdParties: false, crossBorder: false, publicDissemination: false };

function record(extra: Partial<ConsentRecord> = {}): ConsentRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    subjectId: '22222222-2222-4222-8222-222222222222',
    purpose: 'loyalty',
    topic: 'purpose',
    event: 'given',
    state: 'given',
    current: true,
    at: AT,
    actor: 'apikey:x',
    policyVersion: 3,
    scope: NO_SCOPE,
    categories: ['user.name', 'user.contact.email'],
    validity: 'P1Y',
    validUntil: UNTIL,
    channel: 'web-form',
    locale: 'ru',
    notice: { sha256: 'a'.repeat(64), textKept: false },
    subjectNameRecorded: true,
    previousId: null,
    ...extra,
  };
}
const source = (policy: Policy, purposeId: string, extra: Partial<ConsentRecord> = {}, locale: Locale = 'en'): ReceiptSource => ({ record: record({ purpose: purposeId, ...extra }), policy, purpose: policy.purposes.find((p) => p.id === purposeId)!, locale });
const changed = (policy: Policy, change: (p: Policy) => void) => {
  const copy = structuredClone(policy);
  change(copy);
  return copy;
};

/** The readable copy's table as [label, value] pairs, with tags and entities left in the value. */
function rows(html: string): [string, string][] {
  return [...html.matchAll(/<tr><th scope="row">(.*?)<\/th><td>(.*?)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
}

describe('fixed texts', () => {
  /** Every leaf of a locale's messages, functions called with a marker argument. */
  function leaves(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
    if (typeof value === 'string') out.push([path, value]);
    else if (typeof value === 'function') out.push([path, String((value as (x: unknown) => string)('⟨X⟩'))]);
    else for (const [key, child] of Object.entries(value as object)) leaves(child, `${path}.${key}`, out);
    return out;
  }

  it('exist in every language, none empty, each function text naming what it is given', () => {
    const en = leaves(CONSENT_MESSAGES.en, 'en').map(([p]) => p.slice(3));
    for (const locale of LOCALES) {
      const texts = leaves(CONSENT_MESSAGES[locale], locale);
      assert.deepEqual(texts.map(([p]) => p.slice(locale.length + 1)), en, `${locale} has the same messages as en`);
      for (const [path, text] of texts) {
        assert.ok(text.trim().length > 1, `${path} is empty`);
        if (/\.(noticeVersion|termination|unsubscribeQuestion|unsubscribed)$/.test(path)) assert.ok(text.includes('⟨X⟩'), `${path} shows its argument: ${text}`);
      }
    }
  });

  it('are translated: Russian and Kazakh say each thing in their own words, in Cyrillic', () => {
    const en = new Map(leaves(CONSENT_MESSAGES.en, '').map(([p, text]) => [p, text]));
    for (const locale of ['ru', 'kk'] as const) {
      for (const [path, text] of leaves(CONSENT_MESSAGES[locale], '')) {
        assert.notEqual(text, en.get(path), `${locale}${path} is not translated`);
        assert.match(text, /[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/, `${locale}${path}: ${text}`);
      }
    }
    assert.notEqual(CONSENT_MESSAGES.ru.registrationSchemes.BIN, CONSENT_MESSAGES.kk.registrationSchemes.BIN, 'БИН in Russian, БСН in Kazakh');
  });

  it('say when a consent ends, or that it lasts until the purpose is achieved', () => {
    for (const locale of LOCALES) {
      const { termination } = CONSENT_MESSAGES[locale];
      assert.notEqual(termination(null), termination('2027-11-22'), locale);
      assert.ok(!termination(null).includes('null'), locale);
    }
    assert.equal(CONSENT_MESSAGES.en.termination('2027-11-22'), 'Valid until 2027-11-22, or until withdrawn; withdrawing is as easy as giving consent.');
    assert.equal(CONSENT_MESSAGES.en.termination(null), 'Valid until the purpose is achieved, or until withdrawn; withdrawing is as easy as giving consent.');
  });

  it('write dates in the reader’s language, in UTC', () => {
    assert.equal(formatTime(Date.parse('2026-11-22T23:30:00Z'), 'en'), 'November 22, 2026 at 11:30 PM UTC');
    assert.match(formatTime(Date.parse('2026-11-22T23:30:00Z'), 'ru'), /^22 ноября 2026 г\.( в|,) 23:30 UTC$/);
    assert.match(formatTime(Date.parse('2026-11-22T23:30:00Z'), 'kk'), /2026.*23:30 UTC$/);
  });
});

describe('pages', () => {
  it('escape the five characters HTML gives meaning to', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    assert.equal(escapeHtml('Айгерим'), 'Айгерим');
  });

  it('a readable copy lists, in the person’s language, everything 94-V art. 8(4) asks a consent to carry', () => {
    const html = readableCopyPage(source(KZ, 'loyalty', { scope: { thirdParties: true, crossBorder: true, publicDissemination: false } }, 'ru'), { shown: 'Айгерим <b>' });
    assert.match(html, /^<!doctype html>\n<html lang="ru">/);
    assert.match(html, /<title>Запись о вашем согласии<\/title>/);
    assert.match(html, /<h1>Запись о вашем согласии<\/h1>/);
    assert.deepEqual(rows(html), [
      ['Номер записи', '<code>11111111-1111-4111-8111-111111111111</code>'],
      ['Оператор', 'ТОО «Steppe Market», БИН 240540001232, г. Астана, пр. Достык, 5'],
      ['Субъект персональных данных', 'Айгерим &#60;b&#62;'],
      ['Цель', 'Программа лояльности с партнёрами'],
      ['Согласие на', 'обработку персональных данных для этой цели'],
      ['Решение', '<strong>Согласие дано</strong>'],
      ['Дата и время', escapeHtml(formatTime(AT, 'ru'))],
      ['Действует до', escapeHtml(formatTime(UNTIL, 'ru'))],
      ['Персональные данные', '<ul><li>Фамилия, имя, отчество</li><li>Адрес электронной почты</li></ul>'],
      ['Передача третьим лицам', 'Да'],
      ['Получатели', '<ul><li>Partner Rewards GmbH</li></ul>'],
      ['Трансграничная передача', 'Да'],
      ['Распространение в общедоступных источниках', 'Нет'],
      ['Способ получения', 'Веб-форма'],
      ['Показанное уведомление', 'Политика конфиденциальности, версия 3'],
      ['Отпечаток текста (SHA-256)', `<code>${'a'.repeat(64)}</code>`],
    ]);
    assert.ok(html.includes('<p>Вы можете отозвать согласие в любой момент так же просто, как дали его. Обратитесь к оператору:</p>\n<ul><li>privacy@steppe-market.example</li><li>+7 717 000 00 00</li><li>https://steppe-market.example</li></ul>'));
  });

  it('a copy of a refusal or a withdrawal has no validity and no way to withdraw; missing facts say so', () => {
    for (const [event, state, label] of [['refused', 'refused', 'Consent refused'], ['withdrawn', 'withdrawn', 'Consent withdrawn']] as const) {
      const html = readableCopyPage(source(KZ, 'newsletter', { event, state, channel: null, notice: null, validUntil: null }), 'none');
      const table = Object.fromEntries(rows(html));
      assert.equal(table.Decision, `<strong>${label}</strong>`);
      assert.equal(table['Data subject'], 'not recorded');
      assert.equal(table['How it was recorded'], 'not recorded');
      assert.equal(table['Valid until'], undefined);
      assert.equal(table['Fingerprint of the text (SHA-256)'], undefined);
      assert.equal(table.Recipients, undefined, 'no recipients row without third parties');
      assert.ok(!html.includes('withdraw your consent'), event);
    }
  });

  it('a copy names a separate consent’s topic, a withheld name, and a consent with no end', () => {
    const html = readableCopyPage(source(KZ, 'loyalty', { topic: 'crossBorder', validUntil: null, state: 'expired' }, 'kk'), 'withheld');
    const table = Object.fromEntries(rows(html));
    assert.equal(table['Келісім нысанасы'], 'трансшекаралық беру (жеке келісім)');
    assert.equal(table['Дербес деректер субъектісі'], 'көрсетілген; бұл көшірмеде берілмейді');
    assert.equal(table['Қолданылу мерзімі'], 'Өңдеу мақсатына жеткенге дейін, егер оны ертерек кері қайтарып алмасаңыз');
    assert.equal(table['Шешім'], '<strong>Келісімнің қолданылу мерзімі өтті</strong>');
    assert.equal(table['Оператор'], '«Steppe Market» ЖШС, БСН 240540001232, Астана қ., Достық даңғылы, 5');
  });

  it('a copy without a registration or address names the operator alone, and lists contacts of the responsible person', () => {
    const bare = changed(GLOBAL, (p) => {
      p.operator.address = undefined;
      p.operator.responsiblePerson = { email: 'dpo-person@global-shop.example' } as Policy['operator']['responsiblePerson'];
    });
    const html = readableCopyPage(source(bare, 'newsletter', { categories: ['user.name', 'custom.unknown'] }), 'none');
    const table = Object.fromEntries(rows(html));
    assert.equal(table.Operator, 'Global Shop Ltd');
    assert.equal(table['Personal data'], '<ul><li>Full name</li><li>custom.unknown</li></ul>', 'an id without a title is shown as the id');
    assert.ok(html.includes('<ul><li>dpo-person@global-shop.example</li></ul>'));
  });

  it('the unsubscribe pages ask before acting, post the token back, and escape what they show', () => {
    const confirm = unsubscribeConfirmPage('en', 'News & offers', 'tok"en');
    assert.match(confirm, /<title>Unsubscribe<\/title>/);
    assert.ok(confirm.includes('<p>Stop receiving “News &#38; offers”? This withdraws your consent to it.</p>'));
    assert.ok(confirm.includes('<form method="post">\n<input type="hidden" name="token" value="tok&#34;en">\n<button type="submit">Unsubscribe</button>\n</form>'));
    const done = unsubscribedPage('ru', 'Новости');
    assert.match(done, /<html lang="ru">/);
    assert.match(done, /<title>Вы отписаны<\/title>/);
    assert.ok(done.includes('<p>Вы больше не будете получать «Новости». Ваше согласие отозвано.</p>'));
    for (const html of [confirm, done]) assert.ok(!/<script|\s(src|href)=/.test(html), 'self-contained, nothing executable');
  });
});

describe('machine receipts', () => {
  it('class a purpose as Kantara does: marketing, marketing to third parties, profiling, or core function', () => {
    const categories = (policy: Policy, purpose: string, thirdParties: boolean) => kantaraReceipt(source(policy, purpose, { scope: { ...NO_SCOPE, thirdParties } })).services[0].purposes[0].purposeCategory;
    assert.deepEqual(categories(KZ, 'newsletter', false), ['Marketing']);
    assert.deepEqual(categories(KZ, 'newsletter', true), ['Marketing Third Parties']);
    assert.deepEqual(categories(KZ, 'loyalty', true), ['Core Function']);
    const profiled = changed(KZ, (p) => (p.purposes.find((x) => x.id === 'newsletter')!.automated = true));
    assert.deepEqual(categories(profiled, 'newsletter', false), ['Marketing', 'Profiling']);
  });

  it('name the third parties, or every recipient that is not an authority, or say none is named', () => {
    assert.deepEqual(thirdPartyNames(KZ, KZ.purposes.find((p) => p.id === 'loyalty')!, 'ru'), ['Partner Rewards GmbH']);
    const processorsOnly = changed(KZ, (p) => {
      p.recipients[0].kind = 'processor';
      p.recipients.push({ ...p.recipients[0], id: 'regulator', kind: 'authority', name: { en: 'Regulator' } });
      p.purposes.find((x) => x.id === 'loyalty')!.recipients.push('regulator');
    });
    assert.deepEqual(thirdPartyNames(processorsOnly, processorsOnly.purposes.find((p) => p.id === 'loyalty')!, 'en'), ['Partner Rewards GmbH']);
    const none = KZ.purposes.find((p) => p.id === 'newsletter')!;
    assert.deepEqual(thirdPartyNames(KZ, none, 'en'), ['Third parties not named in the policy']);
    assert.deepEqual(thirdPartyNames(KZ, none, 'ru'), ['Третьи лица, не названные в политике']);
    assert.deepEqual(thirdPartyNames(KZ, none, 'kk'), ['Саясатта аталмаған үшінші тұлғалар']);
    const receipt = kantaraReceipt(source(KZ, 'newsletter', { scope: { ...NO_SCOPE, thirdParties: true } }));
    assert.equal(receipt.services[0].purposes[0].thirdPartyName, 'Third parties not named in the policy');
  });

  it('point at the policy’s URL, else the operator’s website, else a URN of the version', () => {
    assert.equal(policyUrl(KZ, 3), 'https://steppe-market.example/privacy');
    assert.equal(policyUrl(changed(KZ, (p) => (p.policyUrl = undefined)), 3), 'https://steppe-market.example');
    assert.equal(policyUrl(changed(KZ, (p) => ((p.policyUrl = undefined), (p.operator.contacts.website = undefined), (p.id = 'a b'))), 4), 'urn:custodian:policy:a%20b:v4');
  });

  it('count CCPA-sensitive data as sensitive only where California law applies', () => {
    const withSensitive = (policy: Policy) => changed(policy, (p) => p.categories.push({ ...p.categories.find((c) => c.id === 'user.name')!, id: 'user.account.login', ccpaSensitive: true, special: false }));
    assert.deepEqual(sensitiveCategories(withSensitive(GLOBAL), ['user.account.login', 'user.name']).map((c) => c.id), ['user.account.login']);
    assert.deepEqual(sensitiveCategories(withSensitive(KZ), ['user.account.login', 'user.name']), []);
    const californianGroup = changed(withSensitive(KZ), (p) => (p.group = [{ id: 'us', role: 'processor', name: { en: 'US' }, jurisdictions: ['US-CA'] } as Policy['group'][number]]));
    assert.deepEqual(sensitiveCategories(californianGroup, ['user.account.login']).map((c) => c.id), ['user.account.login']);
    assert.deepEqual(sensitiveCategories(KZ, ['user.health_and_medical', 'nope']).map((c) => c.id), ['user.health_and_medical'], 'special categories always');
  });

  it('Kantara: the controller’s contact falls back to the DPO, then the operator, and its URL appears only with a website', () => {
    const receipt = kantaraReceipt(source(GLOBAL, 'newsletter', { channel: null, validUntil: null }));
    assert.deepEqual(receipt.piiControllers, [{ piiController: 'Global Shop Ltd', onBehalf: false, contact: 'Data Protection Officer', address: '1 Harbour Road, Dublin, Ireland', email: 'dpo@global-shop.example', phone: '+353 1 000 0000' }]);
    assert.equal(receipt.collectionMethod, 'api');
    assert.equal(receipt.services[0].purposes[0].termination, CONSENT_MESSAGES.en.termination(null));
    assert.equal(receipt.language, 'en');
    assert.equal(receipt.jurisdiction, 'EU US-CA');
    const noContact = changed(GLOBAL, (p) => (p.operator.dpo = undefined));
    assert.deepEqual(kantaraReceipt(source(noContact, 'newsletter')).piiControllers[0].contact, 'Global Shop Ltd');
    assert.deepEqual(kantaraReceipt(source(noContact, 'newsletter')).piiControllers[0].email, 'privacy@global-shop.example');
    const kz = kantaraReceipt(source(KZ, 'newsletter', {}, 'ru')).piiControllers[0];
    assert.equal(kz.piiControllerUrl, 'https://steppe-market.example');
    assert.equal(kz.piiController, 'ТОО «Steppe Market»');
    assert.equal(kantaraReceipt(source(KZ, 'newsletter', { topic: 'thirdParties' }, 'en')).services[0].purposes[0].purpose, 'News and offers — separate consent to transfer to third parties');
    assert.equal(kantaraReceipt(source(KZ, 'newsletter', { topic: 'thirdParties' }, 'en')).services[0].purposes[0].primaryPurpose, false);
    assert.equal(kantaraReceipt(source(KZ, 'newsletter', { at: 1_500_999 })).consentTimestamp, 1500);
  });

  it('DPV: each state, the kinds of data, the controller’s registration, and expiry and notice only when known', () => {
    const status = (extra: Partial<ConsentRecord>) => (dpvRecord(source(KZ, 'newsletter', extra))['dpv:hasConsentStatus'] as { '@id': string })['@id'];
    assert.equal(status({ state: 'given' }), 'dpv:ConsentGiven');
    assert.equal(status({ state: 'refused' }), 'dpv:ConsentRefused');
    assert.equal(status({ state: 'withdrawn' }), 'dpv:ConsentWithdrawn');
    assert.equal(status({ state: 'expired' }), 'dpv:ConsentExpired');
    assert.equal(status({ state: 'renewal-needed' }), 'dpv:ConsentInvalidated');
    const full = dpvRecord(source(KZ, 'wellness', { categories: ['user.name', 'user.health_and_medical'], topic: 'crossBorder', scope: { thirdParties: false, crossBorder: true, publicDissemination: false } }, 'ru'));
    assert.deepEqual(full['dpv:hasPurpose'], { '@id': 'urn:custodian:policy:kz-transfers:purpose:wellness', '@type': 'dpv:Purpose', 'dct:identifier': 'wellness', 'dct:title': 'Оздоровительная программа' });
    assert.deepEqual((full['dpv:hasPersonalData'] as Record<string, string>[]).map((d) => [d['@id'], d['@type']]), [
      ['urn:custodian:policy:kz-transfers:category:user.name', 'dpv:PersonalData'],
      ['urn:custodian:policy:kz-transfers:category:user.health_and_medical', 'dpv:SpecialCategoryPersonalData'],
    ]);
    assert.deepEqual(full['dpv:hasDataController'], { '@type': 'dpv:DataController', 'dpv:hasName': 'ТОО «Steppe Market»', 'dct:identifier': 'BIN:240540001232', 'dpv:hasContact': 'https://steppe-market.example' });
    assert.deepEqual(full['dpv:hasNotice'], { '@id': 'urn:custodian:policy:kz-transfers:v3', '@type': 'dpv:PrivacyNotice', 'dct:identifier': 'kz-transfers v3', 'dct:hasVersion': '3', 'cst:textSha256': 'a'.repeat(64) });
    assert.deepEqual(full['dpv:hasExpiryTime'], { '@value': '2027-11-22T09:00:00.000Z', '@type': 'xsd:dateTime' });
    assert.deepEqual([full['cst:topic'], full['cst:thirdParties'], full['cst:crossBorder'], full['cst:publicDissemination']], ['crossBorder', false, true, false]);
    assert.deepEqual(full['dpv:hasJurisdiction'], ['KZ']);
    assert.equal(full['dct:identifier'], '11111111-1111-4111-8111-111111111111');
    assert.deepEqual(full['dpv:hasDataSubject'], { '@id': 'urn:uuid:22222222-2222-4222-8222-222222222222', '@type': 'dpv:DataSubject' });
    assert.deepEqual(full['@context'], { dpv: 'https://w3id.org/dpv#', dct: 'http://purl.org/dc/terms/', xsd: 'http://www.w3.org/2001/XMLSchema#', cst: 'urn:custodian:terms#' });

    const marketing = dpvRecord(source(GLOBAL, 'newsletter', { notice: null, validUntil: null, channel: null }));
    assert.deepEqual((marketing['dpv:hasPurpose'] as Record<string, unknown>)['@type'], ['dpv:Purpose', 'dpv:Marketing']);
    assert.equal('dpv:hasExpiryTime' in marketing, false);
    assert.equal('cst:textSha256' in (marketing['dpv:hasNotice'] as object), false);
    assert.deepEqual(marketing['dpv:hasIndicationMethod'], { '@value': 'api' });
    assert.deepEqual(marketing['dpv:hasDataController'], { '@type': 'dpv:DataController', 'dpv:hasName': 'Global Shop Ltd' }, 'no registration, no website');
  });
});
