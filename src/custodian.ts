/**
 * The composition root: opens the store, runs migrations, loads keys and the active
 * policy, and wires the services. HTTP and the CLI are thin adapters over what this
 * returns.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { APIKEY_TOPIC, ApiKeys } from './access/api-keys.js';
import { type Clock, type IdSource, systemClock, uuidSource } from './clock.js';
import { type Config, DEFAULT_CHECKPOINT_INTERVAL_MS, DEFAULT_MAIL_FROM } from './config.js';
import { MAIL_JOB, mailJobHandler } from './notify/mail-job.js';
import type { Mailer } from './notify/mailer.js';
import { mailerFor } from './notify/mailer-factory.js';
import { localize } from './policy/model.js';
import { envKekProvider, fileKekProvider, type KekProvider } from './crypto/kek-provider.js';
import { KeyService } from './crypto/keys.js';
import { currentHeads, writeCheckpoint } from './journal/checkpoint.js';
import { checkpointPattern } from './journal/schedule.js';
import { checkpointSink, type SinkFailureLog } from './journal/sink.js';
import { Journal } from './journal/journal.js';
import { diffPolicies, type PolicyChange } from './policy/diff.js';
import { POLICY_TOPIC, PolicyVersions, type PublishResult } from './policy/versions.js';
import { MIGRATIONS } from './migrations.js';
import { migrateToLatest } from './store/migrations.js';
import { ChangeBus } from './store/change-bus.js';
import { type ChangeListenerHandle, listenForChanges } from './store/change-listener.js';
import { type JobLog, JobWorker } from './store/job-worker.js';
import { JobQueue } from './store/jobs.js';
import { Scheduler } from './store/scheduler.js';
import { refreshStatistics } from './store/statistics.js';
import { openStore, type Store } from './store/store.js';
import { UnitOfWorkRunner } from './store/unit-of-work.js';
import { PurposeGate } from './decisions/gate.js';
import { Consents } from './consent/consents.js';
import { consentPreferencesLoader } from './consent/gate-facts.js';
import { ReadableCopies } from './consent/readable-copies.js';
import { Metrics } from './reports/metrics.js';
import { Blocks } from './vault/blocking.js';
import { Depersonalizer } from './vault/depersonalize.js';
import { Erasure, EXPIRE_ACTS_JOB } from './vault/erasure.js';
import { DatabaseKeyStore, type KeyStore } from './vault/key-store.js';
import { Disclosures } from './disclosures/disclosures.js';
import { SubjectLookup } from './vault/lookup.js';
import { Subjects, SUBJECT_TOPIC } from './vault/subjects.js';
import { Vault } from './vault/vault.js';
import { Rights } from './rights/rights.js';

export interface Custodian {
  readonly store: Store;
  /** Change events of committed units of work (and, on PostgreSQL, of other nodes). */
  readonly bus: ChangeBus;
  readonly work: UnitOfWorkRunner;
  readonly jobs: JobQueue;
  /** Runs this node's share of the queue once `startBackground` started it. */
  readonly worker: JobWorker;
  readonly scheduler: Scheduler;
  readonly subjects: Subjects;
  readonly keys: KeyService;
  readonly journal: Journal;
  readonly policies: PolicyVersions;
  readonly vault: Vault;
  readonly lookup: SubjectLookup;
  readonly blocks: Blocks;
  readonly depersonalizer: Depersonalizer;
  /** Erasure as crypto-shredding, and its destruction acts. */
  readonly erasure: Erasure;
  /** Subjects' and acts' wrapped keys, apart from the data (vault/key-store.ts). */
  readonly keyStore: KeyStore;
  readonly disclosures: Disclosures;
  readonly consents: Consents;
  readonly readableCopies: ReadableCopies;
  readonly gate: PurposeGate;
  readonly metrics: Metrics;
  readonly apiKeys: ApiKeys;
  /** Rights requests: intake, identity, clocks, fulfilment. */
  readonly rights: Rights;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** This process's id among the nodes sharing the database. */
  readonly nodeId: string;
  checkpoint(): ReturnType<typeof writeCheckpoint>;
  /**
   * What a serving node runs besides HTTP: the job worker, the periodic tasks and, on
   * PostgreSQL, the listener for other nodes' change events. Resolves once listening.
   */
  startBackground(options?: { log?: JobLog }): Promise<void>;
  /** Stops the background work, then closes the store. */
  close(): Promise<void>;
}

export interface OpenOptions {
  clock?: Clock;
  ids?: IdSource;
  /** Skip migrations (for commands that must not change the schema). */
  migrate?: boolean;
  /**
   * How long the purpose gate may trust a cached subject context. Changes made through
   * this process invalidate at once; the TTL bounds staleness for changes made by other
   * processes on the same database. Default 2 s.
   */
  gateCacheTtlMs?: number;
  /** Where an undelivered checkpoint is reported (number and reason, no data); default stderr. */
  onCheckpointSinkFailure?: SinkFailureLog;
  /** This node's id (default: random); other nodes' change events are told apart by it. */
  nodeId?: string;
  /** Where `mail.send` jobs deliver; default the configured one (`config.mail`). */
  mailer?: Mailer;
  /**
   * On PostgreSQL, listen for other nodes' change events from the start, not only once
   * `startBackground` runs (tests of several nodes in one process).
   */
  listen?: boolean;
}

/** Periodic tasks every node schedules; cluster tasks run once per occurrence across nodes. */
const SCHEDULE = {
  policyRefresh: '*/15 * * * * *',
  pruneJobs: '0 17 3 * * *',
  plannerStatistics: '0 41 * * * *',
} as const;
/** A renewal marking this large is bulk work: the planners' statistics are refreshed after it. */
const BULK_ROWS = 10_000;
/** Finished jobs are kept this long for `jobs list`, then pruned. */
const JOB_RETENTION_MS = 7 * 24 * 3600_000;

export function kekProviderFor(config: Pick<Config, 'masterKey' | 'keyringPath'>): KekProvider {
  return config.masterKey ? envKekProvider(config.masterKey) : fileKekProvider(config.keyringPath);
}

export async function openCustodian(config: Pick<Config, 'database' | 'masterKey' | 'keyringPath'> & Partial<Pick<Config, 'publicUrl' | 'checkpointSink' | 'mail' | 'checkpointIntervalMs'>>, options: OpenOptions = {}): Promise<Custodian> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidSource;
  const nodeId = options.nodeId ?? randomUUID();
  const store = openStore(config.database);
  let listener: ChangeListenerHandle | undefined;
  try {
    if (options.migrate !== false) await migrateToLatest(store.db, MIGRATIONS);
    const keys = new KeyService(kekProviderFor(config));
    await keys.load(store.db, clock.now());
    const bus = new ChangeBus();
    const jobs = new JobQueue({ store, clock, ids });
    const work = new UnitOfWorkRunner({ store, bus, jobs, nodeId });
    const journal = new Journal(store.engine, clock, ids);
    const policies = new PolicyVersions({ store, work, journal, clock });
    await policies.refresh();
    const metrics = new Metrics();
    const sink = config.checkpointSink ? checkpointSink(config.checkpointSink) : undefined;
    // With the bus, another node's erasure drops this node's cached key at once.
    const keyStore = new DatabaseKeyStore();
    const subjects = new Subjects({ keys, keyStore, clock, bus });
    const consents = new Consents({ store, work, subjects, keys, journal, policies, clock, ids, publicUrl: config.publicUrl });
    // The gate reads consent through the loader; change events drop what it cached.
    const gate = new PurposeGate(store.db, policies, clock, metrics, consentPreferencesLoader(consents, policies), { cacheTtlMs: options.gateCacheTtlMs ?? 2000 });
    const apiKeys = new ApiKeys({ store, work, clock });
    const worker = new JobWorker({ queue: jobs, bus, workerId: nodeId });
    const mailer = options.mailer ?? (config.mail ? mailerFor({ mail: config.mail }) : undefined);
    let backgroundLog: JobLog | undefined;
    const scheduler = new Scheduler({ queue: jobs, bus });
    const checkpoint = () => writeCheckpoint({ store, keys, clock, ids, sink, onSinkFailure: options.onCheckpointSinkFailure });
    // What the journal looked like at open: a process that journaled (a CLI command, say) signs a checkpoint as it closes.
    const headsAtOpen = JSON.stringify(await currentHeads(store.db));

    bus.subscribe(SUBJECT_TOPIC, (event) => event.key && gate.invalidate(event.key));
    bus.subscribe(APIKEY_TOPIC, (event) => event.key && apiKeys.forget(event.key));
    // This node refreshed when it published; others re-read the versions now.
    bus.subscribe(POLICY_TOPIC, (_event, origin) => origin === 'remote' && void policies.refresh().catch(() => undefined));
    // A SQLite commit group rolled back as a whole: contexts cached from its reads may hold writes that never committed.
    store.onRolledBack(() => bus.resync());
    bus.onResync(() => {
      gate.clear();
      apiKeys.forgetAll();
      void policies.refresh().catch(() => undefined);
    });

    const custodian: Custodian = {
      store,
      bus,
      work,
      jobs,
      worker,
      scheduler,
      subjects,
      keys,
      journal,
      policies,
      gate,
      metrics,
      vault: new Vault({ store, work, subjects, keys, journal, policies, gate, clock, ids }),
      lookup: new SubjectLookup({ work, keys, journal }),
      blocks: new Blocks({ store, work, subjects, journal, policies, clock, ids }),
      depersonalizer: new Depersonalizer({ work, store, subjects, journal, policies, clock, ids }),
      erasure: new Erasure({ store, work, subjects, keys, keyStore, journal, policies, clock, ids }),
      keyStore,
      disclosures: new Disclosures({ store, work, subjects, journal, policies, gate, clock, ids }),
      consents,
      readableCopies: new ReadableCopies({ consents, work, subjects, gate, journal, policies }),
      apiKeys,
      rights: new Rights({ store, work, keys, journal, policies, clock, ids, publicUrl: config.publicUrl }),
      clock,
      ids,
      nodeId,
      checkpoint,
      async startBackground(background = {}) {
        if (background.log) {
          worker.setLog(background.log);
          backgroundLog = background.log;
        }
        const log = background.log;
        if (store.engine === 'postgres' && !listener) {
          listener = listenForChanges({
            url: pgUrl(store),
            bus,
            nodeId,
            // Until it reconnects, other nodes' changes reach this one only through the caches' lifetimes.
            onError: (error) => log?.warn({ err: { type: error.name, code: (error as { code?: string }).code } }, 'change listener connection lost; reconnecting'),
          });
        }
        worker.start();
        scheduler.start();
        await listener?.ready;
      },
      async close() {
        scheduler.stop();
        await worker.stop();
        // Events this process wrote are covered before it goes (`journal verify` fails on events left unsigned).
        if (JSON.stringify(await currentHeads(store.db).catch(() => ({}))) !== headsAtOpen) await checkpoint().catch(() => undefined);
        await listener?.close();
        await mailer?.close();
        // SQLite's statistics are kept as the connection goes (a no-op on PostgreSQL); read-only openings leave the file as it was.
        if (options.migrate !== false) await refreshStatistics(store, { kind: 'periodic' }).catch(() => undefined);
        await store.close();
      },
    };
    registerPlatformJobs(custodian, checkpointPattern(config.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS));
    // Destruction acts past their retention go daily, with the keys that seal the person they name.
    worker.handle(EXPIRE_ACTS_JOB, async () => {
      await custodian.erasure.expireActs('system:retention');
    });
    scheduler.cluster('expire-destruction-acts', '0 29 4 * * *', { kind: EXPIRE_ACTS_JOB });
    custodian.rights.register({ worker, scheduler, subjects, vault: custodian.vault, blocks: custodian.blocks, consents, disclosures: custodian.disclosures, erasure: custodian.erasure, mailer, mailFrom: config.mail?.from ?? DEFAULT_MAIL_FROM });
    if (mailer) {
      const policy = () => policies.active().index.policy;
      worker.handle(
        MAIL_JOB,
        mailJobHandler({
          mailer,
          recipient: (subjectId, use) => custodian.vault.mailRecipient(subjectId, use, 'system:mail'),
          operatorName: (locale) => localize(policy().operator.name, locale, policy().defaultLocale),
          defaultLocale: () => policy().defaultLocale,
          purposeTitle: (purposeId, locale) => {
            const purpose = policies.active().index.purpose(purposeId);
            return purpose ? localize(purpose.title, locale, policy().defaultLocale) : undefined;
          },
          from: config.mail?.from ?? DEFAULT_MAIL_FROM,
          log: { info: (obj, msg) => backgroundLog?.info(obj, msg), warn: (obj, msg) => backgroundLog?.warn(obj, msg) },
        }),
        // A sent mail's parameters (one-time codes, signed links) are not kept in the job table.
        { forgetPayloadWhenDone: true },
      );
    }
    if (options.listen && store.engine === 'postgres') {
      listener = listenForChanges({ url: pgUrl(store), bus, nodeId });
      await listener.ready;
    }
    return custodian;
  } catch (error) {
    await listener?.close();
    await store.close();
    throw error;
  }
}

function pgUrl(store: Store): string {
  if (store.location.engine !== 'postgres') throw new Error('not a PostgreSQL store');
  return store.location.url;
}

/** Job kinds of the platform itself, and the periodic tasks that enqueue them. */
export const PLATFORM_JOBS = {
  checkpoint: 'journal.checkpoint',
  markRenewals: 'consent.mark-renewals',
  pruneJobs: 'jobs.prune',
} as const;

function registerPlatformJobs(custodian: Custodian, checkpointSchedule: string): void {
  const { worker, scheduler, consents, jobs, policies, clock } = custodian;
  worker
    .handle(PLATFORM_JOBS.checkpoint, async () => {
      await custodian.checkpoint();
    })
    .handle(PLATFORM_JOBS.markRenewals, async (job) => {
      const { previousVersion, newVersion, purposes } = job.payload as { previousVersion: number; newVersion: number; purposes: string[] };
      await afterBulkMarking(custodian, (await consents.markRenewalNeeded(previousVersion, newVersion, purposes)).marked);
    })
    .handle(PLATFORM_JOBS.pruneJobs, async () => {
      await jobs.prune(clock.now() - JOB_RETENTION_MS);
    });
  scheduler
    .cluster('journal-checkpoint', checkpointSchedule, { kind: PLATFORM_JOBS.checkpoint })
    .cluster('prune-jobs', SCHEDULE.pruneJobs, { kind: PLATFORM_JOBS.pruneJobs })
    // Each node re-reads published versions: the fallback when a change event was missed.
    .local('policy-refresh', SCHEDULE.policyRefresh, () => policies.refresh())
    // SQLite gathers no statistics by itself; each node keeps its own connection's (PostgreSQL: autovacuum's job).
    .local('planner-statistics', SCHEDULE.plannerStatistics, () => refreshStatistics(custodian.store, { kind: 'periodic' }));
}

/** After marking many consents for renewal, the consent table's statistics describe a table that no longer exists. */
async function afterBulkMarking(custodian: Custodian, marked: number): Promise<void> {
  if (marked >= BULK_ROWS) await refreshStatistics(custodian.store, { kind: 'bulk', tables: ['consent_record'] });
}

export interface PolicyPublication extends PublishResult {
  /** Every change from the previous version, material first. */
  changes: PolicyChange[];
  /** Consents marked "renewal needed" by this call because a material change touched their purpose. */
  renewalsMarked: number;
  /** `done`: all marked; `queued`: marking was cut short and a job finishes it; `none`: nothing to mark. */
  renewalMarking: 'done' | 'queued' | 'none';
}

/**
 * Publishes a policy and applies what its changes mean: consents under purposes a
 * material change touches (new category, recipient or transfer, longer retention, new
 * basis) are marked as needing renewal, so the person is asked again.
 *
 * The gate does not depend on the marking: from the moment the version takes effect it
 * refuses whatever a consent given under an older notice does not cover. So the marking
 * runs after the version commits, in batches that lock only their own subjects (writers are
 * never stalled behind a publish), and the publishing unit of work enqueues a
 * `consent.mark-renewals` job in the same commit: if this process dies halfway, a worker
 * finishes the (idempotent) marking.
 *
 * A version whose effective date lies ahead is marked at publish all the same: the gate
 * stops relying on those consents once it takes effect, and they can be renewed under the
 * new version before then; asking early only asks sooner.
 */
export async function publishPolicy(custodian: Custodian, source: string, file: string, actor = 'system'): Promise<PolicyPublication> {
  const { policies, consents, clock } = custodian;
  const result = await policies.publish(source, file, {
    actor,
    within: async (uow, previous, next) => {
      if (!previous) return { changes: [] as PolicyChange[], affected: [] as string[] };
      const changes = diffPolicies(previous.index.policy, next.index.policy);
      const affected = [...new Set(changes.filter((c) => c.kind === 'material' && c.affectsConsents).flatMap((c) => c.purposes))];
      if (affected.length > 0) {
        await uow.enqueue({
          kind: PLATFORM_JOBS.markRenewals,
          payload: { previousVersion: previous.number, newVersion: next.number, purposes: affected },
          idempotencyKey: `renewals:${next.number}`,
          // The publisher marks at once below; the job is the safety net if it cannot finish.
          runAt: clock.now() + RENEWAL_SAFETY_DELAY_MS,
        });
      }
      return { changes, affected };
    },
  });
  const { changes, affected } = result.within ?? { changes: [] as PolicyChange[], affected: [] as string[] };
  let renewalsMarked = 0;
  let renewalMarking: PolicyPublication['renewalMarking'] = 'none';
  if (result.created && result.previous && affected.length > 0) {
    try {
      renewalsMarked = (await consents.markRenewalNeeded(result.previous.number, result.version.number, affected)).marked;
      renewalMarking = 'done';
      await afterBulkMarking(custodian, renewalsMarked).catch(() => undefined);
    } catch {
      // The version is published and the gate already enforces it; the queued job finishes the list.
      renewalMarking = 'queued';
    }
  }
  return { version: result.version, created: result.created, previous: result.previous, changes, renewalsMarked, renewalMarking };
}

/** How long the renewal-marking job waits before checking the publisher's own marking finished. */
const RENEWAL_SAFETY_DELAY_MS = 60_000;

/** Publishes the policy file as a new version when it differs from the newest one. */
export async function publishPolicyFile(custodian: Custodian, path: string, actor = 'system'): Promise<PolicyPublication> {
  return publishPolicy(custodian, await readFile(path, 'utf8'), path, actor);
}
