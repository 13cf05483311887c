/**
 * The rights feature as the composition root wires it: the requests with their clocks,
 * identity verification, fulfilment in the vault, and the job kinds they run on.
 */
import type { JobWorker } from '../store/job-worker.js';
import type { Scheduler } from '../store/scheduler.js';
import { RightsRequests, type RightsRequestsDeps } from './requests.js';
import { Verification } from './verification.js';

export interface RightsDeps extends RightsRequestsDeps {
  publicUrl?: string;
  /** A request whose identity is still not established this long after receipt closes, refused (default 30 days). */
  unverifiedCloseAfterMs?: number;
}

/** Job kinds of the rights feature. */
export const RIGHTS_JOBS = {
  closeUnverified: 'rights.close-unverified',
} as const;

const SCHEDULE = {
  closeUnverified: '0 7 * * * *',
} as const;

export const DEFAULT_UNVERIFIED_CLOSE_AFTER_MS = 30 * 24 * 3600_000;

export class Rights {
  readonly requests: RightsRequests;
  readonly verification: Verification;
  private readonly unverifiedCloseAfterMs: number;

  constructor(deps: RightsDeps) {
    this.requests = new RightsRequests(deps);
    this.verification = new Verification({ ...deps, requests: this.requests });
    this.unverifiedCloseAfterMs = deps.unverifiedCloseAfterMs ?? DEFAULT_UNVERIFIED_CLOSE_AFTER_MS;
  }

  /** The feature's jobs and the periodic tasks that enqueue them (each runs once across nodes). */
  register(worker: JobWorker, scheduler: Scheduler): void {
    worker.handle(RIGHTS_JOBS.closeUnverified, async () => {
      await this.requests.closeUnverified(this.unverifiedCloseAfterMs, `system:${RIGHTS_JOBS.closeUnverified}`);
    });
    scheduler.cluster('rights-close-unverified', SCHEDULE.closeUnverified, { kind: RIGHTS_JOBS.closeUnverified });
  }
}
