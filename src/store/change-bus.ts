/**
 * Change events: what a committed unit of work tells the rest of the process — and, on
 * PostgreSQL, every other Custodian node on the database — so caches drop what changed.
 * An event names a topic (`subject`, `apikey`, `policy`, `jobs`, …) and a key (an id);
 * features choose their topics, the store only carries them. Events carry ids, never
 * personal-data values.
 *
 * Delivery is at-most-once across nodes (a NOTIFY sent while a listener was reconnecting is
 * lost), so every cache keeps its TTL as the fallback and `onResync` listeners flush
 * everything when a node may have missed events.
 */

export interface ChangeEvent {
  topic: string;
  key?: string;
}

export type ChangeOrigin = 'local' | 'remote';
export type ChangeListener = (event: ChangeEvent, origin: ChangeOrigin) => void;

export class ChangeBus {
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly resyncListeners = new Set<() => void>();

  /** Listens to one topic; returns the function that stops listening. */
  subscribe(topic: string, listener: ChangeListener): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => set.delete(listener);
  }

  /** Called when events from other nodes may have been missed (a listener reconnected). */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  deliver(events: readonly ChangeEvent[], origin: ChangeOrigin): void {
    for (const event of events) {
      for (const listener of this.listeners.get(event.topic) ?? []) {
        try {
          listener(event, origin);
        } catch {
          // A listener's failure must not stop the others; listeners only drop cache entries.
        }
      }
    }
  }

  resync(): void {
    for (const listener of this.resyncListeners) {
      try {
        listener();
      } catch {
        // as above
      }
    }
  }
}

/** Same events once each, in first-seen order (a unit of work may raise one many times). */
export function distinctEvents(events: readonly ChangeEvent[]): ChangeEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = `${e.topic}\u0000${e.key ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
