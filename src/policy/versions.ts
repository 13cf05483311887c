/**
 * Published policy versions: immutable, numbered, each with the moment it takes effect.
 * Enforcement reads the active version — the newest one already in effect — from memory;
 * `publish` and `refresh` keep that copy current.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CustodianError } from '../errors.js';
import type { Store } from '../store/store.js';
import { compilePolicy } from './compile.js';
import { formatDiagnostic } from './diagnostics.js';
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

export interface PublishResult {
  version: PublishedPolicy;
  /** False when the same source was already the newest version. */
  created: boolean;
  previous?: PublishedPolicy;
}

export class PolicyVersions {
  private versions: PublishedPolicy[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Loads all versions into memory (they are small and immutable). */
  async refresh(): Promise<void> {
    const rows = await this.store.db.selectFrom('policy_version').selectAll().orderBy('number').execute();
    this.versions = rows.map((row) => ({
      number: Number(row.number),
      policyId: row.policy_id,
      label: row.label,
      effectiveAt: Number(row.effective_at),
      publishedAt: Number(row.published_at),
      hash: row.hash,
      index: indexPolicy(JSON.parse(row.compiled) as Policy),
    }));
  }

  /**
   * Compiles and publishes a policy source. Compile errors reject it with every
   * diagnostic as a detail; nothing is written.
   */
  async publish(source: string, file: string, options: { effectiveAt?: number } = {}): Promise<PublishResult> {
    const { policy, diagnostics } = compilePolicy(source, file);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!policy || errors.length > 0) {
      throw new CustodianError(
        'policy_invalid',
        `The policy has ${errors.length} error(s)`,
        errors.map((d) => ({ path: d.path || `${d.line}:${d.column}`, message: formatDiagnostic(d) })),
      );
    }
    const hash = createHash('sha256').update(JSON.stringify(policy)).digest('hex');
    await this.refresh();
    const latest = this.versions.at(-1);
    if (latest && latest.hash === hash) return { version: latest, created: false, previous: this.versions.at(-2) };

    const now = this.clock.now();
    const declared = policy.effectiveDate ? Date.parse(policy.effectiveDate) : NaN;
    const effectiveAt = options.effectiveAt ?? (Number.isFinite(declared) && declared > now ? declared : now);
    const number = await this.store.transaction(async (trx) => {
      const max = await trx.selectFrom('policy_version').select((eb) => eb.fn.max('number').as('max')).executeTakeFirst();
      const next = Number(max?.max ?? 0) + 1;
      await trx
        .insertInto('policy_version')
        .values({ number: next, policy_id: policy.id, label: policy.version ?? null, effective_at: effectiveAt, published_at: now, source, compiled: JSON.stringify(policy), hash })
        .execute();
      return next;
    });
    await this.refresh();
    return { version: this.get(number)!, created: true, previous: latest };
  }

  list(): PublishedPolicy[] {
    return [...this.versions];
  }

  get(number: number): PublishedPolicy | undefined {
    return this.versions.find((v) => v.number === number);
  }

  async source(number: number): Promise<string | undefined> {
    const row = await this.store.db.selectFrom('policy_version').select('source').where('number', '=', number).executeTakeFirst();
    return row?.source;
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
