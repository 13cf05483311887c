/**
 * The composition root: opens the store, runs migrations, loads keys and the active
 * policy, and wires the services. HTTP and the CLI are thin adapters over what this
 * returns.
 */
import { readFile } from 'node:fs/promises';
import { ApiKeys } from './access/api-keys.js';
import { type Clock, type IdSource, systemClock, uuidSource } from './clock.js';
import type { Config } from './config.js';
import { envKekProvider, fileKekProvider, type KekProvider } from './crypto/kek-provider.js';
import { KeyService } from './crypto/keys.js';
import { writeCheckpoint } from './journal/checkpoint.js';
import { Journal } from './journal/journal.js';
import { diffPolicies, type PolicyChange } from './policy/diff.js';
import { PolicyVersions, type PublishResult } from './policy/versions.js';
import { MIGRATIONS } from './migrations.js';
import { migrateToLatest } from './store/migrations.js';
import { openStore, type Store } from './store/store.js';
import { PurposeGate } from './decisions/gate.js';
import { Consents } from './consent/consents.js';
import { consentPreferencesLoader } from './consent/gate-facts.js';
import { Metrics } from './reports/metrics.js';
import { Blocks } from './vault/blocking.js';
import { Depersonalizer } from './vault/depersonalize.js';
import { Disclosures } from './disclosures/disclosures.js';
import { Vault } from './vault/vault.js';

export interface Custodian {
  readonly store: Store;
  readonly keys: KeyService;
  readonly journal: Journal;
  readonly policies: PolicyVersions;
  readonly vault: Vault;
  readonly blocks: Blocks;
  readonly depersonalizer: Depersonalizer;
  readonly disclosures: Disclosures;
  readonly consents: Consents;
  readonly gate: PurposeGate;
  readonly metrics: Metrics;
  readonly apiKeys: ApiKeys;
  readonly clock: Clock;
  readonly ids: IdSource;
  checkpoint(): ReturnType<typeof writeCheckpoint>;
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
}

export function kekProviderFor(config: Pick<Config, 'masterKey' | 'keyringPath'>): KekProvider {
  return config.masterKey ? envKekProvider(config.masterKey) : fileKekProvider(config.keyringPath);
}

export async function openCustodian(config: Pick<Config, 'database' | 'masterKey' | 'keyringPath'> & Partial<Pick<Config, 'publicUrl'>>, options: OpenOptions = {}): Promise<Custodian> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidSource;
  const store = openStore(config.database);
  try {
    if (options.migrate !== false) await migrateToLatest(store.db, MIGRATIONS);
    const keys = new KeyService(kekProviderFor(config));
    await keys.load(store.db, clock.now());
    const journal = new Journal(store.engine, clock, ids);
    const policies = new PolicyVersions(store, clock);
    await policies.refresh();
    const metrics = new Metrics();
    // Consent changes drop the gate's cached view of the subject; the gate reads consent back through the loader.
    const consents = new Consents({ store, keys, journal, policies, clock, ids, publicUrl: config.publicUrl }, (subjectId) => gate.invalidate(subjectId));
    const gate = new PurposeGate(store.db, policies, clock, metrics, consentPreferencesLoader(consents, policies), { cacheTtlMs: options.gateCacheTtlMs ?? 2000 });
    return {
      store,
      keys,
      journal,
      policies,
      gate,
      metrics,
      vault: new Vault(store, keys, journal, policies, gate, clock, ids),
      blocks: new Blocks(store, journal, policies, gate, clock, ids),
      depersonalizer: new Depersonalizer(store, keys, journal, policies, gate, clock, ids),
      disclosures: new Disclosures(store, journal, policies, gate, clock, ids),
      consents,
      apiKeys: new ApiKeys(store, clock),
      clock,
      ids,
      checkpoint: () => writeCheckpoint(store.db, keys, clock, ids),
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export interface PolicyPublication extends PublishResult {
  /** Every change from the previous version, material first. */
  changes: PolicyChange[];
  /** Consents marked "renewal needed" because a material change touched their purpose. */
  renewalsMarked: number;
}

/**
 * Publishes a policy and applies what its changes mean: consents under purposes a
 * material change touches (new category, recipient or transfer, longer retention, new
 * basis) are marked as needing renewal, so the gate stops relying on them. The version
 * and the markings commit in one transaction — a version is never enforced with consents
 * it should have sent for renewal — and the gate is told after the commit.
 *
 * A version whose effective date lies ahead is marked at publish all the same: the gate
 * stops relying on those consents from now on, and they can be renewed under the new
 * version before it takes effect. Marking later would need a job at the effective date
 * and leave an unmarked window if it failed; asking early only asks sooner. A consent
 * first given under the old notice between publish and the effective date is not marked:
 * collect consents under the announced version in that window.
 */
export async function publishPolicy(custodian: Custodian, source: string, file: string): Promise<PolicyPublication> {
  const { policies, consents } = custodian;
  const unchanged = { changes: [] as PolicyChange[], marking: { marked: 0, subjectIds: [] as string[] } };
  const result = await policies.publish(source, file, {
    within: async (trx, previous, next) => {
      if (!previous) return unchanged;
      const changes = diffPolicies(previous.index.policy, next.index.policy);
      const affected = [...new Set(changes.filter((c) => c.kind === 'material' && c.affectsConsents).flatMap((c) => c.purposes))];
      return { changes, marking: await consents.markRenewalNeeded(trx, previous.number, next.number, affected) };
    },
  });
  const { changes, marking } = result.within ?? unchanged;
  consents.notifyChanged(marking.subjectIds);
  return { version: result.version, created: result.created, previous: result.previous, changes, renewalsMarked: marking.marked };
}

/** Publishes the policy file as a new version when it differs from the newest one. */
export async function publishPolicyFile(custodian: Custodian, path: string): Promise<PolicyPublication> {
  return publishPolicy(custodian, await readFile(path, 'utf8'), path);
}
