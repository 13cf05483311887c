/**
 * What a consent act must carry before it is written, checked without a database: the
 * notice it was given under, each scope of three, the data it lists, its validity, the
 * evidence of the notice, and — under Kazakhstan's 94-V art. 8(4) — the person's name and
 * the operator's BIN.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkConsentAct, type ConsentActInput, operatorRegistration, sha256Hex } from '../../src/consent/requirements.js';
import { CustodianError } from '../../src/errors.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { indexPolicy, type Policy } from '../../src/policy/model.js';
import type { PublishedPolicy } from '../../src/policy/versions.js';
import { FULL_NAME, GLOBAL_POLICY, KZ_POLICY, NOTICE_TEXT } from './consent-fixtures.js';

const NOW = Date.parse('2026-11-22T09:00:00Z');

function load(path: string): Policy {
  const { policy, diagnostics } = compilePolicy(readFileSync(path, 'utf8'), path);
  assert.ok(policy, JSON.stringify(diagnostics));
  return policy;
}
const KZ = load(KZ_POLICY);
const GLOBAL = load(GLOBAL_POLICY);

function published(policy: Policy, number = 3): PublishedPolicy {
  return { number, policyId: policy.id, label: null, effectiveAt: 0, publishedAt: 0, hash: 'h', index: indexPolicy(policy) };
}
function changed(policy: Policy, change: (p: Policy) => void): Policy {
  const copy = structuredClone(policy);
  change(copy);
  return copy;
}

const NO_SCOPE = { thirdParties: false, crossBorder: false, publicDissemination: false };
/** A complete 94-V consent to the KZ policy's newsletter, shown as version 3. */
const kz = (overrides: Partial<ConsentActInput> = {}): ConsentActInput => ({
  purpose: 'newsletter',
  decision: 'give',
  channel: 'web-form',
  notice: { policyVersion: 3, locale: 'ru', text: NOTICE_TEXT },
  subjectFullName: FULL_NAME,
  validity: 'P1Y',
  scope: NO_SCOPE,
  categories: ['user.name', 'user.contact.email'],
  ...overrides,
});
/** A GDPR consent with nothing but what the GDPR needs. */
const plain = (purpose: string, overrides: Partial<ConsentActInput> = {}): ConsentActInput => ({ purpose, decision: 'give', channel: 'api', notice: { policyVersion: 3, locale: 'en', text: 'We would like to…' }, ...overrides });

function refusal(run: () => unknown): CustodianError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CustodianError, String(error));
    return error;
  }
  assert.fail('expected the act to be refused');
}
const problems = (error: CustodianError) => error.details.map((d) => [d.path, d.message]);
const paths = (error: CustodianError) => error.details.map((d) => d.path);

describe('the notice a consent is given under', () => {
  it('must be a published version', () => {
    const error = refusal(() => checkConsentAct(kz(), undefined, 3, NOW));
    assert.equal(error.code, 'validation_failed');
    assert.equal(error.message, 'Policy version 3 is not published');
    assert.deepEqual(problems(error), [['notice.policyVersion', 'is not a published policy version']]);
  });

  it('for a given consent, must be the version in effect or a newer one; a refusal may cite any', () => {
    const v3 = published(KZ, 3);
    assert.equal(checkConsentAct(kz(), v3, 3, NOW).policyVersion, 3);
    assert.equal(checkConsentAct(kz(), v3, 2, NOW).policyVersion, 3, 'a renewal asked ahead of the change');
    const stale = refusal(() => checkConsentAct(kz(), v3, 4, NOW));
    assert.equal(stale.code, 'validation_failed');
    assert.equal(stale.message, 'Consent must be given under policy version 4 or later; the notice shown was version 3');
    assert.deepEqual(problems(stale), [['notice.policyVersion', 'must be policy version 4 or later: show the person the current notice and ask again']]);
    assert.equal(checkConsentAct(kz({ decision: 'refuse' }), v3, 4, NOW).event, 'refused');
  });

  it('must declare the purpose, and base it on consent', () => {
    const undeclared = refusal(() => checkConsentAct(kz({ purpose: 'aigerim@example.kz' }), published(KZ), 3, NOW));
    assert.equal(undeclared.code, 'purpose_not_declared');
    assert.equal(undeclared.message, 'The purpose is not declared in policy version 3');
    assert.deepEqual(problems(undeclared), [['purpose', 'purpose is not declared']]);
    const contract = refusal(() => checkConsentAct(kz({ purpose: 'orders' }), published(KZ), 3, NOW));
    assert.equal(contract.code, 'consent_not_applicable');
    assert.equal(contract.message, 'Purpose "orders" is not based on consent');
    assert.deepEqual(paths(contract), ['purpose']);
  });
});

describe('the scope of a consent', () => {
  it('states each of the three scopes under 94-V, naming each one left out', () => {
    const error = refusal(() => checkConsentAct(kz({ scope: {} }), published(KZ), 3, NOW));
    assert.equal(error.code, 'consent_incomplete');
    assert.equal(error.message, 'The consent lacks content 94-V art. 8(4) requires');
    assert.deepEqual(problems(error), [
      ['scope.thirdParties', 'a Kazakhstan consent must state whether transfer to third parties takes place (94-V art. 8(4))'],
      ['scope.crossBorder', 'a Kazakhstan consent must state whether cross-border transfer takes place (94-V art. 8(4))'],
      ['scope.publicDissemination', 'a Kazakhstan consent must state whether public dissemination takes place (94-V art. 8(4))'],
    ]);
    for (const name of ['thirdParties', 'crossBorder', 'publicDissemination'] as const) {
      const one = refusal(() => checkConsentAct(kz({ scope: { ...NO_SCOPE, [name]: undefined } }), published(KZ), 3, NOW));
      assert.deepEqual(paths(one), [`scope.${name}`]);
    }
  });

  it('defaults unstated scopes to what the policy declares where 94-V does not ask', () => {
    const act = checkConsentAct(plain('ad-sharing'), published(GLOBAL), 3, NOW);
    assert.deepEqual(act.scope, { thirdParties: true, crossBorder: true, publicDissemination: false });
    const narrowed = checkConsentAct(plain('ad-sharing', { scope: { crossBorder: false } }), published(GLOBAL), 3, NOW);
    assert.deepEqual(narrowed.scope, { thirdParties: true, crossBorder: false, publicDissemination: false });
  });

  it('cannot claim a scope the policy does not declare for the purpose, each scope on its own', () => {
    const cases = [
      ['thirdParties', 'transfer to third parties'],
      ['crossBorder', 'cross-border transfer'],
      ['publicDissemination', 'public dissemination'],
    ] as const;
    for (const [name, words] of cases) {
      const error = refusal(() => checkConsentAct(kz({ scope: { ...NO_SCOPE, [name]: true } }), published(KZ), 3, NOW));
      assert.equal(error.code, 'validation_failed');
      assert.equal(error.message, 'The consent is invalid');
      assert.deepEqual(problems(error), [[`scope.${name}`, `purpose "newsletter" does not declare ${words}`]]);
    }
    const loyalty = checkConsentAct(kz({ purpose: 'loyalty', scope: { thirdParties: true, crossBorder: true, publicDissemination: false }, categories: ['user.name'] }), published(KZ), 3, NOW);
    assert.deepEqual(loyalty.scope, { thirdParties: true, crossBorder: true, publicDissemination: false });
  });

  it('a separate consent covers its one scope, which the purpose must declare', () => {
    const abroad = checkConsentAct(kz({ purpose: 'loyalty', separateScope: 'crossBorder', scope: undefined, categories: ['user.name'] }), published(KZ), 3, NOW);
    assert.equal(abroad.topic, 'crossBorder');
    assert.deepEqual(abroad.scope, { thirdParties: false, crossBorder: true, publicDissemination: false });
    const third = checkConsentAct(kz({ purpose: 'loyalty', separateScope: 'thirdParties', scope: { thirdParties: true }, categories: ['user.name'] }), published(KZ), 3, NOW);
    assert.deepEqual(third.scope, { thirdParties: true, crossBorder: false, publicDissemination: false });
    const withPublic = changed(KZ, (p) => (p.purposes.find((x) => x.id === 'loyalty')!.consent!.publicDissemination = true));
    const publicly = checkConsentAct(kz({ purpose: 'loyalty', separateScope: 'publicDissemination', scope: undefined, categories: ['user.name'] }), published(withPublic), 3, NOW);
    assert.deepEqual(publicly.scope, { thirdParties: false, crossBorder: false, publicDissemination: true });

    const undeclared = refusal(() => checkConsentAct(kz({ separateScope: 'publicDissemination', scope: undefined }), published(KZ), 3, NOW));
    assert.equal(undeclared.code, 'consent_not_applicable');
    assert.deepEqual(problems(undeclared), [['separateScope', 'purpose "newsletter" does not declare public dissemination, so there is no separate consent to record for it']]);

    const mixed = refusal(() => checkConsentAct(kz({ purpose: 'loyalty', separateScope: 'crossBorder', scope: { thirdParties: true, crossBorder: false }, categories: ['user.name'] }), published(KZ), 3, NOW));
    assert.deepEqual(problems(mixed), [
      ['scope.thirdParties', 'a separate consent for cross-border transfer covers that scope only'],
      ['scope.crossBorder', 'a separate consent for cross-border transfer covers that scope only'],
    ]);
    const topicOfMain = checkConsentAct(kz(), published(KZ), 3, NOW);
    assert.equal(topicOfMain.topic, 'purpose');
  });
});

describe('the data a consent lists', () => {
  it('defaults to the purpose’s categories, except under 94-V where the list must be stated', () => {
    assert.deepEqual(checkConsentAct(plain('newsletter'), published(GLOBAL), 3, NOW).categories, ['user.name', 'user.contact.email']);
    const error = refusal(() => checkConsentAct(kz({ categories: undefined }), published(KZ), 3, NOW));
    assert.deepEqual(problems(error), [['categories', 'a Kazakhstan consent must state the list of personal data (94-V art. 8(4))']]);
  });

  it('names each listed category the purpose does not declare, and lists each once', () => {
    const error = refusal(() => checkConsentAct(kz({ categories: ['user.name', 'user.health_and_medical', 'aigerim@example.kz'] }), published(KZ), 3, NOW));
    assert.equal(error.code, 'category_not_allowed_for_purpose');
    assert.deepEqual(problems(error), [
      ['categories[1]', 'the category is not declared for purpose "newsletter"'],
      ['categories[2]', 'the category is not declared for purpose "newsletter"'],
    ]);
    assert.deepEqual(checkConsentAct(kz({ categories: ['user.name', 'user.name'] }), published(KZ), 3, NOW).categories, ['user.name']);
  });
});

describe('the validity of a consent', () => {
  it('runs from now for the stated term, and may not outlast the policy’s', () => {
    const act = checkConsentAct(kz({ validity: 'P1Y' }), published(KZ), 3, NOW);
    assert.equal(act.validity, 'P1Y');
    assert.equal(act.validUntil, Date.parse('2027-11-22T09:00:00Z'));
    assert.equal(checkConsentAct(kz({ validity: 'P2Y' }), published(KZ), 3, NOW).validUntil, Date.parse('2028-11-22T09:00:00Z'), 'equal to the policy’s term');
    const longer = refusal(() => checkConsentAct(kz({ validity: 'P25M' }), published(KZ), 3, NOW));
    assert.deepEqual(problems(longer), [['validity', 'exceeds the validity the policy sets for purpose "newsletter" (P2Y)']]);
    const unlimited = refusal(() => checkConsentAct(kz({ validity: 'until-purpose-achieved' }), published(KZ), 3, NOW));
    assert.deepEqual(paths(unlimited), ['validity'], 'no term is longer than any term');
  });

  it('may last until the purpose is achieved where the policy sets no term', () => {
    const act = checkConsentAct(plain('newsletter', { validity: 'until-purpose-achieved' }), published(GLOBAL), 3, NOW);
    assert.equal(act.validity, null);
    assert.equal(act.validUntil, null);
    assert.equal(checkConsentAct(plain('newsletter', { validity: 'P10Y' }), published(GLOBAL), 3, NOW).validity, 'P10Y');
  });

  it('defaults to the policy’s term, except under 94-V where it must be stated', () => {
    const act = checkConsentAct(plain('ad-sharing'), published(GLOBAL), 3, NOW);
    assert.equal(act.validity, 'P1Y');
    assert.equal(act.validUntil, Date.parse('2027-11-22T09:00:00Z'));
    assert.equal(checkConsentAct(plain('newsletter'), published(GLOBAL), 3, NOW).validUntil, null);
    const error = refusal(() => checkConsentAct(kz({ validity: undefined }), published(KZ), 3, NOW));
    assert.deepEqual(problems(error), [['validity', 'a Kazakhstan consent must state the validity period (94-V art. 8(4))']]);
  });

  it('must be an ISO 8601 duration', () => {
    const error = refusal(() => checkConsentAct(kz({ validity: 'one year' }), published(KZ), 3, NOW));
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(problems(error), [['validity', 'must be an ISO 8601 duration (e.g. P1Y) or "until-purpose-achieved"']]);
  });

  it('is none for a refusal', () => {
    const act = checkConsentAct(kz({ decision: 'refuse', validity: 'one year' }), published(KZ), 3, NOW);
    assert.equal(act.validity, null);
    assert.equal(act.validUntil, null);
  });
});

describe('the evidence of the notice', () => {
  it('is the SHA-256 of the text shown, and the text itself only when asked to keep it', () => {
    const act = checkConsentAct(kz(), published(KZ), 3, NOW);
    assert.equal(act.noticeSha256, sha256Hex(NOTICE_TEXT));
    assert.equal(act.noticeSha256.length, 64);
    assert.equal(act.noticeText, null);
    assert.equal(checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', text: NOTICE_TEXT, keepText: true } }), published(KZ), 3, NOW).noticeText, NOTICE_TEXT);
    assert.equal(act.locale, 'ru');
    assert.equal(act.channel, 'web-form');
  });

  it('may be a digest the caller computed, which must match the text when both are given', () => {
    const digest = sha256Hex(NOTICE_TEXT);
    assert.equal(checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', textSha256: digest } }), published(KZ), 3, NOW).noticeSha256, digest);
    assert.equal(checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', text: NOTICE_TEXT, textSha256: digest } }), published(KZ), 3, NOW).noticeSha256, digest);
    const mismatch = refusal(() => checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', text: NOTICE_TEXT, textSha256: sha256Hex('other') } }), published(KZ), 3, NOW));
    assert.deepEqual(problems(mismatch), [['notice.textSha256', 'does not match the SHA-256 of notice.text']]);
    for (const bad of [digest.toUpperCase(), digest.slice(1), `${digest}0`, 'x'.repeat(64)]) {
      const error = refusal(() => checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', textSha256: bad } }), published(KZ), 3, NOW));
      assert.deepEqual(problems(error), [['notice.textSha256', 'must be a SHA-256 digest in lowercase hex']], bad);
    }
  });

  it('must be given somehow, and keeping the text needs the text', () => {
    const none = refusal(() => checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru' } }), published(KZ), 3, NOW));
    assert.deepEqual(problems(none), [['notice.text', 'give the notice text shown, or its SHA-256 as notice.textSha256']]);
    const keep = refusal(() => checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', textSha256: sha256Hex(NOTICE_TEXT), keepText: true } }), published(KZ), 3, NOW));
    assert.deepEqual(problems(keep), [['notice.keepText', 'needs notice.text']]);
    assert.equal(checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'ru', text: '' } }), published(KZ), 3, NOW).noticeSha256, sha256Hex(''), 'an empty text is still a text');
  });
});

describe('the content 94-V art. 8(4) asks for', () => {
  it('the person’s full name, trimmed; a refusal keeps none', () => {
    assert.equal(checkConsentAct(kz({ subjectFullName: `  ${FULL_NAME}  ` }), published(KZ), 3, NOW).subjectFullName, FULL_NAME);
    assert.equal(checkConsentAct(kz({ decision: 'refuse' }), published(KZ), 3, NOW).subjectFullName, null);
    for (const name of [undefined, '', '   ']) {
      const error = refusal(() => checkConsentAct(kz({ subjectFullName: name }), published(KZ), 3, NOW));
      assert.deepEqual(problems(error), [['subjectFullName', "a Kazakhstan consent must state the subject's full name (94-V art. 8(4))"]]);
    }
    assert.equal(checkConsentAct(plain('newsletter', { subjectFullName: '  Jane Doe ' }), published(GLOBAL), 3, NOW).subjectFullName, 'Jane Doe', 'kept when given elsewhere too');
    assert.equal(checkConsentAct(plain('newsletter'), published(GLOBAL), 3, NOW).subjectFullName, null);
  });

  it('the operator’s BIN or IIN', () => {
    const noBin = changed(KZ, (p) => (p.operator.registrations = []));
    const error = refusal(() => checkConsentAct(kz(), published(noBin), 3, NOW));
    assert.deepEqual(problems(error), [['policy.operator.registrations', "a Kazakhstan consent must state the operator's BIN or IIN (94-V art. 8(4))"]]);
    const soleTrader = changed(KZ, (p) => (p.operator.registrations = [{ scheme: 'IIN', value: '880101300123' }]));
    assert.equal(checkConsentAct(kz(), published(soleTrader), 3, NOW).event, 'given');
    assert.deepEqual(operatorRegistration(soleTrader), { scheme: 'IIN', value: '880101300123' });
    const both = changed(KZ, (p) => (p.operator.registrations = [{ scheme: 'IIN', value: '880101300123' }, { scheme: 'BIN', value: '240540001232' }]));
    assert.deepEqual(operatorRegistration(both), { scheme: 'BIN', value: '240540001232' }, 'a BIN is named first');
    assert.equal(operatorRegistration(changed(KZ, (p) => (p.operator.registrations = [{ scheme: 'VAT', value: 'X' }]))), undefined);
  });

  it('the operator’s name in the language of the notice', () => {
    const nameless = changed(KZ, (p) => (p.operator.name = { en: '' }));
    const error = refusal(() => checkConsentAct(kz({ notice: { policyVersion: 3, locale: 'en', text: NOTICE_TEXT } }), published(nameless), 3, NOW));
    assert.deepEqual(paths(error), ['policy.operator.name']);
  });

  it('only when giving consent, under a Kazakh operator, to a purpose 94-V bases on consent', () => {
    const incomplete = { scope: undefined, categories: undefined, validity: undefined, subjectFullName: undefined };
    assert.equal(checkConsentAct(kz({ decision: 'refuse', ...incomplete }), published(KZ), 3, NOW).event, 'refused');
    assert.equal(checkConsentAct(plain('newsletter'), published(GLOBAL), 3, NOW).event, 'given', 'not a Kazakh operator');
    const otherBasis = changed(KZ, (p) => {
      p.operator.jurisdictions = ['KZ', 'EU'];
      const newsletter = p.purposes.find((x) => x.id === 'newsletter')!;
      newsletter.legalBasis = { kz: 'public-task', gdpr: 'consent' } as Policy['purposes'][number]['legalBasis'];
    });
    assert.equal(checkConsentAct(plain('newsletter'), published(otherBasis), 3, NOW).event, 'given', '94-V names another basis');
    const all = refusal(() => checkConsentAct(kz(incomplete), published(KZ), 3, NOW));
    assert.deepEqual(paths(all), ['scope.thirdParties', 'scope.crossBorder', 'scope.publicDissemination', 'categories', 'validity', 'subjectFullName']);
  });

  it('reports every problem at once, the first one’s code being the error’s', () => {
    const error = refusal(() => checkConsentAct(kz({ scope: { ...NO_SCOPE, thirdParties: true }, categories: undefined, notice: { policyVersion: 3, locale: 'ru' } }), published(KZ), 3, NOW));
    assert.equal(error.code, 'validation_failed');
    assert.equal(error.message, 'The consent is invalid');
    assert.deepEqual(paths(error), ['scope.thirdParties', 'categories', 'notice.text']);
  });
});
