/**
 * The rights feature as the composition root wires it: the requests with their clocks,
 * identity verification, fulfilment in the vault, and the job kinds they run on.
 */
import { CustodianError } from '../errors.js';
import type { Consents } from '../consent/consents.js';
import type { Disclosures } from '../disclosures/disclosures.js';
import type { Mailer } from '../notify/mailer.js';
import type { JobWorker } from '../store/job-worker.js';
import type { Scheduler } from '../store/scheduler.js';
import type { Blocks } from '../vault/blocking.js';
import type { Erasure } from '../vault/erasure.js';
import type { Subjects } from '../vault/subjects.js';
import type { Vault } from '../vault/vault.js';
import { Fulfilment } from './fulfilment.js';
import { IdentityProof } from './identity-proof.js';
import { NOTIFY_RECIPIENT_JOB, RecipientsTold } from './recipients-told.js';
import { sendReminders } from './reminders.js';
import { RightsRequests, type RightsRequestsDeps } from './requests.js';
import { Verification } from './verification.js';

export interface RightsDeps extends RightsRequestsDeps {
  publicUrl?: string;
  /** A request whose identity is still not established this long after receipt closes, refused (default 30 days). */
  unverifiedCloseAfterMs?: number;
}

/** The services fulfilment acts through, and where the feature's jobs run: handed over once the composition root has built them. */
export interface RightsServices {
  worker: JobWorker;
  scheduler: Scheduler;
  subjects: Subjects;
  vault: Vault;
  blocks: Blocks;
  consents: Consents;
  disclosures: Disclosures;
  erasure: Erasure;
  /** Where staff reminders go out; none: no reminders. */
  mailer?: Mailer;
  mailFrom: string;
}

/** Job kinds of the rights feature. */
export const RIGHTS_JOBS = {
  closeUnverified: 'rights.close-unverified',
  deleteExpiredPackages: 'rights.delete-expired-packages',
  remindDue: 'rights.remind-due',
} as const;

const SCHEDULE = {
  closeUnverified: '0 7 * * * *',
  deleteExpiredPackages: '0 13 * * * *',
  remindDue: '0 */30 * * * *',
} as const;

export const DEFAULT_UNVERIFIED_CLOSE_AFTER_MS = 30 * 24 * 3600_000;

export class Rights {
  readonly requests: RightsRequests;
  readonly verification: Verification;
  readonly recipientsTold: RecipientsTold;
  private identityService?: IdentityProof;
  private fulfilmentService?: Fulfilment;
  private readonly unverifiedCloseAfterMs: number;

  constructor(private readonly deps: RightsDeps) {
    this.requests = new RightsRequests(deps);
    this.verification = new Verification({ ...deps, requests: this.requests });
    this.recipientsTold = new RecipientsTold(deps);
    this.unverifiedCloseAfterMs = deps.unverifiedCloseAfterMs ?? DEFAULT_UNVERIFIED_CLOSE_AFTER_MS;
  }

  get fulfilment(): Fulfilment {
    if (!this.fulfilmentService) throw new CustodianError('conflict', 'Rights fulfilment is not wired (Rights.register)');
    return this.fulfilmentService;
  }

  get identity(): IdentityProof {
    if (!this.identityService) throw new CustodianError('conflict', 'Rights identity proofs are not wired (Rights.register)');
    return this.identityService;
  }

  /** Connects fulfilment to the services it acts through, and registers the feature's jobs and periodic tasks (each runs once across nodes). */
  register(services: RightsServices): void {
    const { worker, scheduler } = services;
    this.identityService = new IdentityProof({ ...this.deps, subjects: services.subjects, requests: this.requests });
    this.fulfilmentService = new Fulfilment({ ...this.deps, ...services, requests: this.requests, recipientsTold: this.recipientsTold });
    worker
      .handle(NOTIFY_RECIPIENT_JOB, this.recipientsTold.handler({ mailer: services.mailer, from: services.mailFrom }))
      .handle(RIGHTS_JOBS.closeUnverified, async () => {
        await this.requests.closeUnverified(this.unverifiedCloseAfterMs, `system:${RIGHTS_JOBS.closeUnverified}`);
      })
      .handle(RIGHTS_JOBS.deleteExpiredPackages, async () => {
        await this.fulfilment.deleteExpiredPackages();
      })
      .handle(RIGHTS_JOBS.remindDue, async () => {
        await sendReminders({ ...this.deps, requests: this.requests, mailer: services.mailer, from: services.mailFrom });
      });
    scheduler
      .cluster('rights-close-unverified', SCHEDULE.closeUnverified, { kind: RIGHTS_JOBS.closeUnverified })
      .cluster('rights-delete-expired-packages', SCHEDULE.deleteExpiredPackages, { kind: RIGHTS_JOBS.deleteExpiredPackages })
      .cluster('rights-remind-due', SCHEDULE.remindDue, { kind: RIGHTS_JOBS.remindDue });
  }
}
