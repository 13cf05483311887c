/**
 * The bridge from consent to the purpose gate: `SubjectPreferences` folded into the
 * `PreferenceFacts` the gate evaluates. Rules that need the policy (which scopes must be
 * separate, what a GPC signal binds) are applied here, with the policy the gate enforces.
 */
import type { ConsentFacts, PreferenceFacts, PreferencesLoader } from '../decisions/subject-context.js';
import type { Policy } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Consents } from './consents.js';
import { SCOPE_NAMES, type ConsentScope } from './model.js';
import { gpcEffect, isConsentValid, optOutReason, type SubjectPreferences } from './preferences.js';

/**
 * Per purpose: the purpose consent's state and validity; `separate` — scopes with a valid
 * separate act; `scope` — scopes covered, where a recorded separate act (valid or not)
 * overrides the purpose consent's own flag. Objections include GPC signals read as
 * objections under the GDPR.
 */
export function preferenceFacts(prefs: SubjectPreferences, policy: Policy | undefined): PreferenceFacts {
  const consents = new Map<string, ConsentFacts>();
  for (const [purposeId, entry] of Object.entries(prefs.purposes)) {
    if (!entry.consent) continue;
    const separate = {} as ConsentScope;
    const scope = {} as ConsentScope;
    for (const name of SCOPE_NAMES) {
      const act = entry.separate[name];
      separate[name] = isConsentValid(act, prefs.asOf);
      scope[name] = act ? separate[name] : entry.consent.scope[name];
    }
    consents.set(purposeId, { state: entry.consent.state, validUntil: entry.consent.validUntil, scope, separate, categories: entry.consent.categories, policyVersion: entry.consent.coveredVersion ?? 0 });
  }
  const declared = policy?.operator.jurisdictions ?? [];
  const objections = new Set(Object.keys(prefs.objections));
  for (const purpose of policy?.purposes ?? []) {
    if (optOutReason(prefs, purpose, declared) === 'gpc-objection') objections.add(purpose.id);
  }
  return { consents, objections, saleSharingOptOut: gpcEffect(prefs, declared).saleSharingOptOut };
}

/** The gate's preferences loader, reading through `consents` against the active policy. */
export function consentPreferencesLoader(consents: Consents, policies: PolicyVersions): PreferencesLoader {
  return async (db, subjectId) => {
    const prefs = await consents.subjectPreferences(db, subjectId);
    return preferenceFacts(prefs, policies.list().length > 0 ? policies.active().index.policy : undefined);
  };
}
