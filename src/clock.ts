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

export const uuidSource: IdSource = { next: () => randomUUID() };
