/**
 * Consent as the rest of Custodian sees it: acts (one row each, never edited) and the
 * state derived from the newest act per subject, purpose and topic.
 *
 * A *topic* is what an act consents to. `purpose` is the consent to process data for the
 * purpose; `thirdParties`, `crossBorder` and `publicDissemination` are the separate
 * consents 94-V art. 7(6) (and 152-FZ art. 10.1 for dissemination) require for those
 * scopes. Keeping them as separate acts, rather than flags on one act, is what makes a
 * withdrawal of "only the transfer abroad" expressible and provable.
 */
import type { Locale } from '../policy/model.js';

export const CONSENT_CHANNELS = ['web-form', 'api', 'paper', 'email'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** Scope flags, named as in the policy's `consent` block. */
export const SCOPE_NAMES = ['thirdParties', 'crossBorder', 'publicDissemination'] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];
export type ConsentScope = Record<ScopeName, boolean>;

export type ConsentTopic = 'purpose' | ScopeName;

/** What a row records. `renewal-needed` is written by the system after a material policy change. */
export const CONSENT_EVENTS = ['given', 'refused', 'withdrawn', 'renewal-needed'] as const;
export type ConsentEvent = (typeof CONSENT_EVENTS)[number];

/** A consent's state: the event, except that a given consent past its validity is `expired`. */
export const CONSENT_STATES = ['given', 'refused', 'withdrawn', 'expired', 'renewal-needed'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** The policy language's word for "no fixed term" (94-V: valid until the purpose is achieved). */
export const UNTIL_PURPOSE_ACHIEVED = 'until-purpose-achieved';

/** One consent act or marking, as stored (the subject's name stays sealed). */
export interface ConsentRecord {
  id: string;
  subjectId: string;
  purpose: string;
  topic: ConsentTopic;
  event: ConsentEvent;
  /** The state this row gives, as of when it was read. */
  state: ConsentState;
  /** True on the newest row of its subject, purpose and topic. */
  current: boolean;
  at: number;
  actor: string;
  policyVersion: number;
  scope: ConsentScope;
  categories: string[];
  /** ISO 8601 duration stated on the consent; null = until the purpose is achieved. */
  validity: string | null;
  validUntil: number | null;
  channel: ConsentChannel | null;
  locale: Locale | null;
  /** Evidence of the notice shown: its SHA-256, and whether the text itself is kept. */
  notice: { sha256: string; textKept: boolean } | null;
  /** Whether the consent carries the subject's full name (sealed; 94-V art. 8(4)). */
  subjectNameRecorded: boolean;
  previousId: string | null;
}

/**
 * The state of an act at `now`. Expiry is derived rather than written so no sweep has to
 * run for a consent to stop counting the moment its validity ends.
 */
export function consentState(event: ConsentEvent, validUntil: number | null, now: number): ConsentState {
  return event === 'given' && validUntil !== null && validUntil <= now ? 'expired' : event;
}
