/**
 * The shape of a rule pack: what one law grants, on which clock, and under which
 * conditions. One pack per law (`kz.ts`, `ru.ts`, `gdpr.ts`, `uk.ts`, `ccpa.ts`); every
 * term is one line in its pack, so changing a law's deadline is a one-line change there.
 */
import type { CalendarId } from './calendar.js';
import type { Jurisdiction } from './jurisdictions.js';

export type LawId = 'kz' | 'ru' | 'gdpr' | 'uk' | 'ccpa';
export const LAW_IDS: readonly LawId[] = ['kz', 'ru', 'gdpr', 'uk', 'ccpa'];

export type ObligationId =
  | 'access'
  | 'rectification'
  | 'erasure'
  | 'blocking'
  | 'objection'
  | 'automated-decision-objection'
  | 'withdrawal-stop'
  | 'withdrawal-destroy'
  | 'purpose-achieved-destroy'
  | 'opt-out'
  | 'confirm-receipt'
  | 'breach-authority'
  | 'breach-investigation'
  | 'breach-subjects'
  | 'regulator-request'
  // eslint-disable-next-line @typescript-eslint/ban-types
  | (string & {});

export const REQUEST_TYPES = [
  'access',
  'portability',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'withdrawal',
  'stop-processing',
  'opt-out',
  'limit-sensitive',
  'appeal',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** The rights a law gives a person, as the notice lists them, in that order. */
export const LEGAL_RIGHTS = [
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
export type LegalRight = (typeof LEGAL_RIGHTS)[number];

/**
 * Units of a term:
 * - `working-days`, `business-days`: the N-th working (business) day of the law's calendar
 *   after the day of the start event, ending at the end of that day (23:59:59.999) in the
 *   law's zone. The day of the start event itself never counts, whatever the hour.
 * - `calendar-days`: the N-th calendar day after the day of the start event, to its end.
 * - `months`: Reg. 1182/71 art. 3(2)(c): ends at the end of the day of the last month with
 *   the same date as the start day (or the month's last day when it has no such date);
 *   art. 3(4): a period ending on a Saturday, Sunday or holiday of the calendar ends at the
 *   end of the next working day.
 * - `hours`: exactly N hours from the moment of the start event (awareness of a breach).
 */
export type TermUnit = 'working-days' | 'business-days' | 'calendar-days' | 'months' | 'hours';
export const TERM_UNITS: readonly TermUnit[] = ['working-days', 'business-days', 'calendar-days', 'months', 'hours'];

export interface Term {
  amount: number;
  unit: TermUnit;
}

/** The event that starts an obligation's clock. */
export type StartEvent =
  | 'receipt'
  | 'withdrawal'
  | 'purpose-achieved'
  | 'awareness'
  | 'subjects-notified'
  | 'regulator-request';

export interface ObligationRule {
  id: ObligationId;
  /** The article that sets the term, e.g. `20(1)`. */
  article: string;
  starts: StartEvent;
  term: Term;
  /** How much longer the operator may take, and the article that allows it; absent: no extension. */
  extension?: {
    term: Term;
    article: string;
    /**
     * Counted from where: `term-end` adds the extension after the end of the original term
     * (days); `start` counts the whole term plus extension from the start (GDPR months).
     * The person must be told, with reasons, before the original term ends.
     */
    from: 'term-end' | 'start';
  };
  /** The clock stops while the operator waits for identity or clarification (UK GDPR art. 12A). */
  pausable?: boolean;
  /** Set when the reference could not confirm the term: every due moment carries `term_unconfirmed`. */
  unconfirmed?: boolean;
}

export interface IdentityRule {
  verify: 'none' | 'reasonable-doubt' | 'required';
  pausesClock: boolean;
  /** CCPA: how many data points must match. */
  dataPoints?: number;
  /** RU: identity document details; CCPA: a signed declaration under penalty of perjury. */
  document?: boolean;
  article: string;
}

export interface RightGrant {
  obligation: ObligationId;
  article: string;
}

export interface RefusalReason {
  code: string;
  article: string;
}

export interface RulePack {
  law: LawId;
  name: string;
  jurisdiction: Jurisdiction;
  /** IANA zone of the law's clock; `operator` means the operator's zone (UTC unless given). */
  zone: string | 'operator';
  calendar: CalendarId;
  obligations: readonly ObligationRule[];
  rights: Partial<Record<RequestType, RightGrant>>;
  /** The rights the law grants, each with its article, as the notice states them. */
  grants: ReadonlyArray<readonly [LegalRight, string]>;
  /** Identity rule per request type; `default` covers types not listed. */
  identity: Partial<Record<RequestType, IdentityRule>> & { default: IdentityRule };
  refusals: readonly RefusalReason[];
  /** Data localisation: residents' data must be stored in databases in the country. */
  localisation?: { article: string; rule: string };
  /** What a cross-border transfer needs. */
  crossBorder: { article: string; rule: string };
}
