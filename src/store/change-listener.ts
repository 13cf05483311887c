/**
 * Hears other nodes' change events on PostgreSQL (`LISTEN`), on a connection of its own
 * outside the pool, and hands them to the local change bus. When the connection drops it
 * reconnects with backoff and asks every cache to resync, since events sent meanwhile are
 * lost; the caches' TTLs cover the gap until then.
 */
import type pg from 'pg';
import type { ChangeBus, ChangeEvent } from './change-bus.js';
import { CHANGE_CHANNEL } from './unit-of-work.js';

export interface ChangeListenerHandle {
  /** Resolves once LISTEN is in place (the first time). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface ChangeListenerOptions {
  url: string;
  bus: ChangeBus;
  nodeId: string;
  onError?: (error: Error) => void;
}

export function listenForChanges(options: ChangeListenerOptions): ChangeListenerHandle {
  const { url, bus, nodeId } = options;
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 100;
  let timer: NodeJS.Timeout | undefined;
  let first = true;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
    try {
      const parsed = JSON.parse(message.payload) as { node?: string; events?: ChangeEvent[] };
      if (parsed.node === nodeId || !Array.isArray(parsed.events)) return;
      bus.deliver(
        parsed.events.filter((e) => typeof e?.topic === 'string'),
        'remote',
      );
    } catch {
      // Not ours, or garbled: nothing to invalidate by.
    }
  };

  const connect = async () => {
    if (closed) return;
    const { default: pg } = await import('pg');
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true });
    next.on('notification', onNotification);
    next.on('error', (error) => {
      options.onError?.(error);
      drop(next);
    });
    next.on('end', () => drop(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (closed) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      delay = 100;
      if (first) {
        first = false;
        resolveReady();
      } else {
        bus.resync();
      }
    } catch (error) {
      options.onError?.(error as Error);
      drop(next);
    }
  };

  const drop = (which: pg.Client) => {
    which.removeAllListeners('notification');
    void which.end().catch(() => undefined);
    if (client === which) client = undefined;
    if (closed || timer) return;
    // Anything sent while we were away is lost: resync on reconnect.
    first = false;
    resolveReady();
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 5000);
  };

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      resolveReady();
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners('notification');
        await current.end().catch(() => undefined);
      }
    },
  };
}
