/**
 * California: the CCPA as amended by the CPRA (Civ. Code §1798.100 ff.) and its
 * regulations (11 CCR §7000 ff.) (shared/reference/legal-matrix.md). Business days on the
 * `us-ca` calendar (Saturdays count: see `US_CA_CONVENTION`), in the operator's zone.
 */
import type { RulePack } from './types.js';

const answer = { amount: 45, unit: 'calendar-days' as const };
const extension = { term: { amount: 45, unit: 'calendar-days' as const }, article: '7021(b)', from: 'term-end' as const };
const twoPoints = { verify: 'required' as const, pausesClock: false, dataPoints: 2, article: '7062(b)' };

export const CCPA: RulePack = {
  law: 'ccpa',
  name: 'CCPA/CPRA',
  jurisdiction: 'US-CA',
  zone: 'operator',
  calendar: 'us-ca',
  obligations: [
    { id: 'confirm-receipt', article: '7021(a)', starts: 'receipt', term: { amount: 10, unit: 'business-days' } },
    { id: 'access', article: '7021(b)', starts: 'receipt', term: answer, extension },
    { id: 'portability', article: '7021(b)', starts: 'receipt', term: answer, extension },
    { id: 'erasure', article: '7021(b)', starts: 'receipt', term: answer, extension },
    { id: 'rectification', article: '7021(b)', starts: 'receipt', term: answer, extension },
    { id: 'opt-out', article: '7026(f)', starts: 'receipt', term: { amount: 15, unit: 'business-days' } },
    { id: 'limit-sensitive', article: '7027(g)', starts: 'receipt', term: { amount: 15, unit: 'business-days' } },
    // Civ. Code §1798.82 as amended by SB 446 (2026): residents within 30 days; over 500
    // residents, a sample notice to the Attorney General within 15 days after that.
    { id: 'breach-subjects', article: '1798.82(a)', starts: 'awareness', term: { amount: 30, unit: 'calendar-days' } },
    { id: 'breach-authority', article: '1798.82(f)', starts: 'subjects-notified', term: { amount: 15, unit: 'calendar-days' } },
  ],
  rights: {
    access: { obligation: 'access', article: '1798.110' },
    portability: { obligation: 'portability', article: '1798.130(a)(3)' },
    erasure: { obligation: 'erasure', article: '1798.105' },
    rectification: { obligation: 'rectification', article: '1798.106' },
    'opt-out': { obligation: 'opt-out', article: '1798.120' },
    'limit-sensitive': { obligation: 'limit-sensitive', article: '1798.121' },
  },
  grants: [
    ['access', '1798.110'],
    ['erasure', '1798.105'],
    ['rectification', '1798.106'],
    ['opt-out-sale-sharing', '1798.120'],
    ['limit-sensitive', '1798.121'],
    ['non-discrimination', '1798.125'],
  ],
  identity: {
    default: twoPoints,
    // Specific pieces of information: three data points and a signed declaration.
    portability: { verify: 'required', pausesClock: false, dataPoints: 3, document: true, article: '7062(c)' },
    erasure: { ...twoPoints, article: '7062(d)' },
    rectification: { ...twoPoints, article: '7063' },
    'opt-out': { verify: 'none', pausesClock: false, article: '7060(b)' },
    'limit-sensitive': { verify: 'none', pausesClock: false, article: '7060(b)' },
  },
  refusals: [
    { code: 'identity-not-verified', article: '7062(f)' },
    { code: 'access-limit-twice-a-year', article: '1798.130(b)' },
    { code: 'deletion-exception', article: '1798.105(d)' },
    { code: 'legal-obligation-to-keep', article: '1798.105(d)(8)' },
    { code: 'disproportionate-effort', article: '7024(h)' },
    { code: 'no-data-held', article: '1798.110' },
  ],
  crossBorder: { article: '1798.100(d)', rule: 'no transfer restriction; contracts with service providers, contractors and third parties' },
};
