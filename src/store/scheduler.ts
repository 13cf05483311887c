/**
 * Periodic tasks (croner patterns, seconds first: `0 * * * * *` is every minute), read in
 * UTC: an occurrence must be the same instant on every node, whatever its time zone.
 *
 * A *cluster* task runs once per occurrence across all nodes, not once per node: every
 * node's timer tries to enqueue the occurrence's job under the idempotency key
 * `schedule:<name>:<occurrence>`, and the unique key in the database lets exactly one
 * insert win — a lease per occurrence that needs no leader and survives any node dying.
 * The job then runs on whichever worker claims it, with the queue's retries.
 *
 * A *local* task runs on every node (a node's own chores, such as re-reading what others
 * published in case a notification was missed).
 */
import { Cron } from 'croner';
import type { JsonValue } from './job-types.js';
import type { ChangeBus } from './change-bus.js';
import type { JobQueue } from './jobs.js';
import { JOBS_TOPIC } from './unit-of-work.js';
import type { JobLog } from './job-worker.js';

interface ClusterTask {
  kind: 'cluster';
  name: string;
  pattern: string;
  job: { kind: string; payload?: Readonly<Record<string, JsonValue>> };
}

interface LocalTask {
  kind: 'local';
  name: string;
  pattern: string;
  run: () => Promise<void>;
}

type Task = ClusterTask | LocalTask;

/** Nodes in different time zones would otherwise place `0 0 3 * * *` at different instants, and run it once each. */
const ZONE = 'Etc/UTC';

export class Scheduler {
  private readonly tasks = new Map<string, Task>();
  private readonly timers: Cron[] = [];

  /** `bus`: where a new job is announced, so this node's worker takes it at once rather than at its next poll. */
  constructor(private readonly deps: { queue: JobQueue; bus?: ChangeBus; log?: JobLog }) {}

  /** Once across all nodes, per occurrence of `pattern`: enqueue `job`. */
  cluster(name: string, pattern: string, job: ClusterTask['job']): this {
    return this.add({ kind: 'cluster', name, pattern, job });
  }

  /** On every node, per occurrence of `pattern`: run `run` (skipped while the previous run is busy). */
  local(name: string, pattern: string, run: () => Promise<void>): this {
    return this.add({ kind: 'local', name, pattern, run });
  }

  names(): string[] {
    return [...this.tasks.keys()];
  }

  start(): void {
    if (this.timers.length > 0) return;
    for (const task of this.tasks.values()) {
      // The occurrence is croner's scheduled time (whole seconds), the same on every node.
      let occurrence = new Cron(task.pattern, { timezone: ZONE }).nextRun();
      const timer = new Cron(task.pattern, { protect: true, unref: true, name: undefined, timezone: ZONE }, async (self) => {
        const at = occurrence ?? new Date();
        occurrence = self.nextRun();
        try {
          if (task.kind === 'cluster') await this.fire(task.name, at);
          else await task.run();
        } catch (error) {
          this.deps.log?.error({ task: task.name, err: { type: (error as Error)?.name, code: (error as { code?: string })?.code } }, 'scheduled task failed');
        }
      });
      this.timers.push(timer);
    }
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) timer.stop();
  }

  /**
   * Enqueues a cluster task's job for the occurrence at `at`; `created` is false when
   * another node (or an earlier call) already did. What the timers call; tests call it too.
   */
  async fire(name: string, at: Date): Promise<{ created: boolean; jobId: string }> {
    const task = this.tasks.get(name);
    if (!task || task.kind !== 'cluster') throw new Error(`No cluster task "${name}"`);
    const { id, created } = await this.deps.queue.enqueue({
      kind: task.job.kind,
      payload: { ...task.job.payload, occurrence: at.toISOString() },
      idempotencyKey: `schedule:${name}:${at.toISOString()}`,
      // A periodic task that keeps failing is retried a few times, then the next occurrence takes over.
      maxAttempts: 3,
    });
    if (created) this.deps.bus?.deliver([{ topic: JOBS_TOPIC }], 'local');
    return { created, jobId: id };
  }

  private add(task: Task): this {
    if (this.tasks.has(task.name)) throw new Error(`A scheduled task "${task.name}" already exists`);
    new Cron(task.pattern, { paused: true, timezone: ZONE }).stop(); // validates the pattern now, not at start
    this.tasks.set(task.name, task);
    return this;
  }
}
