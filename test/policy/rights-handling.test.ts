/**
 * The policy says how rights are handled (`rightsHandling`): the operator's shorter answer
 * terms are validated against the law module and rendered beside the law's; verification,
 * agents, fees, consequences, appeal and regulators appear in the notice in en, ru and kk
 * exactly as declared, and a policy without the section promises none of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestDeadlines } from '../../src/law/index.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { diffPolicies } from '../../src/policy/diff.js';
import type { Policy } from '../../src/policy/model.js';
import { renderNotice } from '../../src/policy/render/notice.js';

type Source = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Kazakh shop with an EU group company. */
function base(): Source {
  return {
    id: 'shop',
    defaultLocale: 'en',
    locales: ['en', 'ru', 'kk'],
    operator: {
      name: { en: 'Shop LLP', ru: 'ТОО «Магазин»', kk: '«Дүкен» ЖШС' },
      registrations: [{ scheme: 'BIN', value: '240540001232' }],
      contacts: { email: 'privacy@shop.kz' },
      jurisdictions: ['KZ', 'EU'],
      country: 'KZ',
      storageRegion: 'KZ',
    },
    categories: ['user.contact.email', 'user.name'],
    subjects: ['customer'],
    purposes: [
      {
        id: 'orders',
        title: { en: 'Orders', ru: 'Заказы', kk: 'Тапсырыстар' },
        legalBasis: { kz: 'contract', gdpr: 'contract' },
        categories: ['user.contact.email', 'user.name'],
        subjects: ['customer'],
        retention: { duration: 'P3Y', from: 'contract-ended' },
      },
    ],
    rightsChannels: [{ kind: 'email', address: 'privacy@shop.kz' }],
  };
}

const text = (en: string, ru: string, kk: string) => ({ en, ru, kk });

function handling(): Source {
  return {
    timeZone: 'Asia/Almaty',
    answerTerms: [{ law: 'gdpr', request: 'access', term: { amount: 14, unit: 'calendar-days' } }],
    verification: { methods: ['email-code', 'account-login'] },
    authorizedAgents: { accepted: false },
    appeal: { process: text('reply to our answer within 30 days.', 'ответьте на наш ответ в течение 30 дней.', 'жауабымызға 30 күн ішінде жауап беріңіз.'), contact: 'appeals@shop.kz' },
    regulators: [{ jurisdiction: 'KZ', name: text('Ministry of Digital Development', 'Министерство цифрового развития', 'Цифрлық даму министрлігі'), url: 'https://www.gov.kz/memleket/entities/mdai' }],
    free: true,
    consequences: [{ request: 'erasure', text: text('your loyalty points are lost.', 'накопленные бонусные баллы сгорают.', 'жинақталған бонус ұпайлары жойылады.') }],
  };
}

function compile(edit: (s: Source) => void) {
  const source = base();
  edit(source);
  return compilePolicy(JSON.stringify(source), 'shop.policy.json');
}

function compiled(edit: (s: Source) => void): Policy {
  const result = compile(edit);
  assert.ok(result.policy, result.diagnostics.map((d) => d.message).join('\n'));
  return result.policy;
}

const errors = (edit: (s: Source) => void) => compile(edit).diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, path: d.path, message: d.message }));

describe('rightsHandling validation', () => {
  it('accepts shorter terms and keeps the section in the compiled policy', () => {
    const policy = compiled((s) => (s.rightsHandling = handling()));
    assert.deepEqual(policy.rightsHandling?.answerTerms, [{ law: 'gdpr', request: 'access', term: { amount: 14, unit: 'calendar-days' } }]);
    assert.equal(policy.rightsHandling?.timeZone, 'Asia/Almaty');
  });

  it('refuses a term longer than the law’s, naming the field', () => {
    const found = errors((s) => {
      s.rightsHandling = handling();
      s.rightsHandling.answerTerms = [
        { law: 'gdpr', request: 'access', term: { amount: 2, unit: 'months' } },
        { law: 'kz', request: 'erasure', term: { amount: 2, unit: 'working-days' } },
        { law: 'kz', request: 'withdrawal', term: { amount: 16, unit: 'calendar-days' } },
        { law: 'kz', request: 'objection', term: { amount: 3, unit: 'calendar-days' } },
        { law: 'kz', request: 'restriction', term: { amount: 24, unit: 'hours' } },
      ];
    });
    assert.deepEqual(found.map((f) => [f.code, f.path]), [
      ['answer-term-too-long', 'rightsHandling.answerTerms[0].term'],
      ['answer-term-too-long', 'rightsHandling.answerTerms[1].term'],
      ['answer-term-too-long', 'rightsHandling.answerTerms[2].term'],
    ]);
    assert.match(found[1]!.message, /2 working days may end later than the 1 working day kz allows for erasure \(art\. 25\(2\)\)/);
  });

  it('refuses terms for rights the law does not grant, duplicates, an unknown zone and inconsistent declarations', () => {
    const found = errors((s) => {
      s.rightsHandling = handling();
      s.rightsHandling.timeZone = 'Mars/Olympus';
      s.rightsHandling.answerTerms = [
        { law: 'kz', request: 'opt-out', term: { amount: 1, unit: 'working-days' } },
        { law: 'gdpr', request: 'access', term: { amount: 10, unit: 'calendar-days' } },
        { law: 'gdpr', request: 'access', term: { amount: 12, unit: 'calendar-days' } },
      ];
      s.rightsHandling.verification = { methods: ['none', 'email-code'] };
      s.rightsHandling.free = false;
    });
    assert.deepEqual(found.map((f) => [f.code, f.path]).sort(), [
      ['answer-term-duplicate', 'rightsHandling.answerTerms[2].request'],
      ['answer-term-no-right', 'rightsHandling.answerTerms[0].request'],
      ['fee-undescribed', 'rightsHandling.fee'],
      ['time-zone-unknown', 'rightsHandling.timeZone'],
      ['verification-none-with-methods', 'rightsHandling.verification.methods'],
    ]);
  });

  it('refuses unknown keys and units by the schema', () => {
    const result = compile((s) => (s.rightsHandling = { answerTerms: [{ law: 'gdpr', request: 'access', term: { amount: 1, unit: 'weeks' } }], fees: true }));
    assert.equal(result.policy, undefined);
    assert.ok(result.diagnostics.some((d) => d.path.startsWith('rightsHandling')), result.diagnostics.map((d) => d.path).join());
  });
});

describe('the notice renders what is declared', () => {
  const declared = compiled((s) => (s.rightsHandling = handling()));
  const plain = compiled(() => {});

  it('in English', () => {
    const md = renderNotice(declared, { locale: 'en', format: 'md' });
    assert.match(md, /we may ask you to confirm your identity before we answer: by a one-time code sent to your e-mail address; by signing in to your account\./);
    assert.match(md, /We answer only requests you make yourself/);
    assert.match(md, /Requests are free of charge\./);
    assert.match(md, /erasure: your loyalty points are lost\./);
    assert.match(md, /GDPR, access: within 14 calendar days \(the law allows 1 month\)/);
    assert.match(md, /If we refuse your request, you may appeal to us: reply to our answer within 30 days\. Send your appeal to \[appeals@shop\.kz\]\(mailto:appeals@shop\.kz\)\./);
    assert.match(md, /Supervisory authority \(Law 94-V\): \[Ministry of Digital Development\]\(https:\/\/www\.gov\.kz\/memleket\/entities\/mdai\)/);
    assert.doesNotMatch(md, /A representative may act for you/);
  });

  it('in Russian and Kazakh', () => {
    const ru = renderNotice(declared, { locale: 'ru', format: 'md' });
    assert.match(ru, /попросить подтвердить вашу личность: с помощью одноразового кода, отправленного на вашу электронную почту/);
    assert.match(ru, /Рассмотрение запросов бесплатно\./);
    assert.match(ru, /удаление: накопленные бонусные баллы сгорают\./);
    assert.match(ru, /доступ: не позднее чем через 14 календарных дней \(закон допускает 1 месяц\)/);
    const kk = renderNotice(declared, { locale: 'kk', format: 'md' });
    assert.match(kk, /жеке басыңызды растауды сұрауымыз мүмкін: электрондық поштаңызға жіберілген бір реттік код арқылы/);
    assert.match(kk, /Сұрауларды қарау тегін\./);
    assert.match(kk, /өшіру: жинақталған бонус ұпайлары жойылады\./);
  });

  it('says nothing it was not told: no free requests, no identity checks, no representatives', () => {
    for (const locale of ['en', 'ru', 'kk'] as const) {
      const md = renderNotice(plain, { locale, format: 'md' });
      assert.doesNotMatch(md, /free of charge|бесплатно|тегін/, locale);
      assert.doesNotMatch(md, /confirm your identity|подтвердить вашу личность|жеке басыңызды растауды/, locale);
      assert.doesNotMatch(md, /representative|Представитель|Өкіліңіз/, locale);
    }
    // The law's terms are still stated, from the law module.
    assert.match(renderNotice(plain, { locale: 'en', format: 'md' }), /within 1 working day/);
  });

  it('states that no proof is asked for when the policy says none', () => {
    const none = compiled((s) => (s.rightsHandling = { verification: { methods: ['none'] } }));
    assert.match(renderNotice(none, { locale: 'en', format: 'md' }), /We do not ask you to prove your identity to make a request\./);
  });
});

describe('the declared term is enforced by the law API', () => {
  it('is the due moment of a GDPR access request, counted in the declared zone', () => {
    const policy = compiled((s) => (s.rightsHandling = handling()));
    const [kz, gdpr] = requestDeadlines(policy, ['kz', 'gdpr'], 'access', Date.parse('2026-06-01T10:00:00Z'));
    assert.deepEqual([kz!.law, kz!.source], ['kz', 'law']);
    assert.deepEqual([gdpr!.law, gdpr!.source, gdpr!.dueAtIso], ['gdpr', 'policy', '2026-06-15T23:59:59.999+05:00']);
  });
});

describe('comparing versions', () => {
  it('reports a changed rights-handling section as an editorial change', () => {
    const before = compiled(() => {});
    const after = compiled((s) => (s.rightsHandling = handling()));
    const changes = diffPolicies(before, after).filter((c) => c.code === 'rights-handling-changed');
    assert.equal(changes.length, 1);
    assert.equal(diffPolicies(after, after).length, 0);
  });
});
