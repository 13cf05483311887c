/**
 * Russia, Federal Law No. 152-FZ "On personal data" (shared/reference/legal-matrix.md).
 * Working days on the `ru` calendar, in Europe/Moscow.
 */
import type { RulePack } from './types.js';

const wd = (amount: number) => ({ amount, unit: 'working-days' as const });
const cd = (amount: number) => ({ amount, unit: 'calendar-days' as const });

export const RU: RulePack = {
  law: 'ru',
  name: 'Russia 152-FZ',
  jurisdiction: 'RU',
  zone: 'Europe/Moscow',
  calendar: 'ru',
  obligations: [
    { id: 'access', article: '20(1)', starts: 'receipt', term: wd(10), extension: { term: wd(5), article: '20(2)', from: 'term-end' } },
    { id: 'rectification', article: '20(3)', starts: 'receipt', term: wd(7) },
    { id: 'blocking', article: '21(3)', starts: 'receipt', term: wd(3) },
    { id: 'erasure', article: '21(3)', starts: 'receipt', term: wd(10) },
    { id: 'stop-processing', article: '21(5.1)', starts: 'receipt', term: wd(10), extension: { term: wd(5), article: '21(5.1)', from: 'term-end' } },
    { id: 'withdrawal-stop', article: '21(5)', starts: 'withdrawal', term: cd(30) },
    { id: 'withdrawal-destroy', article: '21(5)', starts: 'withdrawal', term: cd(30) },
    { id: 'purpose-achieved-destroy', article: '21(4)', starts: 'purpose-achieved', term: cd(30) },
    { id: 'breach-authority', article: '21(3.1)', starts: 'awareness', term: { amount: 24, unit: 'hours' } },
    { id: 'breach-investigation', article: '21(3.1)', starts: 'awareness', term: { amount: 72, unit: 'hours' } },
    { id: 'regulator-request', article: '20(4)', starts: 'regulator-request', term: wd(10), extension: { term: wd(5), article: '20(4)', from: 'term-end' } },
  ],
  rights: {
    access: { obligation: 'access', article: '14' },
    rectification: { obligation: 'rectification', article: '14(1)' },
    erasure: { obligation: 'erasure', article: '14(1)' },
    restriction: { obligation: 'blocking', article: '14(1)' },
    withdrawal: { obligation: 'withdrawal-destroy', article: '9(2)' },
    'stop-processing': { obligation: 'stop-processing', article: '21(5.1)' },
  },
  grants: [
    ['access', '14'],
    ['rectification', '14(1)'],
    ['erasure', '14(1)'],
    ['blocking', '14(1)'],
    ['stop-processing', '21(5.1)'],
    ['consent-withdrawal', '9(2)'],
  ],
  identity: {
    default: { verify: 'required', pausesClock: false, document: true, article: '14(3)' },
  },
  refusals: [
    { code: 'identity-not-confirmed', article: '14(3)' },
    { code: 'access-restricted-by-law', article: '14(8)' },
    { code: 'repeated-request', article: '14(5)' },
    { code: 'rights-of-others', article: '14(8)' },
    { code: 'legal-obligation-to-keep', article: '21(5)' },
    { code: 'no-data-held', article: '14(7)' },
  ],
  localisation: { article: '18(5)', rule: '152-FZ art. 18(5) requires databases located in Russia when collecting data of Russian citizens' },
  crossBorder: { article: '12', rule: 'notify Roskomnadzor before the first transfer; it may restrict it within 10 working days' },
};
