/**
 * Published policy versions: immutable, numbered, each with the moment it takes effect.
 * Enforcement reads the active version — the newest one already in effect — from memory;
 * `publish` and `refresh` keep that copy current.
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Journal } from '../journal/journal.js';
import type { UnitOfWork, UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Clock } from '../clock.js';
import { CustodianError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Database, PolicyVersionTable } from '../store/tables.js';
import { compilePolicy } from './compile.js';
import { formatDiagnostic } from './diagnostics.js';
import { diffPolicies, ELEMENT_WIDENINGS } from './diff.js';
import { indexPolicy, type Policy, type PolicyIndex } from './model.js';

export interface PublishedPolicy {
  number: number;
  policyId: string;
  label: string | null;
  effectiveAt: number;
  publishedAt: number;
  hash: string;
  index: PolicyIndex;
}

export interface PublishResult<T = undefined> {
  version: PublishedPolicy;
  /** False when the same source was already the newest version. */
  created: boolean;
  previous?: PublishedPolicy;
  /** What `within` returned; absent when no version was created (it did not run). */
  within?: T;
}

export interface PublishOptions<T> {
  effectiveAt?: number;
  /** Who publishes, for the journal (`apikey:<id>`, `cli`); default `system`. */
  actor?: string;
  /**
   * Work that must commit or roll back together with the new version — e.g. enqueueing the
   * renewal marking — run in the publishing unit of work after the row is written.
   * `previous` is the newest version as the transaction sees it, not the in-memory copy.
   * It may run more than once (serialization retries): keep its effects inside the unit.
   */
  within?: (uow: UnitOfWork, previous: PublishedPolicy | undefined, next: PublishedPolicy) => Promise<T>;
}

/**
 * A PostgreSQL advisory lock a publish holds exclusively and `inEffectWithin` shares, so a
 * publish never interleaves with work that relies on the version in effect. The number is
 * arbitrary; it only has to be Custodian's own.
 */
const PUBLISH_LOCK = 7_208_311_451;

/** Change events about policy versions (`key`: the version number): other nodes re-read the versions. */
export const POLICY_TOPIC = 'policy';

export interface PolicyVersionsDeps {
  store: Store;
  work: UnitOfWorkRunner;
  journal: Journal;
  clock: Clock;
}

export class PolicyVersions {
  private versions: PublishedPolicy[] = [];
  private readonly store: Store;
  private readonly work: UnitOfWorkRunner;
  private readonly journal: Journal;
  private readonly clock: Clock;

  constructor(deps: PolicyVersionsDeps) {
    ({ store: this.store, work: this.work, journal: this.journal, clock: this.clock } = deps);
  }

  /** Loads all versions into memory (they are small and immutable). */
  async refresh(): Promise<void> {
    // Versions never change: read the numbers, and parse only the versions not yet known.
    const numbers = (await this.store.db.selectFrom('policy_version').select('number').orderBy('number').execute()).map((r) => Number(r.number));
    const unknown = numbers.filter((n) => !this.byNumber.has(n));
    const fresh = unknown.length === 0 ? [] : await this.store.db.selectFrom('policy_version').selectAll().where('number', 'in', unknown).execute();
    const known = new Map(this.byNumber);
    for (const row of fresh) known.set(Number(row.number), toPublished(row));
    this.versions = numbers.flatMap((n) => known.get(n) ?? []);
    this.byNumber = new Map(this.versions.map((v) => [v.number, v]));
    this.floors = renewalFloors(this.versions, this.floors);
  }

  private floors = new Map<number, ReadonlyMap<string, number>>();

  /**
   * Per purpose, the newest version up to `version` whose change to it needs the whole
   * consent again (a material change that is not an `ELEMENT_WIDENINGS` one). A consent
   * given under an older notice no longer counts from the moment that version takes effect
   * — even one given after it was published but before it applied. Element widenings are
   * judged by the gate, which compares the consent's notice with the one in effect.
   */
  renewalFloor(version: number): ReadonlyMap<string, number> {
    return this.floors.get(version) ?? new Map();
  }

  /**
   * Compiles and publishes a policy source. Compile errors reject it with every
   * diagnostic as a detail; nothing is written. The publication is itself a journal event
   * (system stream) carrying the version's hash, so the proof that processing was declared
   * sits inside the chain. With `within`, that work shares the unit of work that writes the
   * version: both are published, or neither. Other nodes hear of it at once (PostgreSQL).
   *
   * On PostgreSQL the transaction holds the publish lock, so two publishers take turns and
   * work that read the version in effect through `inEffectWithin` commits first.
   *
   * @example
   * const { version, within } = await policies.publish(source, 'shop.policy.yaml', {
   *   within: (trx, previous, next) => markRenewals(trx, previous, next),
   * });
   */
  async publish<T = undefined>(source: string, file: string, options: PublishOptions<T> = {}): Promise<PublishResult<T>> {
    const { policy, diagnostics } = compilePolicy(source, file);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!policy || errors.length > 0) {
      throw new CustodianError(
        'policy_invalid',
        `The policy has ${errors.length} error(s)`,
        errors.map((d) => ({ path: d.path || `${d.line}:${d.column}`, message: formatDiagnostic(d) })),
      );
    }
    const compiled = JSON.stringify(policy);
    const hash = createHash('sha256').update(compiled).digest('hex');
    const now = this.clock.now();
    const declared = policy.effectiveDate ? Date.parse(policy.effectiveDate) : NaN;
    const effectiveAt = options.effectiveAt ?? (Number.isFinite(declared) && declared > now ? declared : now);

    const outcome = await this.work.run(async (uow) => {
      const { trx } = uow;
      if (this.store.engine === 'postgres') await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK}::bigint)`.execute(trx);
      const row = await trx.selectFrom('policy_version').selectAll().orderBy('number', 'desc').limit(1).executeTakeFirst();
      const previous = row ? toPublished(row) : undefined;
      if (previous && previous.hash === hash) return { created: false as const, number: previous.number };
      const next: PublishedPolicy = { number: (previous?.number ?? 0) + 1, policyId: policy.id, label: policy.version ?? null, effectiveAt, publishedAt: now, hash, index: indexPolicy(JSON.parse(compiled) as Policy) };
      await trx
        .insertInto('policy_version')
        .values({ number: next.number, policy_id: next.policyId, label: next.label, effective_at: effectiveAt, published_at: now, source, compiled, hash })
        .execute();
      await this.journal.append(trx, [
        {
          actor: options.actor ?? 'system',
          operation: 'publication',
          details: { policyVersion: next.number, policyId: next.policyId, label: next.label, sha256: hash, effectiveAt, previousVersion: previous?.number ?? null },
        },
      ]);
      uow.afterCommit({ topic: POLICY_TOPIC, key: String(next.number) });
      const within = options.within ? await options.within(uow, previous, next) : undefined;
      return { created: true as const, number: next.number, previous, within };
    });
    await this.refresh();
    const version = this.get(outcome.number)!;
    if (!outcome.created) return { version, created: false, previous: this.versions.filter((v) => v.number < version.number).at(-1) };
    return { version, created: true, previous: outcome.previous, within: outcome.within };
  }

  list(): PublishedPolicy[] {
    return [...this.versions];
  }

  get(number: number): PublishedPolicy | undefined {
    return this.byNumber.get(number);
  }

  private byNumber = new Map<number, PublishedPolicy>();

  async source(number: number): Promise<string | undefined> {
    const row = await this.store.db.selectFrom('policy_version').select('source').where('number', '=', number).executeTakeFirst();
    return row?.source;
  }

  /**
   * The number of the version in effect at `now` as `trx` sees the database (0 if none):
   * memory may lag another node's publish by a refresh interval. On PostgreSQL it also
   * holds publishing off until `trx` ends, so a publish commits either before this read,
   * which then sees it, or after `trx`, and finds what `trx` wrote.
   */
  async inEffectWithin(trx: Transaction<Database>, now: number): Promise<number> {
    if (this.store.engine === 'postgres') await sql`select pg_advisory_xact_lock_shared(${PUBLISH_LOCK}::bigint)`.execute(trx);
    const row = await trx.selectFrom('policy_version').select((eb) => eb.fn.max('number').as('number')).where('effective_at', '<=', now).executeTakeFirst();
    return Number(row?.number ?? 0);
  }

  /** The newest version in effect now; throws when nothing has been published. */
  active(): PublishedPolicy {
    const now = this.clock.now();
    const effective = this.versions.filter((v) => v.effectiveAt <= now);
    const version = effective.at(-1) ?? this.versions[0];
    if (!version) throw new CustodianError('policy_not_published', 'No policy has been published yet');
    return version;
  }
}

function toPublished(row: PolicyVersionTable): PublishedPolicy {
  return {
    number: Number(row.number),
    policyId: row.policy_id,
    label: row.label,
    effectiveAt: Number(row.effective_at),
    publishedAt: Number(row.published_at),
    hash: row.hash,
    index: indexPolicy(JSON.parse(row.compiled) as Policy),
  };
}

/** Renewal floors for every version, reusing those already computed (versions never change). */
function renewalFloors(versions: readonly PublishedPolicy[], known: ReadonlyMap<number, ReadonlyMap<string, number>>): Map<number, ReadonlyMap<string, number>> {
  const floors = new Map<number, ReadonlyMap<string, number>>();
  let previous: PublishedPolicy | undefined;
  let floor: ReadonlyMap<string, number> = new Map();
  for (const version of versions) {
    const cached = known.get(version.number);
    if (cached) floor = cached;
    else if (previous) {
      const next = new Map(floor);
      for (const change of diffPolicies(previous.index.policy, version.index.policy)) {
        if (change.kind === 'material' && change.affectsConsents && !ELEMENT_WIDENINGS.has(change.code)) for (const purpose of change.purposes) next.set(purpose, version.number);
      }
      floor = next;
    }
    floors.set(version.number, floor);
    previous = version;
  }
  return floors;
}
