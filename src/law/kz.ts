/**
 * Kazakhstan, Law No. 94-V "On personal data and their protection" (shared/reference/legal-matrix.md).
 * Working days on the `kz` calendar, in Asia/Almaty.
 */
import type { RulePack } from './types.js';

const wd = (amount: number) => ({ amount, unit: 'working-days' as const });

export const KZ: RulePack = {
  law: 'kz',
  name: 'Kazakhstan 94-V',
  jurisdiction: 'KZ',
  zone: 'Asia/Almaty',
  calendar: 'kz',
  obligations: [
    // 94-V gives no term for an information request that the reference could confirm (3 wd in
    // the original law): the clock uses it, and every answer says `term_unconfirmed`.
    { id: 'access', article: '24(1)', starts: 'receipt', term: wd(3), unconfirmed: true },
    { id: 'rectification', article: '25(2)', starts: 'receipt', term: wd(1) },
    { id: 'erasure', article: '25(2)', starts: 'receipt', term: wd(1) },
    { id: 'blocking', article: '25(2)', starts: 'receipt', term: wd(1) },
    { id: 'automated-decision-objection', article: '19-1(3)', starts: 'receipt', term: wd(3) },
    { id: 'withdrawal-stop', article: '8(7)', starts: 'withdrawal', term: wd(15) },
    { id: 'breach-authority', article: '25(2)8', starts: 'awareness', term: wd(1) },
    // The 10 days come from seed 004 (Wadjet's notice), not from a text the reference read.
    { id: 'regulator-request', article: '25(2)', starts: 'regulator-request', term: { amount: 10, unit: 'calendar-days' }, unconfirmed: true },
  ],
  rights: {
    access: { obligation: 'access', article: '24(1)' },
    rectification: { obligation: 'rectification', article: '24(1)' },
    erasure: { obligation: 'erasure', article: '24(1)' },
    restriction: { obligation: 'blocking', article: '24(1)' },
    objection: { obligation: 'automated-decision-objection', article: '19-1' },
    withdrawal: { obligation: 'withdrawal-stop', article: '8' },
  },
  grants: [
    ['access', '24(1)'],
    ['rectification', '24(1)'],
    ['erasure', '24(1)'],
    ['blocking', '24(1)'],
    ['consent-withdrawal', '8'],
    ['automated-decision', '19-1'],
  ],
  identity: {
    default: { verify: 'required', pausesClock: false, article: '10(2)' },
  },
  refusals: [
    { code: 'identity-not-confirmed', article: '10(2)' },
    { code: 'withdrawal-contrary-to-law', article: '8(2)' },
    { code: 'obligation-unfulfilled', article: '8(2)' },
    { code: 'legal-obligation-to-keep', article: '18' },
    { code: 'no-data-held', article: '24(1)' },
  ],
  localisation: { article: '12(2)', rule: "94-V art. 12(2) requires Kazakhstan's operators to keep personal data in databases located in Kazakhstan" },
  crossBorder: { article: '16', rule: 'transfers only to states that protect personal data, otherwise with consent, under a treaty or where a law allows' },
};
