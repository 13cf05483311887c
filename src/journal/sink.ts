/**
 * The checkpoint sink: every checkpoint, as it is written, also goes somewhere the database
 * cannot reach — a file (one anchor JSON per line) or a webhook (the anchor JSON POSTed) —
 * so an anchor exists outside the database without anyone remembering to export one.
 *
 * Delivery never fails the checkpoint: the checkpoint is committed first and marked
 * pending; a failure is logged (number and reason, no data) and retried, in order, with
 * the next checkpoint. Several nodes may each deliver a pending checkpoint once; a
 * receiver recognises a repeat by its number and digest.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Anchor } from './anchor.js';

export type CheckpointSinkTarget = { kind: 'file'; path: string } | { kind: 'webhook'; url: string };

export interface CheckpointSink {
  deliver(anchor: Anchor): Promise<void>;
}

/** Reports a checkpoint the sink did not take. `reason` is a status or error code, never a payload, path or URL. */
export type SinkFailureLog = (failure: { number: number; reason: string }) => void;

export const stderrSinkLog: SinkFailureLog = ({ number, reason }) => {
  process.stderr.write(`custodian: checkpoint ${number} was not delivered to the checkpoint sink (${reason}); it is retried with the next checkpoint\n`);
};

/** `https://…` or `http://…` is a webhook; anything else a file path, relative to `cwd`. */
export function parseCheckpointSink(value: string, cwd: string): CheckpointSinkTarget {
  if (/^https?:\/\//i.test(value)) {
    new URL(value); // throws on a malformed URL, which the configuration reports
    return { kind: 'webhook', url: value };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error('must be a file path or an http(s) URL');
  return { kind: 'file', path: resolve(cwd, value) };
}

const WEBHOOK_TIMEOUT_MS = 10_000;

export function checkpointSink(target: CheckpointSinkTarget): CheckpointSink {
  switch (target.kind) {
    case 'file':
      return {
        async deliver(anchor) {
          await mkdir(dirname(target.path), { recursive: true });
          await appendFile(target.path, `${JSON.stringify(anchor)}\n`);
        },
      };
    case 'webhook': {
      // fetch refuses credentials in the URL; send them as Basic authentication instead.
      const url = new URL(target.url);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (url.username || url.password) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
        url.username = '';
        url.password = '';
      }
      return {
        async deliver(anchor) {
          const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(anchor), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
          await response.arrayBuffer().catch(() => undefined);
          if (!response.ok) throw new SinkRefused(response.status);
        },
      };
    }
  }
}

class SinkRefused extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'SinkRefused';
  }
}

/** A code for the log: an HTTP status, a system error code, or the error's class — never its message, which may quote a path or URL. */
export function deliveryFailureReason(error: unknown): string {
  if (error instanceof SinkRefused) return `HTTP ${error.status}`;
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  const code = e?.cause?.code ?? e?.code;
  if (typeof code === 'string') return code;
  return typeof e?.name === 'string' ? e.name : 'unknown error';
}
