/**
 * What a job is, as the queue (`jobs.ts`), its worker and every feature that hands work to
 * it see it. A job's payload carries ids, codes and counts — never personal-data values: a
 * mail job names the subject and the template, and the address is looked up when it runs.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export const JOB_STATES = ['pending', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobInput {
  /** What to do, e.g. `mail.send`, `journal.checkpoint`. A handler is registered per kind. */
  kind: string;
  payload?: Readonly<Record<string, JsonValue>>;
  /** Epoch ms; default now. */
  runAt?: number;
  /** A second job with the same key is not created (the first one stands). */
  idempotencyKey?: string;
  /** Attempts before the job is left as a dead letter (state `failed`); default 8. */
  maxAttempts?: number;
}

export interface Job {
  id: string;
  kind: string;
  payload: Record<string, JsonValue>;
  state: JobState;
  runAt: number;
  /** Attempts started so far, this one included while running. */
  attempts: number;
  maxAttempts: number;
  /** The last failure: an error code or class and a message without personal data. */
  lastError: string | null;
  idempotencyKey: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Runs one job. Throwing retries it later (with backoff) until its attempts run out. */
export type JobHandler = (job: Job) => Promise<void>;

/** Thrown by a handler when retrying cannot help (e.g. the subject was erased): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
