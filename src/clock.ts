/**
 * Time and identity sources are injected so deadline tests never sleep and ids are
 * reproducible where a test needs them.
 */
import { randomUUID } from 'node:crypto';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface IdSource {
  next(): string;
}

/**
 * Ids that sort by creation time (UUID version 7, RFC 9562): the first 48 bits are the
 * millisecond, the rest random. New rows then land at the end of each id index instead of on
 * a random page of it, so a commit writes fewer pages; the time an id reveals is the row's
 * own creation time, which the row holds anyway.
 */
export function uuidV7(now: number = Date.now()): string {
  const random = randomUUID(); // 122 random bits, from Node's cached entropy
  const ms = now.toString(16).padStart(12, '0').slice(-12);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

/** Custodian's ids: time-ordered UUIDs. */
export const uuidSource: IdSource = { next: () => uuidV7() };
