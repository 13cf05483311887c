/**
 * A request's clocks: the law module computes each due moment; this file only adds up the
 * time the clock stood still — waiting for identity, or paused by staff waiting for a
 * clarification — and hands it to the laws whose due moment is `pausable` (UK GDPR art.
 * 12A); for the others the clock ran all along.
 */
import { type LawId, type RequestType, requestDeadlines } from '../law/index.js';
import type { Policy } from '../policy/model.js';
import type { PauseReason, RequestDeadline } from './model.js';

export interface ClockState {
  receivedAt: number;
  /** Time the clock stood still before `pausedAt`, by reason. */
  pausedMs: number;
  pausedAt: number | null;
  pauseReason: PauseReason | null;
  extended: boolean;
}

/** Every applicable law's due moment for the request, earliest first; laws that grant no such right left out. */
export function requestClocks(policy: Policy, laws: readonly LawId[], type: RequestType, state: ClockState, now: number): RequestDeadline[] {
  const running = state.pausedAt === null ? 0 : Math.max(0, now - state.pausedAt);
  const out: RequestDeadline[] = [];
  for (const law of laws) {
    const [plain] = requestDeadlines(policy, [law], type, state.receivedAt, { extended: state.extended });
    if (!plain) continue;
    const stops = plain.pausable;
    const pausedMs = stops ? state.pausedMs + running : 0;
    const [moment] = pausedMs > 0 ? requestDeadlines(policy, [law], type, state.receivedAt, { pausedMs, extended: state.extended }) : [plain];
    out.push({
      law: moment.law,
      obligation: moment.obligation,
      article: moment.article,
      dueAt: moment.dueAt,
      dueAtIso: moment.dueAtIso,
      ...(moment.extension ? { extension: moment.extension } : {}),
      pausable: stops,
      source: moment.source,
    });
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.law.localeCompare(b.law));
}
