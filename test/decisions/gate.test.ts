/**
 * The purpose gate's rules, one deny cause at a time, on the pure `evaluate` function —
 * policy and subject context in, decision out.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type DecisionRequest, evaluate } from '../../src/decisions/gate.js';
import { type ConsentFacts, NO_PREFERENCES, type PreferenceFacts, retentionKey, type SubjectContext } from '../../src/decisions/subject-context.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { indexPolicy, type Policy } from '../../src/policy/model.js';

const source = readFileSync(new URL('./fixtures/gate.policy.yaml', import.meta.url), 'utf8');
const compiled = compilePolicy(source, 'gate.policy.yaml');
assert.ok(compiled.policy, JSON.stringify(compiled.diagnostics));
const POLICY: Policy = compiled.policy;
const NOW = Date.parse('2026-11-22T12:00:00Z');
const DAY = 86_400_000;

const NO_SCOPE = { thirdParties: false, crossBorder: false, publicDissemination: false };
const given = (extra: Partial<ConsentFacts> = {}): ConsentFacts => ({ state: 'given', validUntil: null, scope: NO_SCOPE, separate: NO_SCOPE, categories: [], policyVersion: 7, ...extra });

function context(overrides: Partial<SubjectContext> & { prefs?: Partial<PreferenceFacts> } = {}): SubjectContext {
  const { prefs, ...rest } = overrides;
  return {
    subjectId: 's-1',
    version: 0,
    state: 'active',
    jurisdiction: null,
    blockedAll: false,
    blockedCategories: new Set(),
    retentionDue: new Map(),
    preferences: { ...NO_PREFERENCES, ...prefs },
    ...rest,
  };
}

function decide(request: Partial<DecisionRequest>, ctx: SubjectContext | undefined = context(), policy: Policy = POLICY) {
  return evaluate(indexPolicy(policy), 7, { subjectId: 's-1', purpose: 'orders', operation: 'use', categories: ['user.name'], ...request }, ctx, NOW);
}

function codes(request: Partial<DecisionRequest>, ctx?: SubjectContext, policy?: Policy): string[] {
  return decide(request, ctx, policy).reasons.map((r) => r.code);
}

function withPolicy(change: (p: Policy) => void): Policy {
  const copy = structuredClone(POLICY);
  change(copy);
  return copy;
}

describe('purpose gate', () => {
  it('allows a declared use on a contract basis, naming the basis under each law', () => {
    const d = decide({});
    assert.equal(d.allow, true);
    assert.equal(d.policyVersion, 7);
    assert.deepEqual(d.reasons.map((r) => r.code), ['basis_contract', 'basis_contract', 'basis_other']);
    assert.match(d.reasons[2].message, /CCPA\/CPRA: performing-services/);
  });

  it('denies for an unknown or erased subject', () => {
    const unknown = evaluate(indexPolicy(POLICY), 7, { subjectId: 's-1', purpose: 'orders', operation: 'use', categories: [] }, undefined, NOW);
    assert.deepEqual(unknown.reasons.map((r) => r.code), ['subject_not_found']);
    assert.deepEqual(codes({}, context({ state: 'erased' })), ['subject_erased']);
  });

  it('denies an undeclared purpose, an operation the purpose does not allow, and a category it does not declare', () => {
    assert.deepEqual(codes({ purpose: 'profiling' }), ['purpose_not_declared']);
    assert.deepEqual(codes({ purpose: 'analytics', operation: 'extraction', categories: ['user.device.cookie_id'] }, context({ prefs: { consents: new Map([['analytics', given()]]) } })), ['operation_not_allowed']);
    assert.deepEqual(codes({ categories: ['user.name', 'user.device.cookie_id'] }), ['category_not_declared_for_purpose']);
  });

  it('denies use, depersonalization and destruction of blocked data, but keeps it stored (94-V art. 1)', () => {
    assert.deepEqual(codes({}, context({ blockedAll: true })), ['subject_blocked']);
    assert.deepEqual(codes({ operation: 'storage' }, context({ blockedAll: true })), ['basis_contract', 'basis_contract', 'basis_other']);
    assert.deepEqual(codes({ operation: 'destruction' }, context({ blockedAll: true })), ['subject_blocked']);
    assert.deepEqual(codes({ operation: 'depersonalization' }, context({ blockedAll: true })), ['subject_blocked']);
    assert.deepEqual(codes({ categories: ['user.name', 'user.contact.email'] }, context({ blockedCategories: new Set(['user.contact.email']) })), ['category_blocked']);
    assert.equal(decide({ categories: ['user.name'] }, context({ blockedCategories: new Set(['user.contact.email']) })).allow, true);
  });

  it('denies when a law that applies has no basis for the purpose', () => {
    const policy = withPolicy((p) => delete p.purposes[0].legalBasis.ccpa);
    assert.deepEqual(codes({}, context({ jurisdiction: 'US-CA' }), policy), ['no_legal_basis']);
    // A KZ resident is judged under 94-V only, which has a basis.
    assert.equal(decide({}, context({ jurisdiction: 'KZ' }), policy).allow, true);
  });

  describe('consent', () => {
    const marketing = { purpose: 'marketing', categories: ['user.contact.email'] };
    const withConsent = (c: ConsentFacts) => context({ prefs: { consents: new Map([['marketing', c]]) } });

    it('denies without consent, and after refusal, withdrawal, expiry or a material policy change', () => {
      assert.deepEqual(codes(marketing), ['consent_missing']);
      assert.deepEqual(codes(marketing, withConsent(given({ state: 'refused' }))), ['consent_refused']);
      assert.deepEqual(codes(marketing, withConsent(given({ state: 'withdrawn' }))), ['consent_withdrawn']);
      assert.deepEqual(codes(marketing, withConsent(given({ state: 'expired' }))), ['consent_expired']);
      assert.deepEqual(codes(marketing, withConsent(given({ validUntil: NOW - DAY }))), ['consent_expired']);
      // A marking for renewal alone does not stop what the consent's notice covered…
      assert.equal(decide(marketing, withConsent(given({ state: 'renewal-needed' }))).allow, true);
      // …a change that needs the whole consent again does, and so does an unknown notice.
      const floor = new Map([['marketing', 7]]);
      assert.deepEqual(evaluate(indexPolicy(POLICY), 7, { subjectId: 's-1', operation: 'use', ...marketing }, withConsent(given({ state: 'renewal-needed', policyVersion: 6 })), NOW, floor).reasons.map((r) => r.code), ['consent_renewal_needed']);
      assert.deepEqual(evaluate(indexPolicy(POLICY), 7, { subjectId: 's-1', operation: 'use', ...marketing }, withConsent(given({ state: 'renewal-needed', policyVersion: 0 })), NOW, new Map(), () => undefined).reasons.map((r) => r.code), ['consent_renewal_needed']);
    });

    it('always allows destruction, deletion and depersonalization once consent has ended: only a block stops them', () => {
      const ended = [undefined, given({ state: 'withdrawn' }), given({ state: 'expired' }), given({ validUntil: NOW - DAY }), given({ state: 'refused' }), given({ state: 'renewal-needed', policyVersion: 0 })];
      for (const consent of ended) {
        const ctx = context({ prefs: { consents: consent ? new Map([['marketing', consent]]) : new Map(), objections: new Set(['marketing']) } });
        for (const operation of ['destruction', 'deletion', 'depersonalization'] as const) {
          const d = decide({ ...marketing, operation }, ctx);
          assert.equal(d.allow, true, `${operation} with consent ${consent?.state ?? 'missing'}: ${JSON.stringify(d.reasons)}`);
          assert.deepEqual(d.reasons.map((r) => r.code), ['obligation_to_erase']);
        }
      }
      // Even where the purpose forgot to list the operation, or no law gives it a basis.
      const bare = withPolicy((p) => {
        p.purposes[1].operations = ['collection', 'storage', 'use'];
        p.purposes[1].legalBasis = {};
      });
      assert.equal(decide({ ...marketing, operation: 'depersonalization' }, withConsent(given({ state: 'withdrawn' })), bare).allow, true);
      assert.deepEqual(codes({ ...marketing, operation: 'destruction' }, context({ blockedAll: true })), ['subject_blocked']);
    });

    describe('a consent covers what its notice said', () => {
      // Version 6 is the fixture; version 7 widens it by one element at a time.
      const v6 = indexPolicy(POLICY);
      const notices = (v7: Policy) => ({ current: indexPolicy(v7), of: (n: number) => (n === 6 ? v6 : undefined) });
      const run = (v7: Policy, request: Partial<DecisionRequest>, consent: ConsentFacts) => {
        const { current, of } = notices(v7);
        const purpose = request.purpose ?? 'marketing';
        return evaluate(current, 7, { subjectId: 's-1', operation: 'use', categories: [], ...request, purpose }, context({ prefs: { consents: new Map([[purpose, consent]]) } }), NOW, new Map(), of);
      };
      const under6 = given({ policyVersion: 6, state: 'renewal-needed' });

      it('a new recipient waits for renewal; every other use of the purpose goes on', () => {
        const v7 = withPolicy((p) => {
          p.recipients.push({ ...structuredClone(p.recipients[0]), id: 'kz-mailer', purposes: ['marketing'], categories: ['user.contact.email'] });
          p.purposes[1].operations.push('transfer');
          p.purposes[1].recipients.push('kz-mailer');
        });
        assert.equal(run(v7, { categories: ['user.contact.email'] }, under6).allow, true, 'use of the old categories stays allowed');
        const transfer = run(v7, { operation: 'transfer', recipient: 'kz-mailer', categories: ['user.contact.email'] }, under6);
        assert.deepEqual(transfer.reasons.map((r) => r.code), ['consent_renewal_needed', 'consent_renewal_needed']);
        assert.match(transfer.reasons.map((r) => r.message).join(' '), /recipient "kz-mailer" was added/);
        assert.equal(run(v7, { operation: 'transfer', recipient: 'kz-mailer', categories: ['user.contact.email'] }, given({ policyVersion: 7 })).allow, true, 'a consent under the new notice covers it');
      });

      it('a new category waits for renewal; uses of the old categories stay allowed', () => {
        const v7 = withPolicy((p) => p.purposes[1].categories.push('user.contact.phone_number'));
        assert.equal(run(v7, { categories: ['user.contact.email'] }, under6).allow, true);
        const phone = run(v7, { categories: ['user.contact.email', 'user.contact.phone_number'] }, under6);
        assert.deepEqual(phone.reasons.map((r) => r.code), ['consent_renewal_needed']);
        assert.match(phone.reasons[0].message, /"user.contact.phone_number" was added/);
      });

      it('a new source waits for renewal of collection from it', () => {
        const v7 = withPolicy((p) => {
          p.purposes[1].sources = ['direct', 'third-party'];
        });
        const v6WithDirect = withPolicy((p) => {
          p.purposes[1].sources = ['direct'];
        });
        const of = (n: number) => (n === 6 ? indexPolicy(v6WithDirect) : undefined);
        const collect = (source: 'direct' | 'third-party') =>
          evaluate(indexPolicy(v7), 7, { subjectId: 's-1', purpose: 'marketing', operation: 'collection', categories: ['user.contact.email'], source }, context({ prefs: { consents: new Map([['marketing', under6]]) } }), NOW, new Map(), of);
        assert.equal(collect('direct').allow, true);
        assert.deepEqual(collect('third-party').reasons.map((r) => r.code), ['consent_renewal_needed']);
      });

      it('a recipient moved abroad or turned third party waits for renewal of transfers to it', () => {
        const abroad = withPolicy((p) => {
          p.recipients[0].country = 'US';
          p.recipients[0].safeguard = 'scc';
        });
        const ordersConsent = given({ policyVersion: 6 });
        const orders = (v7: Policy) => {
          const consentBased = structuredClone(v7);
          consentBased.purposes[0].legalBasis = { kz: 'consent', gdpr: 'consent', ccpa: 'consent' } as Policy['purposes'][number]['legalBasis'];
          const before = structuredClone(POLICY);
          before.purposes[0].legalBasis = consentBased.purposes[0].legalBasis;
          return evaluate(indexPolicy(consentBased), 7, { subjectId: 's-1', purpose: 'orders', operation: 'transfer', recipient: 'courier', categories: ['user.name'] }, context({ prefs: { consents: new Map([['orders', { ...ordersConsent, scope: { thirdParties: true, crossBorder: true, publicDissemination: false }, separate: { thirdParties: true, crossBorder: true, publicDissemination: false } }]]) } }), NOW, new Map(), (n) => (n === 6 ? indexPolicy(before) : undefined));
        };
        assert.ok(orders(abroad).reasons.some((r) => r.code === 'consent_renewal_needed' && /transfers to "courier" in US were added/.test(r.message)), JSON.stringify(orders(abroad).reasons));
        const thirdParty = withPolicy((p) => {
          p.recipients[0].kind = 'third-party';
        });
        assert.ok(orders(thirdParty).reasons.some((r) => r.code === 'consent_renewal_needed' && /became a third-party/.test(r.message)), JSON.stringify(orders(thirdParty).reasons));
        assert.equal(orders(structuredClone(POLICY)).allow, true, 'nothing changed: the transfer is covered');
      });
    });

    it('denies categories the consent does not list', () => {
      const ctx = withConsent(given({ categories: ['user.contact.email'] }));
      assert.equal(decide(marketing, ctx).allow, true);
      const analytics = context({ prefs: { consents: new Map([['analytics', given({ categories: ['user.device.cookie_id'] })]]) } });
      assert.equal(decide({ purpose: 'analytics', categories: ['user.device.cookie_id'] }, analytics).allow, true);
      const narrow = withConsent(given({ categories: ['user.name'] }));
      assert.deepEqual(codes(marketing, narrow), ['consent_category_not_covered']);
    });

    it('asks again when a later version changed the purpose materially, even if the consent was given after it was published', () => {
      const ctx = withConsent(given({ policyVersion: 5 }));
      const floor = new Map([['marketing', 6]]);
      const d = evaluate(indexPolicy(POLICY), 7, { subjectId: 's-1', purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] }, ctx, NOW, floor);
      assert.deepEqual(d.reasons.map((r) => r.code), ['consent_renewal_needed']);
      const renewed = evaluate(indexPolicy(POLICY), 7, { subjectId: 's-1', purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] }, withConsent(given({ policyVersion: 6 })), NOW, floor);
      assert.equal(renewed.allow, true);
    });

    it('allows with a valid consent', () => {
      const d = decide(marketing, withConsent(given({ validUntil: NOW + DAY })));
      assert.equal(d.allow, true);
      assert.ok(d.reasons.some((r) => r.code === 'basis_consent'));
    });

    it('upholds an objection to legitimate interests, and to direct marketing whatever the basis (GDPR art. 21)', () => {
      const analytics = { purpose: 'analytics', categories: ['user.device.cookie_id'] };
      const eu = context({ jurisdiction: 'EU', prefs: { objections: new Set(['analytics']) } });
      assert.deepEqual(codes(analytics, eu), ['objection_upheld']);
      assert.equal(decide(analytics, context({ jurisdiction: 'EU' })).allow, true);
      const objected = context({ jurisdiction: 'EU', prefs: { consents: new Map([['marketing', given()]]), objections: new Set(['marketing']) } });
      assert.deepEqual(codes(marketing, objected), ['objection_upheld']);
    });

    it('honours an opt-out of sale or sharing for a California resident', () => {
      const ca = context({ jurisdiction: 'US-CA', prefs: { saleSharingOptOut: true } });
      assert.deepEqual(codes({ purpose: 'analytics', categories: ['user.device.cookie_id'] }, ca), ['opted_out_of_sale_or_sharing']);
      assert.equal(decide({}, ca).allow, true, 'orders are not a sale');
    });
  });

  it('denies processing of data past its retention date, but allows destroying it', () => {
    const ctx = context({ retentionDue: new Map([[retentionKey('orders', 'user.name'), NOW - 1]]) });
    assert.deepEqual(codes({}, ctx), ['retention_expired']);
    assert.equal(decide({ operation: 'destruction' }, ctx).allow, true);
    assert.equal(decide({}, context({ retentionDue: new Map([[retentionKey('orders', 'user.name'), NOW + DAY]]) })).allow, true);
  });

  it('denies storing a Kazakhstan or Russia resident’s data outside the country', () => {
    const abroad = withPolicy((p) => (p.operator.storageRegion = 'DE'));
    assert.deepEqual(codes({ operation: 'storage' }, context({ jurisdiction: 'KZ' }), abroad), ['residency_storage']);
    assert.equal(decide({ operation: 'use' }, context({ jurisdiction: 'KZ' }), abroad).allow, true);
    assert.equal(decide({ operation: 'storage' }, context({ jurisdiction: 'EU' }), abroad).allow, true);
  });

  describe('transfers', () => {
    const transfer = (recipient: string, categories = ['user.name'], purpose = 'orders') => ({ operation: 'transfer' as const, recipient, categories, purpose });

    it('allows a transfer at home and one abroad under SCCs, naming the safeguard', () => {
      assert.equal(decide(transfer('courier')).allow, true);
      const d = decide(transfer('eu-cloud'));
      assert.equal(d.allow, true);
      assert.ok(d.reasons.some((r) => r.code === 'safeguard' && /DE under scc/.test(r.message)));
    });

    it('denies undeclared recipients, recipients of other purposes and categories they may not receive', () => {
      assert.deepEqual(codes(transfer('nobody')), ['recipient_not_declared']);
      assert.deepEqual(codes(transfer('us-ads', ['user.name'])), ['recipient_not_declared_for_purpose', 'category_not_declared_for_recipient', 'cross_border_consent_missing']);
      assert.deepEqual(codes(transfer('eu-cloud', ['user.contact.phone_number'])), ['category_not_declared_for_recipient']);
    });

    it('denies a transfer that names no recipient', () => {
      assert.deepEqual(codes({ operation: 'transfer' }), ['recipient_required']);
    });

    it('keeps a consent-based transfer within what the person agreed to', () => {
      const withPartner = withPolicy((p) => {
        p.recipients.push({ id: 'partner', kind: 'third-party', name: { en: 'Partner' }, country: 'KZ', purposes: ['marketing'], categories: ['user.contact.email'] });
        p.purposes.find((x) => x.id === 'marketing')!.recipients.push('partner');
        p.purposes.find((x) => x.id === 'marketing')!.operations.push('transfer');
      });
      const share = transfer('partner', ['user.contact.email'], 'marketing');
      const scoped = (thirdParties: boolean) => context({ jurisdiction: 'EU', prefs: { consents: new Map([['marketing', given({ scope: { thirdParties, crossBorder: false, publicDissemination: false } })]]) } });
      assert.deepEqual(codes(share, scoped(false), withPartner), ['consent_scope_not_covered']);
      assert.equal(decide(share, scoped(true), withPartner).allow, true);
    });

    it('treats the EEA as one region', () => {
      const inEu = withPolicy((p) => {
        p.operator.storageRegion = 'DE';
        p.recipients.find((r) => r.id === 'eu-cloud')!.country = 'FR';
        p.recipients.find((r) => r.id === 'eu-cloud')!.safeguard = undefined;
      });
      const d = decide(transfer('eu-cloud'), context({ jurisdiction: 'EU' }), inEu);
      assert.equal(d.allow, true, JSON.stringify(d.reasons));
      assert.ok(!d.reasons.some((r) => r.code === 'safeguard'));
    });

    it('denies a cross-border transfer without a safeguard', () => {
      const bare = withPolicy((p) => (p.recipients.find((r) => r.id === 'eu-cloud')!.safeguard = 'none'));
      assert.deepEqual(codes(transfer('eu-cloud'), context(), bare), ['transfer_without_safeguard']);
    });

    it('requires separate cross-border and third-party consents (94-V art. 7(6)) for a consent-based transfer', () => {
      const analytics = transfer('us-ads', ['user.device.cookie_id'], 'analytics');
      const plain = context({ prefs: { consents: new Map([['analytics', given({ scope: { thirdParties: true, crossBorder: true, publicDissemination: false } })]]) } });
      assert.deepEqual(codes(analytics, plain), ['cross_border_consent_missing', 'third_party_consent_missing']);
      const both = { thirdParties: true, crossBorder: true, publicDissemination: false };
      const separate = context({ prefs: { consents: new Map([['analytics', given({ scope: both, separate: both })]]) } });
      assert.equal(decide(analytics, separate).allow, true);
    });
  });
});
