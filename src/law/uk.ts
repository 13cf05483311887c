/**
 * The UK GDPR with the Data Protection Act 2018: the GDPR's terms, as its own pack because
 * the UK differs — art. 12A (inserted by the Data (Use and Access) Act 2025) pauses the
 * clock while the controller waits for information it needs to confirm identity or to
 * clarify the request. Months roll over weekends unless a `uk` calendar year is loaded.
 */
import { GDPR_GRANTS, GDPR_REFUSALS, GDPR_RIGHTS, gdprObligations } from './gdpr.js';
import type { RulePack } from './types.js';

export const UK: RulePack = {
  law: 'uk',
  name: 'UK GDPR',
  jurisdiction: 'UK',
  zone: 'operator',
  calendar: 'uk',
  obligations: gdprObligations(true),
  rights: GDPR_RIGHTS,
  grants: GDPR_GRANTS,
  identity: {
    default: { verify: 'reasonable-doubt', pausesClock: true, article: '12A' },
  },
  refusals: GDPR_REFUSALS,
  crossBorder: { article: '44', rule: 'restricted transfers need UK adequacy regulations, appropriate safeguards (IDTA or the addendum to the SCCs) or an exception' },
};
