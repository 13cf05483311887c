/**
 * The purpose gate at its edges: a date exactly now, each member of each list of
 * operations the rules single out, each consent scope, each legal basis — the cases where
 * a `<` for a `<=` or a forgotten list entry would let data through.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { denied } from '../../src/decisions/denied.js';
import { ALLOW_CODES, DENY_CODES } from '../../src/decisions/reasons.js';
import { applicableLaws, type DecisionRequest, evaluate } from '../../src/decisions/gate.js';
import { type ConsentFacts, NO_PREFERENCES, type PreferenceFacts, retentionKey, type SubjectContext } from '../../src/decisions/subject-context.js';
import { PROCESSING_OPERATIONS, type ProcessingOperation } from '../../src/law/operations.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { indexPolicy, type Policy } from '../../src/policy/model.js';

const compiled = compilePolicy(readFileSync(new URL('./fixtures/gate.policy.yaml', import.meta.url), 'utf8'), 'gate.policy.yaml');
assert.ok(compiled.policy, JSON.stringify(compiled.diagnostics));
const POLICY: Policy = compiled.policy;
const NOW = Date.parse('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const NO_SCOPE = { thirdParties: false, crossBorder: false, publicDissemination: false };
const ALL_SCOPES = { thirdParties: true, crossBorder: true, publicDissemination: true };

const given = (extra: Partial<ConsentFacts> = {}): ConsentFacts => ({ state: 'given', validUntil: null, scope: NO_SCOPE, separate: NO_SCOPE, categories: [], policyVersion: 7, ...extra });

function context(overrides: Partial<SubjectContext> & { prefs?: Partial<PreferenceFacts> } = {}): SubjectContext {
  const { prefs, ...rest } = overrides;
  return { subjectId: 's-1', version: 0, state: 'active', jurisdiction: null, blockedAll: false, blockedCategories: new Set(), retentionDue: new Map(), preferences: { ...NO_PREFERENCES, ...prefs }, ...rest };
}

function withPolicy(change: (p: Policy) => void): Policy {
  const copy = structuredClone(POLICY);
  change(copy);
  return copy;
}

/** A purpose that allows every operation on a contract basis under all three laws. */
const EVERYTHING = withPolicy((p) => {
  p.purposes[0].operations = [...PROCESSING_OPERATIONS];
});

function decide(request: Partial<DecisionRequest>, ctx: SubjectContext = context(), policy: Policy = EVERYTHING) {
  return evaluate(indexPolicy(policy), 7, { subjectId: 's-1', purpose: 'orders', operation: 'use', categories: ['user.name'], ...request }, ctx, NOW);
}
const codes = (request: Partial<DecisionRequest>, ctx?: SubjectContext, policy?: Policy) => decide(request, ctx, policy).reasons.map((r) => r.code);
const denies = (request: Partial<DecisionRequest>, ctx?: SubjectContext, policy?: Policy) => decide(request, ctx, policy).allow === false;

describe('dates exactly now', () => {
  const marketing = { purpose: 'marketing', categories: ['user.contact.email'] };
  const consentUntil = (validUntil: number) => context({ prefs: { consents: new Map([['marketing', given({ validUntil })]]) } });

  it('a consent valid until now has expired; one valid a millisecond longer still counts', () => {
    assert.deepEqual(decide(marketing, consentUntil(NOW), POLICY).reasons, [{ code: 'consent_expired', message: 'consent to "marketing" expired on 2026-11-22' }]);
    assert.equal(decide(marketing, consentUntil(NOW + 1), POLICY).allow, true);
  });

  it('a consent marked for renewal and valid until now has expired too', () => {
    const ctx = context({ prefs: { consents: new Map([['marketing', given({ state: 'renewal-needed', validUntil: NOW })]]) } });
    assert.deepEqual(codes(marketing, ctx, POLICY), ['consent_expired']);
  });

  it('data due for retention now may no longer be used; data due a millisecond later may', () => {
    const due = (at: number) => context({ retentionDue: new Map([[retentionKey('orders', 'user.name'), at]]) });
    assert.deepEqual(codes({}, due(NOW)), ['retention_expired']);
    assert.deepEqual(decide({}, due(NOW)).reasons, [{ code: 'retention_expired', message: '"user.name" data for "orders" passed its retention date 2026-11-22' }]);
    assert.equal(decide({}, due(NOW + 1)).allow, true);
    assert.equal(decide({ categories: ['user.contact.email'] }, due(NOW)).allow, true, 'another category’s date does not count');
    assert.equal(decide({ purpose: 'marketing', categories: ['user.name'] }, context({ retentionDue: new Map([[retentionKey('marketing', 'user.name'), NOW]]) }), EVERYTHING).reasons.some((r) => r.code === 'retention_expired'), true);
  });
});

describe('operations the rules single out', () => {
  const others = (list: readonly ProcessingOperation[]) => PROCESSING_OPERATIONS.filter((op) => !list.includes(op));

  it('blocked data may only be stored (and blocked again); every other operation is refused', () => {
    const whileBlocked = ['storage', 'blocking'] as const;
    for (const operation of whileBlocked) {
      assert.equal(decide({ operation }, context({ blockedAll: true })).allow, true, operation);
      assert.equal(decide({ operation }, context({ blockedCategories: new Set(['user.name']) })).allow, true, operation);
    }
    for (const operation of others(whileBlocked)) {
      const request = { operation, ...(operation === 'transfer' ? { recipient: 'courier' } : {}) };
      assert.ok(codes(request, context({ blockedAll: true })).includes('subject_blocked'), operation);
      assert.ok(codes(request, context({ blockedCategories: new Set(['user.name']) })).includes('category_blocked'), operation);
    }
  });

  it('destruction, deletion and depersonalization need no basis and no declared operation; nothing else is spared', () => {
    const bare = withPolicy((p) => {
      p.purposes[0].operations = ['collection'];
      p.purposes[0].legalBasis = {};
    });
    for (const operation of ['destruction', 'deletion', 'depersonalization'] as const) {
      const d = decide({ operation }, context(), bare);
      assert.deepEqual(d.reasons.map((r) => r.code), ['obligation_to_erase'], operation);
      assert.match(d.reasons[0].message, new RegExp(`^${operation} ends the processing`));
    }
    for (const operation of others(['destruction', 'deletion', 'depersonalization', 'collection'])) {
      assert.ok(codes({ operation, recipient: 'courier' }, context(), bare).includes('operation_not_allowed'), operation);
    }
    assert.deepEqual(codes({ operation: 'collection' }, context(), bare), ['no_legal_basis', 'no_legal_basis', 'no_legal_basis']);
  });

  it('data past retention may still be collected anew, blocked or destroyed; every other operation is refused', () => {
    const expired = context({ retentionDue: new Map([[retentionKey('orders', 'user.name'), NOW - DAY]]) });
    const exempt = ['collection', 'destruction', 'deletion', 'depersonalization', 'blocking'] as const;
    for (const operation of exempt) assert.equal(decide({ operation }, expired).allow, true, operation);
    for (const operation of others(exempt)) {
      assert.ok(codes({ operation, ...(operation === 'transfer' ? { recipient: 'courier' } : {}) }, expired).includes('retention_expired'), operation);
    }
  });

  it('each storing operation keeps a Kazakh or Russian resident’s data at home; other operations do not', () => {
    const storedInGermany = withPolicy((p) => {
      p.purposes[0].operations = [...PROCESSING_OPERATIONS];
      p.operator.jurisdictions = ['KZ', 'RU', 'EU', 'US-CA'];
      p.purposes[0].legalBasis = { ...p.purposes[0].legalBasis, ru: 'contract' } as Policy['purposes'][number]['legalBasis'];
      p.operator.storageRegion = 'DE';
    });
    const storing = ['collection', 'recording', 'systematization', 'accumulation', 'storage'] as const;
    for (const jurisdiction of ['KZ', 'RU'] as const) {
      for (const operation of storing) {
        const d = decide({ operation }, context({ jurisdiction }), storedInGermany);
        assert.deepEqual(d.reasons.map((r) => r.code), ['residency_storage'], `${operation} for ${jurisdiction}`);
        assert.equal(d.reasons[0].message, `data of ${jurisdiction} residents must be stored in ${jurisdiction}, but the operator stores in DE`);
      }
    }
    for (const operation of ['clarification', 'extraction', 'use'] as const) {
      assert.equal(decide({ operation }, context({ jurisdiction: 'KZ' }), storedInGermany).allow, true, operation);
    }
    assert.equal(decide({ operation: 'storage' }, context({ jurisdiction: 'EU' }), storedInGermany).allow, true, 'the GDPR has no localisation rule');
    assert.equal(decide({ operation: 'storage' }, context({ jurisdiction: null }), storedInGermany).allow, true, 'residence unknown');
  });

  it('a storage region is read from the operator’s country when it states none, and no region means no residency refusal', () => {
    const established = (country: string | undefined) =>
      withPolicy((p) => {
        p.purposes[0].operations = [...PROCESSING_OPERATIONS];
        p.operator.storageRegion = undefined;
        p.operator.country = country;
      });
    assert.deepEqual(codes({ operation: 'storage' }, context({ jurisdiction: 'KZ' }), established('DE')), ['residency_storage']);
    assert.equal(decide({ operation: 'storage' }, context({ jurisdiction: 'KZ' }), established('KZ')).allow, true);
    assert.equal(decide({ operation: 'storage' }, context({ jurisdiction: 'KZ' }), established(undefined)).allow, true);
  });
});

describe('the state of the subject', () => {
  it('says there is no such subject, and nothing else', () => {
    const d = evaluate(indexPolicy(POLICY), 7, { subjectId: 's-1', purpose: 'nothing-declared', operation: 'use', categories: ['x'] }, undefined, NOW);
    assert.deepEqual(d, { allow: false, reasons: [{ code: 'subject_not_found', message: 'no such subject' }], policyVersion: 7 });
  });

  it('names the state of a subject that is not active, and stops there', () => {
    for (const state of ['erased', 'depersonalized'] as const) {
      const d = decide({ purpose: 'nothing-declared' }, context({ state }));
      assert.deepEqual(d.reasons, [{ code: 'subject_erased', message: `the subject's data has been ${state}` }]);
      assert.equal(d.allow, false);
      assert.equal(d.policyVersion, 7);
    }
  });

  it('names the undeclared purpose’s policy version, and a declared category not in the purpose by name', () => {
    assert.deepEqual(decide({ purpose: 'profiling' }).reasons, [{ code: 'purpose_not_declared', message: 'the purpose is not declared in policy version 7' }]);
    const declaredElsewhere = decide({ categories: ['user.device.cookie_id'] });
    assert.deepEqual(declaredElsewhere.reasons, [{ code: 'category_not_declared_for_purpose', message: 'category "user.device.cookie_id" is not declared for purpose "orders"' }]);
    const unknown = decide({ categories: ['aigerim@example.kz'] });
    assert.deepEqual(unknown.reasons, [{ code: 'category_not_declared_for_purpose', message: 'a category not declared in the policy was asked for "orders"' }]);
  });

  it('names the purpose and the operation it does not allow', () => {
    assert.deepEqual(decide({ operation: 'accumulation' }, context(), POLICY).reasons, [{ code: 'operation_not_allowed', message: 'purpose "orders" does not allow accumulation' }]);
  });

  it('names each blocked category and says a whole-subject block blocks everything', () => {
    const d = decide({ categories: ['user.name', 'user.contact.email'] }, context({ blockedAll: true, blockedCategories: new Set(['user.contact.email']) }));
    assert.deepEqual(d.reasons, [
      { code: 'subject_blocked', message: 'the subject’s data is blocked' },
      { code: 'category_blocked', message: 'category "user.contact.email" is blocked' },
    ]);
  });
});

describe('legal bases', () => {
  const basisCodes = (legalBasis: Record<string, string>, jurisdiction: 'EU' | 'KZ' | 'US-CA' | null = null) =>
    decide({}, context({ jurisdiction }), withPolicy((p) => {
      p.purposes[0].legalBasis = legalBasis as Policy['purposes'][number]['legalBasis'];
    })).reasons;

  it('gives each basis its own code, with the law it is under', () => {
    const cases: [string, string][] = [
      ['contract', 'basis_contract'],
      ['legal-obligation', 'basis_legal_obligation'],
      ['vital-interests', 'basis_vital_interests'],
      ['public-task', 'basis_public_task'],
      ['legitimate-interests', 'basis_legitimate_interests'],
    ];
    for (const [basis, code] of cases) assert.deepEqual(basisCodes({ gdpr: basis, kz: 'contract', ccpa: 'performing-services' }, 'EU'), [{ code, message: `GDPR: ${basis}` }]);
    assert.deepEqual(basisCodes({ gdpr: 'contract', kz: 'law', ccpa: 'performing-services' }, 'KZ'), [{ code: 'basis_legal_obligation', message: 'Kazakhstan 94-V: law' }]);
    assert.deepEqual(basisCodes({ gdpr: 'contract', kz: 'contract', ccpa: 'performing-services' }, 'US-CA'), [{ code: 'basis_other', message: 'CCPA/CPRA: performing-services' }]);
  });

  it('needs a basis under every law that governs a subject of unknown residence', () => {
    const d = basisCodes({ gdpr: 'contract', ccpa: 'performing-services' });
    assert.deepEqual(d.map((r) => r.code), ['no_legal_basis']);
    assert.equal(d[0].message, 'purpose "orders" declares no legal basis under Kazakhstan 94-V');
    assert.deepEqual(applicableLaws(POLICY, null), ['kz', 'gdpr', 'ccpa']);
    assert.deepEqual(applicableLaws(POLICY, 'EU'), ['gdpr']);
  });

  it('checks the consent once, however many laws rest on it', () => {
    const bothOnConsent = withPolicy((p) => {
      p.purposes[1].legalBasis = { gdpr: 'consent', kz: 'consent', ccpa: 'sharing' } as Policy['purposes'][number]['legalBasis'];
    });
    const d = decide({ purpose: 'marketing', categories: ['user.contact.email'] }, context(), bothOnConsent);
    assert.deepEqual(d.reasons.map((r) => r.code), ['consent_missing']);
    assert.equal(d.reasons[0].message, 'no consent recorded for purpose "marketing"');
  });

  it('says which version a consent needing renewal was given under, and which one changed the purpose', () => {
    const marketing = { subjectId: 's-1', purpose: 'marketing', operation: 'use' as const, categories: ['user.contact.email'] };
    const ctx = context({ prefs: { consents: new Map([['marketing', given({ policyVersion: 5 })]]) } });
    assert.deepEqual(evaluate(indexPolicy(POLICY), 7, marketing, ctx, NOW, new Map([['marketing', 6]])).reasons, [
      { code: 'consent_renewal_needed', message: 'the consent to "marketing" was given under version 5; version 6 changed the purpose materially' },
    ]);
    const unknownNotice = evaluate(indexPolicy(POLICY), 7, marketing, ctx, NOW, new Map(), () => undefined).reasons;
    assert.deepEqual(unknownNotice, [{ code: 'consent_renewal_needed', message: 'the notice the consent to "marketing" was given under is not known; it needs a new consent' }]);
  });

  it('names the consent state in its message', () => {
    const marketing = { purpose: 'marketing', categories: ['user.contact.email'] };
    const withState = (state: ConsentFacts['state']) => decide(marketing, context({ prefs: { consents: new Map([['marketing', given({ state })]]) } }), POLICY).reasons[0];
    assert.deepEqual(withState('refused'), { code: 'consent_refused', message: 'consent to "marketing" was refused' });
    assert.deepEqual(withState('withdrawn'), { code: 'consent_withdrawn', message: 'consent to "marketing" was withdrawn' });
    assert.deepEqual(withState('expired'), { code: 'consent_expired', message: 'consent to "marketing" has expired' });
  });

  it('names the category a consent that lists its data leaves out', () => {
    const listed = context({ prefs: { consents: new Map([['marketing', given({ categories: ['user.name'] })]]) } });
    assert.deepEqual(decide({ purpose: 'marketing', categories: ['user.contact.email'] }, listed, POLICY).reasons, [{ code: 'consent_category_not_covered', message: 'the consent to "marketing" does not list "user.contact.email"' }]);
  });
});

describe('objections and opt-outs', () => {
  it('an objection to a legitimate-interests purpose binds under the GDPR only; an objection to another purpose does not', () => {
    const analytics = { purpose: 'analytics', categories: ['user.device.cookie_id'] };
    const consent = new Map([['analytics', given()]]);
    const objected = (jurisdiction: 'EU' | 'KZ', purposes: string[]) => context({ jurisdiction, prefs: { consents: consent, objections: new Set(purposes) } });
    assert.deepEqual(decide(analytics, objected('EU', ['analytics']), POLICY).reasons, [{ code: 'objection_upheld', message: 'the subject objected to "analytics" (legitimate interests)' }]);
    assert.equal(decide(analytics, objected('EU', ['marketing']), POLICY).allow, true);
    assert.equal(decide(analytics, objected('KZ', ['analytics']), POLICY).allow, true, 'under 94-V the purpose rests on consent, which was given');
  });

  it('an objection to direct marketing binds under the GDPR whatever the basis, and not to a purpose that is not marketing', () => {
    const marketing = { purpose: 'marketing', categories: ['user.contact.email'] };
    const eu = (objections: string[]) => context({ jurisdiction: 'EU', prefs: { consents: new Map([['marketing', given()], ['orders', given()]]), objections: new Set(objections) } });
    const objection = decide(marketing, eu(['marketing']), POLICY).reasons;
    assert.deepEqual(objection, [{ code: 'objection_upheld', message: 'the subject objected to direct marketing ("marketing")' }]);
    assert.equal(decide(marketing, eu([]), POLICY).allow, true);
    assert.equal(decide(marketing, context({ jurisdiction: 'KZ', prefs: { consents: new Map([['marketing', given()]]), objections: new Set(['marketing']) } }), POLICY).allow, true, 'art. 21(3) is the GDPR’s');
    assert.equal(decide({}, eu(['orders']), POLICY).allow, true, 'orders are not marketing');
  });

  it('an objection to direct marketing on legitimate interests is upheld once, as an objection to legitimate interests', () => {
    const adsAsMarketing = withPolicy((p) => {
      p.purposes.find((x) => x.id === 'analytics')!.marketing = true;
    });
    const ctx = context({ jurisdiction: 'EU', prefs: { consents: new Map([['analytics', given()]]), objections: new Set(['analytics']) } });
    assert.deepEqual(decide({ purpose: 'analytics', categories: ['user.device.cookie_id'] }, ctx, adsAsMarketing).reasons, [{ code: 'objection_upheld', message: 'the subject objected to "analytics" (legitimate interests)' }]);
  });

  it('an opt-out of sale stops a sale, an opt-out of sharing stops sharing, for California residents only', () => {
    const optedOut = (jurisdiction: 'US-CA' | 'EU') => context({ jurisdiction, prefs: { consents: new Map([['analytics', given()], ['marketing', given()]]), saleSharingOptOut: true } });
    const sale = decide({ purpose: 'analytics', categories: ['user.device.cookie_id'] }, optedOut('US-CA'), POLICY).reasons;
    assert.deepEqual(sale, [{ code: 'opted_out_of_sale_or_sharing', message: 'the subject opted out of the sale of personal information' }]);
    const sharing = decide({ purpose: 'marketing', categories: ['user.contact.email'] }, optedOut('US-CA'), POLICY).reasons;
    assert.deepEqual(sharing, [{ code: 'opted_out_of_sale_or_sharing', message: 'the subject opted out of the sharing of personal information' }]);
    assert.equal(decide({ purpose: 'analytics', categories: ['user.device.cookie_id'] }, optedOut('EU'), POLICY).allow, true);
  });
});

describe('consent scopes of a transfer', () => {
  /** Marketing (consent under every law) may go to `partner`, placed and classed as asked. */
  const withRecipient = (kind: 'processor' | 'third-party' | 'group-company' | 'authority', country: string, safeguard?: string, laws: Policy['operator']['jurisdictions'] = ['EU']) =>
    withPolicy((p) => {
      p.operator.jurisdictions = laws;
      p.recipients.push({ id: 'partner', kind, name: { en: 'Partner' }, country, ...(safeguard ? { safeguard } : {}), purposes: ['marketing'], categories: [] } as Policy['recipients'][number]);
      const marketing = p.purposes.find((x) => x.id === 'marketing')!;
      marketing.recipients.push('partner');
      marketing.operations.push('transfer');
    });
  const send = (policy: Policy, consent: ConsentFacts | undefined, jurisdiction: 'EU' | 'KZ' = 'EU') =>
    decide({ purpose: 'marketing', operation: 'transfer', recipient: 'partner', categories: ['user.contact.email'] }, context({ jurisdiction, prefs: { consents: consent ? new Map([['marketing', consent]]) : new Map() } }), policy);

  it('a third party or a group company needs a consent that covers third parties; a processor or an authority does not', () => {
    for (const kind of ['third-party', 'group-company'] as const) {
      const policy = withRecipient(kind, 'KZ', undefined);
      const refused = send(policy, given({ scope: NO_SCOPE }));
      assert.deepEqual(refused.reasons, [{ code: 'consent_scope_not_covered', message: 'the consent to "marketing" does not cover transfers to third parties' }], kind);
      assert.equal(send(policy, given({ scope: { ...NO_SCOPE, thirdParties: true } })).allow, true, kind);
      assert.equal(send(policy, given({ scope: { ...NO_SCOPE, crossBorder: true, publicDissemination: true } })).allow, false, `${kind}: other scopes do not stand in`);
    }
    for (const kind of ['processor', 'authority'] as const) assert.equal(send(withRecipient(kind, 'KZ'), given()).allow, true, kind);
  });

  it('a recipient abroad needs a consent that covers transfers abroad, on top of the safeguard', () => {
    const policy = withRecipient('processor', 'US', 'scc');
    assert.deepEqual(send(policy, given({ scope: NO_SCOPE })).reasons, [{ code: 'consent_scope_not_covered', message: 'the consent to "marketing" does not cover transfers abroad' }]);
    const allowed = send(policy, given({ scope: { ...NO_SCOPE, crossBorder: true } }));
    assert.equal(allowed.allow, true);
    assert.deepEqual(allowed.reasons.filter((r) => r.code === 'safeguard'), [{ code: 'safeguard', message: 'cross-border transfer to US under scc' }]);
    assert.equal(send(policy, given({ scope: { ...NO_SCOPE, thirdParties: true, publicDissemination: true } })).allow, false);
  });

  it('a transfer abroad resting on the person’s consent needs that consent given separately', () => {
    const policy = withRecipient('processor', 'US', 'consent');
    const missing = send(policy, given({ scope: ALL_SCOPES }));
    assert.deepEqual(missing.reasons, [{ code: 'cross_border_consent_missing', message: "transfer to US needs the subject's separate consent to cross-border transfer" }]);
    assert.equal(send(policy, given({ scope: NO_SCOPE, separate: { ...NO_SCOPE, crossBorder: true } })).allow, true, 'the separate act covers the scope by itself');
    assert.equal(send(policy, given({ separate: { ...NO_SCOPE, thirdParties: true } })).allow, false);
  });

  it('under 94-V a consent-based transfer abroad or to a third party needs its own separate consent (art. 7(6))', () => {
    const abroad = withRecipient('processor', 'US', 'scc', ['KZ']);
    assert.deepEqual(send(abroad, given(), 'KZ').reasons.map((r) => r.code), ['cross_border_consent_missing']);
    assert.equal(send(abroad, given({ separate: { ...NO_SCOPE, crossBorder: true } }), 'KZ').allow, true);
    const thirdParty = withRecipient('third-party', 'KZ', undefined, ['KZ']);
    const refused = send(thirdParty, given({ scope: ALL_SCOPES }), 'KZ');
    assert.deepEqual(refused.reasons, [{ code: 'third_party_consent_missing', message: 'transfer to third party "partner" needs the subject\'s separate consent (94-V art. 7(6))' }]);
    assert.equal(send(thirdParty, given({ separate: { ...NO_SCOPE, thirdParties: true } }), 'KZ').allow, true);
    assert.equal(send(thirdParty, given({ separate: { ...NO_SCOPE, crossBorder: true, publicDissemination: true } }), 'KZ').allow, false);
  });

  it('a separate consent counts only while the consent itself is given', () => {
    const abroad = withRecipient('processor', 'US', 'scc', ['KZ']);
    for (const state of ['renewal-needed', 'withdrawn'] as const) {
      const d = send(abroad, given({ state, separate: ALL_SCOPES }), 'KZ');
      assert.ok(d.reasons.some((r) => r.code === 'cross_border_consent_missing'), `${state}: ${JSON.stringify(d.reasons)}`);
    }
    const thirdParty = withRecipient('third-party', 'KZ', undefined, ['KZ']);
    assert.ok(send(thirdParty, given({ state: 'renewal-needed', separate: ALL_SCOPES }), 'KZ').reasons.some((r) => r.code === 'third_party_consent_missing'));
  });

  it('a transfer that rests on no consent asks for no consent scope', () => {
    const contractual = withPolicy((p) => {
      p.operator.jurisdictions = ['EU'];
      p.recipients.push({ id: 'partner', kind: 'third-party', name: { en: 'Partner' }, country: 'US', safeguard: 'scc', purposes: ['orders'], categories: [] } as Policy['recipients'][number]);
      p.purposes[0].recipients.push('partner');
    });
    const d = decide({ operation: 'transfer', recipient: 'partner' }, context({ jurisdiction: 'EU' }), contractual);
    assert.equal(d.allow, true, JSON.stringify(d.reasons));
  });

  it('names what a recipient may not receive, and which recipient it is', () => {
    const d = decide({ operation: 'transfer', recipient: 'courier', categories: ['user.contact.email', 'no.such.category'] });
    assert.deepEqual(d.reasons.filter((r) => r.code === 'category_not_declared_for_recipient'), [
      { code: 'category_not_declared_for_recipient', message: 'category "user.contact.email" is not declared for recipient "courier"' },
      { code: 'category_not_declared_for_recipient', message: 'a category not declared in the policy was asked for recipient "courier"' },
    ]);
    const undeclared = decide({ operation: 'transfer', recipient: 'eu-cloud', categories: ['user.nothing'] }, context(), withPolicy((p) => p.purposes[0].categories.push('user.nothing')));
    assert.deepEqual(undeclared.reasons, [{ code: 'category_not_declared_for_recipient', message: 'a category not declared in the policy was asked for recipient "eu-cloud"' }]);
    assert.deepEqual(decide({ operation: 'transfer', recipient: 'us-ads' }).reasons.find((r) => r.code === 'recipient_not_declared_for_purpose'), {
      code: 'recipient_not_declared_for_purpose',
      message: 'recipient "us-ads" is not declared for purpose "orders"',
    });
  });

  it('a recipient declared by the purpose alone, or by the recipient alone, is declared for it', () => {
    const byPurposeOnly = withPolicy((p) => {
      p.recipients[0].purposes = [];
    });
    assert.equal(decide({ operation: 'transfer', recipient: 'courier' }, context(), byPurposeOnly).allow, true);
    const byRecipientOnly = withPolicy((p) => {
      p.purposes[0].recipients = [];
    });
    assert.equal(decide({ operation: 'transfer', recipient: 'courier' }, context(), byRecipientOnly).allow, true);
  });

  it('a recipient the policy does not declare is refused as such, without naming it back', () => {
    assert.deepEqual(decide({ operation: 'transfer', recipient: 'aigerim@example.kz' }).reasons, [{ code: 'recipient_not_declared', message: 'the recipient is not declared in the policy' }]);
  });

  it('a cross-border transfer without a safeguard names the country and the recipient', () => {
    const bare = withPolicy((p) => {
      p.recipients[1].safeguard = undefined;
    });
    assert.deepEqual(decide({ operation: 'transfer', recipient: 'eu-cloud' }, context(), bare).reasons, [{ code: 'transfer_without_safeguard', message: 'transfer to DE ("eu-cloud") has no safeguard' }]);
  });
});

describe('what a consent’s notice covered', () => {
  // The consent was given under version 6 (the fixture, or what `notice` makes of it); version 7 is what `change` makes of it.
  const under6 = given({ policyVersion: 6 });
  const run = (change: (p: Policy) => void, request: Partial<DecisionRequest>, notice: (p: Policy) => void = () => {}) => {
    const v7 = withPolicy(change);
    const then = withPolicy(notice);
    const purpose = request.purpose ?? 'marketing';
    return evaluate(indexPolicy(v7), 7, { subjectId: 's-1', operation: 'use', categories: ['user.contact.email'], ...request, purpose }, context({ prefs: { consents: new Map([[purpose, under6]]) } }), NOW, new Map(), (n) => (n === 6 ? indexPolicy(then) : undefined));
  };
  const renewalOf = (d: ReturnType<typeof run>) => d.reasons.filter((r) => r.code === 'consent_renewal_needed').map((r) => r.message);
  const marketing = (p: Policy) => p.purposes.find((x) => x.id === 'marketing')!;

  it('an operation added since waits for a new consent; the others do not', () => {
    const added = run((p) => marketing(p).operations.push('recording'), { operation: 'recording' });
    assert.deepEqual(renewalOf(added), ['recording was added to the purpose after the consent to "marketing" was given (version 6); it needs a new consent']);
    assert.equal(run((p) => marketing(p).operations.push('recording'), { operation: 'use' }).allow, true);
  });

  it('a category added since waits for a new consent, named', () => {
    const added = run((p) => marketing(p).categories.push('user.name'), { categories: ['user.contact.email', 'user.name'] });
    assert.deepEqual(renewalOf(added), ['"user.name" was added to the purpose after the consent to "marketing" was given (version 6); it needs a new consent']);
  });

  it('a source is covered if the notice named it, or if neither version names any', () => {
    const sources = (then: string[], now: string[], source: 'direct' | 'third-party') =>
      run((p) => (marketing(p).sources = now as never), { operation: 'collection', source }, (p) => (marketing(p).sources = then as never));
    assert.equal(sources([], [], 'direct').allow, true, 'no version restricts sources');
    assert.equal(sources(['direct'], ['direct', 'third-party'], 'direct').allow, true);
    assert.deepEqual(renewalOf(sources(['direct'], ['direct', 'third-party'], 'third-party')), ['third-party sources were added to the purpose after the consent to "marketing" was given (version 6); it needs a new consent']);
    assert.deepEqual(renewalOf(sources([], ['direct'], 'direct')), ['direct sources were added to the purpose after the consent to "marketing" was given (version 6); it needs a new consent'], 'a notice that named no source did not promise this one');
    assert.equal(renewalOf(sources(['direct'], [], 'third-party')).length, 1, 'the notice limited the sources; the new version dropping the limit does not extend the consent');
    assert.equal(run(() => {}, { operation: 'collection' }).allow, true, 'no source named in the request');
  });

  const addRecipient = (p: Policy, extra: Partial<Policy['recipients'][number]> = {}) => {
    p.recipients.push({ id: 'partner', kind: 'processor', name: { en: 'Partner' }, country: 'KZ', purposes: ['marketing'], categories: [], ...extra } as Policy['recipients'][number]);
    marketing(p).operations.push('transfer');
    marketing(p).recipients.push('partner');
  };
  const send = (change: (p: Policy) => void, notice: (p: Policy) => void = (p) => (marketing(p).operations.push('transfer'))) => run(change, { operation: 'transfer', recipient: 'partner' }, notice);

  it('a recipient added to the purpose since waits for a new consent, however it is declared', () => {
    assert.deepEqual(renewalOf(send((p) => addRecipient(p))), ['recipient "partner" was added to the purpose after the consent to "marketing" was given (version 6); it needs a new consent']);
    const byPurposeOnly = send((p) => addRecipient(p, { purposes: [] }));
    assert.deepEqual(renewalOf(byPurposeOnly), ['recipient "partner" was added to the purpose after the consent to "marketing" was given (version 6); it needs a new consent']);
    const byRecipientOnly = send((p) => {
      addRecipient(p);
      marketing(p).recipients = [];
    });
    assert.equal(renewalOf(byRecipientOnly).length, 1);
    const elsewhere = send((p) => addRecipient(p), (p) => {
      addRecipient(p, { purposes: ['orders'] });
      marketing(p).recipients = [];
    });
    assert.equal(renewalOf(elsewhere).length, 1, 'known then, but not for this purpose');
    assert.equal(send((p) => addRecipient(p), (p) => addRecipient(p, { purposes: [] })).allow, true, 'named for the purpose then by the purpose alone');
  });

  it('a recipient the notice named is covered as it was; only what widened waits', () => {
    assert.equal(send((p) => addRecipient(p), (p) => addRecipient(p)).allow, true, 'unchanged');
    const thirdParty = send((p) => addRecipient(p, { kind: 'third-party' }), (p) => addRecipient(p));
    assert.ok(renewalOf(thirdParty).includes('recipient "partner" became a third-party after the consent to "marketing" was given (version 6); it needs a new consent'), JSON.stringify(thirdParty.reasons));
    const narrower = send((p) => addRecipient(p), (p) => addRecipient(p, { kind: 'third-party' }));
    assert.deepEqual(renewalOf(narrower), [], 'a third party that became a processor widens nothing');
    const abroad = send((p) => addRecipient(p, { country: 'US', safeguard: 'scc' }), (p) => addRecipient(p));
    assert.deepEqual(renewalOf(abroad), ['transfers to "partner" in US were added after the consent to "marketing" was given (version 6); it needs a new consent']);
    const moved = send((p) => addRecipient(p, { country: 'US', safeguard: 'scc' }), (p) => addRecipient(p, { country: 'GB', safeguard: 'scc' }));
    assert.deepEqual(renewalOf(moved), ['transfers to "partner" in US were added after the consent to "marketing" was given (version 6); it needs a new consent'], 'another country abroad');
    assert.deepEqual(renewalOf(send((p) => addRecipient(p, { country: 'US', safeguard: 'scc' }), (p) => addRecipient(p, { country: 'US', safeguard: 'scc' }))), []);
    assert.deepEqual(renewalOf(send((p) => addRecipient(p), (p) => addRecipient(p, { country: 'US', safeguard: 'scc' }))), [], 'brought home');
  });

  it('a transfer abroad on a weaker safeguard waits for a new consent; a stronger one does not', () => {
    const abroad = (now: string | undefined, then: string | undefined) => renewalOf(send((p) => addRecipient(p, { country: 'US', safeguard: now as never }), (p) => addRecipient(p, { country: 'US', safeguard: then as never })));
    const weaker = ['transfers to "partner" now rest on a weaker safeguard after the consent to "marketing" was given (version 6); it needs a new consent'];
    assert.deepEqual(abroad('consent', 'scc'), weaker);
    assert.deepEqual(abroad('none', 'consent'), weaker);
    assert.deepEqual(abroad('scc', 'consent'), []);
    assert.deepEqual(abroad('adequacy', 'scc'), []);
  });

  it('a category the recipient did not receive then waits for a new consent; one it may always have received does not', () => {
    const categories = (now: string[], then: string[], asked: string[] = ['user.contact.email']) =>
      renewalOf(run((p) => addRecipient(p, { categories: now }), { operation: 'transfer', recipient: 'partner', categories: asked }, (p) => addRecipient(p, { categories: then })));
    const added = ['"user.contact.email" was added to what "partner" receives after the consent to "marketing" was given (version 6); it needs a new consent'];
    assert.deepEqual(categories(['user.contact.email'], ['user.name']), added);
    assert.deepEqual(categories([], ['user.name']), added, 'every category now, one then');
    assert.deepEqual(categories(['user.contact.email'], []), [], 'every category then');
    assert.deepEqual(categories(['user.contact.email'], ['user.contact.email']), []);
    assert.deepEqual(categories(['user.name'], ['user.name']), [], 'a category the recipient receives neither now nor then is refused for the recipient, not sent for renewal');
  });

  it('a use naming a recipient, or a transfer naming none, asks nothing about recipients', () => {
    assert.equal(run((p) => addRecipient(p), { operation: 'use', recipient: 'partner' }).allow, true);
    assert.deepEqual(run((p) => addRecipient(p), { operation: 'transfer' }, (p) => marketing(p).operations.push('transfer')).reasons, [{ code: 'recipient_required', message: 'a transfer must name its recipient' }]);
    const other = run(() => {}, { operation: 'transfer', recipient: 'courier' }, (p) => marketing(p).operations.push('transfer'));
    assert.ok(!other.reasons.some((r) => r.code === 'consent_renewal_needed'), 'a recipient of another purpose is refused as such, not as new');
  });
});

describe('reason codes', () => {
  it('are distinct, and a refusal carries each one as a detail at the named path', () => {
    assert.equal(new Set([...DENY_CODES, ...ALLOW_CODES]).size, DENY_CODES.length + ALLOW_CODES.length);
    const error = denied('Collection for "orders" is not allowed', [
      { code: 'consent_missing', message: 'no consent' },
      { code: 'subject_blocked', message: 'blocked' },
    ], 'items');
    assert.equal(error.code, 'denied');
    assert.equal(error.message, 'Collection for "orders" is not allowed');
    assert.deepEqual(error.details, [
      { path: 'items', code: 'consent_missing', message: 'no consent' },
      { path: 'items', code: 'subject_blocked', message: 'blocked' },
    ]);
  });
});
