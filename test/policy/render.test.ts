/**
 * The notice renderer: message catalogs, HTML structure and escaping, Russian and Kazakh
 * plurals, and which law's deadlines appear. Policies are built here as fixtures so these
 * tests do not depend on the compiler, except one that holds every example's notice to the
 * transfer rule of src/law/transfers.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { homeRegion, isCrossBorder } from '../../src/law/transfers.js';
import { loadPolicyFile } from '../../src/policy/compile.js';
import { LOCALES, type Jurisdiction, type Locale, type NoticePlacement, type Policy, type Purpose } from '../../src/policy/model.js';
import { DEADLINE_SENTENCES } from '../../src/policy/render/deadlines.js';
import type { Block } from '../../src/policy/render/document.js';
import { durationInWords, formatDate } from '../../src/policy/render/durations.js';
import { MESSAGE_CATALOGS, templatePlaceholders, type PluralForms } from '../../src/policy/render/messages.js';
import { buildNotice, NOTICE_SECTION_IDS, renderNotice } from '../../src/policy/render/notice.js';

// ---------------------------------------------------------------------------------------
// Fixtures

function purpose(overrides: Partial<Purpose> & Pick<Purpose, 'id'>): Purpose {
  return {
    title: { en: `Purpose ${overrides.id}`, ru: `Цель ${overrides.id}`, kk: `Мақсат ${overrides.id}` },
    legalBasis: { kz: 'consent', ru: 'consent', gdpr: 'consent', ccpa: 'performing-services' },
    categories: ['user.contact.email'],
    subjects: ['customers'],
    operations: ['collection', 'storage', 'use'],
    automated: false,
    marketing: false,
    consent: { separate: true, thirdParties: false, crossBorder: false, publicDissemination: false },
    retention: { kind: 'until-purpose-achieved' },
    endAction: 'destroy',
    recipients: [],
    sources: ['direct'],
    ...overrides,
  };
}

function fixture(jurisdictions: Jurisdiction[], overrides: Partial<Policy> = {}): Policy {
  return {
    id: 'shop',
    version: '2026.1',
    effectiveDate: '2026-01-15',
    defaultLocale: 'en',
    locales: ['en', 'ru', 'kk'],
    operator: {
      id: 'shop',
      name: { en: 'Shop LLP', ru: 'ТОО «Шоп»', kk: '«Шоп» ЖШС' },
      registrations: [{ scheme: 'BIN', value: '123456789012' }],
      address: { en: '1 Abay Ave, Almaty', ru: 'пр. Абая, 1, Алматы', kk: 'Абай даңғылы, 1, Алматы' },
      contacts: { email: 'privacy@shop.example', phone: '+7 727 000 00 00', website: 'https://shop.example' },
      responsiblePerson: { name: { en: 'Aigerim Sadykova' }, email: 'dpo@shop.example' },
      jurisdictions,
      storageRegion: 'KZ',
      country: 'KZ',
      role: 'operator',
    },
    group: [],
    categories: [
      {
        id: 'user.contact.email',
        title: { en: 'Email address', ru: 'Адрес электронной почты', kk: 'Электрондық пошта мекенжайы' },
        identifier: true,
        special: false,
        restricted: false,
        valueType: 'email',
        custom: false,
      },
      {
        id: 'user.location.precise',
        title: { en: 'Precise geolocation', ru: 'Точная геолокация', kk: 'Нақты геолокация' },
        identifier: false,
        special: false,
        restricted: true,
        valueType: 'json',
        custom: false,
      },
    ],
    subjects: [{ id: 'customers', title: { en: 'Customers', ru: 'Покупатели', kk: 'Сатып алушылар' } }],
    purposes: [
      purpose({ id: 'orders', retention: { kind: 'duration', duration: 'P1Y', from: 'collected' }, recipients: ['courier'] }),
      purpose({
        id: 'analytics',
        categories: ['user.location.precise'],
        retention: { kind: 'duration', duration: 'P5Y', from: 'last-activity' },
        endAction: 'depersonalize',
        sources: ['third-party', 'public'],
      }),
      purpose({ id: 'archive', retention: { kind: 'unlimited' }, consent: undefined, legalBasis: { kz: 'law', ru: 'law', gdpr: 'legal-obligation', gdprArt9: 'explicit-consent', ccpa: 'legal-compliance' } }),
    ],
    recipients: [
      {
        id: 'courier',
        kind: 'processor',
        name: { en: 'Courier Express', ru: 'Курьер Экспресс', kk: 'Курьер Экспресс' },
        country: 'DE',
        purposes: ['orders'],
        categories: ['user.contact.email'],
        safeguard: 'scc',
      },
    ],
    cookies: [
      { name: '_ga', provider: 'Google', category: 'analytics', duration: 'P2Y', purpose: { en: 'Counting visits' } },
      { name: 'session', provider: 'Shop', category: 'necessary', duration: 'session' },
    ],
    rightsChannels: [
      { kind: 'email', address: 'privacy@shop.example', subjectMarker: 'Personal data request' },
      { kind: 'self-service', url: 'https://shop.example/account/privacy' },
    ],
    notice: [],
    security: { en: 'We are ISO 27001 certified.', ru: 'Мы сертифицированы по ISO 27001.', kk: 'Бізде ISO 27001 сертификаты бар.' },
    policyUrl: 'https://shop.example/privacy',
    ...overrides,
  };
}

const ALL_LAWS: Jurisdiction[] = ['KZ', 'RU', 'EU', 'UK', 'US-CA'];

// ---------------------------------------------------------------------------------------
// A small structural HTML check: enough to catch unbalanced tags, heading order, tables
// without captions, dangling anchors and anything that would load or run.

const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'link', 'input', 'wbr', 'source', 'col', 'area', 'base', 'embed', 'track']);

interface Tag {
  name: string;
  closing: boolean;
  attributes: Record<string, string>;
  index: number;
}

function tags(html: string): Tag[] {
  const out: Tag[] = [];
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*>/g)) {
    const attributes: Record<string, string> = {};
    for (const a of match[3]!.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attributes[a[1]!] = a[2] ?? '';
    out.push({ name: match[2]!.toLowerCase(), closing: match[1] === '/', attributes, index: match.index });
  }
  return out;
}

/** Returns the problems found; an empty list means the page passed. */
function htmlProblems(html: string, locale: Locale): string[] {
  const problems: string[] = [];
  if (!html.startsWith('<!DOCTYPE html>\n')) problems.push('missing <!DOCTYPE html>');
  if (!html.includes(`<html lang="${locale}">`)) problems.push(`missing <html lang="${locale}">`);
  if (!/<meta charset="utf-8">/.test(html)) problems.push('missing charset');
  if (!/<title>[^<]+<\/title>/.test(html)) problems.push('missing title');
  if (!/@media print/.test(html)) problems.push('no print stylesheet');
  for (const forbidden of [/<script/i, /@import/i, /url\(/i]) {
    if (forbidden.test(html)) problems.push(`forbidden ${forbidden}`);
  }

  const all = tags(html);
  for (const tag of all) {
    if (['script', 'link', 'img', 'iframe', 'object', 'embed', 'base', 'form'].includes(tag.name)) problems.push(`forbidden <${tag.name}>`);
    for (const attribute of Object.keys(tag.attributes)) {
      if (attribute === 'src' || attribute === 'style' || attribute.startsWith('on')) problems.push(`forbidden attribute ${attribute} on <${tag.name}>`);
    }
  }
  const stack: string[] = [];
  for (const tag of all) {
    if (VOID_ELEMENTS.has(tag.name)) continue;
    if (!tag.closing) stack.push(tag.name);
    else if (stack.pop() !== tag.name) problems.push(`unbalanced </${tag.name}> at ${tag.index}`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);

  const headings = all.filter((t) => !t.closing && /^h[1-6]$/.test(t.name)).map((t) => Number(t.name[1]));
  if (headings.filter((h) => h === 1).length !== 1) problems.push('not exactly one h1');
  if (headings[0] !== 1) problems.push('first heading is not h1');
  headings.forEach((level, i) => {
    if (i > 0 && level > headings[i - 1]! + 1) problems.push(`heading skips from h${headings[i - 1]} to h${level}`);
  });

  all.forEach((tag, i) => {
    if (tag.name === 'table' && !tag.closing) {
      const next = all[i + 1];
      if (next?.name !== 'caption' || next.closing) problems.push(`table at ${tag.index} has no caption first`);
      else if (html.slice(next.index).match(/^<caption>\s*<\/caption>/)) problems.push(`empty caption at ${next.index}`);
    }
    if (tag.name === 'th' && !tag.closing && !['col', 'row'].includes(tag.attributes.scope ?? '')) problems.push(`th without scope at ${tag.index}`);
  });

  const ids = all.filter((t) => !t.closing && t.attributes.id !== undefined).map((t) => t.attributes.id!);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) problems.push(`duplicate ids: ${duplicates.join(', ')}`);
  for (const tag of all) {
    const href = tag.attributes.href;
    if (tag.name === 'a' && !tag.closing && href?.startsWith('#') && !ids.includes(href.slice(1))) problems.push(`dangling anchor ${href}`);
  }
  return problems;
}

/** The recipients table and the cross-border subsection of a notice. */
function recipientsBlocks(policy: Policy, locale: Locale): { table: Extract<Block, { kind: 'table' }>; crossBorder: Block[] } {
  const section = buildNotice(policy, { locale }).sections.find((s) => s.id === 'recipients')!;
  const table = section.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
  const sub = section.blocks.find((b) => b.kind === 'subsection' && b.id === 'recipients-cross-border');
  return { table, crossBorder: sub?.kind === 'subsection' ? sub.blocks : [] };
}

const EXAMPLES = ['demo', 'smart-communications', 'smart-protect', 'smartist', 'smartthings', 'wadjet'].map((name) =>
  fileURLToPath(new URL(`../../examples/${name}.policy.yaml`, import.meta.url)),
);

function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------------------------------

describe('message catalogs', () => {
  /** Every leaf of a catalog by its dotted path: strings, and arrays' items by index. */
  function leaves(node: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
    if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) leaves(child, path ? `${path}.${key}` : key, out);
    } else {
      out.set(path, node);
    }
    return out;
  }

  const reference = leaves(MESSAGE_CATALOGS.en);

  /** What is missing, empty, extra or has different placeholders than the English catalog. */
  function catalogProblems(catalog: unknown): string[] {
    const leavesOf = leaves(catalog);
    const problems: string[] = [];
    for (const [path, english] of reference) {
      // Plural forms differ by language; they are checked against the plural rules below.
      if (path.startsWith('duration.units.')) continue;
      const value = leavesOf.get(path);
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`${path}: missing or empty`);
        continue;
      }
      const expected = templatePlaceholders(english as string).join(',');
      const actual = templatePlaceholders(value).join(',');
      if (expected !== actual) problems.push(`${path}: placeholders {${actual}} instead of {${expected}}`);
    }
    for (const path of leavesOf.keys()) {
      if (!path.startsWith('duration.units.') && !reference.has(path)) problems.push(`${path}: not in the English catalog`);
    }
    return problems;
  }

  for (const locale of LOCALES) {
    it(`${locale} has every key of the English catalog, none empty, with the same placeholders`, () => {
      assert.deepEqual(catalogProblems(MESSAGE_CATALOGS[locale]), []);
    });

    it(`${locale} has every plural form its language uses`, () => {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const problems: string[] = [];
      for (const [unit, forms] of Object.entries(MESSAGE_CATALOGS[locale].duration.units)) {
        for (const category of categories) {
          const form = (forms as PluralForms)[category as keyof PluralForms];
          if (!form || form.trim() === '') problems.push(`${unit}.${category}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('reports a missing key, an empty string and a dropped placeholder', () => {
    const broken = structuredClone(MESSAGE_CATALOGS.ru) as unknown as {
      rights: { deadlines: Record<string, string> };
      general: { intro: string };
      definitions: { sets: { kz: Array<{ term: string }> } };
    };
    delete broken.rights.deadlines.kzWithdrawal;
    broken.definitions.sets.kz[0]!.term = ' ';
    broken.general.intro = broken.general.intro.replace('{operator}', 'Оператор');
    assert.deepEqual(catalogProblems(broken), [
      'general.intro: placeholders {} instead of {operator}',
      'definitions.sets.kz.0.term: missing or empty',
      'rights.deadlines.kzWithdrawal: missing or empty',
    ]);
  });

  it('gives every law the same number of defined terms in every locale', () => {
    for (const locale of LOCALES) {
      for (const [set, terms] of Object.entries(MESSAGE_CATALOGS[locale].definitions.sets)) {
        assert.equal(terms.length, MESSAGE_CATALOGS.en.definitions.sets[set as keyof typeof MESSAGE_CATALOGS.en.definitions.sets].length, `${locale}.${set}`);
      }
    }
  });

  it('every deadline sentence has a template in every locale', () => {
    for (const locale of LOCALES) {
      for (const sentence of DEADLINE_SENTENCES) assert.ok(MESSAGE_CATALOGS[locale].rights.deadlines[sentence], `${locale}.${sentence}`);
    }
  });
});

describe('durations and dates in words', () => {
  const cases: Array<[Locale, string, string]> = [
    ['ru', 'P1Y', '1 год'],
    ['ru', 'P2Y', '2 года'],
    ['ru', 'P5Y', '5 лет'],
    ['ru', 'P21Y', '21 год'],
    ['ru', 'P1D', '1 день'],
    ['ru', 'P3D', '3 дня'],
    ['ru', 'P11D', '11 дней'],
    ['ru', 'P30D', '30 дней'],
    ['ru', 'P6M', '6 месяцев'],
    ['ru', 'P1Y6M', '1 год и 6 месяцев'],
    ['kk', 'P1Y', '1 жыл'],
    ['kk', 'P5Y', '5 жыл'],
    ['kk', 'P30D', '30 күн'],
    ['kk', 'P3M', '3 ай'],
    ['en', 'P1Y', '1 year'],
    ['en', 'P30D', '30 days'],
    ['en', 'P1Y6M', '1 year and 6 months'],
    ['en', 'PT12H', '12 hours'],
  ];
  for (const [locale, iso, words] of cases) {
    it(`${iso} in ${locale} is "${words}"`, () => assert.equal(durationInWords(iso, locale), words));
  }

  it('rejects what is not an ISO 8601 duration', () => {
    for (const bad of ['1Y', 'P', 'PT', 'P1.5Y', 'one year']) assert.throws(() => durationInWords(bad, 'en'), RangeError, bad);
  });

  it('formats dates the way each locale writes them', () => {
    assert.equal(formatDate('2026-01-15', 'en'), 'January 15, 2026');
    assert.equal(formatDate('2026-01-15', 'ru'), '15 января 2026 г.');
    assert.equal(formatDate('2026-01-15', 'kk'), '2026 ж. 15 қаңтар');
  });

  it('writes retention terms in words in the notice', () => {
    const policy = fixture(['KZ']);
    const text = (locale: Locale) => textOf(renderNotice(policy, { locale, format: 'html' }));
    assert.match(text('en'), /1 year from collection/);
    assert.match(text('en'), /5 years from your last activity/);
    assert.match(text('en'), /\bunlimited\b/);
    assert.match(text('ru'), /1 год с момента сбора/);
    assert.match(text('ru'), /5 лет с момента вашей последней активности/);
    assert.match(text('ru'), /бессрочно/);
    assert.match(text('ru'), /обезличиваются/);
    assert.match(text('kk'), /жиналған сәттен бастап 1 жыл/);
    assert.match(text('kk'), /соңғы белсенділігіңізден бастап 5 жыл/);
    assert.match(text('kk'), /мерзімсіз/);
  });

  it('writes the cookie durations and the effective date in the reader\'s language', () => {
    const text = textOf(renderNotice(fixture(['RU']), { locale: 'ru', format: 'html', version: { number: 4, publishedAt: '2026-02-01T09:30:00Z' } }));
    assert.match(text, /_ga Google аналитические 2 года/);
    assert.match(text, /до окончания сеанса браузера/);
    assert.match(text, /Действует с 15 января 2026 г\./);
    assert.match(text, /Опубликована 1 февраля 2026 г\./);
    assert.match(text, /Редакция № 4/);
  });
});

describe('HTML notice', () => {
  for (const locale of LOCALES) {
    it(`is a well-formed, self-contained HTML5 page in ${locale}`, () => {
      const html = renderNotice(fixture(ALL_LAWS), { locale, format: 'html', version: { number: 1 } });
      assert.deepEqual(htmlProblems(html, locale), []);
    });
  }

  it('the structural check catches a skipped heading level and a table without caption', () => {
    const html = renderNotice(fixture(['KZ']), { locale: 'en', format: 'html' });
    const skipped = html.replace(/<h3 id="operator-details-title">([^<]*)<\/h3>/, '<h4 id="operator-details-title">$1</h4>');
    assert.deepEqual(htmlProblems(skipped, 'en'), ['heading skips from h2 to h4']);
    const uncaptioned = html.replace(/<caption>[^<]*<\/caption>/, '');
    assert.equal(htmlProblems(uncaptioned, 'en').length, 1);
    assert.match(htmlProblems(uncaptioned, 'en')[0]!, /has no caption/);
    const unbalanced = html.replace('</dl>', '');
    assert.ok(htmlProblems(unbalanced, 'en').some((p) => p.startsWith('unbalanced')));
  });

  it('has a table of contents linking to every section in order', () => {
    const doc = buildNotice(fixture(ALL_LAWS), { locale: 'en' });
    const html = renderNotice(fixture(ALL_LAWS), { locale: 'en', format: 'html' });
    const toc = [...html.slice(html.indexOf('<nav'), html.indexOf('</nav>')).matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(toc, doc.sections.map((s) => s.id));
    assert.deepEqual(
      doc.sections.map((s) => s.id),
      NOTICE_SECTION_IDS.filter((id) => id !== 'cookies' || fixture(ALL_LAWS).cookies.length > 0),
    );
  });

  it('escapes the operator\'s text and refuses script URLs', () => {
    const policy = fixture(['KZ'], {
      policyUrl: 'javascript:alert(1)',
      security: { en: '<script>alert("pwned")</script> & <b>bold</b>' },
    });
    policy.operator.name = { en: 'Evil <img src=x onerror=alert(1)> "LLP"' };
    const html = renderNotice(policy, { locale: 'en', format: 'html' });
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /href="javascript:/i);
    assert.match(html, /&lt;script&gt;alert\(&quot;pwned&quot;\)&lt;\/script&gt; &amp; &lt;b&gt;bold&lt;\/b&gt;/);
    assert.match(html, /Evil &lt;img src=x onerror=alert\(1\)&gt; &quot;LLP&quot;/);
    assert.match(textOf(html), /javascript:alert\(1\)/, 'the unsafe URL is still shown as text');
    assert.deepEqual(htmlProblems(html, 'en'), []);

    const md = renderNotice(policy, { locale: 'en', format: 'md' });
    assert.doesNotMatch(md, /(?<!\\)<(script|img)/i, 'every < of operator text is backslash-escaped');
    assert.doesNotMatch(md, /\]\(javascript:/);
    assert.match(md, /\\<script\\>/);
  });

  it('states the print and contrast styling inline, without external resources', () => {
    const html = renderNotice(fixture(['KZ']), { locale: 'kk', format: 'html' });
    assert.match(html, /@media print \{[\s\S]*thead \{ display: table-header-group; \}/);
    assert.match(html, /color: #1b1f24/);
  });
});

describe('Markdown notice', () => {
  it('has the same sections as the HTML, GFM tables with matching columns, and working contents links', () => {
    const policy = fixture(ALL_LAWS);
    const md = renderNotice(policy, { locale: 'ru', format: 'md' });
    const doc = buildNotice(policy, { locale: 'ru' });
    for (const s of doc.sections) assert.ok(md.includes(`## ${s.number}\\. ${s.title}`) || md.includes(`## ${s.number}. ${s.title}`), s.title);

    const lines = md.split('\n');
    lines.forEach((line, i) => {
      if (/^\| ---/.test(line)) {
        const columns = (lines[i - 1]!.match(/(?<!\\)\|/g) ?? []).length;
        for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
          assert.equal((lines[j]!.match(/(?<!\\)\|/g) ?? []).length, columns, `row ${j + 1}: ${lines[j]}`);
        }
      }
    });

    const headings = lines.filter((l) => /^#{2,3} /.test(l)).map((l) =>
      l
        .replace(/^#+ /, '')
        .replace(/\\(.)/g, '$1')
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
    for (const [, anchor] of md.matchAll(/\]\(#([^)]+)\)/g)) assert.ok(headings.includes(anchor!), `anchor #${anchor}`);
  });

  it('keeps a table cell on one line and escapes pipes in operator text', () => {
    const policy = fixture(['KZ']);
    policy.purposes[0]!.title = { en: 'Orders | returns\nand refunds' };
    const md = renderNotice(policy, { locale: 'en', format: 'md' });
    assert.match(md, /\| Orders \\\| returns and refunds<br>/);
  });
});

describe('answer deadlines per law', () => {
  const render = (laws: Jurisdiction[], locale: Locale) => textOf(renderNotice(fixture(laws), { locale, format: 'html' }));
  const signatures: Record<Jurisdiction, Record<Locale, RegExp>> = {
    // 15 working days, not the CCPA's 15 business days, which Russian and Kazakh also call working days.
    KZ: { en: /within 15 working days/, ru: /через 15 рабочих дней, если закон не требует/, kk: /өңдеуді 15 жұмыс күні ішінде тоқтатамыз/ },
    RU: { en: /within 7 working days/, ru: /через 7 рабочих дней/, kk: /7 жұмыс күні ішінде/ },
    EU: { en: /\(GDPR art\. 12\(3\)/, ru: /\(GDPR, ст\. 12\(3\)/, kk: /\(GDPR, 12\(3\)-бап/ },
    UK: { en: /the time limit is paused/, ru: /течение срока приостанавливается/, kk: /мерзімнің өтуі тоқтатыла тұрады/ },
    'US-CA': { en: /within 45 calendar days/, ru: /через 45 календарных дней/, kk: /45 күнтізбелік күн ішінде/ },
  };

  for (const law of ALL_LAWS) {
    for (const locale of LOCALES) {
      it(`${law} deadlines appear in ${locale} only when ${law} applies`, () => {
        const others = ALL_LAWS.filter((l) => l !== law);
        assert.match(render([law], locale), signatures[law][locale]);
        assert.doesNotMatch(render(others, locale), signatures[law][locale]);
      });
    }
  }

  it('states each Kazakh term with its plural form', () => {
    const ru = render(['KZ'], 'ru');
    assert.match(ru, /через 1 рабочий день после получения требования/);
    assert.match(ru, /через 3 рабочих дня/);
    const kk = render(['KZ'], 'kk');
    assert.match(kk, /1 жұмыс күні ішінде/);
    assert.match(kk, /3 жұмыс күні ішінде/);
    const en = render(['KZ'], 'en');
    assert.match(en, /within 1 working day of/);
  });

  it('states the Russian terms: 10 working days plus 5, 7 working days, 30 days', () => {
    const ru = render(['RU'], 'ru');
    assert.match(ru, /через 10 рабочих дней с момента получения запроса; срок может быть продлён ещё на 5 рабочих дней/);
    assert.match(ru, /через 30 календарных дней/);
  });

  it('gives EU and UK GDPR one shared table when both apply', () => {
    const html = renderNotice(fixture(['EU', 'UK']), { locale: 'en', format: 'html' });
    assert.equal(html.match(/We answer without undue delay/g)?.length, 1);
    assert.match(textOf(html), /\(GDPR art\. 12\(3\); UK GDPR art\. 12\(3\)\)\./);
  });
});

describe('sections and what they state', () => {
  it('lists only the rights the applicable laws grant', () => {
    const kz = textOf(renderNotice(fixture(['KZ']), { locale: 'en', format: 'html' }));
    assert.match(kz, /Blocking/);
    assert.doesNotMatch(kz, /Data portability/);
    assert.doesNotMatch(kz, /Opt-out of sale/);
    const ca = textOf(renderNotice(fixture(['US-CA']), { locale: 'en', format: 'html' }));
    assert.match(ca, /Opt-out of sale or sharing/);
    assert.match(ca, /Non-discrimination/);
    assert.doesNotMatch(ca, /Blocking/);
  });

  it('gives the definitions of each applicable law and no other', () => {
    const kz = textOf(renderNotice(fixture(['KZ']), { locale: 'ru', format: 'html' }));
    assert.match(kz, /Блокирование персональных данных\s+действия по временному прекращению сбора/);
    assert.doesNotMatch(kz, /Информационная система персональных данных/);
    const ru = textOf(renderNotice(fixture(['RU']), { locale: 'ru', format: 'html' }));
    assert.match(ru, /Блокирование персональных данных\s+временное прекращение обработки/);
    const eu = textOf(renderNotice(fixture(['EU']), { locale: 'kk', format: 'html' }));
    assert.match(eu, /Псевдонимдеу/);
    assert.doesNotMatch(eu, /Дербес деректерді бұғаттау/);
  });

  it('shows the purposes table with purpose, data, legal grounds and processing types', () => {
    const html = renderNotice(fixture(['KZ', 'EU']), { locale: 'en', format: 'html' });
    assert.match(html, /<th scope="col">Purpose of processing<\/th>\s*<th scope="col">Personal data<\/th>\s*<th scope="col">Legal grounds<\/th>\s*<th scope="col">Types of processing<\/th>/);
    const text = textOf(html);
    assert.match(text, /Law 94-V: Consent of the data subject/);
    assert.match(text, /GDPR: Legal obligation \(GDPR art\. 6\(1\)\(c\)\)/);
    assert.match(text, /collection; storage; use/);
  });

  it('names cross-border recipients, their country and safeguard, and the law\'s transfer rule', () => {
    const text = textOf(renderNotice(fixture(['KZ']), { locale: 'ru', format: 'html' }));
    assert.match(text, /Германия: Курьер Экспресс — стандартные договорные условия/);
    assert.match(text, /Закон № 94-V, ст\. 16/);
    const home = fixture(['KZ']);
    home.recipients[0]!.country = 'KZ';
    assert.match(textOf(renderNotice(home, { locale: 'en', format: 'html' })), /We do not transfer personal data to other countries\./);
  });

  it('calls a transfer within the EEA domestic, as the gate does, and one leaving it cross-border, in every locale', () => {
    const base = fixture(['EU']);
    const recipient = (country: string) => ({ ...base.recipients[0]!, country });
    const operator = { ...base.operator, storageRegion: 'DE', country: 'DE' };
    const inFrance = fixture(['EU'], { operator, recipients: [recipient('FR')] });
    const inUs = fixture(['EU'], { operator, recipients: [recipient('US')] });
    for (const locale of LOCALES) {
      const r = MESSAGE_CATALOGS[locale].recipients;
      const france = recipientsBlocks(inFrance, locale);
      assert.deepEqual(france.crossBorder, [{ kind: 'paragraph', content: [r.noCrossBorder] }], `${locale}: FR from DE is not cross-border`);
      assert.deepEqual(france.table.rows[0]!.at(-1), [r.domestic], `${locale}: the recipients table calls FR domestic`);

      const us = recipientsBlocks(inUs, locale);
      const usName = new Intl.DisplayNames([locale], { type: 'region' }).of('US')!;
      assert.deepEqual(us.crossBorder[0], { kind: 'paragraph', content: [r.crossBorderIntro] }, `${locale}: US from DE is cross-border`);
      assert.deepEqual(us.crossBorder[1], { kind: 'list', items: [[`${usName}: ${base.recipients[0]!.name[locale]} — ${r.safeguards.scc}`]] });
      assert.deepEqual(us.table.rows[0]!.at(-1), [r.safeguards.scc]);
    }
  });

  it('lists as cross-border exactly the recipients src/law/transfers.ts calls cross-border, in every example', async () => {
    for (const file of EXAMPLES) {
      const policy = await loadPolicyFile(file);
      const home = homeRegion(policy.operator);
      const expected = policy.recipients.filter((r) => isCrossBorder(r.country, home)).map((r) => r.name.en);
      const { crossBorder } = recipientsBlocks(policy, 'en');
      const listed = crossBorder[1]?.kind === 'list' ? crossBorder[1].items.map((item) => item.join('')) : [];
      assert.equal(listed.length, expected.length, `${file}: one cross-border item per recipient abroad`);
      for (const name of expected) assert.ok(listed.some((item) => item.includes(name!)), `${file}: ${name} is listed as a cross-border transfer`);
    }
  });

  it('shows rights channels with the e-mail subject marker and self-service link', () => {
    const html = renderNotice(fixture(['KZ']), { locale: 'kk', format: 'html' });
    assert.match(html, /<a href="mailto:privacy@shop\.example">privacy@shop\.example<\/a>, хат тақырыбында «<strong>Personal data request<\/strong>» белгісімен/);
    assert.match(html, /<a href="https:\/\/shop\.example\/account\/privacy">/);
  });

  it('omits the cookies section when the policy sets no cookies', () => {
    const doc = buildNotice(fixture(['KZ'], { cookies: [] }), { locale: 'en' });
    assert.equal(doc.sections.some((s) => s.id === 'cookies'), false);
    assert.deepEqual(doc.sections.map((s) => s.number), doc.sections.map((_, i) => i + 1));
  });

  it('inserts the operator\'s extra sections after the section they name', () => {
    const policy = fixture(['KZ'], {
      notice: [
        { after: 'operator', title: { en: 'Rights of the Operator', ru: 'Права Оператора' }, text: { en: 'The Operator may ask.\n\nSecond paragraph.' } },
        { after: 'retention', text: { en: 'Backups are kept for 30 days.' } },
        { after: 'end', title: { en: 'Final provisions' }, text: { en: 'Valid indefinitely.' } },
      ],
    });
    const doc = buildNotice(policy, { locale: 'ru' });
    const ids = doc.sections.map((s) => s.id);
    assert.deepEqual(ids.slice(0, 3), ['operator', 'notice-1', 'definitions']);
    assert.equal(ids.at(-1), 'notice-3');
    assert.equal(doc.sections[1]!.title, 'Права Оператора');
    assert.equal(doc.sections.at(-1)!.title, 'Final provisions', 'falls back to the text that exists');
    assert.equal(doc.sections[1]!.blocks.length, 2, 'blank lines separate paragraphs');
    const retention = doc.sections.find((s) => s.id === 'retention')!;
    assert.deepEqual(retention.blocks.at(-1), { kind: 'paragraph', content: ['Backups are kept for 30 days.'] });
    const rightsNumber = doc.sections.findIndex((s) => s.id === 'rights') + 1;
    assert.match(textOf(renderNotice(policy, { locale: 'en', format: 'html' })), new RegExp(`in the ways described in section ${rightsNumber}\\.`));
  });

  it('rejects an extra section placed after a section that does not exist (a version compiled before the compiler checked it)', () => {
    const policy = fixture(['KZ'], { notice: [{ after: 'preamble' as NoticePlacement, text: { en: 'x' } }] });
    assert.throws(() => renderNotice(policy, { locale: 'en', format: 'html' }), /unknown section "preamble"/);
  });

  it('marks an unpublished notice as a draft and a published one with its number', () => {
    assert.match(textOf(renderNotice(fixture(['KZ']), { locale: 'en', format: 'html' })), /Draft, not yet published/);
    const published = textOf(renderNotice(fixture(['KZ']), { locale: 'en', format: 'html', version: { number: 7 } }));
    assert.match(published, /Version 7/);
    assert.doesNotMatch(published, /Draft/);
  });

  it('states the operator\'s registration, responsible person and storage country', () => {
    const text = textOf(renderNotice(fixture(['KZ']), { locale: 'kk', format: 'html' }));
    assert.match(text, /БСН \(бизнес-сәйкестендіру нөмірі\) 123456789012/);
    assert.match(text, /Дербес деректерді өңдеуді ұйымдастыруға жауапты тұлға Aigerim Sadykova; dpo@shop\.example/);
    assert.match(text, /мына елдің аумағында орналасқан дерекқорларда сақталады: Қазақстан\./);
  });
});
