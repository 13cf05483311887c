/**
 * The EU General Data Protection Regulation (2016/679) (shared/reference/legal-matrix.md).
 * Months per Reg. 1182/71 in the operator's zone, rolling over weekends (the `gdpr`
 * calendar: Saturdays and Sundays unless the operator loads its country's holidays).
 */
import type { ObligationRule, RulePack } from './types.js';

const month = { amount: 1, unit: 'months' as const };
const answer = (id: string, pausable = false): ObligationRule => ({
  id,
  article: '12(3)',
  starts: 'receipt',
  term: month,
  extension: { term: { amount: 2, unit: 'months' }, article: '12(3)', from: 'start' },
  ...(pausable ? { pausable } : {}),
});

/** The GDPR's obligations; the UK pack reuses them with the art. 12A pause. */
export function gdprObligations(pausable: boolean): ObligationRule[] {
  return [
    answer('access', pausable),
    answer('portability', pausable),
    answer('rectification', pausable),
    answer('erasure', pausable),
    answer('blocking', pausable),
    answer('objection', pausable),
    answer('automated-decision-objection', pausable),
    { id: 'refusal-notice', article: '12(4)', starts: 'receipt', term: month, ...(pausable ? { pausable } : {}) },
    { id: 'breach-authority', article: '33(1)', starts: 'awareness', term: { amount: 72, unit: 'hours' } },
  ];
}

export const GDPR_RIGHTS: RulePack['rights'] = {
  access: { obligation: 'access', article: '15' },
  portability: { obligation: 'portability', article: '20' },
  rectification: { obligation: 'rectification', article: '16' },
  erasure: { obligation: 'erasure', article: '17' },
  restriction: { obligation: 'blocking', article: '18' },
  objection: { obligation: 'objection', article: '21' },
};

export const GDPR_GRANTS: RulePack['grants'] = [
  ['access', '15'],
  ['rectification', '16'],
  ['erasure', '17'],
  ['restriction', '18'],
  ['portability', '20'],
  ['objection', '21'],
  ['automated-decision', '22'],
  ['consent-withdrawal', '7(3)'],
];

export const GDPR_REFUSALS: RulePack['refusals'] = [
  { code: 'identity-not-confirmed', article: '12(6)' },
  { code: 'manifestly-unfounded', article: '12(5)(b)' },
  { code: 'excessive', article: '12(5)(b)' },
  { code: 'rights-of-others', article: '15(4)' },
  { code: 'legal-obligation-to-keep', article: '17(3)(b)' },
  { code: 'legal-claims', article: '17(3)(e)' },
  { code: 'freedom-of-expression', article: '17(3)(a)' },
  { code: 'compelling-legitimate-grounds', article: '21(1)' },
  { code: 'portability-not-applicable', article: '20(1)' },
  { code: 'no-data-held', article: '15(1)' },
];

export const GDPR: RulePack = {
  law: 'gdpr',
  name: 'GDPR',
  jurisdiction: 'EU',
  zone: 'operator',
  calendar: 'gdpr',
  obligations: gdprObligations(false),
  rights: GDPR_RIGHTS,
  grants: GDPR_GRANTS,
  identity: {
    default: { verify: 'reasonable-doubt', pausesClock: false, article: '12(6)' },
  },
  refusals: GDPR_REFUSALS,
  crossBorder: { article: '44', rule: 'transfers out of the EEA need adequacy (45), appropriate safeguards such as SCCs or BCRs (46–47) or a derogation (49)' },
};
