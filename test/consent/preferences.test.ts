/**
 * The rules that turn a subject's consent acts, objections and GPC signal into what the
 * purpose gate enforces — pure functions, checked at their edges: a validity ending
 * exactly now, each scope of three, each law a GPC signal can bind under.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { preferenceFacts } from '../../src/consent/gate-facts.js';
import { consentState } from '../../src/consent/model.js';
import { type ConsentStatus, gpcEffect, isConsentValid, kzConsentApplies, optOutReason, type SubjectPreferences } from '../../src/consent/preferences.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../src/consent/unsubscribe.js';
import { createHmac } from 'node:crypto';
import type { KeyService } from '../../src/crypto/keys.js';
import { CustodianError } from '../../src/errors.js';
import { compilePolicy } from '../../src/policy/compile.js';
import type { Policy } from '../../src/policy/model.js';
import { GLOBAL_POLICY, KZ_POLICY } from './consent-fixtures.js';

const NOW = Date.parse('2026-11-22T09:00:00Z');
const load = (path: string): Policy => compilePolicy(readFileSync(path, 'utf8'), path).policy!;
const GLOBAL = load(GLOBAL_POLICY);
const KZ = load(KZ_POLICY);
const purpose = (policy: Policy, id: string) => policy.purposes.find((p) => p.id === id)!;

const NO_SCOPE = { thirdParties: false, crossBorder: false, publicDissemination: false };
const status = (extra: Partial<ConsentStatus> = {}): ConsentStatus => ({
  recordId: 'r',
  event: 'given',
  state: 'given',
  at: NOW - 1000,
  policyVersion: 2,
  coveredVersion: 2,
  validUntil: null,
  scope: NO_SCOPE,
  categories: [],
  channel: 'api',
  ...extra,
});
const prefs = (extra: Partial<SubjectPreferences> = {}): SubjectPreferences => ({ subjectId: 's', jurisdiction: null, asOf: NOW, purposes: {}, objections: {}, gpc: null, ...extra });
const GPC = { recordId: 'g', at: NOW, source: 'sec-gpc-header' as const };

describe('a consent’s state', () => {
  it('is expired from the moment its validity ends, and only for a given consent', () => {
    assert.equal(consentState('given', NOW, NOW), 'expired');
    assert.equal(consentState('given', NOW + 1, NOW), 'given');
    assert.equal(consentState('given', null, NOW), 'given');
    for (const event of ['refused', 'withdrawn', 'renewal-needed'] as const) assert.equal(consentState(event, NOW - 1, NOW), event);
  });

  it('counts as valid only while given and before its end', () => {
    assert.equal(isConsentValid(status({ validUntil: NOW }), NOW), false);
    assert.equal(isConsentValid(status({ validUntil: NOW + 1 }), NOW), true);
    assert.equal(isConsentValid(status(), NOW), true);
    for (const event of ['refused', 'withdrawn', 'renewal-needed'] as const) assert.equal(isConsentValid(status({ event }), NOW), false, event);
    assert.equal(isConsentValid(undefined, NOW), false);
    assert.equal(isConsentValid(null, NOW), false);
  });
});

describe('94-V’s consent rules', () => {
  it('bind a purpose 94-V bases on consent, or on nothing stated, when it has a consent block', () => {
    assert.equal(kzConsentApplies(purpose(KZ, 'newsletter')), true);
    assert.equal(kzConsentApplies(purpose(KZ, 'orders')), false, 'a contract, and no consent block');
    const gdprOnly = purpose(GLOBAL, 'newsletter');
    assert.equal(kzConsentApplies(gdprOnly), true, 'no Kazakh basis stated: consent is the default');
    assert.equal(kzConsentApplies({ ...gdprOnly, consent: undefined }), false);
    assert.equal(kzConsentApplies({ ...gdprOnly, legalBasis: { ...gdprOnly.legalBasis, kz: 'contract' } as typeof gdprOnly.legalBasis }), false);
  });
});

describe('a GPC signal', () => {
  it('means nothing when none was sent', () => {
    assert.deepEqual(gpcEffect({ gpc: null, jurisdiction: 'US-CA' }, ['US-CA']), { saleSharingOptOut: false, objection: false });
  });

  it('is an opt-out of sale and sharing under the CCPA and an objection under the GDPR, nothing of its own under 94-V', () => {
    assert.deepEqual(gpcEffect({ gpc: GPC, jurisdiction: 'US-CA' }, ['EU', 'US-CA']), { saleSharingOptOut: true, objection: false });
    assert.deepEqual(gpcEffect({ gpc: GPC, jurisdiction: 'EU' }, ['EU', 'US-CA']), { saleSharingOptOut: false, objection: true });
    assert.deepEqual(gpcEffect({ gpc: GPC, jurisdiction: 'UK' }, ['UK']), { saleSharingOptOut: false, objection: true });
    assert.deepEqual(gpcEffect({ gpc: GPC, jurisdiction: null }, ['EU', 'US-CA']), { saleSharingOptOut: true, objection: true });
    assert.deepEqual(gpcEffect({ gpc: GPC, jurisdiction: 'KZ' }, ['KZ', 'RU']), { saleSharingOptOut: false, objection: false });
  });

  it('opts out of a sale or sharing purpose, and of marketing under the GDPR, but not of anything else', () => {
    const ca = prefs({ gpc: GPC, jurisdiction: 'US-CA' });
    const eu = prefs({ gpc: GPC, jurisdiction: 'EU' });
    const declared = GLOBAL.operator.jurisdictions;
    assert.equal(optOutReason(ca, purpose(GLOBAL, 'ad-sharing'), declared), 'gpc-sale-sharing');
    assert.equal(optOutReason(ca, purpose(GLOBAL, 'newsletter'), declared), undefined, 'advertising services are not a sale');
    assert.equal(optOutReason(eu, purpose(GLOBAL, 'ad-sharing'), declared), 'gpc-objection');
    assert.equal(optOutReason(eu, purpose(GLOBAL, 'newsletter'), declared), 'gpc-objection', 'marketing');
    assert.equal(optOutReason(eu, purpose(GLOBAL, 'orders'), declared), undefined);
    assert.equal(optOutReason(eu, purpose(GLOBAL, 'analytics'), declared), undefined);
    const sale = { ...purpose(GLOBAL, 'analytics'), legalBasis: { ...purpose(GLOBAL, 'analytics').legalBasis, ccpa: 'sale' } as Policy['purposes'][number]['legalBasis'] };
    assert.equal(optOutReason(ca, sale, declared), 'gpc-sale-sharing');
    assert.equal(optOutReason(prefs({ jurisdiction: 'US-CA' }), sale, declared), undefined, 'no signal');
  });

  it('gives way to an objection the person made themselves', () => {
    const objected = prefs({ gpc: GPC, jurisdiction: 'US-CA', objections: { orders: { recordId: 'o', purpose: 'orders', at: NOW } } });
    assert.equal(optOutReason(objected, purpose(GLOBAL, 'orders'), GLOBAL.operator.jurisdictions), 'objection');
  });
});

describe('what the gate is given', () => {
  it('per purpose: the consent’s state, validity, categories and covered version', () => {
    const facts = preferenceFacts(prefs({ purposes: { newsletter: { consent: status({ state: 'expired', validUntil: NOW - 1, categories: ['user.name'], coveredVersion: 4 }), separate: {} } } }), GLOBAL);
    assert.deepEqual(facts.consents.get('newsletter'), {
      state: 'expired',
      validUntil: NOW - 1,
      scope: NO_SCOPE,
      separate: NO_SCOPE,
      categories: ['user.name'],
      policyVersion: 4,
    });
    const unknown = preferenceFacts(prefs({ purposes: { newsletter: { consent: status({ coveredVersion: null }), separate: {} } } }), GLOBAL);
    assert.equal(unknown.consents.get('newsletter')?.policyVersion, 0, 'a marking from before the covered version was kept covers nothing');
  });

  it('leaves out purposes with separate acts but no consent to the purpose itself', () => {
    const facts = preferenceFacts(prefs({ purposes: { loyalty: { consent: null, separate: { crossBorder: status() } } } }), KZ);
    assert.equal(facts.consents.has('loyalty'), false);
  });

  it('per scope: a valid separate act counts as separate; any recorded separate act decides the scope', () => {
    for (const name of ['thirdParties', 'crossBorder', 'publicDissemination'] as const) {
      const main = status({ scope: { thirdParties: true, crossBorder: true, publicDissemination: true } });
      const valid = preferenceFacts(prefs({ purposes: { loyalty: { consent: main, separate: { [name]: status() } } } }), KZ).consents.get('loyalty')!;
      assert.deepEqual(valid.separate, { ...NO_SCOPE, [name]: true }, name);
      assert.deepEqual(valid.scope, { thirdParties: true, crossBorder: true, publicDissemination: true }, name);

      const withdrawn = preferenceFacts(prefs({ purposes: { loyalty: { consent: main, separate: { [name]: status({ event: 'withdrawn', state: 'withdrawn' }) } } } }), KZ).consents.get('loyalty')!;
      assert.deepEqual(withdrawn.separate, NO_SCOPE, `${name}: a withdrawn separate act is not a consent`);
      assert.equal(withdrawn.scope[name], false, `${name}: and it takes the scope back from the main consent`);

      const expired = preferenceFacts(prefs({ purposes: { loyalty: { consent: main, separate: { [name]: status({ validUntil: NOW }) } } } }), KZ).consents.get('loyalty')!;
      assert.equal(expired.separate[name], false, `${name}: a separate act valid until now has expired`);
    }
  });

  it('objections: those made, and GPC read as one under the GDPR', () => {
    const objected = preferenceFacts(prefs({ objections: { analytics: { recordId: 'o', purpose: 'analytics', at: NOW } } }), GLOBAL);
    assert.deepEqual([...objected.objections], ['analytics']);
    assert.equal(objected.saleSharingOptOut, false);
    const eu = preferenceFacts(prefs({ gpc: GPC, jurisdiction: 'EU' }), GLOBAL);
    assert.deepEqual([...eu.objections].sort(), ['ad-sharing', 'newsletter']);
    assert.equal(eu.saleSharingOptOut, false);
    const ca = preferenceFacts(prefs({ gpc: GPC, jurisdiction: 'US-CA' }), GLOBAL);
    assert.deepEqual([...ca.objections], [], 'in California GPC is an opt-out, not an objection');
    assert.equal(ca.saleSharingOptOut, true);
    const noPolicy = preferenceFacts(prefs({ gpc: GPC, jurisdiction: 'EU' }), undefined);
    assert.deepEqual([...noPolicy.objections], []);
  });
});

describe('one-click unsubscribe links', () => {
  const keys = (secret: string) => ({ linkMac: (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url') }) as unknown as KeyService;
  const claims = { subjectId: '11111111-1111-4111-8111-111111111111', purpose: 'newsletter', issuedAt: 1_790_000_000 };
  const invalid = (token: string, k = keys('k')) =>
    assert.throws(
      () => verifyUnsubscribeToken(k, token),
      (e: unknown) => e instanceof CustodianError && e.code === 'link_invalid' && e.message === 'The unsubscribe link is not valid' && e.details[0].path === 'token',
      token,
    );

  it('carry the subject, the purpose and the issue time, and nothing else', () => {
    const token = signUnsubscribeToken(keys('k'), claims);
    assert.deepEqual(verifyUnsubscribeToken(keys('k'), token), claims);
    const [payload] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64url').toString()), { v: 1, s: claims.subjectId, p: 'newsletter', iat: claims.issuedAt });
  });

  it('are refused when signed by another key, altered, cut or padded', () => {
    const token = signUnsubscribeToken(keys('k'), claims);
    const [payload, mac] = token.split('.');
    invalid(token, keys('another'));
    invalid(`${Buffer.from(JSON.stringify({ v: 1, s: claims.subjectId, p: 'orders', iat: claims.issuedAt })).toString('base64url')}.${mac}`);
    invalid(`${payload}.${mac.slice(0, -1)}`);
    invalid(`${payload}.${mac}.extra`);
    invalid(`${payload}.`);
    invalid(`.${mac}`);
    invalid(payload);
    invalid('');
  });

  it('are refused when genuinely signed but not a token of this form', () => {
    const k = keys('k');
    const sign = (body: unknown) => {
      const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64url');
      return `${payload}.${k.linkMac(`custodian/unsubscribe/v1|${payload}`)}`;
    };
    assert.deepEqual(verifyUnsubscribeToken(k, sign({ v: 1, s: 'a', p: 'b', iat: 1 })), { subjectId: 'a', purpose: 'b', issuedAt: 1 });
    for (const body of ['not json', 'null', { v: 2, s: 'a', p: 'b', iat: 1 }, { v: 1, s: 1, p: 'b', iat: 1 }, { v: 1, s: 'a', p: null, iat: 1 }, { v: 1, s: 'a', p: 'b', iat: '1' }]) {
      invalid(sign(body), k);
    }
    // The MAC is bound to this use: the same key's MAC over the bare payload does not verify.
    const payload = Buffer.from(JSON.stringify({ v: 1, s: 'a', p: 'b', iat: 1 })).toString('base64url');
    invalid(`${payload}.${k.linkMac(payload)}`, k);
  });
});
