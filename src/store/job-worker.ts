/**
 * Runs queued jobs on this node: polls for due jobs (and wakes at once when a unit of work
 * enqueues one, here or — through NOTIFY — on another node), runs each kind's handler,
 * and records the outcome. Several nodes may run workers on one database.
 */
import type { ChangeBus } from './change-bus.js';
import type { Job, JobHandler } from './job-types.js';
import type { JobQueue } from './jobs.js';
import { JOBS_TOPIC } from './unit-of-work.js';

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobWorkerOptions {
  queue: JobQueue;
  bus?: ChangeBus;
  workerId: string;
  log?: JobLog;
  /** How often to look for due jobs when nothing wakes the worker; default 1 s. */
  pollMs?: number;
  /** Jobs run at once; default 4. */
  concurrency?: number;
  /** How long a claim lasts before another worker may take the job; default 5 minutes. */
  leaseMs?: number;
}

const QUIET: JobLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class JobWorker {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private draining: Promise<number> | undefined;
  private wakeAgain = false;
  private unsubscribe: (() => void) | undefined;
  private log: JobLog;

  private readonly forgetting = new Set<string>();

  constructor(private readonly options: JobWorkerOptions) {
    this.log = options.log ?? QUIET;
  }

  /** Where job outcomes are logged (job id, kind, attempt, error class — never payloads). */
  setLog(log: JobLog): void {
    this.log = log;
  }

  /**
   * Registers the handler for a kind of job (one per kind). With `forgetPayloadWhenDone`, a
   * job's payload is emptied once it is done: for payloads holding secrets that serve only
   * the run (a one-time code, a signed link in a mail), which must not outlive it in the
   * job table until finished jobs are pruned.
   */
  handle(kind: string, handler: JobHandler, options: { forgetPayloadWhenDone?: boolean } = {}): this {
    if (this.handlers.has(kind)) throw new Error(`A handler for job kind "${kind}" is already registered`);
    this.handlers.set(kind, handler);
    if (options.forgetPayloadWhenDone) this.forgetting.add(kind);
    return this;
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.bus?.subscribe(JOBS_TOPIC, () => this.wake());
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.draining?.catch(() => undefined);
  }

  /** Looks for due jobs now (coalesces with a run in progress). */
  wake(): void {
    if (!this.running) return;
    if (this.draining) this.wakeAgain = true;
    else this.schedule(0);
  }

  /**
   * Runs every job that is due now, until none is left; returns how many ran. Tests call
   * this directly, with a manual clock, instead of starting the poll loop.
   */
  async runDue(): Promise<number> {
    if (this.draining) return this.draining;
    this.draining = this.drain().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runDue()
        .catch((error: Error) => this.log.error({ err: { type: error?.name, code: (error as { code?: string })?.code } }, 'job poll failed'))
        .finally(() => {
          const again = this.wakeAgain;
          this.wakeAgain = false;
          this.schedule(again ? 0 : (this.options.pollMs ?? 1000));
        });
    }, ms);
    this.timer.unref();
  }

  private async drain(): Promise<number> {
    const { queue, workerId } = this.options;
    const concurrency = this.options.concurrency ?? 4;
    let ran = 0;
    for (;;) {
      const jobs = await queue.claim(workerId, concurrency, this.options.leaseMs ?? 5 * 60_000);
      if (jobs.length === 0) return ran;
      await Promise.all(jobs.map((job) => this.runOne(job)));
      ran += jobs.length;
    }
  }

  private async runOne(job: Job): Promise<void> {
    const { queue, workerId } = this.options;
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw Object.assign(new Error('no handler'), { name: 'UnknownJobKind', code: job.kind.slice(0, 60) });
      await handler(job);
      if (await queue.complete(job, workerId, { forgetPayload: this.forgetting.has(job.kind) })) this.log.info({ job: job.id, kind: job.kind, attempt: job.attempts }, 'job done');
      // The lease ran out while the handler ran: another worker may be running it again.
      else this.log.warn({ job: job.id, kind: job.kind, attempt: job.attempts }, 'job finished after its lease ended; its outcome was not recorded');
    } catch (error) {
      const state = await queue.fail(job, workerId, error);
      const level = state === 'failed' ? 'error' : 'warn';
      this.log[level]({ job: job.id, kind: job.kind, attempt: job.attempts, state, err: { type: (error as Error)?.name, code: (error as { code?: string })?.code } }, state === 'failed' ? 'job failed for good' : 'job failed, will retry');
    }
  }
}
