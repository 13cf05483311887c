/**
 * A rights request as Custodian keeps it: its type, the subject it concerns (when one
 * matched), the laws whose clocks run for it, where it stands and how identity was
 * established. The state machine is here; the service (`requests.ts`) moves requests along
 * it, journaling every step.
 */
import type { DueMoment, LawId, RequestType } from '../law/index.js';

/** The request types the API takes (the law module's list); which of them a person may file comes from the laws that apply. */
export { REQUEST_TYPES } from '../law/index.js';

export const REQUEST_STATES = ['received', 'verifying', 'in-progress', 'completed', 'refused', 'withdrawn'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const OPEN_STATES: readonly RequestState[] = ['received', 'verifying', 'in-progress'];
export const CLOSED_STATES: readonly RequestState[] = ['completed', 'refused', 'withdrawn'];

/**
 * Where a request may go from each state. Identity is checked before work starts; a
 * request not needing it goes straight to work. Any open request may be refused (with a
 * reason the law gives) or withdrawn by the person; a closed one stays closed.
 */
const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  received: ['verifying', 'in-progress', 'refused', 'withdrawn'],
  verifying: ['in-progress', 'refused', 'withdrawn'],
  'in-progress': ['completed', 'refused', 'withdrawn'],
  completed: [],
  refused: [],
  withdrawn: [],
};

export function canMove(from: RequestState, to: RequestState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(state: RequestState): boolean {
  return OPEN_STATES.includes(state);
}

export const REQUEST_CHANNELS = ['api', 'web-form', 'email', 'phone', 'post', 'in-person'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export type IdentityState = 'unverified' | 'verified' | 'not-required';
export const VERIFICATION_METHODS = ['staff', 'email-code', 'link', 'data-points', 'document'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** Why a clock stands still: waiting for the person to prove who they are, or paused by staff. */
export type PauseReason = 'identity' | 'staff';

/** One law's due moment as a request carries it. */
export interface RequestDeadline {
  law: LawId;
  obligation: string;
  article: string;
  dueAt: number;
  dueAtIso: string;
  extension?: DueMoment['extension'];
  pausable: boolean;
  source: DueMoment['source'];
}

export interface RightsRequest {
  id: string;
  type: RequestType;
  /** Null when no subject matched the identifiers: the request is recorded and answered as such. */
  subjectId: string | null;
  state: RequestState;
  laws: LawId[];
  /** Earliest first. */
  deadlines: RequestDeadline[];
  receivedAt: number;
  channel: RequestChannel;
  locale: string | null;
  duplicateOf: string | null;
  identity: IdentityState;
  verificationMethod: VerificationMethod | null;
  verifiedAt: number | null;
  pausedAt: number | null;
  pauseReason: PauseReason | null;
  pausedMs: number;
  extended: boolean;
  extensionReason: string | null;
  refusal: { code: string; article: string } | null;
  outcome: RequestOutcome | null;
  /** Someone acting for the person, with the kind and reference of their proof. */
  agent: { kind: string; proof: string; proofReference: string } | null;
  /** RU 152-FZ 14(3) document details were given (kept sealed under the subject's key). */
  documentCaptured: boolean;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

/** What fulfilment did, in counts and category ids (never values). */
export interface RequestOutcome {
  subjectFound: boolean;
  /** Categories erased, corrected, blocked…, with item counts. */
  done?: { category: string; items: number }[];
  /** Categories kept, and why (a legal obligation in the policy). */
  kept?: { category: string; reason: string; article?: string }[];
  /** Purposes the request stopped (withdrawal, objection, opt-out…). */
  purposes?: string[];
  /** The access package made for this request. */
  packageId?: string;
  /** A step that exists but could not run yet, with why. */
  pending?: string;
  /** Recipients told of the change (GDPR art. 19, CCPA 1798.105(c)). */
  recipientsTold?: number;
}
