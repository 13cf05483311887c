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
    if (options.migrate !== false) await migrateToLatest(store.db);
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
 * basis) are marked as needing renewal, so the gate stops relying on them.
 */
export async function publishPolicy(custodian: Custodian, source: string, file: string): Promise<PolicyPublication> {
  const result = await custodian.policies.publish(source, file);
  if (!result.created || !result.previous) return { ...result, changes: [], renewalsMarked: 0 };
  const changes = diffPolicies(result.previous.index.policy, result.version.index.policy);
  const affected = [...new Set(changes.filter((c) => c.kind === 'material' && c.affectsConsents).flatMap((c) => c.purposes))];
  const marking = await custodian.consents.markRenewalNeeded(custodian.store.db, result.previous.number, result.version.number, affected);
  return { ...result, changes, renewalsMarked: marking.marked };
}

/** Publishes the policy file as a new version when it differs from the newest one. */
export async function publishPolicyFile(custodian: Custodian, path: string): Promise<PolicyPublication> {
  return publishPolicy(custodian, await readFile(path, 'utf8'), path);
}
