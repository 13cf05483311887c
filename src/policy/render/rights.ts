/**
 * The rights each law gives a person, with the article that grants them
 * (shared/reference/legal-matrix.md, "Data subject requests"). The notice does not
 * let a policy narrow these: rights come from the law, not from the operator.
 */
import type { Jurisdiction } from '../model.js';

/** In the order the notice lists them. */
export const SUBJECT_RIGHTS = [
  'access',
  'rectification',
  'erasure',
  'blocking',
  'restriction',
  'portability',
  'objection',
  'stop-processing',
  'automated-decision',
  'consent-withdrawal',
  'opt-out-sale-sharing',
  'limit-sensitive',
  'non-discrimination',
] as const;
export type SubjectRight = (typeof SUBJECT_RIGHTS)[number];

/** An article of a law, e.g. `{ law: 'EU', article: '15' }`; CCPA regulations set `regulation`. */
export interface Citation {
  law: Jurisdiction;
  article: string;
  regulation?: boolean;
}

const GDPR_RIGHTS: ReadonlyArray<readonly [SubjectRight, string]> = [
  ['access', '15'],
  ['rectification', '16'],
  ['erasure', '17'],
  ['restriction', '18'],
  ['portability', '20'],
  ['objection', '21'],
  ['automated-decision', '22'],
  ['consent-withdrawal', '7(3)'],
];

const RIGHT_ARTICLES: Readonly<Record<Jurisdiction, ReadonlyArray<readonly [SubjectRight, string]>>> = {
  KZ: [
    ['access', '24(1)'],
    ['rectification', '24(1)'],
    ['erasure', '24(1)'],
    ['blocking', '24(1)'],
    ['consent-withdrawal', '8'],
    ['automated-decision', '19-1'],
  ],
  RU: [
    ['access', '14'],
    ['rectification', '14(1)'],
    ['erasure', '14(1)'],
    ['blocking', '14(1)'],
    ['stop-processing', '21(5.1)'],
    ['consent-withdrawal', '9(2)'],
  ],
  EU: GDPR_RIGHTS,
  UK: GDPR_RIGHTS,
  'US-CA': [
    ['access', '1798.110'],
    ['erasure', '1798.105'],
    ['rectification', '1798.106'],
    ['opt-out-sale-sharing', '1798.120'],
    ['limit-sensitive', '1798.121'],
    ['non-discrimination', '1798.125'],
  ],
};

export interface GrantedRight {
  right: SubjectRight;
  /** One citation per applicable law that grants the right. */
  citations: Citation[];
}

/**
 * The union of the rights the given laws grant, in {@link SUBJECT_RIGHTS} order.
 *
 * @example rightsUnder(['KZ'])[0] // { right: 'access', citations: [{ law: 'KZ', article: '24(1)' }] }
 */
export function rightsUnder(laws: readonly Jurisdiction[]): GrantedRight[] {
  return SUBJECT_RIGHTS.flatMap((right) => {
    const citations = laws.flatMap((law) =>
      RIGHT_ARTICLES[law].filter(([r]) => r === right).map(([, article]) => ({ law, article })),
    );
    return citations.length > 0 ? [{ right, citations }] : [];
  });
}
