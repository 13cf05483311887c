/**
 * The rights each law gives a person, with the article that grants them, for the notice.
 * The facts live in the law module's rule packs (`grants`); the notice does not let a
 * policy narrow them: rights come from the law, not from the operator.
 */
import { LAW_ID_OF } from '../../law/applicable.js';
import { RULE_PACKS } from '../../law/index.js';
import { LEGAL_RIGHTS, type LegalRight } from '../../law/types.js';
import type { Jurisdiction } from '../model.js';

/** In the order the notice lists them. */
export const SUBJECT_RIGHTS = LEGAL_RIGHTS;
export type SubjectRight = LegalRight;

/** An article of a law, e.g. `{ law: 'EU', article: '15' }`; CCPA regulations set `regulation`. */
export interface Citation {
  law: Jurisdiction;
  article: string;
  regulation?: boolean;
}

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
      RULE_PACKS[LAW_ID_OF[law]].grants.filter(([r]) => r === right).map(([, article]) => ({ law, article })),
    );
    return citations.length > 0 ? [{ right, citations }] : [];
  });
}
